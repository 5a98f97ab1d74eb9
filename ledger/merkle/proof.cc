#include "ledger/merkle/proof.h"

#include <bit>

#include "ledger/coding.h"
#include "ledger/merkle/hash.h"

namespace evident::merkle {
namespace {

bool Lsb(uint64_t x) { return x & 1; }

Status CheckHashes(const std::vector<std::string>& proof, const std::string& a,
                   const std::string& b) {
  if (a.size() != kHashSize || b.size() != kHashSize) {
    return Status::InvalidArgument("hashes must be 32 bytes");
  }
  for (const auto& h : proof) {
    if (h.size() != kHashSize) return Status::InvalidArgument("proof hashes must be 32 bytes");
  }
  return Status::OK();
}

Status Mismatch(const char* what, const std::string& got, const std::string& want) {
  return Status::VerificationFailed(std::string(what) + ": the proof yields " + HexEncode(got) +
                                    ", not " + HexEncode(want));
}

Status Path(uint64_t index, uint64_t begin, uint64_t end, const NodeReader& read,
            std::vector<std::string>* proof) {
  if (end - begin == 1) return Status::OK();
  uint64_t k = SplitPoint(end - begin);
  StatusOr<std::string> sibling =
      index - begin < k ? RangeHash(begin + k, end, read) : RangeHash(begin, begin + k, read);
  if (!sibling.ok()) return sibling.status();
  if (index - begin < k) {
    EVIDENT_RETURN_IF_ERROR(Path(index, begin, begin + k, read, proof));
  } else {
    EVIDENT_RETURN_IF_ERROR(Path(index, begin + k, end, read, proof));
  }
  proof->push_back(std::move(sibling.value()));
  return Status::OK();
}

Status SubProof(uint64_t m, uint64_t begin, uint64_t end, bool whole, const NodeReader& read,
                std::vector<std::string>* proof) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (whole) return Status::OK();
    auto hash = RangeHash(begin, end, read);
    if (!hash.ok()) return hash.status();
    proof->push_back(std::move(hash.value()));
    return Status::OK();
  }
  uint64_t k = SplitPoint(n);
  if (m <= k) {
    EVIDENT_RETURN_IF_ERROR(SubProof(m, begin, begin + k, whole, read, proof));
    auto right = RangeHash(begin + k, end, read);
    if (!right.ok()) return right.status();
    proof->push_back(std::move(right.value()));
  } else {
    EVIDENT_RETURN_IF_ERROR(SubProof(m - k, begin + k, end, false, read, proof));
    auto left = RangeHash(begin, begin + k, read);
    if (!left.ok()) return left.status();
    proof->push_back(std::move(left.value()));
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::string> RangeHash(uint64_t begin, uint64_t end, const NodeReader& read) {
  const uint64_t n = end - begin;
  if (end <= begin) return Status::InvalidArgument("empty range");
  if (std::has_single_bit(n) && begin % n == 0) {
    std::string hash;
    NodeId id{static_cast<uint8_t>(std::countr_zero(n)), begin / n};
    EVIDENT_RETURN_IF_ERROR(read(id, &hash));
    if (hash.size() != kHashSize) {
      return Status::Corruption("stored node (" + std::to_string(id.level) + ", " +
                                std::to_string(id.index) + ") is not 32 bytes");
    }
    return hash;
  }
  uint64_t k = SplitPoint(n);
  auto left = RangeHash(begin, begin + k, read);
  if (!left.ok()) return left;
  auto right = RangeHash(begin + k, end, read);
  if (!right.ok()) return right;
  return NodeHash(left.value(), right.value());
}

StatusOr<std::vector<std::string>> InclusionProof(uint64_t index, uint64_t size,
                                                  const NodeReader& read) {
  if (index >= size) {
    return Status::InvalidArgument("index " + std::to_string(index) +
                                   " is not below the tree size " + std::to_string(size));
  }
  std::vector<std::string> proof;
  EVIDENT_RETURN_IF_ERROR(Path(index, 0, size, read, &proof));
  return proof;
}

StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t size1, uint64_t size2,
                                                    const NodeReader& read) {
  if (size1 > size2) {
    return Status::InvalidArgument("size1 " + std::to_string(size1) + " is larger than size2 " +
                                   std::to_string(size2));
  }
  std::vector<std::string> proof;
  if (size1 == 0 || size1 == size2) return proof;
  EVIDENT_RETURN_IF_ERROR(SubProof(size1, 0, size2, true, read, &proof));
  return proof;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const std::string& leaf_hash,
                       const std::vector<std::string>& proof, const std::string& root) {
  EVIDENT_RETURN_IF_ERROR(CheckHashes(proof, leaf_hash, root));
  if (index >= size) {
    return Status::InvalidArgument("index " + std::to_string(index) +
                                   " is not below the tree size " + std::to_string(size));
  }
  uint64_t fn = index, sn = size - 1;
  std::string r = leaf_hash;
  for (const std::string& p : proof) {
    if (sn == 0) return Status::InvalidArgument("the inclusion proof is too long");
    if (Lsb(fn) || fn == sn) {
      r = NodeHash(p, r);
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::InvalidArgument("the inclusion proof is too short");
  if (r != root) return Mismatch("inclusion", r, root);
  return Status::OK();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::string& root1,
                         const std::string& root2, const std::vector<std::string>& proof) {
  EVIDENT_RETURN_IF_ERROR(CheckHashes(proof, root1, root2));
  if (size1 > size2) {
    return Status::InvalidArgument("size1 " + std::to_string(size1) + " is larger than size2 " +
                                   std::to_string(size2));
  }
  if (size1 == 0 || size1 == size2) {
    if (!proof.empty()) return Status::InvalidArgument("the consistency proof should be empty");
    if (size1 == size2 && root1 != root2) return Mismatch("equal sizes", root1, root2);
    return Status::OK();
  }
  if (proof.empty()) return Status::InvalidArgument("the consistency proof is empty");
  std::vector<std::string> path;
  if (std::has_single_bit(size1)) path.push_back(root1);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = size1 - 1, sn = size2 - 1;
  while (Lsb(fn)) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return Status::InvalidArgument("the consistency proof is too long");
    if (Lsb(fn) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while (!Lsb(fn) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::InvalidArgument("the consistency proof is too short");
  if (fr != root1) return Mismatch("consistency, old root", fr, root1);
  if (sr != root2) return Mismatch("consistency, new root", sr, root2);
  return Status::OK();
}

}  // namespace evident::merkle
