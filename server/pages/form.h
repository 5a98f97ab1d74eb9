#pragma once

#include <map>
#include <string>
#include <string_view>

// application/x-www-form-urlencoded, as browsers send forms and queries
// (WHATWG URL, "application/x-www-form-urlencoded parsing"): '&'-separated
// name=value pairs, '+' for a space, %XX for a byte. Pure functions.
namespace evident::server::pages {

// The pairs of `text`; a name given twice keeps its first value. Bytes that
// do not decode (a '%' without two hex digits) are kept as they are.
std::map<std::string, std::string> ParseForm(std::string_view text);
std::string PercentDecode(std::string_view text);
// Encodes everything but unreserved characters (RFC 3986), for links.
std::string PercentEncode(std::string_view text);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or "".
std::string CookieValue(std::string_view header, std::string_view name);

// HMAC-SHA-256 of `data` under `key` (32 bytes).
std::string HmacSha256(std::string_view key, std::string_view data);

// Constant-time equality for secrets of the same length.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace evident::server::pages
