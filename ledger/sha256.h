#pragma once

#include <string>
#include <string_view>

namespace evident {

constexpr size_t kSha256Size = 32;

// SHA-256 of the concatenation of `parts` (OpenSSL). Returns 32 raw bytes.
std::string Sha256(std::initializer_list<std::string_view> parts);
inline std::string Sha256(std::string_view data) { return Sha256({data}); }

}  // namespace evident
