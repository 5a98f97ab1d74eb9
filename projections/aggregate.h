#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "projections/figures.h"
#include "projections/views.h"

// The accountability figures of a group of person-and-programme rows in one
// fiscal year (a site's programme for one staff group, a district's year, a
// quartile of site need). Shared by the accountability and equity views.
namespace evident::projections {

// The fiscal years a row belongs to: those of its costs and minutes, or the
// year its expectation fell due.
std::set<int32_t> YearsOf(const PersonProgram& p);

// Whether the programme meets all six statutory flags (ESEA 8101(42)).
bool AllSixFlags(const FactState& state, const std::string& program);

class Cell {
 public:
  // Adds what row `p` contributes to fiscal year `fy`: its costs of that
  // year, its minutes of that year, and its evidence. `all_six_flags` says
  // whether the programme meets the six statutory flags. Returns the row's
  // minutes that year if its person took part then (had minutes or spend),
  // else -1.
  int64_t AddPair(const PersonProgram& p, int32_t fy, bool all_six_flags);
  // The hours band of a participant-programme's minutes in a year: 0 under
  // 14 hours, 1 from 14 to 49, 2 from 49.
  static int Band(int64_t minutes);
  bool empty() const { return participants_.empty() && spend_cents_ == 0; }
  int64_t spend_cents() const { return spend_cents_; }

  // The figures (docs/metrics.md). `staff` is the number of staff the group
  // could reach; `teachers` the certificated staff among them.
  Json Render(int64_t staff, int64_t teachers) const;

 private:
  std::map<std::tuple<int32_t, std::string, int32_t>, int64_t> spend_;  // category, fund, source
  int64_t spend_cents_ = 0, time_value_cents_ = 0;
  std::set<std::string> participants_, completers_, changed_;
  int64_t minutes_ = 0, flagged_minutes_ = 0;
  int64_t under_14_ = 0, from_14_to_49_ = 0, from_49_ = 0;  // participant-programmes by hours
  int64_t records_ = 0, present_ = 0;
  int64_t level_[5] = {0, 0, 0, 0, 0};  // participant-programmes with evidence at each level
  int64_t participant_programs_ = 0;
  int64_t post_observations_ = 0, post_practice_ = 0;
  std::set<std::string> change_known_, improving_;  // people
  int64_t no_level4_cents_ = 0;
  int64_t owed_by_person_ = 0, owed_by_district_ = 0;
};

}  // namespace evident::projections
