#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tools/import/mapping.h"

// Pure conversions of a source record's text. Each returns false with a
// reason a person can act on ("\"13/45/2024\" is not a date in the form
// MM/DD/YYYY").
namespace evident::import {

// A calendar date in `format` (tokens YYYY, MM, DD, M, D; other characters
// literal; empty means ISO 8601, which may carry a time of day) ->
// "YYYY-MM-DD".
bool ConvertDate(const std::string& text, const std::string& format, std::string* out,
                 std::string* reason);
// A date, or an ISO date and time in UTC (Z, +00:00 or no zone; fractions
// of a second dropped) -> "YYYY-MM-DDThh:mm:ssZ"; a date alone is midnight.
bool ConvertInstant(const std::string& text, const std::string& format, std::string* out,
                    std::string* reason);
// Dollars and cents ("$1,234.5", "-12", "(40.00)") -> whole cents, exactly.
bool ConvertCents(const std::string& text, int64_t* cents, std::string* reason);
// A value from a record (text, or JSON from a JSON Lines file) -> the JSON
// the event codec takes for a field of `kind`. null stays null.
bool Coerce(FieldKind kind, const nlohmann::json& in, nlohmann::json* out, std::string* reason);

}  // namespace evident::import
