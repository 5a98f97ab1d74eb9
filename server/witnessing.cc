#include "server/witnessing.h"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>

#include "ledger/coding.h"
#include "server/metrics.h"
#include "server/witness/client.h"
#include "server/witness/request.h"

namespace evident::server {
namespace {

constexpr size_t kSizesLookedBack = 10000;

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > 200) line = line.substr(0, 200) + "...";
  return line;
}

}  // namespace

WitnessPoster HttpsWitnessPoster() {
  // One client per witness, made on first use; each witness's requests
  // come from one thread at a time (Witnessing), so a client is never
  // shared by two at once.
  struct Clients {
    std::mutex mu;
    std::map<std::string, std::unique_ptr<witness::WitnessClient>> by_name;
  };
  auto clients = std::make_shared<Clients>();
  return [clients](const WitnessEndpoint& w,
                   const std::string& body) -> StatusOr<WitnessReply> {
    witness::WitnessClient* client = nullptr;
    {
      std::lock_guard<std::mutex> lock(clients->mu);
      auto& slot = clients->by_name[w.verifier.name()];
      if (!slot) {
        auto made = witness::WitnessClient::Create({w.url, w.ca_file});
        if (!made.ok()) return made.status();
        slot = std::move(made.value());
      }
      client = slot.get();
    }
    auto reply = client->SubmitBlocking(body);
    if (!reply.ok()) return reply.status();
    return WitnessReply{reply->status, reply->body};
  };
}

WitnessPolicy PolicyOf(const std::vector<WitnessEndpoint>& witnesses, size_t quorum) {
  WitnessPolicy policy;
  for (const WitnessEndpoint& w : witnesses) policy.witnesses.push_back(w.verifier);
  policy.quorum = quorum == 0 ? witnesses.size() : quorum;
  return policy;
}

StatusOr<std::unique_ptr<Witnessing>> Witnessing::Start(Ledger* ledger, WitnessingOptions options,
                                                        WitnessPoster post) {
  if (options.quorum > options.witnesses.size()) {
    return Status::InvalidArgument("a witness quorum of " + std::to_string(options.quorum) +
                                   " needs at least that many witnesses; " +
                                   std::to_string(options.witnesses.size()) + " configured");
  }
  for (size_t i = 0; i < options.witnesses.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (options.witnesses[i].verifier.name() == options.witnesses[j].verifier.name()) {
        return Status::InvalidArgument("witness " + options.witnesses[i].verifier.name() +
                                       " is configured twice");
      }
    }
  }
  std::unique_ptr<Witnessing> w(new Witnessing(ledger, std::move(options), std::move(post)));
  // Where the last run left off: among the newest cosigned sizes (a
  // quorum not met for longer is not looked for back to the start).
  if (auto trusted = ledger->NewestCosignedSize(w->policy_, kSizesLookedBack); trusted.ok()) {
    w->trusted_size_ = trusted.value();
  }
  w->threads_.emplace_back([p = w.get()] { p->RunRounds(); });
  for (size_t i = 0; i < w->per_.size(); ++i) {
    w->threads_.emplace_back([p = w.get(), i] { p->RunWitness(i); });
  }
  return w;
}

Witnessing::Witnessing(Ledger* ledger, WitnessingOptions options, WitnessPoster post)
    : ledger_(ledger),
      options_(std::move(options)),
      post_(std::move(post)),
      policy_(PolicyOf(options_.witnesses, options_.quorum)),
      per_(options_.witnesses.size()) {
  for (size_t i = 0; i < per_.size(); ++i) per_[i].status.name = options_.witnesses[i].verifier.name();
}

Witnessing::~Witnessing() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void Witnessing::Notify() { cv_.notify_all(); }

void Witnessing::Log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << std::endl;
  }
}

uint64_t Witnessing::NewestCheckpointSize() const {
  auto sizes = ledger_->CheckpointSizes(ledger_->size(), 1);
  return sizes.ok() && !sizes->empty() ? sizes->front() : 0;
}

