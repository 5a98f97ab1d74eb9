#pragma once

#include <string>
#include <string_view>

#include "ledger/status.h"

// People's passwords, hashed with Argon2id (libsodium's crypto_pwhash_str,
// its "interactive" limits: 64 MiB and 2 passes), in libsodium's
// self-describing string form ("$argon2id$v=19$m=65536,t=2,p=1$...").
namespace evident::server::pages {

// What a new password must be: 12 to 256 bytes, not the sign-in name.
// InvalidArgument naming the rule it breaks.
Status CheckNewPassword(std::string_view password, std::string_view login);

// The hash to store. IOError if libsodium cannot run (out of memory).
StatusOr<std::string> HashPassword(std::string_view password);

// True when `password` is the one `hash` was made from. A malformed hash
// matches nothing.
bool PasswordMatches(std::string_view hash, std::string_view password);

// Spends the time one PasswordMatches takes, for a sign-in name with no
// password, so the answer's timing does not tell which names exist.
void SpendPasswordTime(std::string_view password);

}  // namespace evident::server::pages
