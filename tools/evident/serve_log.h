#pragma once

#include <functional>
#include <string>

#include "ledger/status.h"

namespace evident::cli {

// The log of `evident serve`, through spdlog: one line per event, in UTC,
//   2026-12-02T15:04:05.123Z level=warn conn=c7 peer=10.0.0.5:51234 (lms): refused: ...
// a refusal or failure at level warn, everything else info. To standard
// error (journald under systemd) when `file` is empty, else appended to
// `file`. The returned function is thread-safe.
StatusOr<std::function<void(const std::string&)>> MakeServeLog(const std::string& file);

}  // namespace evident::cli