void Witnessing::RunRounds() {
  std::unique_lock<std::mutex> lock(mu_);
  auto round_started = std::chrono::steady_clock::now();
  while (!stopping_) {
    const uint64_t newest = NewestCheckpointSize();
    if (newest > trusted_size_ && !behind_) {
      behind_ = true;
      behind_since_ = std::chrono::steady_clock::now();
    }
    bool round_done = true;
    for (const PerWitness& p : per_) {
      if (p.attempted < target_ && p.status.answering) round_done = false;
    }
    const auto now = std::chrono::steady_clock::now();
    if (round_done && newest > target_ &&
        (target_ == 0 || now >= round_started + options_.round_interval)) {
      target_ = newest;
      round_started = now;
      cv_.notify_all();
    }
    // When the round's size became trusted, the log can have grown past it
    // no earlier than the round started.
    if (behind_ && trusted_size_ >= target_ && target_ > 0) {
      if (newest <= trusted_size_) {
        behind_ = false;
      } else if (behind_since_ < round_started) {
        behind_since_ = round_started;
      }
    }
    cv_.wait_for(lock, options_.poll);
  }
}

void Witnessing::RunWitness(size_t i) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    PerWitness& p = per_[i];
    if (p.attempted >= target_) {
      cv_.wait(lock);
      continue;
    }
    if (p.backoff.count() > 0) {
      cv_.wait_for(lock, p.backoff, [this] { return stopping_; });
      if (stopping_) break;
    }
    const uint64_t size = target_;
    uint64_t held = p.held;
    lock.unlock();
    Status offered = Offer(i, size, &held);
    lock.lock();
    p.held = held;
    ++p.status.requests;
    if (offered.ok()) {
      p.attempted = size;
      p.backoff = std::chrono::milliseconds(0);
      p.status.answering = true;
      p.status.cosigned_size = size;
      p.status.last_cosigned_unix = UnixNow();
      p.status.last_error.clear();
      // Only this size can have become trusted.
      if (size > trusted_size_) {
        auto note = ledger_->CosignedCheckpointNote(size);
        if (note.ok() && CheckWitnessPolicy(note.value(), policy_).ok()) trusted_size_ = size;
      }
    } else {
      ++p.status.failures;
      p.status.answering = false;
      p.status.last_error = offered.message();
      p.backoff = std::min(options_.retry_max, std::max(options_.retry_initial, p.backoff * 2));
      Log("witness " + p.status.name + " did not cosign size " + std::to_string(size) + ": " +
          offered.message() + " (next try in " + std::to_string(p.backoff.count()) + " ms)");
    }
    cv_.notify_all();
  }
}

Status Witnessing::Offer(size_t i, uint64_t size, uint64_t* held) {
  const WitnessEndpoint& endpoint = options_.witnesses[i];
  auto note = ledger_->CheckpointNote(size);
  if (!note.ok()) return note.status();
  const std::string text = note->substr(0, note->find("\n\n") + 1);
  // At most twice: a 409 tells us the size the witness holds, and the
  // second request starts from it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (*held > size) {
      return Status::FailedPrecondition(
          "the witness holds a checkpoint of size " + std::to_string(*held) +
          " for this origin, larger than this log's " + std::to_string(size) +
          ": another log is using this origin and key, or this ledger was restored from an "
          "older backup (docs/operations.md)");
    }
    std::vector<std::string> proof;
    if (*held > 0 && *held < size) {
      auto p = ledger_->ConsistencyProof(*held, size);
      if (!p.ok()) return p.status();
      proof = std::move(p.value());
    }
    auto reply = post_(endpoint, witness::AddCheckpointBody(*held, proof, note.value()));
    if (!reply.ok()) return reply.status();
    if (reply->status == 409) {
      const std::string first = FirstLine(reply->body);
      uint64_t claimed = 0;
      auto [end, ec] = std::from_chars(first.data(), first.data() + first.size(), claimed);
      if (ec != std::errc() || end != first.data() + first.size()) {
        return Status::InvalidArgument("the witness answered 409 without the size it holds (\"" +
                                       first + "\")");
      }
      *held = claimed;
      continue;
    }
    if (reply->status != 200) {
      return Status::IOError("the witness answered " + std::to_string(reply->status) + ": " +
                             FirstLine(reply->body));
    }
    // 200: one or more signature lines; keep the one by its key that verifies.
    size_t start = 0;
    while (start < reply->body.size()) {
      size_t end = reply->body.find('\n', start);
      if (end == std::string::npos) break;
      const std::string line = reply->body.substr(start, end + 1 - start);
      start = end + 1;
      auto parsed = ParseNote(text + "\n" + line);
      if (!parsed.ok() || parsed->signatures.size() != 1) continue;
      if (!endpoint.verifier.Verify(text, parsed->signatures[0], nullptr)) continue;
      EVIDENT_RETURN_IF_ERROR(ledger_->AddCosignatures(size, {{endpoint.verifier.name(), line}}));
      *held = size;
      return Status::OK();
    }
    return Status::VerificationFailed("the witness answered 200 without a cosignature that "
                                      "verifies with its key " + endpoint.verifier.Vkey());
  }
  return Status::IOError("the witness answered 409 twice");
}

