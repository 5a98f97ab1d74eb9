#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/status.h"
#include "projections/figures.h"
#include "projections/state.h"

// The four views, rendered as rows of JSON from the figures (pure functions).
//
//   reciprocity     one row per person and programme, per person and school
//                   year, and per open obligation
//   accountability  one row per fiscal year, site, programme and staff group
//                   (spend broken down by fund and category inside), district
//                   totals per year, budget against actual per fund, and the
//                   participant / non-participant comparison
//   equity          the same figures by quartile of site need
//   compliance      what an auditor samples: time-and-effort gaps, costs
//                   without an invoice or PO, federal funds on required
//                   programmes, every correction and void, the checkpoint
//
// Every row carries "row" (its kind) and, where they apply, "person", "site",
// "program" and "fiscal_year" or "school_year", which queries filter on.
// docs/metrics.md defines every figure.
namespace evident::projections {

using Json = nlohmann::ordered_json;

// A row and the key it is stored and listed under (rows sort by key).
struct ViewRow {
  std::string key;
  Json row;
};

// What the views say about the log they were computed from.
struct LogContext {
  uint64_t tree_size = 0;
  std::string root_hash_hex;  // empty if there is no checkpoint at tree_size
  std::string checkpoint;     // the signed checkpoint note, or empty
  bool checkpoint_verified = false;
  std::string checkpoint_problem;  // why not, when not
  // The result of a full verification run for this rendering, e.g. "ok:
  // 702 entries ..." or "FAILED: position 17: ...". Empty when none was run.
  std::string full_verification;
  // The Merkle root (32 bytes) of the log's first n entries, n <= tree_size,
  // when the caller can compute it (a report checks the checkpoints its
  // decisions cite with it); empty when it cannot.
  std::function<StatusOr<std::string>(uint64_t n)> root_at;
};

const std::vector<std::string>& ViewNames();
bool IsViewName(std::string_view name);

std::vector<ViewRow> ReciprocityView(const Figures& f);
std::vector<ViewRow> AccountabilityView(const FactState& state, const Figures& f);
std::vector<ViewRow> EquityView(const FactState& state, const Figures& f);
std::vector<ViewRow> ComplianceView(const FactState& state, const Figures& f,
                                    const LogContext& log);

// The named view; InvalidArgument for an unknown name.
StatusOr<std::vector<ViewRow>> RenderView(std::string_view name, const FactState& state,
                                          const Figures& f, const LogContext& log);

// A view's rows as (key, compact JSON text), in key order: what is stored.
using ViewText = std::vector<std::pair<std::string, std::string>>;
ViewText ToText(const std::vector<ViewRow>& rows);
// SHA-256 over the SHA-256 of each row's key, a NUL and its compact JSON, in
// key order.
std::string ViewDigest(const ViewText& rows);

// Helpers shared by the view files.
Json Ratio(double numerator, double denominator, int digits = 4);  // null when denominator is 0
std::string FundingSourceName(int32_t source);
std::string CategoryName(int32_t category);
std::string GroupName(int32_t group);

}  // namespace evident::projections
