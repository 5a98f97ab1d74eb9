#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

namespace evident::cli {

// Writes JSON objects as CSV (RFC 4180): a header of every field name, in
// the order fields first appear, nested objects flattened as "a.b", lists
// and other values as their JSON text, strings unquoted unless they need it.
void PrintCsv(const std::vector<nlohmann::ordered_json>& rows, std::ostream& out);

}  // namespace evident::cli
