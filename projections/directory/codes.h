#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/status.h"

// One-time codes: what an office hands a person so they can set their
// password once (`evident accounts add` and `evident accounts code` issue
// them; the pages check them). A code is 16 characters of Crockford's base32
// (0-9 and A-Z without I, L, O and U), 80 random bits, shown in groups as
// XXXX-XXXX-XXXX-XXXX. Only its hash is stored (Account::code_hash).
namespace evident::projections::directory {

// How long a code is good for: 72 hours.
constexpr int64_t kCodeLifetimeSeconds = 72 * 3600;

// A fresh code from OpenSSL's generator, grouped. IOError if the generator
// fails.
StatusOr<std::string> NewOneTimeCode();

// A code as typed, in the form its hash is of: upper-case, without dashes
// and spaces, and with the letters a reader may take for digits read as
// those digits (I and L as 1, O as 0), as Crockford's base32 reads them.
std::string NormaliseCode(std::string_view code);

// The lower-case hex SHA-256 of NormaliseCode(code): Account::code_hash.
std::string CodeHash(std::string_view code);

}  // namespace evident::projections::directory
