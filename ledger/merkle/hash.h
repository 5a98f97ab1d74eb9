#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// RFC 9162 section 2.1 (RFC 6962 section 2.1) hashing, SHA-256:
//   MTH({})    = SHA-256()
//   leaf hash  = SHA-256(0x00 || entry bytes)
//   node hash  = SHA-256(0x01 || left || right)
// Hashes are 32-byte strings.
namespace evident::merkle {

constexpr size_t kHashSize = 32;

std::string EmptyRoot();
std::string LeafHash(std::string_view entry);
std::string NodeHash(std::string_view left, std::string_view right);

// The largest power of two strictly less than n (n >= 2): RFC 9162's split point k.
uint64_t SplitPoint(uint64_t n);

}  // namespace evident::merkle
