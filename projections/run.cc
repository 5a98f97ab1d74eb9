#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/parallel.h"
#include "projections/store.h"

namespace evident::projections {
namespace {

// Entries read ahead of the fold, in batches. The entries' bytes sit end to
// end in one buffer, each at an 8-byte aligned offset (FlatBuffers needs it).
struct Batch {
  uint64_t first = 0;
  std::string bytes;
  std::vector<std::pair<size_t, size_t>> spans;  // offset, length

  void Add(std::string_view entry) {
    bytes.resize((bytes.size() + 7) & ~size_t{7});
    spans.emplace_back(bytes.size(), entry.size());
    bytes.append(entry);
  }
  std::string_view Entry(size_t i) const {
    return std::string_view(bytes.data() + spans[i].first, spans[i].second);
  }
};

// A bounded queue between the reading thread and the folding one.
class BatchQueue {
 public:
  void Push(Batch batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return batches_.size() < kDepth || stopped_; });
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  // False when the reader is done and everything was taken.
  bool Pop(Batch* batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !batches_.empty() || done_; });
    if (batches_.empty()) return false;
    *batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Done(Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    status_ = std::move(status);
    not_empty_.notify_all();
  }
  // The folding side gave up: unblock the reader.
  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    batches_.clear();
    not_full_.notify_all();
  }
  bool stopped() {
    std::lock_guard<std::mutex> lock(mu_);
    return stopped_;
  }
  Status status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

 private:
  static constexpr size_t kDepth = 8;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<Batch> batches_;
  bool done_ = false, stopped_ = false;
  Status status_;
};

// Calls fn(i) for each i in [0, n) on up to `threads` threads, each taking
// the next i when free: for a few tasks of uneven size.
void RunEach(size_t n, int threads, const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads && size_t(t) < n; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace

Status FoldLedger(Ledger* ledger, uint64_t from, uint64_t to, Projector* projector) {
  constexpr size_t kBatchEntries = 2048;
  BatchQueue queue;
  std::thread reader([&] {
    Batch batch{from, {}, {}};
    Status s = ledger->Scan(from, to, [&](uint64_t, std::string_view bytes) {
      batch.Add(bytes);
      if (batch.spans.size() == kBatchEntries) {
        const uint64_t next = batch.first + batch.spans.size();
        queue.Push(std::move(batch));
        batch = Batch{next, {}, {}};
      }
      return !queue.stopped();
    });
    if (!batch.spans.empty()) queue.Push(std::move(batch));
    queue.Done(s);
  });
  Status result;
  Batch batch;
  while (result.ok() && queue.Pop(&batch)) {
    for (size_t i = 0; i < batch.spans.size() && result.ok(); ++i) {
      result = projector->Apply(batch.first + i, batch.Entry(i));
    }
  }
  if (!result.ok()) queue.Stop();
  reader.join();
  if (!result.ok()) return result;
  return queue.status();
}

LogContext LogContextAt(Ledger* ledger, uint64_t size) {
  LogContext log;
  log.tree_size = size;
  auto note = ledger->CheckpointNote(size);
  if (!note.ok()) {
    log.checkpoint_problem = "no checkpoint at tree size " + std::to_string(size);
    return log;
  }
  log.checkpoint = note.value();
  auto verifier = ledger->CheckpointVerifier();
  if (!verifier.ok()) {
    log.checkpoint_problem = verifier.status().message();
    return log;
  }
  auto checkpoint = OpenCheckpoint(note.value(), verifier.value());
  if (!checkpoint.ok()) {
    log.checkpoint_problem = checkpoint.status().message();
    return log;
  }
  log.root_hash_hex = HexEncode(checkpoint.value().root);
  log.checkpoint_verified = checkpoint.value().size == size;
  return log;
}

std::vector<std::pair<std::string, std::vector<ViewRow>>> RenderAll(const Projector& projector,
                                                                    const LogContext& log,
                                                                    int32_t as_of_day) {
  const Figures figures =
      ComputeFigures(projector.state(), as_of_day == kNoDay ? projector.last_day() : as_of_day);
  const auto& names = ViewNames();
  std::vector<std::pair<std::string, std::vector<ViewRow>>> views(names.size());
  RunEach(names.size(), DefaultThreads(), [&](size_t i) {
    views[i] = {names[i], RenderView(names[i], projector.state(), figures, log).value()};
  });
  return views;
}

std::vector<RenderedView> RenderAllText(const Projector& projector, const LogContext& log) {
  const Figures figures = ComputeFigures(projector.state(), projector.last_day());
  const auto& names = ViewNames();
  std::vector<RenderedView> views(names.size());
  RunEach(names.size(), DefaultThreads(), [&](size_t i) {
    views[i].name = names[i];
    views[i].rows = ToText(RenderView(names[i], projector.state(), figures, log).value());
    views[i].digest = ViewDigest(views[i].rows);
  });
  return views;
}

}  // namespace evident::projections
