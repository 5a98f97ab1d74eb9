#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "projections/aggregate.h"
#include "projections/report/board.h"
#include "projections/report/table.h"

// Inside the board report: the year's figures gathered once, and the steps
// that turn them into sections and tables (board_sections.cc).
namespace evident::projections::report {

struct YearData {
  YearData(const FactState& state, const Figures& f, int32_t fiscal_year);

  const FactState& state;
  const Figures& f;
  int32_t fy;
  Json district;                                  // Cell::Render of the whole district this year
  std::vector<Json> unallocated, budget, equity;  // the views' rows of this year
  int64_t unallocated_cents = 0;
  std::map<int32_t, Cell> groups;
  std::map<int32_t, int64_t> staff_by_group;
  std::map<std::string, Cell> programs;
  // Enrolments of this year by standing, and the people in them.
  std::map<rules::Standing, int64_t> standing_enrolments;
  std::map<rules::Standing, std::set<std::string>> standing_people;
  // People (not enrolments) this year with hours in each band of
  // Cell::Band, and with evidence at each level 1 to 5.
  std::set<std::string> band_people[3], level_people[5];
  int64_t rows_suppressed = 0;

  // Adds a finished table to `tables` and returns its id.
  std::string Add(TableBuilder& table, Json* tables);
};

// A section: {"id", "title", "paragraphs", "charts", "tables"}.
Json Section(const std::string& id, const std::string& title, Json paragraphs, Json charts,
             Json tables);
Json Chart(const std::string& id, const std::string& title, const std::string& table,
           const std::string& label, const std::string& value, Kind kind,
           const char* palette = "one");

Json InvestmentSection(YearData& d, Json* tables);
Json ParticipationSection(YearData& d, Json* tables);
Json EvidenceSection(YearData& d, Json* tables);
Json ReciprocitySection(YearData& d, Json* tables);
Json ProgrammesSection(YearData& d, Json* tables);
Json EquitySection(YearData& d, Json* tables);
Json ObligationsSection(YearData& d, Json* tables);

// Since last year, and the decisions on the record (board_years.cc). `own`
// is this year's summary so far; `earlier` the summaries of the years before
// it that have records (up to four), each as that year's own report.
Json SinceLastYearSection(const FactState& state, int32_t fy, const Json& own,
                          const std::map<int32_t, Json>& earlier, Json* tables,
                          int64_t* rows_suppressed);
// `log` checks the checkpoint each decision cites (LogContext::root_at).
Json DecisionsSection(const FactState& state, const LogContext& log, int32_t fy, const Json& own,
                      const std::map<int32_t, Json>& earlier, Json* tables,
                      int64_t* rows_suppressed);

// The equity tables' name of a quartile ("Q1" .. "Q4", "unknown").
std::string QuartileLabel(const std::string& q);

// A programme's title, else its id.
std::string ProgramTitle(const FactState& state, const std::string& program);

// A JSON number as an integer; 0 for null.
inline int64_t Int(const Json& v) { return v.is_number() ? v.get<int64_t>() : 0; }

// Null when `people` is too few to publish (1 to 9), else `value`.
inline Json Publishable(Json value, int64_t people) {
  return TooFew(people) ? Json() : std::move(value);
}

}  // namespace evident::projections::report
