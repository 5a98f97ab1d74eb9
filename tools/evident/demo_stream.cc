#include "tools/evident/demo_stream.h"

#include <chrono>
#include <mutex>
#include <thread>

#include "ledger/coding.h"
#include "ledger/event_json.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "server/frame.h"
#include "tools/evident/cli_util.h"

namespace evident::cli::demo_stream {
namespace {

using Clock = std::chrono::steady_clock;

// Sends one lane: batches of at most a frame's worth of events, each batch
// acknowledged (durable) before the next is signed.
class LaneSender {
 public:
  LaneSender(const Plan& plan, const Lane& lane, Progress* progress, Result* result,
             std::mutex* result_mu)
      : plan_(plan), lane_(lane), progress_(progress), result_(result), result_mu_(result_mu) {}

  Status Run() {
    auto codec = EventJsonCodec::Create();
    if (!codec.ok()) return codec.status();
    codec_ = std::move(codec.value());
    EVIDENT_RETURN_IF_ERROR(Login(lane_.key_path));
    const size_t n = lane_.events.size();
    for (size_t offset = 0; offset < n;) {
      if (offset == lane_.rotate_at) EVIDENT_RETURN_IF_ERROR(BeginRotation());
      size_t end = std::min(n, offset + server::kMaxBatchEvents);
      if (offset < lane_.rotate_at) end = std::min(end, lane_.rotate_at);
      EVIDENT_RETURN_IF_ERROR(Send(offset, end));
      if (offset == lane_.rotate_at) EVIDENT_RETURN_IF_ERROR(FinishRotation());
      offset = end;
    }
    return Status::OK();
  }

 private:
  Status Login(const std::string& key_path) {
    auto key = PrivateKey::LoadFile(key_path);
    if (!key.ok()) return key.status();
    auto client = server::Client::Connect(plan_.server, key.value());
    if (!client.ok()) return client.status().WithContext(lane_.principal);
    client_ = std::move(client.value());
    key_.emplace(std::move(key.value()));
    return Status::OK();
  }

  Status Send(size_t from, size_t to) {
    std::vector<SignedEvent> batch;
    batch.reserve(to - from);
    for (size_t i = from; i < to; ++i) {
      auto bytes = codec_->FromJson(lane_.events[i]->json);
      if (!bytes.ok()) return bytes.status().WithContext(lane_.principal);
      batch.push_back(SignEvent(*key_, std::move(bytes.value())));
    }
    size_t failed = batch.size();
    auto reply = client_->Append(batch, &failed);
    if (!reply.ok()) {
      return reply.status().WithContext(lane_.principal + ", event " +
                                        std::to_string(from + failed + 1) + " of its stream");
    }
    uint64_t duplicates = 0;
    for (const AppendResult& r : reply.value().results) duplicates += r.duplicate;
    {
      std::lock_guard<std::mutex> lock(*result_mu_);
      result_->duplicates += duplicates;
      result_->appended += batch.size() - duplicates;
    }
    progress_->sent += batch.size();
    return Status::OK();
  }

  // The admin registers a new key for this system, which then logs in again
  // with it.
  Status BeginRotation() {
    auto fresh = PrivateKey::Generate();
    if (!fresh.ok()) return fresh.status();
    EVIDENT_RETURN_IF_ERROR(fresh->SaveFile(lane_.rotated_key_path));
    old_key_id_ = key_->public_key().key_id();
    EVIDENT_RETURN_IF_ERROR(AsAdmin(KeyRegisteredJson(
        plan_.district, lane_.principal, "Integration", fresh->public_key(), lane_.event_types)));
    {
      std::lock_guard<std::mutex> lock(*result_mu_);
      result_->rotated_from = old_key_id_;
      result_->rotated_to = fresh->public_key().key_id();
    }
    return Login(lane_.rotated_key_path);
  }

  Status FinishRotation() {
    return AsAdmin(KeyRevokedJson(plan_.district, old_key_id_, "Rotated"));
  }

