#include <algorithm>
#include <cmath>

#include "ledger/parallel.h"
#include "projections/views.h"

namespace evident::projections {
namespace {

Json Rounded(double x, int digits = 4) {
  const double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

Json DateJson(int32_t day) { return day == kNoDay ? Json() : Json(DateOf(day)); }

Json CostsJson(const std::vector<CostShare>& costs) {
  Json out = Json::array();
  for (const CostShare& c : costs) {
    out.push_back(Json{{"component", c.component},
                       {"category", CategoryName(c.line.category)},
                       {"fund", c.line.fund},
                       {"funding_source", FundingSourceName(c.line.source)},
                       {"fiscal_year", c.line.fiscal_year},
                       {"cents", c.line.cents}});
  }
  return out;
}

Json PairRow(const PersonProgram& p, const PersonContext& who) {
  Json district{{"invested_cents", p.invested_cents},
                {"components", CostsJson(p.costs)},
                {"hours", Rounded(double(p.minutes) / 60.0, 2)},
                {"reached_14_hours", p.minutes >= rules::kDoseLowMinutes},
                {"reached_49_hours", p.minutes >= rules::kDoseHighMinutes},
                {"attendance_rate", Ratio(double(p.present), double(p.records))},
                {"registered", p.registered},
                {"completed", p.completed},
                {"support_events", p.support_events},
                {"coaching_minutes", p.coaching_minutes}};
  Json change = p.change.known ? Json{{"value", Rounded(p.change.value)},
                                      {"standard_error", Rounded(p.change.standard_error)}}
                               : Json();
  Json per_thousand = p.per_thousand.known ? Json{{"value", Rounded(p.per_thousand.value)},
                                                  {"low", Rounded(p.per_thousand.low)},
                                                  {"high", Rounded(p.per_thousand.high)}}
                                           : Json();
  Json person{
      {"reactions", p.reactions},
      {"reaction_share", p.reactions > 0 ? Rounded(p.reaction_bp / 10000.0) : Json()},
      {"learning_shown", p.learning_shown},
      {"learning_gain", p.learning_gain_known ? Rounded(p.learning_gain_bp / 10000.0) : Json()},
      {"observations_before", p.pre_observations},
      {"observations_after", p.post_observations},
      {"implementation_rate", Ratio(double(p.post_practice_observed), double(p.post_observations))},
      {"targeted_change_sd", change},
      {"goals_set", p.goals_set},
      {"goals_completed", p.goals_completed},
      {"rating_change", p.rating_change_known ? Json(p.rating_change) : Json()},
      {"student_outcomes", p.outcomes},
      {"student_outcomes_met", p.outcomes_met}};
  return Json{{"row", "person_program"},
              {"person", p.person},
              {"program", p.program},
              {"site", who.site},
              {"staff_group", GroupName(who.group)},
              {"status", rules::StandingName(p.standing)},
              {"first_date", DateJson(p.first_day)},
              {"end_date", DateJson(p.end_day)},
              {"due_date", DateJson(p.due_day)},
              {"district_side", district},
              {"person_side", person},
              {"change_per_1000_dollars", per_thousand},
              {"highest_guskey_level", p.highest_level}};
}

Json YearRow(const PersonYear& y, const PersonContext& who) {
  return Json{{"row", "person_year"},
              {"person", y.person},
              {"school_year", y.school_year},
              {"site", who.site},
              {"staff_group", GroupName(who.group)},
              {"status", rules::StandingName(y.standing)},
              {"district_side",
               {{"invested_cents", y.invested_cents},
                {"components", CostsJson(y.costs)},
                {"hours", Rounded(double(y.minutes) / 60.0, 2)},
                {"coaching_minutes", y.coaching_minutes}}},
              {"person_side",
               {{"observations", y.observations},
                {"implementation_rate", Ratio(double(y.practice_observed), double(y.observations))},
                {"rating_level", y.rating_level == 0 ? Json() : Json(y.rating_level)},
                {"rating_change", y.rating_change_known ? Json(y.rating_change) : Json()},
                {"goals_set", y.goals_set},
                {"goals_completed", y.goals_completed},
                {"student_outcomes", y.outcomes},
                {"student_outcomes_met", y.outcomes_met}}},
              {"open_obligations",
               {{"person", y.person_obligations}, {"district", y.district_obligations}}}};
}

}  // namespace

std::vector<ViewRow> ReciprocityView(const Figures& f) {
  static const PersonContext kNobody;
  auto who = [&](const std::string& person) -> const PersonContext& {
    auto it = f.people.find(person);
    return it == f.people.end() ? kNobody : it->second;
  };
  // The largest view: its rows are built on every core.
  const size_t pairs = f.pairs.size(), years = f.years.size();
  std::vector<ViewRow> rows(pairs + years);
  ParallelFor(rows.size(), DefaultThreads(), [&](size_t i) {
    if (i < pairs) {
      const PersonProgram& p = f.pairs[i];
      rows[i] = {JoinKey("program", p.person, p.program), PairRow(p, who(p.person))};
    } else {
      const PersonYear& y = f.years[i - pairs];
      rows[i] = {JoinKey("year", y.person, YearKey(y.school_year)), YearRow(y, who(y.person))};
    }
  });
  for (size_t i = 0; i < f.obligations.size(); ++i) {
    const Obligation& o = f.obligations[i];
    rows.push_back(
        {JoinKey("obligation", o.person, PositionKey(i)), Json{{"row", "obligation"},
                                                               {"side", o.side},
                                                               {"person", o.person},
                                                               {"program", o.program},
                                                               {"school_year", o.school_year},
                                                               {"kind", o.kind},
                                                               {"detail", o.detail},
                                                               {"date", DateOf(o.day)},
                                                               {"due_date", DateOf(o.due_day)},
                                                               {"overdue", o.overdue}}});
  }
  std::sort(rows.begin(), rows.end(),
            [](const ViewRow& a, const ViewRow& b) { return a.key < b.key; });
  return rows;
}

}  // namespace evident::projections
