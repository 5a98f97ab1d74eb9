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

// Writes a secret (a private key) to a new file at `path` that only its
// owner may read or write: the file is created mode 0600 by the one call
// that makes it (O_CREAT | O_EXCL, never a symbolic link), so no other user
// can open it at any moment, whatever the umask; its mode is never widened.
// The content is synced before OK. Conflict if `path` exists already (it is
// left as it was); IOError naming the path otherwise, with no partial file
// left behind.
Status WriteSecretFile(const std::string& path, const std::string& content);

// Makes `path` a directory only its owner may enter: creates it mode 0700
// (and any missing parents, which are made the usual way), or, if it exists,
// takes away every permission of group and others. IOError naming the path
// if it cannot be created or restricted, or is not a directory.
Status CreatePrivateDirectory(const std::string& path);

}  // namespace evident
