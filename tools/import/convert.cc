// The conversions a mapping's "as" names, and the reading of text as a
// schema field's kind.

#include "tools/import/convert.h"

#include <cerrno>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "ledger/event_json.h"

namespace evident::import {
namespace {

using Json = nlohmann::json;

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

bool Digits(const std::string& s, size_t pos, size_t min, size_t max, int* value, size_t* used) {
  *value = 0;
  *used = 0;
  while (*used < max && pos + *used < s.size() && s[pos + *used] >= '0' && s[pos + *used] <= '9') {
    *value = *value * 10 + (s[pos + *used] - '0');
    ++*used;
  }
  return *used >= min;
}

std::string TwoDigits(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// The given calendar date as YYYY-MM-DD, read by `format` (YYYY, MM, DD, M
// and D, other characters literal); whatever follows the format is ignored
// (a time of day).
bool ReadDate(const std::string& text, const std::string& format, std::string* out,
              size_t* consumed) {
  int year = -1, month = -1, day = -1;
  size_t pos = 0;
  for (size_t f = 0; f < format.size();) {
    auto token = [&](const char* t) { return format.compare(f, strlen(t), t) == 0; };
    int value = 0;
    size_t used = 0;
    if (token("YYYY")) {
      if (!Digits(text, pos, 4, 4, &value, &used)) return false;
      year = value, f += 4;
    } else if (token("MM") || token("DD")) {
      if (!Digits(text, pos, 2, 2, &value, &used)) return false;
      (format[f] == 'M' ? month : day) = value, f += 2;
    } else if (token("M") || token("D")) {
      if (!Digits(text, pos, 1, 2, &value, &used)) return false;
      (format[f] == 'M' ? month : day) = value, f += 1;
    } else {
      if (pos >= text.size() || text[pos] != format[f]) return false;
      used = 1, ++f;
    }
    pos += used;
  }
  if (year < 0 || month < 0 || day < 0) return false;
  *out = std::to_string(year) + "-" + TwoDigits(month) + "-" + TwoDigits(day);
  *consumed = pos;
  return IsValidDate(*out);
}

}  // namespace

bool ConvertDate(const std::string& text, const std::string& format, std::string* out,
                 std::string* reason) {
  const std::string f = format.empty() ? "YYYY-MM-DD" : format;
  size_t consumed = 0;
  bool ok = ReadDate(text, f, out, &consumed);
  // An ISO date may carry a time of day (Ed-Fi timestamps); a custom format
  // must match the whole text.
  if (ok && consumed < text.size()) {
    ok = format.empty() && (text[consumed] == 'T' || text[consumed] == ' ');
  }
  if (!ok) *reason = "\"" + text + "\" is not a date in the form " + f;
  return ok;
}

bool ConvertInstant(const std::string& text, const std::string& format, std::string* out,
                    std::string* reason) {
  std::string date;
  size_t consumed = 0;
  const std::string f = format.empty() ? "YYYY-MM-DD" : format;
  if (!ReadDate(text, f, &date, &consumed)) {
    *reason = "\"" + text + "\" is not a date or time in the form " + f + "[Thh:mm:ss[Z]]";
    return false;
  }
  std::string rest = text.substr(consumed);
  if (rest.empty()) {
    *out = date + "T00:00:00Z";
    return true;
  }
  int hh = 0, mm = 0, ss = 0;
  size_t used = 0;
  bool ok = (rest[0] == 'T' || rest[0] == ' ') && rest.size() >= 9 &&
            Digits(rest, 1, 2, 2, &hh, &used) && rest[3] == ':' &&
            Digits(rest, 4, 2, 2, &mm, &used) && rest[6] == ':' &&
            Digits(rest, 7, 2, 2, &ss, &used) && hh < 24 && mm < 60 && ss < 60;
  size_t pos = 9;
  if (ok && pos < rest.size() && rest[pos] == '.') {  // fractions of a second are dropped
    ++pos;
    while (pos < rest.size() && rest[pos] >= '0' && rest[pos] <= '9') ++pos;
  }
  std::string zone = ok ? rest.substr(pos) : "";
  if (ok && !(zone.empty() || zone == "Z" || zone == "+00:00" || zone == "+0000")) {
    *reason = "\"" + text + "\" is not in UTC (give it with Z or +00:00)";
    return false;
  }
  if (!ok) {
    *reason = "\"" + text + "\" is not a time in the form " + f + "Thh:mm:ss[Z]";
    return false;
  }
  *out = date + "T" + TwoDigits(hh) + ":" + TwoDigits(mm) + ":" + TwoDigits(ss) + "Z";
  return true;
}

bool ConvertCents(const std::string& input, int64_t* cents, std::string* reason) {
  std::string s;
  for (char c : input) {
    if (c != ' ' && c != ',' && c != '$') s.push_back(c);
  }
  bool negative = false;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {  // accounting negative
    negative = true;
    s = s.substr(1, s.size() - 2);
  } else if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.erase(0, 1);
  }
  size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : s.substr(dot + 1);
  auto all_digits = [](const std::string& d) {
    return d.find_first_not_of("0123456789") == std::string::npos;
  };
  if (whole.empty() || whole.size() > 12 || !all_digits(whole) || !all_digits(fraction) ||
      fraction.size() > 2 || (dot != std::string::npos && fraction.empty())) {
    *reason = "\"" + input + "\" is not an amount of money in dollars and cents (e.g. 1,234.50)";
    return false;
  }
  while (fraction.size() < 2) fraction.push_back('0');
  *cents = (std::stoll(whole) * 100 + std::stoll(fraction)) * (negative ? -1 : 1);
  return true;
}

bool Coerce(FieldKind kind, const Json& in, Json* out, std::string* reason) {
  if (in.is_null()) {
    *out = nullptr;
    return true;
  }
  const std::string text = Text(in);
  switch (kind) {
    case FieldKind::kString:
    case FieldKind::kEnum:
      *out = text;
      return true;
    case FieldKind::kInteger: {
      if (in.is_number_integer()) {
        *out = in;
        return true;
      }
      char* end = nullptr;
      errno = 0;
      long long v = std::strtoll(text.c_str(), &end, 10);
      bool ok = !text.empty() && *end == '\0' && errno == 0 && !in.is_boolean();
      if (!ok && in.is_number_float() && std::nearbyint(in.get<double>()) == in.get<double>()) {
        *out = static_cast<int64_t>(in.get<double>());
        return true;
      }
      if (!ok) *reason = "\"" + text + "\" is not a whole number";
      if (ok) *out = v;
      return ok;
    }
    case FieldKind::kNumber: {
      if (in.is_number()) {
        *out = in;
        return true;
      }
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      bool ok = !text.empty() && *end == '\0' && std::isfinite(v) && !in.is_boolean();
      if (!ok) *reason = "\"" + text + "\" is not a number";
      if (ok) *out = v;
      return ok;
    }
    case FieldKind::kBool: {
      if (in.is_boolean()) {
        *out = in;
        return true;
      }
      std::string lower;
      for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (lower == "true" || lower == "yes" || lower == "y" || lower == "t" || lower == "1") {
        *out = true;
      } else if (lower == "false" || lower == "no" || lower == "n" || lower == "f" ||
                 lower == "0") {
        *out = false;
      } else {
        *reason = "\"" + text + "\" is not true or false (also yes/no, y/n, 1/0)";
        return false;
      }
      return true;
    }
    case FieldKind::kStringList: {
      Json list = in.is_array() ? in : Json::array({in});
      for (Json& item : list) {
        if (item.is_object() || item.is_array() || item.is_null()) {
          *reason = "a list item is not text";
          return false;
        }
        item = Text(item);
      }
      *out = list;
      return true;
    }
    case FieldKind::kJson:
      *out = in;
      return true;
  }
  return false;
}

}  // namespace evident::import
