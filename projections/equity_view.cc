#include <algorithm>
#include <set>

#include "projections/aggregate.h"
#include "projections/views.h"

namespace evident::projections {
namespace {

struct Attribute {
  const char* name;
  int32_t SiteVersion::*field;
};

constexpr Attribute kAttributes[] = {
    {"students_in_poverty", &SiteVersion::poverty_bp},
    {"english_learners", &SiteVersion::english_learner_bp},
    {"foster_youth", &SiteVersion::foster_bp},
    {"students_with_disabilities", &SiteVersion::disabilities_bp},
};

// Quartile 1 (least need) to 4 (greatest) of each site by one attribute
// (docs/metrics.md): a site above `below` of the n sites and equal to `equal`
// of them (itself included) has the mid-rank share p = (below + equal / 2) / n
// and the quartile 1 + floor(4p), in integers 1 + (4 below + 2 equal) / n.
// Equal values share a quartile; the neediest site is always in Q4.
std::map<std::string, int> Quartiles(const FactState& state, const Attribute& a) {
  std::vector<std::pair<int32_t, std::string>> sites;
  for (const auto& [id, versions] : state.site.rows()) {
    if (!versions.empty()) sites.emplace_back(versions.Last()->*(a.field), id);
  }
  std::sort(sites.begin(), sites.end());
  std::map<std::string, int> quartile;
  const size_t n = sites.size();
  for (size_t first = 0, last = 0; first < n; first = last) {
    while (last < n && sites[last].first == sites[first].first) ++last;
    const size_t below = first, equal = last - first;
    const int q = 1 + static_cast<int>((4 * below + 2 * equal) / n);
    for (size_t i = first; i < last; ++i) quartile[sites[i].second] = q;
  }
  return quartile;
}

std::string QuartileName(int q) { return q == 0 ? "unknown" : "Q" + std::to_string(q); }

}  // namespace

std::vector<ViewRow> EquityView(const FactState& state, const Figures& f) {
  std::vector<ViewRow> rows;
  for (const Attribute& a : kAttributes) {
    const auto quartile = Quartiles(state, a);
    auto quartile_of = [&](const std::string& site) {
      auto it = quartile.find(site);
      return it == quartile.end() ? 0 : it->second;
    };
    std::map<int, int64_t> staff, teachers, sites;
    for (const auto& [site, q] : quartile) ++sites[q];
    for (const auto& [person, who] : f.people) {
      const int q = quartile_of(who.site);
      ++staff[q];
      if (who.group == int32_t(schema::ParticipantGroup::Certificated)) ++teachers[q];
    }
    std::map<std::pair<int32_t, int>, Cell> cells;
    for (const PersonProgram& p : f.pairs) {
      auto it = f.people.find(p.person);
      const int q = it == f.people.end() ? 0 : quartile_of(it->second.site);
      const bool flags = AllSixFlags(state, p.program);
      for (int32_t fy : YearsOf(p)) cells[{fy, q}].AddPair(p, fy, flags);
    }
    // A quartile whose sites had no professional learning in a year of the
    // views still has its row: $0 spent there is a figure, not a gap.
    std::set<int32_t> years;  // with spending or minutes, shared out or not
    for (const auto& [key, cell] : cells) years.insert(key.first);
    for (const auto& [program, line] : f.unallocated) {
      if (line.cents != 0) years.insert(line.fiscal_year);
    }
    for (int32_t fy : years) {
      for (const auto& [q, count] : sites) cells[{fy, q}];
    }
    for (const auto& [key, cell] : cells) {
      const auto& [fy, q] = key;
      Json row{{"row", "need_quartile"},
               {"fiscal_year", fy},
               {"attribute", a.name},
               {"quartile", QuartileName(q)},
               {"sites", sites[q]}};
      row.update(cell.Render(staff[q], teachers[q]));
      rows.push_back({JoinKey(a.name, YearKey(fy), QuartileName(q)), row});
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const ViewRow& a, const ViewRow& b) { return a.key < b.key; });
  return rows;
}

}  // namespace evident::projections
