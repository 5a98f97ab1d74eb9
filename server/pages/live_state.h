#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "projections/figures.h"
#include "projections/projector.h"
#include "projections/views.h"

// What the pages read: the projections of the log as of one checkpoint,
// frozen in a Snapshot that many requests share. LiveState keeps its own
// projector in memory (the projection store belongs to the queries), folds
// the entries appended since the last snapshot, and freezes a new snapshot
// at the newest checkpoint, at most once every `refresh` (figures over a
// whole district are not free; a page says which checkpoint it shows).
//
// Thread-safe: Current() may be called from many threads; one folds while
// the others wait, then all share its snapshot.
namespace evident::server::pages {

// One event in the log about a person, as the pages list it.
struct EventRef {
  uint64_t position = 0;
  std::string type;     // the event type, e.g. "ObservationRecorded"
  std::string date;     // occurred_at's date, YYYY-MM-DD
  std::string program;  // the subject's programme, or ""
  std::string site;     // the subject's site, or ""
};

// The Guskey level (1-5) an event type is evidence at, or 0.
int GuskeyLevelOf(const std::string& event_type);
// "Participants' reactions" ... "Student learning outcomes" for 1-5.
const char* GuskeyLevelName(int level);
// An event type in plain words: "Exit survey" for ReactionSurveySubmitted;
// the type itself for one it does not know.
std::string EventLabel(const std::string& event_type);

// A correction or void of an entry, as the entry's page names it.
struct AmendmentRef {
  uint64_t position = 0;  // of the correction or void
  bool voided = false;
  std::string reason;   // its reason code
  std::string outcome;  // "applied", or why it was not
};

struct Snapshot {
  uint64_t size = 0;
  std::string checkpoint;  // the signed note at `size`, with its cosignatures
  std::string origin;
  std::string root_hex;
  std::string as_of;  // YYYY-MM-DD: the reporting date (the last entry's)
  projections::Figures figures;
  std::map<std::string, std::string> program_titles;                // programme -> title
  // The office's decisions about each programme, in log order (ProgramReviewed).
  std::map<std::string, std::vector<projections::Decision>> decisions;
  std::map<std::string, std::vector<EventRef>> person_events;       // person -> log order
  std::map<std::string, std::vector<std::string>> site_people;      // site -> people
  std::vector<projections::ViewRow> compliance;                     // the compliance view
  std::map<uint64_t, std::vector<AmendmentRef>> amended_by;  // entry -> its amendments
  std::map<uint64_t, uint64_t> amends;                       // amendment -> the entry
  // The person each entry is about: its subject's, or for a correction or
  // void without one, the person of the entry it amends.
  std::map<uint64_t, std::string> person_of;

  // The person entry `position` is about, or "".
  std::string PersonOf(uint64_t position) const;
  // The programme's title, else its id.
  std::string ProgramTitle(const std::string& program) const;
  // The person's site now, or "" (also for a person the log does not know).
  std::string SiteOf(const std::string& person) const;
  bool KnowsPerson(const std::string& person) const { return figures.people.count(person) > 0; }
};

class LiveState {
 public:
  // `ledger` must outlive the LiveState.
  LiveState(Ledger* ledger, std::chrono::milliseconds refresh)
      : ledger_(ledger), source_(ledger), projector_(&source_), refresh_(refresh) {}

  // The newest snapshot, made or refreshed first when due. NotFound for a
  // log with no checkpoint yet; Corruption for an entry that does not read
  // (run `evident verify`).
  StatusOr<std::shared_ptr<const Snapshot>> Current();

 private:
  Status FoldTo(uint64_t size);
  void IndexEvent(uint64_t position, std::string_view entry);

  Ledger* ledger_;
  std::mutex mu_;
  projections::LedgerSource source_;
  projections::Projector projector_;
  std::map<std::string, std::vector<EventRef>> person_events_;
  std::map<uint64_t, std::string> person_of_;
  std::chrono::milliseconds refresh_;
  std::chrono::steady_clock::time_point made_at_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace evident::server::pages
