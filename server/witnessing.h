#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/cosignature.h"
#include "ledger/ledger.h"
#include "ledger/status.h"

// The ledger's side of witnessing (C2SP tlog-witness): `evident serve` sends
// its checkpoints to the witnesses it is configured with and stores the
// cosignatures they return beside the log (Ledger::AddCosignatures).
//
// It runs behind the appends and never holds one up: appends are
// acknowledged once synced, as always. Checkpoints are sent in rounds: each
// round takes the newest checkpoint and offers it to every witness; the
// next round starts once every witness that is answering has answered, so
// that the witnesses cosign the same sizes and a k-of-n policy is met at
// each round's size. Each witness has at most one request in flight. A
// witness that fails (down, slow, refusing) is retried with a back-off on
// the newest round's size without holding the others; the lag of the newest
// checkpoint meeting the policy behind the log grows, and is a metric
// (docs/operations.md says what to alert on).
namespace evident::server {

struct WitnessEndpoint {
  CosignatureVerifier verifier;  // the witness's name and cosigner key
  std::string url;               // https://host:port[/prefix]; add-checkpoint is below it
  std::string ca_file;           // PEM to trust for its TLS certificate; empty: the system's
};

struct WitnessReply {
  int status = 0;  // HTTP status
  std::string body;
};

// Sends one add-checkpoint body to a witness and waits for its answer.
// An error Status when no HTTP answer came (refused, timed out, bad TLS).
using WitnessPoster =
    std::function<StatusOr<WitnessReply>(const WitnessEndpoint& witness, const std::string& body)>;

// Posts to https://host:port[/prefix]/add-checkpoint, trusting the
// witness's ca_file (or the system's certificates), with a 10 s deadline.
WitnessPoster HttpsWitnessPoster();

struct WitnessingOptions {
  std::vector<WitnessEndpoint> witnesses;
  // How many of them make a checkpoint trusted (0: all): what the served
  // checkpoint and the lag metric count.
  size_t quorum = 0;
  // After a failure, wait this long before the next attempt, doubling up to
  // the maximum.
  std::chrono::milliseconds retry_initial{500};
  std::chrono::milliseconds retry_max{30000};
  // A round starts at most this often: a witness is asked about a
  // checkpoint a second, not about every batch, as production logs do. The
  // lag a reader sees is this plus the witnesses' answers.
  std::chrono::milliseconds round_interval{1000};
  // How often the newest checkpoint is looked at when nothing wakes the
  // rounds up (Notify does, after each commit).
  std::chrono::milliseconds poll{200};
  // Where a line about each failure goes (stderr when empty).
  std::function<void(const std::string&)> log;
};

class Witnessing {
 public:
  // InvalidArgument for a quorum larger than the witnesses.
  static StatusOr<std::unique_ptr<Witnessing>> Start(Ledger* ledger, WitnessingOptions options,
                                                     WitnessPoster post);
  ~Witnessing();  // stops; a request in flight is abandoned after its timeout

  // A new checkpoint was committed: start a round if none is running.
  void Notify();

  struct WitnessStatus {
    std::string name;
    uint64_t cosigned_size = 0;     // the newest size it cosigned for us
    int64_t last_cosigned_unix = 0;  // when (0: never)
    uint64_t requests = 0, failures = 0;
    bool answering = true;  // its last attempt succeeded
    std::string last_error;
  };
  struct Snapshot {
    std::vector<WitnessStatus> witnesses;
    uint64_t log_checkpoint_size = 0;  // the newest checkpoint's size
    uint64_t trusted_size = 0;         // the newest meeting the quorum (0: none)
    double lag_seconds = 0;            // since the log first grew past trusted_size
    size_t quorum = 0;
  };
  Snapshot GetSnapshot() const;
  // Prometheus text for the metrics endpoint (docs/operations.md).
  std::string RenderMetrics() const;
  // The newest checkpoint meeting the quorum, with its cosignatures; the
  // newest checkpoint when none does yet.
  StatusOr<std::string> TrustedCheckpoint() const;

 private:
  Witnessing(Ledger* ledger, WitnessingOptions options, WitnessPoster post);
  void RunRounds();
  void RunWitness(size_t i);
  // Offers the checkpoint at `size` to witness i; OK once its cosignature
  // is verified and stored.
  // *held is the size the witness is believed to hold, updated from its
  // answers.
  Status Offer(size_t i, uint64_t size, uint64_t* held);
  uint64_t NewestCheckpointSize() const;
  void Log(const std::string& line) const;

  Ledger* const ledger_;
  const WitnessingOptions options_;
  const WitnessPoster post_;
  const WitnessPolicy policy_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  uint64_t target_ = 0;  // the round's size
  struct PerWitness {
    uint64_t attempted = 0;  // the round size it last finished an attempt at
    uint64_t held = 0;       // the size we believe it holds (409 says otherwise)
    std::chrono::milliseconds backoff{0};
    WitnessStatus status;
  };
  std::vector<PerWitness> per_;  // guarded by mu_
  uint64_t trusted_size_ = 0;    // guarded by mu_
  std::chrono::steady_clock::time_point behind_since_;  // guarded by mu_
  bool behind_ = false;                                  // guarded by mu_
  std::vector<std::thread> threads_;
};

WitnessPolicy PolicyOf(const std::vector<WitnessEndpoint>& witnesses, size_t quorum);

}  // namespace evident::server
