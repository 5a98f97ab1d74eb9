#pragma once

#include <string>

#include "ledger/status.h"

namespace evident {

// The whole of the file at `path`. NotFound ("cannot open WHAT PATH: reason",
// `what` saying what the file is for, e.g. "key file") if it cannot be
// opened; IOError if reading fails.
StatusOr<std::string> ReadFile(const std::string& path, const std::string& what = "");

// Writes `content` to `path`, replacing it. IOError naming the path on failure.
Status WriteFile(const std::string& path, const std::string& content);

}  // namespace evident
