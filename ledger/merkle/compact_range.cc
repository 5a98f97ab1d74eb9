#include "ledger/merkle/compact_range.h"

#include <bit>
#include <cassert>

#include "ledger/merkle/hash.h"

namespace evident::merkle {

CompactRange::CompactRange(uint64_t size, std::vector<std::string> hashes)
    : size_(size), hashes_(std::move(hashes)) {
  assert(hashes_.size() == static_cast<size_t>(std::popcount(size)));
}

std::vector<NodeId> CompactRange::Decompose(uint64_t size) {
  std::vector<NodeId> ids;
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    uint64_t width = uint64_t{1} << level;
    if (size & width) {
      ids.push_back({static_cast<uint8_t>(level), begin >> level});
      begin += width;
    }
  }
  return ids;
}

void CompactRange::Append(std::string leaf_hash,
                          const std::function<void(NodeId, const std::string&)>& on_node) {
  uint64_t index = size_;
  if (on_node) on_node({0, index}, leaf_hash);
  hashes_.push_back(std::move(leaf_hash));
  // Each trailing 1-bit of the old size is a subtree the new leaf completes.
  for (uint8_t level = 0; (index >> level) & 1; ++level) {
    std::string right = std::move(hashes_.back());
    hashes_.pop_back();
    std::string parent = NodeHash(hashes_.back(), right);
    hashes_.back() = parent;
    if (on_node) on_node({static_cast<uint8_t>(level + 1), index >> (level + 1)}, parent);
  }
  ++size_;
}

std::string CompactRange::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  std::string root = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) root = NodeHash(hashes_[i], root);
  return root;
}

}  // namespace evident::merkle
