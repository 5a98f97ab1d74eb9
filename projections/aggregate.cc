#include "projections/aggregate.h"

namespace evident::projections {

std::set<int32_t> YearsOf(const PersonProgram& p) {
  std::set<int32_t> years;
  for (const CostShare& c : p.costs) years.insert(c.line.fiscal_year);
  for (const auto& [fy, minutes] : p.minutes_by_year) years.insert(fy);
  if (years.empty() && p.due_day != kNoDay) years.insert(FiscalYearOf(p.due_day));
  return years;
}

bool AllSixFlags(const FactState& state, const std::string& program) {
  const ProgramVersion* v = ProgramOf(state, program);
  return v != nullptr && (v->flags & kAllSixFlags) == kAllSixFlags;
}

int Cell::Band(int64_t minutes) {
  return minutes >= rules::kDoseHighMinutes ? 2 : minutes >= rules::kDoseLowMinutes ? 1 : 0;
}

int64_t Cell::AddPair(const PersonProgram& p, int32_t fy, bool all_six_flags) {
  int64_t pair_spend = 0;
  for (const CostShare& c : p.costs) {
    if (c.line.fiscal_year != fy) continue;
    if (c.component == "participant_time") {
      time_value_cents_ += c.line.cents;
      continue;
    }
    spend_[{c.line.category, c.line.fund, c.line.source}] += c.line.cents;
    pair_spend += c.line.cents;
  }
  int64_t minutes = 0;
  for (const auto& [year, m] : p.minutes_by_year) {
    if (year == fy) minutes = m;
  }
  spend_cents_ += pair_spend;
  if (p.standing == rules::Standing::kOwedByDistrict) ++owed_by_district_;
  if (minutes == 0 && pair_spend == 0) return -1;  // not a participant this year

  participants_.insert(p.person);
  ++participant_programs_;
  if (p.completed) completers_.insert(p.person);
  if (p.evidence_of_change) changed_.insert(p.person);
  minutes_ += minutes;
  if (all_six_flags) flagged_minutes_ += minutes;
  switch (Band(minutes)) {
    case 2:
      ++from_49_;
      break;
    case 1:
      ++from_14_to_49_;
      break;
    default:
      ++under_14_;
  }
  records_ += p.records;
  present_ += p.present;
  for (int level = 1; level <= 5; ++level) {
    if (p.levels & (1u << (level - 1))) ++level_[level - 1];
  }
  post_observations_ += p.post_observations;
  post_practice_ += p.post_practice_observed;
  if (p.change.known) {  // people, not enrolments: improving in any programme of the row
    change_known_.insert(p.person);
    if (p.change.value > 0) improving_.insert(p.person);
  }
  if (p.highest_level < 4) no_level4_cents_ += pair_spend;
  if (p.standing == rules::Standing::kOwedByPerson) ++owed_by_person_;
  return minutes;
}

Json Cell::Render(int64_t staff, int64_t teachers) const {
  Json spend = Json::array();
  for (const auto& [bucket, cents] : spend_) {
    if (cents == 0) continue;
    const auto& [category, fund, source] = bucket;
    spend.push_back(Json{{"category", CategoryName(category)},
                         {"fund", fund},
                         {"funding_source", FundingSourceName(source)},
                         {"cents", cents}});
  }
  const double people = double(participants_.size());
  const double hours = double(minutes_) / 60.0;
  Json guskey = Json::object(), guskey_enrolments = Json::object();
  for (int level = 1; level <= 5; ++level) {
    const std::string name = "level_" + std::to_string(level);
    guskey[name] = Ratio(double(level_[level - 1]), double(participant_programs_));
    guskey_enrolments[name] = level_[level - 1];
  }
  return Json{
      {"spend_cents", spend_cents_},
      {"spend", spend},
      {"participant_time_value_cents", time_value_cents_},
      {"participants", participants_.size()},
      {"enrolments", participant_programs_},
      {"staff", staff},
      {"reach", Ratio(people, double(staff))},
      {"spend_per_participant_cents", Ratio(double(spend_cents_), people, 0)},
      {"spend_per_teacher_cents", Ratio(double(spend_cents_), double(teachers), 0)},
      {"hours", Ratio(double(minutes_), 60.0, 2)},
      {"hours_distribution",
       {{"under_14", under_14_}, {"14_to_49", from_14_to_49_}, {"49_and_over", from_49_}}},
      {"attendance_rate", Ratio(double(present_), double(records_))},
      {"completion_rate", Ratio(double(completers_.size()), people)},
      {"statutory_hours_share", Ratio(double(flagged_minutes_), double(minutes_))},
      {"guskey_coverage", guskey},
      {"guskey_enrolments", guskey_enrolments},
      {"implementation_rate", Ratio(double(post_practice_), double(post_observations_))},
      {"share_improving", Ratio(double(improving_.size()), double(change_known_.size()))},
      {"cost_per_participant_hour_cents", Ratio(double(spend_cents_), hours, 0)},
      {"cost_per_completer_cents", Ratio(double(spend_cents_), double(completers_.size()), 0)},
      {"people_with_demonstrated_change", changed_.size()},
      {"cost_per_demonstrated_change_cents",
       Ratio(double(spend_cents_), double(changed_.size()), 0)},
      {"dollars_without_level4_evidence_cents", no_level4_cents_},
      {"open_obligations", {{"person", owed_by_person_}, {"district", owed_by_district_}}}};
}

}  // namespace evident::projections
