#pragma once

#include <cstdint>
#include <string>

#include "projections/figures.h"
#include "projections/report/format.h"
#include "projections/state.h"
#include "projections/views.h"

// The board's accountability report for one fiscal year: what summary.json
// holds, built from the projection state and figures as of a tree size. Every
// other file of the report (HTML, PDF, Markdown, CSV) is drawn from this JSON
// alone, so recomputing it from the log recomputes the report.
//
//   {"report", "format", "district", "fiscal_year", "fiscal_year_label",
//    "as_of_date", "log": {"origin", "tree_size", "root_hash",
//    "checkpoint_verified", "checkpoint"}, "recompute": {"report", "verify"},
//    "privacy": {"minimum_people", "rows_suppressed", "statement"},
//    "headline": [{"key", "label", "value", "kind", "suppressed"}],
//    "sections": [{"id", "title", "paragraphs", "charts", "tables"}],
//    "tables": [table (projections/report/table.h)]}
//
// A chart is {"id", "title", "table", "label", "value", "kind", "palette"}:
// bars drawn from one table's label and value columns.
namespace evident::projections::report {

inline constexpr int kSummaryFormat = 1;

// summary.json for `fiscal_year`, as of the figures' date, from the log
// described by `log` (whose checkpoint note the report carries).
Json BuildBoardSummary(const FactState& state, const Figures& f, const LogContext& log,
                       int32_t fiscal_year);

}  // namespace evident::projections::report
