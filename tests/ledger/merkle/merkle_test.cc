// RFC 9162 Merkle tree: known answers, exhaustive comparison with a naive
// recursive implementation of RFC 6962 section 2.1 written here, and the
// edge cases of proof verification.

#include <gtest/gtest.h>

#include <map>

#include "ledger/coding.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/proof.h"
#include "ledger/sha256.h"
#include "tests/testutil/test_util.h"

namespace evident::merkle {
namespace {

using testing::Must;

// ---- The reference: RFC 6962 section 2.1, literally. ----
std::string RefMth(const std::vector<std::string>& d, size_t b, size_t e) {
  if (e == b) return Sha256("");
  if (e - b == 1) return Sha256(std::string(1, '\0') + d[b]);
  size_t k = 1;
  while (k * 2 < e - b) k *= 2;
  return Sha256(std::string(1, '\1') + RefMth(d, b, b + k) + RefMth(d, b + k, e));
}

std::vector<std::string> RefPath(size_t m, const std::vector<std::string>& d, size_t b, size_t e) {
  if (e - b == 1) return {};
  size_t k = 1;
  while (k * 2 < e - b) k *= 2;
  std::vector<std::string> p;
  if (m < k) {
    p = RefPath(m, d, b, b + k);
    p.push_back(RefMth(d, b + k, e));
  } else {
    p = RefPath(m - k, d, b + k, e);
    p.push_back(RefMth(d, b, b + k));
  }
  return p;
}

std::vector<std::string> RefSubproof(size_t m, const std::vector<std::string>& d, size_t b,
                                     size_t e, bool flag) {
  size_t n = e - b;
  if (m == n) return flag ? std::vector<std::string>{} : std::vector<std::string>{RefMth(d, b, e)};
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  std::vector<std::string> p;
  if (m <= k) {
    p = RefSubproof(m, d, b, b + k, flag);
    p.push_back(RefMth(d, b + k, e));
  } else {
    p = RefSubproof(m - k, d, b + k, e, false);
    p.push_back(RefMth(d, b, b + k));
  }
  return p;
}

// A tree built leaf by leaf with CompactRange, its nodes kept in a map as
// storage would keep them.
struct TestTree {
  std::vector<std::string> leaves;
  std::map<std::pair<int, uint64_t>, std::string> nodes;
  CompactRange range;
  std::vector<std::string> roots;  // roots[n] = root at size n

