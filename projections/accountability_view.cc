#include <set>

#include "projections/aggregate.h"
#include "projections/views.h"

namespace evident::projections {
namespace {

// Staff counts by (site, group) and certificated staff by site.
struct Staff {
  std::map<std::pair<std::string, int32_t>, int64_t> by_group;
  std::map<std::string, int64_t> teachers;
  int64_t all = 0, all_teachers = 0;
};

Staff CountStaff(const Figures& f) {
  Staff s;
  for (const auto& [person, who] : f.people) {
    ++s.by_group[{who.site, who.group}];
    ++s.all;
    if (who.group == int32_t(schema::ParticipantGroup::Certificated)) {
      ++s.teachers[who.site];
      ++s.all_teachers;
    }
  }
  return s;
}

// Observations showing the targeted practice, for people with and without
// programme hours that year: described, never claimed as an effect.
void AddComparison(const FactState& state, const Figures& f, std::vector<ViewRow>* rows) {
  std::set<std::pair<std::string, int32_t>> took_part;
  for (const PersonProgram& p : f.pairs) {
    for (const auto& [fy, minutes] : p.minutes_by_year) {
      if (minutes > 0) took_part.insert({p.person, fy});
    }
  }
  std::map<int32_t, std::array<int64_t, 4>> by_year;  // obs, practice (participants; others)
  for (const auto& [person, list] : state.observation.rows()) {
    for (const Observation& o : list.items) {
      const int32_t fy = FiscalYearOf(o.day);
      auto& c = by_year[fy];
      const int side = took_part.count({person, fy}) ? 0 : 2;
      ++c[side];
      if (o.practice_observed) ++c[side + 1];
    }
  }
  for (const auto& [fy, c] : by_year) {
    rows->push_back(
        {JoinKey("comparison", YearKey(fy)),
         Json{{"row", "comparison"},
              {"fiscal_year", fy},
              {"participants",
               {{"observations", c[0]}, {"practice_observed_share", Ratio(c[1], c[0])}}},
              {"non_participants",
               {{"observations", c[2]}, {"practice_observed_share", Ratio(c[3], c[2])}}},
              {"note",
               "Descriptive only: who took part was not random, so the difference is not an "
               "effect of the programmes."}}});
  }
}

void AddBudget(const FactState& state, std::vector<ViewRow>* rows) {
  std::map<std::pair<int32_t, std::string>, std::array<int64_t, 2>> funds;  // budget, actual
  for (const auto& [key, lines] : state.budget.rows()) {
    for (const CostLine& l : lines.lines) funds[{l.fiscal_year, l.fund}][0] += l.cents;
  }
  for (const auto* table : {&state.pool, &state.direct}) {
    for (const auto& [key, lines] : table->rows()) {
      for (const CostLine& l : lines.lines) funds[{l.fiscal_year, l.fund}][1] += l.cents;
    }
  }
  for (const auto& [key, amounts] : funds) {
    const bool no_fund = key.second.empty();  // costs recorded without a fund: no budget to meet
    rows->push_back({JoinKey("budget", YearKey(key.first), key.second),
                     Json{{"row", "budget"},
                          {"fiscal_year", key.first},
                          {"fund", key.second},
                          {"no_fund", no_fund},
                          {"budget_cents", no_fund ? Json() : Json(amounts[0])},
                          {"actual_cents", amounts[1]},
                          {"variance_cents", no_fund ? Json() : Json(amounts[0] - amounts[1])},
                          {"spent_share", no_fund ? Json() : Ratio(amounts[1], amounts[0])}}});
  }
}

}  // namespace

std::vector<ViewRow> AccountabilityView(const FactState& state, const Figures& f) {
  const Staff staff = CountStaff(f);
  std::map<std::tuple<int32_t, std::string, std::string, int32_t>, Cell> cells;
  std::map<int32_t, Cell> district;
  static const PersonContext kNobody;
  for (const PersonProgram& p : f.pairs) {
    auto it = f.people.find(p.person);
    const PersonContext& who = it == f.people.end() ? kNobody : it->second;
    const bool flags = AllSixFlags(state, p.program);
    for (int32_t fy : YearsOf(p)) {
      cells[{fy, who.site, p.program, who.group}].AddPair(p, fy, flags);
      district[fy].AddPair(p, fy, flags);
    }
  }
  std::vector<ViewRow> rows;
  for (const auto& [key, cell] : cells) {
    const auto& [fy, site, program, group] = key;
    auto s = staff.by_group.find({site, group});
    auto t = staff.teachers.find(site);
    Json row{{"row", "site_program"},
             {"fiscal_year", fy},
             {"site", site},
             {"program", program},
             {"staff_group", GroupName(group)}};
    row.update(cell.Render(s == staff.by_group.end() ? 0 : s->second,
                           t == staff.teachers.end() ? 0 : t->second));
    rows.push_back({JoinKey("cell", YearKey(fy), JoinKey(site, program, GroupName(group))), row});
  }
  for (const auto& [fy, cell] : district) {
    Json row{{"row", "district_year"}, {"fiscal_year", fy}};
    row.update(cell.Render(staff.all, staff.all_teachers));
    rows.push_back({JoinKey("district", YearKey(fy)), row});
  }
  for (size_t i = 0; i < f.unallocated.size(); ++i) {
    const auto& [program, line] = f.unallocated[i];
    rows.push_back(
        {JoinKey("unallocated", YearKey(line.fiscal_year), JoinKey(program, PositionKey(i))),
         Json{{"row", "unallocated"},
              {"fiscal_year", line.fiscal_year},
              {"program", program},
              {"category", CategoryName(line.category)},
              {"fund", line.fund},
              {"funding_source", FundingSourceName(line.source)},
              {"cents", line.cents}}});
  }
  AddBudget(state, &rows);
  AddComparison(state, f, &rows);
  std::sort(rows.begin(), rows.end(),
            [](const ViewRow& a, const ViewRow& b) { return a.key < b.key; });
  return rows;
}

}  // namespace evident::projections
