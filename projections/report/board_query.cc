#include "projections/report/board_query.h"

#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "projections/report/table.h"

namespace evident::projections::report {
namespace {

// The columns that say what a row is about rather than what it found.
const std::set<std::string>& NamingColumns() {
  static const std::set<std::string> kNames = {"row",         "fiscal_year", "site",     "program",
                                               "staff_group", "attribute",   "quartile", "sites"};
  return kNames;
}

std::string RowType(const Json& row) { return row.value("row", ""); }

// The people a row describes, or -1 if it names no such count.
int64_t PeopleOf(const Json& row, const char* key = "participants") {
  auto it = row.find(key);
  return it != row.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

// Rows (by index) that split one total, and the total's row if the view has one.
struct Group {
  std::vector<size_t> rows;
  std::optional<size_t> total;
};

// Builds `group` as a report table and writes its rows back, suppressed.
void Suppress(const Group& group, std::vector<Json>* rows) {
  std::vector<size_t> all = group.rows;
  if (group.total) all.push_back(*group.total);
  std::set<std::string> figures;
  for (size_t i : all) {
    for (auto it = (*rows)[i].begin(); it != (*rows)[i].end(); ++it) {
      if (!NamingColumns().count(it.key())) figures.insert(it.key());
    }
  }
  TableBuilder table("query", "");
  for (const std::string& key : figures) table.Column(key, key, Kind::kText, /*is_private=*/true);
  table.SumsToAPublishedTotal();
  for (size_t i : group.rows) {
    const Json& row = (*rows)[i];
    table.Row(row, PeopleOf(row),
              {{{"people_with_demonstrated_change", "cost_per_demonstrated_change_cents",
                 "dollars_without_level4_evidence_cents"},
                PeopleOf(row, "people_with_demonstrated_change")}});
  }
  if (group.total) table.Total((*rows)[*group.total], PeopleOf((*rows)[*group.total]));
  int64_t suppressed = 0;
  Json built = table.Finish(&suppressed);
  for (size_t k = 0; k < group.rows.size(); ++k) (*rows)[group.rows[k]] = built["rows"][k];
  if (group.total) (*rows)[*group.total] = built["total"];
}

}  // namespace

std::vector<Json> ForBoard(std::vector<Json> rows) {
  // Tables by what they split: (fiscal year, "" or the equity attribute).
  std::map<std::tuple<Json, std::string>, Group> groups;
  std::vector<Group> alone;  // rows of another kind that count people
  std::vector<bool> keep(rows.size(), true);
  for (size_t i = 0; i < rows.size(); ++i) {
    const Json& row = rows[i];
    const std::string type = RowType(row);
    const Json year = row.value("fiscal_year", Json());
    if (type == "site_program") {
      groups[{year, ""}].rows.push_back(i);
    } else if (type == "district_year") {
      groups[{year, ""}].total = i;
    } else if (type == "need_quartile") {
      groups[{year, row.value("attribute", "")}].rows.push_back(i);
    } else if (PeopleOf(row) >= 0) {
      alone.push_back(Group{{i}, std::nullopt});
    } else if (type != "budget" && type != "unallocated") {
      keep[i] = false;
    }
  }
  for (const auto& [key, group] : groups) Suppress(group, &rows);
  for (const Group& group : alone) Suppress(group, &rows);
  std::vector<Json> kept;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (keep[i]) kept.push_back(std::move(rows[i]));
  }
  return kept;
}

}  // namespace evident::projections::report
