#pragma once

// Small helpers the demo district is written with: its calendar, and the
// inside of a JSON object built field by field. Values are ids, codes and
// numbers the generator made itself, so no escaping is needed.

#include <cstdint>
#include <cstdio>
#include <string>

namespace evident::demo {

// Day 0 is 2024-07-01, the first day of fiscal 2025; day 365 is 2025-07-01,
// the first of fiscal 2026; day 729 is 2026-06-30, the last.
constexpr int kYearDays = 365;
constexpr int kDays = 2 * kYearDays;

inline std::string DateOf(int day) {
  // Howard Hinnant's civil_from_days, from 1970-01-01 = 0.
  int64_t z = 19905 + day + 719468;  // 2024-07-01 is day 19905 after 1970-01-01
  const int64_t era = z / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(y) % 10000, int(m) % 100, int(d) % 100);
  return buf;
}

// "2025" for days of fiscal 2025 (year 0), "2026" for fiscal 2026.
inline int FiscalYear(int year) { return 2025 + year; }

class Fields {
 public:
  Fields& Str(const char* key, const std::string& value) { return Raw(key, "\"" + value + "\""); }
  Fields& Int(const char* key, int64_t value) { return Raw(key, std::to_string(value)); }
  Fields& Bool(const char* key, bool value) { return Raw(key, value ? "true" : "false"); }
  Fields& Date(const char* key, int day) { return Str(key, DateOf(day)); }
  // A number with `places` decimals.
  Fields& Num(const char* key, double value, int places) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", places, value);
    return Raw(key, buf);
  }
  Fields& Raw(const char* key, const std::string& json) {
    if (!text_.empty()) text_ += ',';
    text_ += '"';
    text_ += key;
    text_ += "\":";
    text_ += json;
    return *this;
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace evident::demo
