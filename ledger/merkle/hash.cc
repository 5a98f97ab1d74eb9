#include "ledger/merkle/hash.h"

#include <bit>
#include <cassert>

#include "ledger/sha256.h"

namespace evident::merkle {

std::string EmptyRoot() { return Sha256(""); }

std::string LeafHash(std::string_view entry) {
  return Sha256({std::string_view("\x00", 1), entry});
}

std::string NodeHash(std::string_view left, std::string_view right) {
  return Sha256({std::string_view("\x01", 1), left, right});
}

uint64_t SplitPoint(uint64_t n) {
  assert(n >= 2);
  return std::bit_floor(n - 1);
}

}  // namespace evident::merkle