Witnessing::Snapshot Witnessing::GetSnapshot() const {
  Snapshot s;
  s.log_checkpoint_size = NewestCheckpointSize();
  std::lock_guard<std::mutex> lock(mu_);
  for (const PerWitness& p : per_) s.witnesses.push_back(p.status);
  s.trusted_size = trusted_size_;
  s.quorum = policy_.quorum;
  if (behind_ && s.log_checkpoint_size > trusted_size_) {
    s.lag_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - behind_since_).count();
  }
  return s;
}

StatusOr<std::string> Witnessing::TrustedCheckpoint() const {
  uint64_t size = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    size = trusted_size_;
  }
  if (size == 0) size = NewestCheckpointSize();
  return ledger_->CosignedCheckpointNote(size);
}

std::string Witnessing::RenderMetrics() const {
  const Snapshot s = GetSnapshot();
  std::string out;
  auto gauge = [&out](const char* name, const char* help, const char* type) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };
  gauge("evident_witness_cosigned_size", "The newest tree size each witness cosigned.", "gauge");
  for (const WitnessStatus& w : s.witnesses) {
    out += "evident_witness_cosigned_size{witness=\"" + Label(w.name) + "\"} " +
           std::to_string(w.cosigned_size) + "\n";
  }
  gauge("evident_witness_last_cosigned_timestamp_seconds",
        "When each witness last cosigned (Unix time; 0: never).", "gauge");
  for (const WitnessStatus& w : s.witnesses) {
    out += "evident_witness_last_cosigned_timestamp_seconds{witness=\"" + Label(w.name) + "\"} " +
           std::to_string(w.last_cosigned_unix) + "\n";
  }
  gauge("evident_witness_up", "1 if the witness's last answer was a cosignature.", "gauge");
  for (const WitnessStatus& w : s.witnesses) {
    out += "evident_witness_up{witness=\"" + Label(w.name) + "\"} " + (w.answering ? "1" : "0") +
           "\n";
  }
  gauge("evident_witness_requests_total", "add-checkpoint requests sent to each witness.",
        "counter");
  for (const WitnessStatus& w : s.witnesses) {
    out += "evident_witness_requests_total{witness=\"" + Label(w.name) + "\"} " +
           std::to_string(w.requests) + "\n";
  }
  gauge("evident_witness_failures_total", "Requests that ended without a cosignature.", "counter");
  for (const WitnessStatus& w : s.witnesses) {
    out += "evident_witness_failures_total{witness=\"" + Label(w.name) + "\"} " +
           std::to_string(w.failures) + "\n";
  }
  gauge("evident_cosigned_size", "The newest tree size cosigned by the quorum of witnesses.",
        "gauge");
  out += "evident_cosigned_size " + std::to_string(s.trusted_size) + "\n";
  gauge("evident_cosigning_lag_entries",
        "Entries in the newest checkpoint beyond the newest one the quorum cosigned.", "gauge");
  out += "evident_cosigning_lag_entries " +
         std::to_string(s.log_checkpoint_size - std::min(s.log_checkpoint_size, s.trusted_size)) +
         "\n";
  gauge("evident_cosigning_lag_seconds",
        "How long the log has been ahead of the newest checkpoint the quorum cosigned (0: not).",
        "gauge");
  char seconds[32];
  snprintf(seconds, sizeof seconds, "%.3f", s.lag_seconds);
  out += std::string("evident_cosigning_lag_seconds ") + seconds + "\n";
  return out;
}

}  // namespace evident::server
