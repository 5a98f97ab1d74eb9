// Person-and-school-year rows and the obligations on both sides, from the
// person-and-programme rows and the state (projections/figures.h).

#include <algorithm>
#include <set>

#include "projections/figures.h"

namespace evident::projections {
namespace {

using rules::Standing;

// How much a standing weighs when a year sums up several programmes: an
// open obligation outweighs a programme still pending, which outweighs one
// already reciprocated.
int Weight(Standing s) {
  switch (s) {
    case Standing::kOwedByDistrict:
      return 6;
    case Standing::kOwedByPerson:
      return 5;
    case Standing::kInsufficientEvidence:
      return 4;
    case Standing::kPending:
      return 3;
    case Standing::kReciprocated:
      return 2;
    case Standing::kNoInvestment:
      return 1;
  }
  return 0;
}

class YearBuilder {
 public:
  YearBuilder(const FactState& state, Figures* f) : state_(state), f_(f) {}

  void Build() {
    FromPairs();
    FromPersonCosts();
    FromEvidence();
    DistrictObligations();
    PersonObligations();
    for (auto& [key, row] : years_) f_->years.push_back(std::move(row));
    std::sort(f_->obligations.begin(), f_->obligations.end(),
              [](const Obligation& a, const Obligation& b) {
                // A total order: equal obligations are identical rows.
                return std::tie(a.person, a.day, a.side, a.kind, a.program, a.detail, a.school_year,
                                a.due_day) < std::tie(b.person, b.day, b.side, b.kind, b.program,
                                                      b.detail, b.school_year, b.due_day);
              });
  }

 private:
  PersonYear& Row(const std::string& person, int32_t year) {
    PersonYear& r = years_[{person, year}];
    r.person = person;
    r.school_year = year;
    return r;
  }

  void Invested(const std::string& person, int32_t year) { invested_years_[person].insert(year); }

  bool InvestedIn(const std::string& person, int32_t year) const {
    auto it = invested_years_.find(person);
    return it != invested_years_.end() && (it->second.count(year) || it->second.count(year + 1));
  }

  // Adds a cost to a year's row, merged with one of the same component,
  // category, fund and source from another programme.
  static void AddCost(PersonYear& r, const CostShare& c) {
    r.invested_cents += c.line.cents;
    for (CostShare& have : r.costs) {
      if (have.component == c.component && have.line.SameBucket(c.line)) {
        have.line.cents += c.line.cents;
        return;
      }
    }
    r.costs.push_back(c);
  }

  void Weigh(PersonYear& r, Standing s) {
    if (Weight(s) > Weight(r.standing)) r.standing = s;
  }

  void FromPairs() {
    for (const PersonProgram& p : f_->pairs) {
      pair_index_[{p.person, p.program}] = &p;
      // A year is active with a cost, minutes or the programme's end in it;
      // invested only with hours or costs (coaching: FromPersonCosts). A
      // completion alone is no investment (docs/metrics.md).
      std::set<int32_t> active;
      for (const CostShare& c : p.costs) {
        AddCost(Row(p.person, c.line.fiscal_year), c);
        active.insert(c.line.fiscal_year);
        if (c.line.cents != 0) Invested(p.person, c.line.fiscal_year);
      }
      for (const auto& [fy, minutes] : p.minutes_by_year) {
        Row(p.person, fy).minutes += minutes;
        if (minutes > 0) {
          active.insert(fy);
          Invested(p.person, fy);
        }
      }
      if (p.end_day != kNoDay) active.insert(FiscalYearOf(p.end_day));
      for (int32_t fy : active) Weigh(Row(p.person, fy), p.standing);
    }
  }

  void FromPersonCosts() {
    for (const auto& [key, lines] : state_.direct.rows()) {
      auto [person, program] = SplitKey(key);
      if (!program.empty()) continue;  // already in a programme's row
      for (CostLine line : lines.lines) {
        line.source = FundingSourceOf(state_, line);
        AddCost(Row(std::string(person), line.fiscal_year),
                {CostComponentName(line.category), line});
        Invested(std::string(person), line.fiscal_year);
      }
    }
    for (const auto& [person, list] : state_.coaching.rows()) {
      for (const Coaching& c : list.items) {
        Row(person, FiscalYearOf(c.day)).coaching_minutes += c.minutes;
        if (c.minutes > 0) Invested(person, FiscalYearOf(c.day));
      }
    }
  }

