#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ledger/merkle/compact_range.h"
#include "ledger/status.h"

// RFC 9162 section 2.1.3 and 2.1.4: inclusion and consistency proofs, their
// generation from stored perfect-subtree hashes and their verification.
// Pure functions; the only I/O is through the NodeReader given.
//
// Errors: InvalidArgument for sizes, indexes or proof lengths that cannot be
// right; VerificationFailed when the proof is well-formed but the root it
// yields is not the one expected.
namespace evident::merkle {

// Reads the hash of the perfect subtree `id` into `*hash`.
using NodeReader = std::function<Status(NodeId id, std::string* hash)>;

// MTH(D[begin:end]) for a range of RFC 9162's recursion (begin a multiple of
// the largest power of two <= end - begin): O(log n) node reads.
StatusOr<std::string> RangeHash(uint64_t begin, uint64_t end, const NodeReader& read);

// PATH(index, D[size]): the sibling hashes from the leaf up.
StatusOr<std::vector<std::string>> InclusionProof(uint64_t index, uint64_t size,
                                                  const NodeReader& read);

// PROOF(size1, D[size2]). Empty when size1 is 0 or equals size2.
StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t size1, uint64_t size2,
                                                    const NodeReader& read);

// RFC 9162 section 2.1.3.2.
Status VerifyInclusion(uint64_t index, uint64_t size, const std::string& leaf_hash,
                       const std::vector<std::string>& proof, const std::string& root);

// RFC 9162 section 2.1.4.2, plus: size1 == 0 is consistent with anything given
// an empty proof (every log extends the empty log).
Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::string& root1,
                         const std::string& root2, const std::vector<std::string>& proof);

}  // namespace evident::merkle
