#include "server/pages/words.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "projections/fact.h"
#include "projections/report/format.h"

namespace evident::server::pages {

std::string HoursText(int64_t minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(minutes) / 60.0);
  return buf;
}

std::string DoseMark(int64_t minutes) {
  if (minutes < 14 * 60) return "under 14 hours";
  if (minutes < 49 * 60) return "14 to 49 hours";
  return "49 hours or more";
}

std::string IsoDay(int32_t day) {
  return day == projections::kNoDay ? "" : projections::DateOf(day);
}

std::string LongDay(int32_t day) {
  return day == projections::kNoDay ? "" : projections::report::LongDate(projections::DateOf(day));
}

std::string WhenText(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace evident::server::pages