  explicit TestTree(size_t n) {
    roots.push_back(range.Root());
    for (size_t i = 0; i < n; ++i) {
      leaves.push_back("leaf " + std::to_string(i));
      range.Append(LeafHash(leaves.back()), [this](NodeId id, const std::string& h) {
        EXPECT_TRUE(nodes.emplace(std::make_pair(id.level, id.index), h).second);
      });
      roots.push_back(range.Root());
    }
  }
  NodeReader Reader() const {
    return [this](NodeId id, std::string* hash) {
      auto it = nodes.find({id.level, id.index});
      if (it == nodes.end()) return Status::NotFound("no node");
      *hash = it->second;
      return Status::OK();
    };
  }
};

// RFC 6962 reference leaves and roots (the certificate-transparency test vectors).
TEST(MerkleTest, RootsMatchRfc6962KnownAnswers) {
  const char* leaves_hex[] = {"",
                              "00",
                              "10",
                              "2021",
                              "3031",
                              "40414243",
                              "5051525354555657",
                              "606162636465666768696a6b6c6d6e6f"};
  const char* roots[] = {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  EXPECT_EQ(HexEncode(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CompactRange range;
  for (int i = 0; i < 8; ++i) {
    range.Append(LeafHash(Must(HexDecode(leaves_hex[i]))));
    EXPECT_EQ(HexEncode(range.Root()), roots[i]) << "size " << i + 1;
  }
}

TEST(MerkleTest, CompactRangeMatchesReferenceAndWritesLinearlyManyNodes) {
  TestTree tree(130);
  for (size_t n = 0; n <= 130; ++n) {
    EXPECT_EQ(tree.roots[n], RefMth(tree.leaves, 0, n)) << n;
  }
  EXPECT_EQ(tree.nodes.size(), 2 * 130 - std::popcount(130u));  // every perfect subtree, once
  // Decompose names exactly the subtrees the compact range holds.
  auto ids = CompactRange::Decompose(130);
  ASSERT_EQ(ids.size(), tree.range.hashes().size());
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(tree.nodes.at({ids[i].level, ids[i].index}), tree.range.hashes()[i]);
  }
}

TEST(MerkleTest, InclusionProofsMatchReferenceForEveryIndexAndSizeTo64) {
  TestTree tree(64);
  for (uint64_t n = 1; n <= 64; ++n) {
    for (uint64_t m = 0; m < n; ++m) {
      auto proof = Must(InclusionProof(m, n, tree.Reader()));
      ASSERT_EQ(proof, RefPath(m, tree.leaves, 0, n)) << m << "/" << n;
      EXPECT_OK(VerifyInclusion(m, n, LeafHash(tree.leaves[m]), proof, tree.roots[n]));
      // The same proof does not prove another leaf, index or size.
      EXPECT_FALSE(VerifyInclusion(m, n, LeafHash("other"), proof, tree.roots[n]).ok());
      if (n > 1) {
        EXPECT_FALSE(
            VerifyInclusion((m + 1) % n, n, LeafHash(tree.leaves[m]), proof, tree.roots[n]).ok());
      }
      for (size_t i = 0; i < proof.size(); ++i) {
        auto bad = proof;
        bad[i][0] ^= 1;
        EXPECT_EQ(VerifyInclusion(m, n, LeafHash(tree.leaves[m]), bad, tree.roots[n]).code(),
                  Status::Code::kVerificationFailed);
      }
    }
  }
}

TEST(MerkleTest, ConsistencyProofsMatchReferenceForEveryPairTo64) {
  TestTree tree(64);
  for (uint64_t n = 1; n <= 64; ++n) {
    for (uint64_t m = 1; m <= n; ++m) {
      auto proof = Must(ConsistencyProof(m, n, tree.Reader()));
      std::vector<std::string> want =
          m == n ? std::vector<std::string>{} : RefSubproof(m, tree.leaves, 0, n, true);
      ASSERT_EQ(proof, want) << m << "->" << n;
      EXPECT_OK(VerifyConsistency(m, n, tree.roots[m], tree.roots[n], proof));
      for (size_t i = 0; i < proof.size(); ++i) {
        auto bad = proof;
        bad[i][31] ^= 0x80;
        EXPECT_FALSE(VerifyConsistency(m, n, tree.roots[m], tree.roots[n], bad).ok());
      }
      if (m < n) {
        EXPECT_FALSE(VerifyConsistency(m, n, tree.roots[m], tree.roots[n - 1], proof).ok());
      }
    }
  }
}

TEST(MerkleTest, EdgeCasesAreAcceptedOrRejectedExplicitly) {
  TestTree tree(8);
  const std::string leaf = LeafHash(tree.leaves[0]);
  // Size 0: nothing is included in the empty tree.
  EXPECT_EQ(VerifyInclusion(0, 0, leaf, {}, EmptyRoot()).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(InclusionProof(0, 0, tree.Reader()).status().code(), Status::Code::kInvalidArgument);
  // Index >= size.
  EXPECT_EQ(VerifyInclusion(8, 8, leaf, {}, tree.roots[8]).code(), Status::Code::kInvalidArgument);
  // A one-leaf tree: the root is the leaf hash, the proof empty.
  EXPECT_OK(VerifyInclusion(0, 1, leaf, {}, tree.roots[1]));
  // Wrong hash lengths.
  EXPECT_EQ(VerifyInclusion(0, 1, leaf.substr(1), {}, tree.roots[1]).code(),
            Status::Code::kInvalidArgument);
  auto proof = Must(InclusionProof(3, 8, tree.Reader()));
  proof[1].pop_back();
  EXPECT_EQ(VerifyInclusion(3, 8, LeafHash(tree.leaves[3]), proof, tree.roots[8]).code(),
            Status::Code::kInvalidArgument);
  // Too long or too short a proof.
  auto good = Must(InclusionProof(3, 8, tree.Reader()));
  auto longer = good;
  longer.push_back(good[0]);
  EXPECT_FALSE(VerifyInclusion(3, 8, LeafHash(tree.leaves[3]), longer, tree.roots[8]).ok());
  good.pop_back();
  EXPECT_FALSE(VerifyInclusion(3, 8, LeafHash(tree.leaves[3]), good, tree.roots[8]).ok());
  // Consistency: from 0 anything, with an empty proof; equal sizes need equal roots.
  EXPECT_OK(VerifyConsistency(0, 8, EmptyRoot(), tree.roots[8], {}));
  EXPECT_FALSE(VerifyConsistency(0, 8, EmptyRoot(), tree.roots[8], {tree.roots[1]}).ok());
  EXPECT_OK(VerifyConsistency(8, 8, tree.roots[8], tree.roots[8], {}));
  EXPECT_EQ(VerifyConsistency(8, 8, tree.roots[8], tree.roots[7], {}).code(),
            Status::Code::kVerificationFailed);
  EXPECT_EQ(VerifyConsistency(5, 4, tree.roots[5], tree.roots[4], {}).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(3, 8, tree.roots[3], tree.roots[8], {}).code(),
            Status::Code::kInvalidArgument);
}

// The finding in the reference notes: a consistency proof alone does not fix
// size2. The proof for 2 -> 5 also checks against size 6 with the same root,
// so sizes must come from signed checkpoints, never from the proof.
TEST(MerkleTest, ConsistencyProofDoesNotPinTheSecondSize) {
  TestTree tree(6);
  auto proof = Must(ConsistencyProof(2, 5, tree.Reader()));
  EXPECT_OK(VerifyConsistency(2, 5, tree.roots[2], tree.roots[5], proof));
  EXPECT_OK(VerifyConsistency(2, 6, tree.roots[2], tree.roots[5], proof));
}

}  // namespace
}  // namespace evident::merkle

namespace evident::merkle {
namespace {

// Storage cost: n leaves store 2n - popcount(n) nodes; a proof reads O(log n).
TEST(MerkleTest, ProofsReadLogarithmicallyManyNodes) {
  const uint64_t n = 5000;
  TestTree tree(n);
  int reads = 0;
  NodeReader counting = [&](NodeId id, std::string* hash) {
    ++reads;
    return tree.Reader()(id, hash);
  };
  const int log2n = 13;  // 2^12 < 5000 <= 2^13
  int most = 0;
  for (uint64_t size : {n, n - 1, uint64_t{4097}, uint64_t{4096}, uint64_t{3333}}) {
    for (uint64_t i = 0; i < size; i += 97) {
      reads = 0;
      ASSERT_TRUE(InclusionProof(i, size, counting).ok());
      most = std::max(most, reads);
      reads = 0;
      ASSERT_TRUE(ConsistencyProof(i + 1, size, counting).ok());
      most = std::max(most, reads);
    }
  }
  EXPECT_LE(most, 2 * log2n) << "a proof read " << most << " nodes";
}

}  // namespace
}  // namespace evident::merkle
