#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace evident {

// A fixed set of threads shared by every caller, for CPU-bound work split
// into independent items (the appender's signature checks). Callers' jobs
// are served first come, first served, each spread over every thread: the
// oldest request finishes first, and there are never more threads checking
// signatures than the pool has, however many callers wait.
//
// Thread-safe. The destructor waits for the jobs in progress.
class WorkPool {
 public:
  explicit WorkPool(int threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Calls fn(i) for every i in [0, n) on the pool's threads and returns
  // when all calls have returned. A job of one item runs on the calling
  // thread. `fn` must be safe to call concurrently for different i.
  void ParallelFor(size_t n, const std::function<void(size_t)>& fn);

 private:
  struct Job {
    const std::function<void(size_t)>* fn = nullptr;
    size_t n = 0;
    size_t next = 0;  // the next item to hand out
    size_t done = 0;  // items whose call returned
    std::condition_variable finished;
  };
  void Work();

  std::mutex mu_;
  std::condition_variable work_;
  std::deque<Job*> jobs_;  // guarded by mu_; each has items not yet handed out
  bool stopping_ = false;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace evident
