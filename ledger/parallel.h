#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace evident {

// The number of threads CPU-bound work should use here: one per core.
inline int DefaultThreads() {
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Calls fn(i) for every i in [0, n) on up to `threads` threads (the calling
// thread among them), and returns when all calls have returned. Threads take
// the next block of indexes as they finish their last, so a thread that gets
// less of a core (other work runs beside it) does less of the work rather
// than holding everyone up at the end. `fn` must be safe to call
// concurrently for different i. Small inputs stay on the calling thread.
inline void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn) {
  constexpr size_t kMinPerThread = 32;
  size_t workers = std::min<size_t>(std::max(1, threads), (n + kMinPerThread - 1) / kMinPerThread);
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  const size_t block = std::max<size_t>(1, n / (workers * 32));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t begin; (begin = next.fetch_add(block)) < n;) {
      for (size_t i = begin, end = std::min(n, begin + block); i < end; ++i) fn(i);
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace evident
