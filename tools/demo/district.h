#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

// The demo district: two fiscal years (July 2024 to June 2026) of a
// synthetic school district's professional learning, deterministic for a
// seed. Its shape follows published figures (docs/demo-data.md says which
// and where each comes from): about 40 sites of differing need, 2,000-3,000
// staff and a few hundred parents, 100+ programmes of different designs,
// participation with no-shows, evidence at all five of Guskey's levels,
// expectations with and without support, and a few corrections and voids.
// It is not data about any real district or person.
namespace evident::demo {

struct DistrictOptions {
  uint64_t seed = 2026;
  int sites = 40;  // everything else scales with the number of sites
};

// The systems that assert the district's records, each with its own key in
// the demo; an event's `source_system` names the one that sends it.
struct SourceSystem {
  std::string id;
  std::string what;                      // in plain words, for the terminal
  std::vector<std::string> event_types;  // what its key is registered to sign
};
const std::vector<SourceSystem>& SourceSystems();

struct DemoEvent {
  std::string source;  // a SourceSystems() id
  std::string type;    // its event_type
  std::string occurred_at;
  std::string json;  // one line, as `evident append` reads it
};

struct DistrictFacts {
  int sites = 0;
  int underserved_sites = 0;
  std::map<std::string, int> people;  // by participant group
  int programmes = 0;
  int enrolments = 0;
  int no_shows = 0;  // enrolled, attended no session
  int corrections = 0;
  int voids = 0;
};

struct District {
  std::vector<DemoEvent> events;  // in the order each system sends them
  DistrictFacts facts;
};

District GenerateDistrict(const DistrictOptions& options);

// The events as JSON Lines, one per line, in order: what demo-data writes.
std::string JsonLines(const District& district);

// "40 sites (3 under-served), 1,336 teachers, ...": the facts in one line.
std::string DescribeFacts(const DistrictFacts& facts);

// The district's id, and the origin its demo ledger is named by.
constexpr char kDistrictId[] = "lea-0699001";
constexpr char kDistrictOrigin[] = "evident.example/riverbend-unified";
// The first day of the second fiscal year: the day the PD system's key is
// rotated in the demo.
constexpr char kSecondYearStart[] = "2025-07-01";
// The last day the district's records cover (the end of fiscal 2026).
constexpr char kLastDay[] = "2026-06-30";

}  // namespace evident::demo
