#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

// The right edge of a Merkle tree of `size` leaves: the roots of its perfect
// subtrees, largest first (one per 1-bit of size). Enough to append a leaf and
// to compute the root, in O(log n) memory.
//
// A perfect subtree is named by (level, index): it covers leaves
// [index * 2^level, (index + 1) * 2^level).
namespace evident::merkle {

struct NodeId {
  uint8_t level;
  uint64_t index;
  bool operator==(const NodeId&) const = default;
};

class CompactRange {
 public:
  CompactRange() = default;
  // `hashes` must be the roots of the perfect subtrees of a tree of `size`
  // leaves, largest first (as hashes() returns them).
  CompactRange(uint64_t size, std::vector<std::string> hashes);

  // The subtrees a tree of `size` leaves decomposes into, largest first.
  static std::vector<NodeId> Decompose(uint64_t size);

  // Adds a leaf hash. `on_node` is called for the new leaf node and every
  // perfect subtree it completes, with its id and hash (what storage keeps).
  void Append(std::string leaf_hash,
              const std::function<void(NodeId, const std::string&)>& on_node = {});

  // RFC 9162 MTH of the leaves so far (EmptyRoot() for none).
  std::string Root() const;
  uint64_t size() const { return size_; }
  const std::vector<std::string>& hashes() const { return hashes_; }

 private:
  uint64_t size_ = 0;
  std::vector<std::string> hashes_;  // largest subtree first
};

}  // namespace evident::merkle