  Status AsAdmin(const std::string& json) {
    auto admin = PrivateKey::LoadFile(plan_.admin_key_path);
    if (!admin.ok()) return admin.status();
    auto client = server::Client::Connect(plan_.server, admin.value());
    if (!client.ok()) return client.status().WithContext("admin");
    auto bytes = codec_->FromJson(json);
    if (!bytes.ok()) return bytes.status();
    auto reply = client.value()->Append({SignEvent(admin.value(), std::move(bytes.value()))});
    return reply.ok() ? Status::OK() : reply.status().WithContext("admin");
  }

  const Plan& plan_;
  const Lane& lane_;
  Progress* progress_;
  Result* result_;
  std::mutex* result_mu_;
  std::unique_ptr<EventJsonCodec> codec_;
  std::optional<PrivateKey> key_;
  std::unique_ptr<server::Client> client_;
  std::string old_key_id_;
};

// Follows the log from entry 0, hashing each entry into a Merkle tree, until
// it holds `*target` entries.
class Follower {
 public:
  Follower(const Plan& plan, Progress* progress, const std::atomic<uint64_t>* target)
      : plan_(plan), progress_(progress), target_(target) {}

  Status Run() {
    auto key = PrivateKey::LoadFile(plan_.follower_key_path);
    if (!key.ok()) return key.status();
    server::ClientOptions options = plan_.server;
    options.timeout = std::chrono::seconds(1);
    int quiet = 0;  // subscriptions in a row that brought nothing
    while (range_.size() < target_->load()) {
      const uint64_t before = range_.size();
      auto client = server::Client::Connect(options, key.value());
      if (!client.ok()) return client.status().WithContext("follower");
      Status s = client.value()->Subscribe(
          range_.size(), 4096, [&](uint64_t position, std::string_view entry) {
            if (position != range_.size()) {
              gap_ = Status::Corruption("the follower was sent entry " + std::to_string(position) +
                                        " where it expected " + std::to_string(range_.size()));
              return false;
            }
            range_.Append(merkle::LeafHash(entry));
            progress_->followed = range_.size();
            return range_.size() < target_->load();
          });
      EVIDENT_RETURN_IF_ERROR(gap_);
      // A subscription that goes quiet for a second times out, and the
      // follower resumes where it was; half a minute of nothing is an error.
      quiet = range_.size() > before ? 0 : quiet + 1;
      if (!s.ok() && quiet > 30) return s.WithContext("follower");
    }
    return Status::OK();
  }

  const merkle::CompactRange& range() const { return range_; }

 private:
  const Plan& plan_;
  Progress* progress_;
  const std::atomic<uint64_t>* target_;
  merkle::CompactRange range_;
  Status gap_;
};

}  // namespace

Status Run(const Plan& plan, Progress* progress, const std::function<uint64_t()>& log_size,
           Result* result) {
  std::mutex result_mu;
  std::vector<Status> lane_status(plan.lanes.size());
  std::atomic<uint64_t> target{UINT64_MAX};
  Follower follower(plan, progress, &target);
  Status follower_status;
  std::thread follower_thread([&] { follower_status = follower.Run(); });
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (size_t i = 0; i < plan.lanes.size(); ++i) {
    threads.emplace_back([&, i] {
      lane_status[i] = LaneSender(plan, plan.lanes[i], progress, result, &result_mu).Run();
    });
  }
  for (std::thread& t : threads) t.join();
  result->seconds = std::chrono::duration<double>(Clock::now() - start).count();
  target = log_size();
  follower_thread.join();
  for (const Status& s : lane_status) EVIDENT_RETURN_IF_ERROR(s);
  EVIDENT_RETURN_IF_ERROR(follower_status);
  result->followed = follower.range().size();
  result->followed_root = follower.range().Root();
  return Status::OK();
}

}  // namespace evident::cli::demo_stream
