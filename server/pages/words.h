#pragma once

#include <cstdint>
#include <string>

// How the pages write numbers, dates and times (pure functions).
namespace evident::server::pages {

// "254.2": minutes as hours, one decimal.
std::string HoursText(int64_t minutes);
// docs/metrics.md's dose marks: "under 14 hours", "14 to 49 hours",
// "49 hours or more".
std::string DoseMark(int64_t minutes);
// A day (days since 1970) as "2025-06-30" or as "June 30, 2025"; "" for
// projections::kNoDay.
std::string IsoDay(int32_t day);
std::string LongDay(int32_t day);
// Unix seconds as "2026-12-07 21:40 UTC".
std::string WhenText(int64_t unix_seconds);
// The wall clock, in unix seconds.
int64_t NowSeconds();

}  // namespace evident::server::pages
