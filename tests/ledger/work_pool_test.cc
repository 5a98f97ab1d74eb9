#include "ledger/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "ledger/parallel.h"

namespace evident {
namespace {

TEST(WorkPoolTest, CallsEveryIndexExactlyOnce) {
  WorkPool pool(3);
  for (size_t n : {0, 1, 2, 7, 1000}) {
    std::vector<std::atomic<int>> calls(n);
    pool.ParallelFor(n, [&](size_t i) { ++calls[i]; });
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(calls[i], 1) << "n=" << n << " i=" << i;
  }
}

TEST(WorkPoolTest, ReturnsOnlyWhenEveryCallOfItsJobHasReturned) {
  WorkPool pool(2);
  std::atomic<int> finished{0};
  pool.ParallelFor(8, [&](size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ++finished;
  });
  EXPECT_EQ(finished, 8);
}

TEST(WorkPoolTest, ServesManyCallersAtOnceWithoutMixingTheirJobs) {
  WorkPool pool(2);
  constexpr int kCallers = 8;
  constexpr size_t kItems = 200;
  std::vector<std::vector<int>> seen(kCallers, std::vector<int>(kItems, 0));
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      for (int round = 0; round < 20; ++round) {
        pool.ParallelFor(kItems, [&](size_t i) { ++seen[c][i]; });
      }
    });
  }
  for (auto& t : callers) t.join();
  for (int c = 0; c < kCallers; ++c) {
    for (size_t i = 0; i < kItems; ++i) ASSERT_EQ(seen[c][i], 20) << c << " " << i;
  }
}

TEST(WorkPoolTest, UsesThePoolsThreadsNotTheCaller) {
  WorkPool pool(2);
  std::mutex mu;
  std::set<std::thread::id> threads;
  pool.ParallelFor(64, [&](size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lock(mu);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
  EXPECT_LE(threads.size(), 2u);
}

TEST(ParallelForTest, CallsEveryIndexExactlyOnceWhateverTheThreadCount) {
  for (int threads : {1, 2, 5}) {
    for (size_t n : {0, 1, 31, 33, 64, 1000, 4097}) {
      std::vector<std::atomic<int>> calls(n);
      ParallelFor(n, threads, [&](size_t i) { ++calls[i]; });
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(calls[i], 1) << "threads=" << threads << " n=" << n << " i=" << i;
      }
    }
  }
}

}  // namespace
}  // namespace evident
