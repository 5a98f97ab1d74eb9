#include "projections/report/format.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace evident::projections::report {
namespace {

// "1234567" -> "1,234,567" (digits only).
std::string Group(std::string digits) {
  for (int i = int(digits.size()) - 3; i > 0; i -= 3) digits.insert(size_t(i), ",");
  return digits;
}

std::string Signed(int64_t n) {
  const uint64_t magnitude = n < 0 ? 0 - uint64_t(n) : uint64_t(n);
  return (n < 0 ? "-" : "") + Group(std::to_string(magnitude));
}

// `value` with `decimals` (0 to 6) decimals, halves away from zero (as the
// figures for people are rounded), without thousands separators.
std::string Fixed(double value, int decimals) {
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const int64_t units = std::llround(value * double(scale));
  const uint64_t magnitude = units < 0 ? 0 - uint64_t(units) : uint64_t(units);
  std::string out = (units < 0 ? "-" : "") + std::to_string(magnitude / uint64_t(scale));
  if (decimals > 0) {
    std::string fraction = std::to_string(magnitude % uint64_t(scale));
    out += "." + std::string(size_t(decimals) - fraction.size(), '0') + fraction;
  }
  return out;
}

std::string Label(const std::map<std::string_view, const char*>& names, std::string_view name) {
  auto it = names.find(name);
  return it == names.end() ? std::string(name) : it->second;
}

}  // namespace

std::string Money(int64_t cents) {
  const int64_t dollars = cents >= 0 ? (cents + 50) / 100 : -((-cents + 50) / 100);
  return (dollars < 0 ? "-$" : "$") + Signed(dollars < 0 ? -dollars : dollars);
}

std::string Count(int64_t n) { return Signed(n); }

std::string Percent(double share) {
  const int64_t tenths = std::llround(share * 1000.0);
  const int64_t whole = tenths / 10, tenth = std::llabs(tenths % 10);
  return (tenths < 0 && whole == 0 ? "-" : "") + Signed(whole) + "." + std::to_string(tenth) + "%";
}

std::string Hours(double hours) {
  const int64_t tenths = std::llround(hours * 10.0);
  return (tenths < 0 && tenths > -10 ? "-" : "") + Signed(tenths / 10) + "." +
         std::to_string(std::llabs(tenths % 10));
}

std::string LongDate(std::string_view iso) {
  static const char* const kMonths[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
  int y = 0, m = 0, d = 0;
  if (iso.size() != 10 || std::sscanf(std::string(iso).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    return std::string(iso);
  }
  return std::string(kMonths[m - 1]) + " " + std::to_string(d) + ", " + std::to_string(y);
}

std::string FiscalYearLabel(int32_t fy) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d\u2013%02d", fy - 1, ((fy % 100) + 100) % 100);
  return buf;
}

Kind KindOf(std::string_view name) {
  if (name == "cents") return Kind::kCents;
  if (name == "share") return Kind::kShare;
  if (name == "count") return Kind::kCount;
  if (name == "hours") return Kind::kHours;
  if (name == "by_row") return Kind::kByRow;
  if (name == "change") return Kind::kChange;
  return Kind::kText;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kCents:
      return "cents";
    case Kind::kShare:
      return "share";
    case Kind::kCount:
      return "count";
    case Kind::kHours:
      return "hours";
    case Kind::kByRow:
      return "by_row";
    case Kind::kChange:
      return "change";
    case Kind::kText:
      break;
  }
  return "text";
}

std::string ForPeople(const Json& value, Kind kind, bool suppressed) {
  if (value.is_null()) return suppressed ? kSuppressedMark : kNotApplicable;
  if (value.is_string()) return value.get<std::string>();
  switch (kind) {
    case Kind::kCents:
      return Money(value.get<int64_t>());
    case Kind::kShare:
      return Percent(value.get<double>());
    case Kind::kCount:
      return Count(value.get<int64_t>());
    case Kind::kHours:
      return Hours(value.get<double>());
    case Kind::kByRow:
    case Kind::kChange:
    case Kind::kText:
      break;
  }
  return value.dump();
}

std::string ChangeForPeople(const Json& value, Kind kind, bool suppressed) {
  if (!value.is_number()) return ForPeople(value, kind, suppressed);
  const double v = value.get<double>();
  if (kind == Kind::kShare) {
    // Percentage points, to one decimal.
    const int64_t tenths = std::llround(v * 1000.0);
    if (tenths == 0) return "0 points";
    const int64_t magnitude = std::llabs(tenths);
    return std::string(tenths > 0 ? "+" : "-") + Signed(magnitude / 10) + "." +
           std::to_string(magnitude % 10) + " points";
  }
  const std::string text = ForPeople(value, kind, suppressed);
  if (v > 0) return "+" + text;
  return text;  // "-$12", "-3", "0"
}

std::string ForSheet(const Json& value, Kind kind, bool suppressed) {
  if (value.is_null()) return suppressed ? "suppressed" : "";
  if (value.is_string()) return value.get<std::string>();
  switch (kind) {
    case Kind::kCents: {
      const int64_t cents = value.get<int64_t>();
      const uint64_t magnitude = cents < 0 ? 0 - uint64_t(cents) : uint64_t(cents);
      return (cents < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." +
             (magnitude % 100 < 10 ? "0" : "") + std::to_string(magnitude % 100);
    }
    case Kind::kShare:
      return Fixed(value.get<double>() * 100.0, 1);
    case Kind::kHours:
      return Fixed(value.get<double>(), 1);
    case Kind::kCount:
    case Kind::kByRow:
    case Kind::kChange:
    case Kind::kText:
      break;
  }
  return value.dump();
}

std::string CsvField(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string FundingSourceLabel(std::string_view name) {
  static const std::map<std::string_view, const char*> kNames = {
      {"TitleIIA", "Title II, Part A"},
      {"TitleIA", "Title I, Part A"},
      {"TitleIIIA", "Title III, Part A"},
      {"TitleIVA", "Title IV, Part A"},
      {"IDEA", "IDEA"},
      {"StateGrant", "State grant"},
      {"LocalGeneral", "Local general fund"},
      {"PrivateGrant", "Private grant"},
      {"Unspecified", "Not stated"}};
  return Label(kNames, name);
}

std::string CategoryLabel(std::string_view name) {
  static const std::map<std::string_view, const char*> kNames = {
      {"VendorContract", "Vendor contracts"},
      {"Registration", "Registration fees"},
      {"Stipend", "Stipends"},
      {"Substitute", "Substitute cover"},
      {"Travel", "Travel"},
      {"Materials", "Materials"},
      {"CoachTime", "Coaching time"},
      {"ParticipantTime", "Participants' paid time"},
      {"Unspecified", "Not stated"}};
  return Label(kNames, name);
}

std::string GroupLabel(std::string_view name) {
  static const std::map<std::string_view, const char*> kNames = {
      {"Certificated", "Teachers and other certificated staff"},
      {"Classified", "Classified staff"},
      {"Administrator", "Administrators"},
      {"NewEmployeeOnboarding", "New employees (onboarding)"},
      {"ParentCaregiver", "Parents and caregivers"},
      {"CommunityMember", "Community members"},
      {"Unspecified", "Group not recorded"}};
  return Label(kNames, name);
}

}  // namespace evident::projections::report
