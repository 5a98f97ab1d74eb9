#include "ledger/work_pool.h"

#include <algorithm>

namespace evident {

WorkPool::WorkPool(int threads) {
  for (int t = 0; t < std::max(1, threads); ++t) threads_.emplace_back([this] { Work(); });
}

WorkPool::~WorkPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkPool::ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  if (n == 1) {
    fn(0);
    return;
  }
  Job job;
  job.fn = &fn;
  job.n = n;
  std::unique_lock<std::mutex> lock(mu_);
  jobs_.push_back(&job);
  lock.unlock();
  work_.notify_all();
  lock.lock();
  job.finished.wait(lock, [&] { return job.done == job.n; });
}

void WorkPool::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and nothing left to hand out
    Job* job = jobs_.front();
    const size_t i = job->next++;
    if (job->next == job->n) jobs_.pop_front();
    lock.unlock();
    (*job->fn)(i);
    lock.lock();
    // The caller may return as soon as it sees done == n: `job` is not
    // touched after this.
    if (++job->done == job->n) job->finished.notify_one();
  }
}

}  // namespace evident
