// evident-proof-bench: inclusion and consistency proof generation from a
// RocksDB-stored tree of N leaves (default 1,000,000), as the ledger stores
// it (ledger/tree_store.h). Prints p50/p99/max latency per proof kind, and
// the proof verification time beside it.
//
// The tree is built straight into the `merkle` column from synthetic leaf
// hashes (no entries, no signatures): proof generation reads only nodes, so
// this measures exactly that path at full size in seconds, not hours.
//
// usage: evident-proof-bench [--leaves N] [--samples S] [--dir DIR]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ledger/coding.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/proof.h"
#include "ledger/storage.h"
#include "ledger/tree_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// Prints one line of the table; returns {p50, p99}.
std::pair<double, double> Report(const char* what, std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[std::min(us.size() - 1, size_t(q * us.size()))]; };
  std::printf("%-34s %8zu %10.1f %10.1f %10.1f\n", what, us.size(), at(0.50), at(0.99), us.back());
  return {at(0.50), at(0.99)};
}

int Fail(const evident::Status& s) {
  std::fprintf(stderr, "evident-proof-bench: %s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t leaves = 1000000, samples = 20000;
  std::string dir = (std::filesystem::temp_directory_path() / "evident-proof-bench").string();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--leaves")) leaves = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--samples")) samples = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  std::filesystem::remove_all(dir);
  auto storage = evident::OpenRocksStorage(dir, evident::OpenMode::kCreate);
  if (!storage.ok()) return Fail(storage.status());
  evident::Storage* db = storage.value().get();

  // Build: leaf hashes of synthetic entries, nodes written in batches.
  auto start = Clock::now();
  evident::merkle::CompactRange range;
  evident::WriteBatch batch;
  std::vector<std::string> roots;  // root at sizes that are multiples of 1000
  for (uint64_t i = 0; i < leaves; ++i) {
    range.Append(evident::merkle::LeafHash("entry " + std::to_string(i)),
                 [&](evident::merkle::NodeId id, const std::string& h) {
                   batch.Put(evident::Column::kMerkle, evident::MerkleNodeKey(id), h);
                 });
    if (batch.puts().size() >= 20000 || i + 1 == leaves) {
      if (evident::Status s = db->Write(batch); !s.ok()) return Fail(s);
      batch.Truncate(0);
    }
  }
  std::printf("built a tree of %llu leaves (%llu nodes) in %.1f s\n\n", (unsigned long long)leaves,
              (unsigned long long)(2 * leaves - __builtin_popcountll(leaves)),
              Micros(Clock::now() - start) / 1e6);

  const evident::merkle::NodeReader read = evident::StorageNodeReader(db);
  std::mt19937_64 rng(42);
  std::vector<double> incl, incl_verify, cons, cons_verify;
  const std::string root = range.Root();
  for (uint64_t s = 0; s < samples; ++s) {
    uint64_t index = rng() % leaves;
    auto t0 = Clock::now();
    auto proof = evident::merkle::InclusionProof(index, leaves, read);
    auto t1 = Clock::now();
    if (!proof.ok()) return Fail(proof.status());
    evident::Status ok = evident::merkle::VerifyInclusion(
        index, leaves, evident::merkle::LeafHash("entry " + std::to_string(index)), proof.value(),
        root);
    auto t2 = Clock::now();
    if (!ok.ok()) return Fail(ok);
    incl.push_back(Micros(t1 - t0));
    incl_verify.push_back(Micros(t2 - t1));
  }
  for (uint64_t s = 0; s < samples; ++s) {
    uint64_t size1 = 1 + rng() % (leaves - 1);
    auto t0 = Clock::now();
    auto proof = evident::merkle::ConsistencyProof(size1, leaves, read);
    auto t1 = Clock::now();
    if (!proof.ok()) return Fail(proof.status());
    auto old_root = evident::merkle::RangeHash(0, size1, read);  // not timed: the auditor holds it
    if (!old_root.ok()) return Fail(old_root.status());
    auto t2 = Clock::now();
    evident::Status ok =
        evident::merkle::VerifyConsistency(size1, leaves, old_root.value(), root, proof.value());
    auto t3 = Clock::now();
    if (!ok.ok()) return Fail(ok);
    cons.push_back(Micros(t1 - t0));
    cons_verify.push_back(Micros(t3 - t2));
  }
  std::printf("%-34s %8s %10s %10s %10s\n", "microseconds", "samples", "p50", "p99", "max");
  const auto inclusion = Report("inclusion proof, generate", incl);
  Report("inclusion proof, verify", incl_verify);
  const auto consistency = Report("consistency proof, generate", cons);
  Report("consistency proof, verify", cons_verify);
  // For evident-load's table.
  std::printf(
      "RESULT {\"inclusion_p50_us\":%.1f,\"inclusion_p99_us\":%.1f,\"consistency_p50_us\":%.1f,"
      "\"consistency_p99_us\":%.1f}\n",
      inclusion.first, inclusion.second, consistency.first, consistency.second);
  storage.value().reset();
  std::filesystem::remove_all(dir);
  return 0;
}
