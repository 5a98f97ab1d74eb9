#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "projections/fact.h"
#include "projections/store.h"
#include "projections/views.h"

// A query of one view, as `evident query` and the server's Query request ask
// it: the store brought up to date with the log first, then the rows that
// match every filter.
namespace evident::projections {

struct QuerySpec {
  std::string view;
  // person, site, programme, fy (fiscal_year or school_year), row: keep
  // rows with that value.
  std::map<std::string, std::string> filters;
  int32_t as_of_day = kNoDay;  // kNoDay: the day the last entry was recorded
  std::string verification;    // a full verification's summary to state, if one was run
  // When set, applied to the whole view before the filters: the view as
  // this reader may see it (the server's rule for board keys).
  std::function<std::vector<Json>(std::vector<Json>)> redact;
};

struct QueryAnswer {
  std::vector<Json> rows;
  LogContext log;
  std::string as_of;  // YYYY-MM-DD
  bool as_of_given = false;  // false: the day the last entry was recorded
};

// The filter names QuerySpec::filters takes.
const std::vector<std::string>& QueryFilterNames();

bool RowMatches(const Json& row, const std::map<std::string, std::string>& filters);

// Updates `store` from `ledger` and answers `spec` from it. InvalidArgument
// for an unknown view or filter.
StatusOr<QueryAnswer> QueryStore(ProjectionStore* store, Ledger* ledger, const QuerySpec& spec);

// The answer as one JSON document: {"view", "tree_size", "root_hash",
// "checkpoint_verified", "as_of", "as_of_from" ("given" or "last entry"),
// "rows": [...]}, one row per line.
std::string QueryText(const std::string& view, const QueryAnswer& answer);

}  // namespace evident::projections
