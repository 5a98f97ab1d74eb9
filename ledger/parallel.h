#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace evident {

// The number of threads CPU-bound work should use here: one per core.
inline int DefaultThreads() {
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Calls fn(i) for every i in [0, n), split into contiguous slices over up to
// `threads` threads (the calling thread takes the first slice). Returns when
// all calls have returned. `fn` must be safe to call concurrently for
// different i. Small inputs stay on the calling thread.
inline void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn) {
  constexpr size_t kMinPerThread = 32;
  size_t workers = std::min<size_t>(std::max(1, threads), (n + kMinPerThread - 1) / kMinPerThread);
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  auto slice = [&](size_t w) {
    size_t begin = n * w / workers, end = n * (w + 1) / workers;
    for (size_t i = begin; i < end; ++i) fn(i);
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(slice, w);
  slice(0);
  for (auto& t : pool) t.join();
}

}  // namespace evident