  void FromEvidence() {
    for (const auto& [person, list] : state_.observation.rows()) {
      for (const Observation& o : list.items) {
        PersonYear& r = Row(person, FiscalYearOf(o.day));
        ++r.observations;
        if (o.practice_observed) ++r.practice_observed;
      }
    }
    for (const auto& [person, list] : state_.rating.rows()) {
      std::map<int32_t, const Rating*> latest;  // school year -> its latest rating
      for (const Rating& r : list.items) {
        const Rating*& slot = latest[r.school_year];
        if (slot == nullptr || r.day >= slot->day) slot = &r;
      }
      for (const auto& [year, r] : latest) {
        PersonYear& row = Row(person, year);
        row.rating_level = r->level;
        auto prior = latest.find(year - 1);
        row.rating_change_known = prior != latest.end();
        if (row.rating_change_known) row.rating_change = r->level - prior->second->level;
      }
    }
    for (const auto& [person, list] : state_.goal.rows()) {
      for (const Goal& g : list.items) ++Row(person, FiscalYearOf(g.assigned_day)).goals_set;
    }
    for (const auto& [person, list] : state_.goal_done.rows()) {
      for (const GoalDone& d : list.items) {
        if (d.completed) ++Row(person, FiscalYearOf(d.day)).goals_completed;
      }
    }
    for (const auto& [person, list] : state_.outcome.rows()) {
      if (person.empty()) continue;  // not attributable to one person
      for (const Outcome& o : list.items) {
        PersonYear& r = Row(person, o.school_year);
        ++r.outcomes;
        if (o.met == 1 || (o.has_target && o.actual_milli >= o.target_milli)) ++r.outcomes_met;
      }
    }
  }

  void AddDistrict(const std::string& person, const std::string& program, const char* kind,
                   std::string detail, int32_t day, int32_t year) {
    Obligation o{
        "district", person, program, kind, std::move(detail), day, day + rules::kDefaultWindowDays,
        year,       false};
    o.overdue = f_->as_of_day > o.due_day;
    if (o.overdue) {
      PersonYear& r = Row(person, year);
      ++r.district_obligations;
      Weigh(r, Standing::kOwedByDistrict);
    }
    f_->obligations.push_back(std::move(o));
  }

  void DistrictObligations() {
    for (const auto& [person, list] : state_.goal.rows()) {
      for (const Goal& g : list.items) {
        const int32_t year = FiscalYearOf(g.assigned_day);
        bool matched;
        if (!g.program.empty()) {
          auto it = pair_index_.find({person, g.program});
          const PersonProgram* p = it == pair_index_.end() ? nullptr : it->second;
          matched =
              p != nullptr && (p->invested_cents > 0 || p->minutes > 0 || p->coaching_minutes > 0);
        } else {
          matched = InvestedIn(person, year);
        }
        if (!matched) AddDistrict(person, g.program, "goal", g.title, g.assigned_day, year);
      }
    }
    for (const auto& [person, list] : state_.rating.rows()) {
      for (const Rating& r : list.items) {
        if (r.level == 0 || r.level > rules::kLowRatingLevel) continue;
        if (InvestedIn(person, r.school_year)) continue;
        AddDistrict(person, "", "low rating", "summative rating level " + std::to_string(r.level),
                    r.day, r.school_year);
      }
    }
  }

  void PersonObligations() {
    for (const PersonProgram& p : f_->pairs) {
      if (p.standing != Standing::kOwedByPerson) continue;
      const int32_t year = FiscalYearOf(p.end_day);
      f_->obligations.push_back(Obligation{"person", p.person, p.program, "investment",
                                           "no change seen after the programme", p.end_day,
                                           p.due_day, year, true});
      ++Row(p.person, year).person_obligations;
    }
  }

  const FactState& state_;
  Figures* f_;
  std::map<std::pair<std::string, int32_t>, PersonYear> years_;
  std::map<std::string, std::set<int32_t>> invested_years_;
  std::map<std::pair<std::string, std::string>, const PersonProgram*> pair_index_;
};

}  // namespace

void AddYearsAndObligations(const FactState& state, Figures* f) { YearBuilder(state, f).Build(); }

}  // namespace evident::projections
