#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/bundle.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "projections/fact.h"
#include "projections/projector.h"
#include "projections/report/format.h"
#include "projections/views.h"

// Computing a board report from the log, and checking one against it.
namespace evident::projections::report {

struct BoardRequest {
  int32_t fiscal_year = 0;
  uint64_t tree_size = 0;      // the report covers entries [0, tree_size)
  int32_t as_of_day = kNoDay;  // kNoDay: the day the last entry was recorded
  // The checkpoint note the report carries. Empty: the one stored at
  // tree_size with every cosignature stored for it. A report being checked
  // gives its own, which must be the ledger's signed checkpoint at tree_size
  // (its cosignatures may be fewer than are stored now).
  std::string checkpoint_note;
};

// Folds the ledger's first `tree_size` entries and builds summary.json.
// InvalidArgument when tree_size is past the end of the log or no signed
// checkpoint is stored at it (the message names the nearest sizes that have
// one): a report must carry the checkpoint it was computed from.
StatusOr<Json> BoardSummaryFromLedger(Ledger* ledger, const BoardRequest& request);

// The same from an auditor's export bundle holding entries from 0 to at
// least `tree_size`. The bundle is checked in full first (VerifyBundle);
// `checkpoint_note` (the report's own) must be signed by the ledger key --
// `trusted`, or else the bundle's ledger.vkey -- and state `tree_size` and
// the root of the bundle's first `tree_size` entries. What the bundle's own
// check found goes to `*bundle_report` when given, whatever the outcome.
StatusOr<Json> BoardSummaryFromBundle(const std::string& bundle_dir, const BoardRequest& request,
                                      const std::string& checkpoint_note,
                                      const std::optional<NoteVerifier>& trusted,
                                      BundleReport* bundle_report = nullptr);

// The summary of a folded log (both of the above end here). InvalidArgument
// when the year has no records at all (a mistyped year, most likely).
StatusOr<Json> SummaryOf(const Projector& projector, const LogContext& log,
                         const BoardRequest& request);

// The request a summary.json was made with; InvalidArgument naming the field
// that is missing or malformed.
StatusOr<BoardRequest> RequestOf(const Json& summary);

// Writes the files into `dir`, which must not exist yet: first into a
// sibling folder, each file synced, then renamed into place, so a failure
// (a full disk, say) leaves no half-written report behind.
Status WriteReport(const std::string& dir, const std::map<std::string, std::string>& files);

struct ReportCheck {
  std::vector<std::string> mismatches;  // each says where and what differs
  std::vector<std::string> warnings;    // not a failure: said so the reader knows
  int files_checked = 0;
  bool ok() const { return mismatches.empty(); }
};

// Compares the report in `dir` with `recomputed` (file name -> bytes):
// summary.json figure by figure, every other file byte for byte.
ReportCheck CompareReport(const std::string& dir,
                          const std::map<std::string, std::string>& recomputed);

}  // namespace evident::projections::report
