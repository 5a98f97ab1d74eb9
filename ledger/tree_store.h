#pragma once

#include <cstdint>
#include <string>

#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/proof.h"
#include "ledger/status.h"
#include "ledger/storage.h"

// The Merkle tree as stored: one row in the `merkle` column per perfect
// subtree, written once when the leaf that completes it is appended, so n
// entries write 2n - popcount(n) rows in all and a proof reads O(log n).
//
//   key   = level (1 byte) || index (u64be)
//   value = the subtree's 32-byte RFC 9162 hash
namespace evident {

std::string MerkleNodeKey(merkle::NodeId id);

// Reads nodes from `storage`, which must outlive the reader.
merkle::NodeReader StorageNodeReader(Storage* storage);

// The right edge of the stored tree of `size` leaves.
StatusOr<merkle::CompactRange> LoadCompactRange(Storage* storage, uint64_t size);

}  // namespace evident
