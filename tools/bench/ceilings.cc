#include "tools/bench/ceilings.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/keys.h"
#include "ledger/parallel.h"
#include "ledger/storage.h"
#include "tools/bench/bench_data.h"

namespace evident::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Runs op(thread, i) for i = 0, 1, ... on `threads` threads for `seconds`;
// operations per second.
template <typename Op>
double Rate(int threads, double seconds, const Op& op) {
  std::atomic<uint64_t> total{0};
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      uint64_t n = 0;
      while (Clock::now() < until) {
        for (int i = 0; i < 16; ++i) op(t, n++);
      }
      total += n;
    });
  }
  for (auto& t : pool) t.join();
  return double(total) / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

double VerifyRate(const std::vector<SignedEvent>& samples, const PublicKey& signer, int threads,
                  double seconds) {
  return Rate(threads, seconds, [&](int t, uint64_t i) {
    const SignedEvent& e = samples[(i + uint64_t(t) * samples.size() / 2) % samples.size()];
    if (!VerifyEventSignature(signer, e)) std::abort();
  });
}

StatusOr<Ceilings> MeasureCeilings(const std::vector<SignedEvent>& samples,
                                   const PublicKey& signer, const std::string& scratch_dir,
                                   double seconds) {
  for (const SignedEvent& e : samples) {
    if (!VerifyEventSignature(signer, e)) {
      return Status::VerificationFailed("a sample event does not verify with its key");
    }
  }
  Ceilings c;
  c.cores = DefaultThreads();
  auto key = PrivateKey::Generate();
  if (!key.ok()) return key.status();
  std::vector<std::string> messages;
  for (const SignedEvent& e : samples) messages.push_back(EventSigningMessage(e.event));
  auto sign = [&](int, uint64_t i) { (void)key.value().Sign(messages[i % messages.size()]); };
  c.sign_one = Rate(1, seconds, sign);
  c.sign_all = Rate(c.cores, seconds, sign);
  c.verify_one = VerifyRate(samples, signer, 1, seconds);
  c.verify_all = VerifyRate(samples, signer, c.cores, seconds);

  // Synced batches of kBatch entries the size of the data set's, with their
  // event-id index rows, as the appender writes them.
  const std::string dir = scratch_dir + "/rocksdb-ceiling";
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (!std::filesystem::create_directories(scratch_dir, ec) && ec) {
    return Status::IOError("cannot create the scratch directory " + scratch_dir + ": " +
                           ec.message());
  }
  {
    auto storage = OpenRocksStorage(dir, OpenMode::kCreate);
    if (!storage.ok()) return storage.status();
    const std::string entry = BuildEntry(0, 0, samples[0]);
    uint64_t next = 0, batches = 0;
    const auto start = Clock::now();
    const auto until = start + std::chrono::duration<double>(seconds);
    while (Clock::now() < until) {
      WriteBatch batch;
      for (size_t i = 0; i < kBatch; ++i, ++next) {
        std::string id = EventIndexKey(EncodeKey64(next) + EncodeKey64(~next), "system-1");
        batch.Put(Column::kEntries, EncodeKey64(next), entry);
        batch.Put(Column::kEventIds, std::move(id), EncodeKey64(next));
      }
      EVIDENT_RETURN_IF_ERROR(storage.value()->Write(batch));
      ++batches;
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    c.synced_batch = double(next) / elapsed;
    c.synced_batch_commits = double(batches) / elapsed;

    // The latency of one small synced write: what an append waits for at
    // least once, and up to twice when it queues behind a commit in flight.
    std::vector<double> ms;
    const auto lat_until = Clock::now() + std::chrono::duration<double>(seconds);
    while (Clock::now() < lat_until) {
      WriteBatch batch;
      for (size_t i = 0; i < 16; ++i, ++next) batch.Put(Column::kEntries, EncodeKey64(next), entry);
      const auto t0 = Clock::now();
      EVIDENT_RETURN_IF_ERROR(storage.value()->Write(batch));
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    c.synced_write_p50_ms = ms[ms.size() / 2];
    c.synced_write_p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    c.synced_write_max_ms = ms.back();
  }
  std::filesystem::remove_all(dir, ec);
  return c;
}

}  // namespace evident::bench
