#pragma once

#include <string>
#include <vector>

#include "ledger/status.h"
#include "projections/report/format.h"
#include "tools/demo/district.h"

// The demo's improvement cycle: the professional-learning office reads the
// board report for fiscal 2024-25 and records what it decided about five of
// its programmes (ProgramReviewed, docs/metrics.md "Decisions on the
// record"), then defines anew the programme it decided to revise.
namespace evident::cli::demo_review {

// The office's events, as JSON Lines for the admin key to sign: decisions
// about 2024-25 based on `reviewed` (that year's summary.json, whose
// checkpoint they cite), chosen so that the 2025-26 report shows decisions
// carried out and one that was not: `next` is the 2025-26 summary at the
// same checkpoint, whose programmes_both_years table says how each
// programme's spending went. Event ids are fixed, so a re-run sends the
// same events again only when they are byte for byte the same.
StatusOr<std::vector<std::string>> ReviewEvents(const projections::report::Json& reviewed,
                                                const projections::report::Json& next,
                                                const demo::District& district);

// The day the office met, and the date the review's report is judged on.
inline constexpr char kReviewDate[] = "2025-08-20";
inline constexpr char kReviewAsOf[] = "2025-08-15";

}  // namespace evident::cli::demo_review
