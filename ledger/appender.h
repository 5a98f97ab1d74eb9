#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "ledger/event.h"
#include "ledger/key_registry.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/status.h"
#include "ledger/storage.h"
#include "ledger/work_pool.h"

namespace evident {

// What the appender signs each batch's checkpoint with: the log's origin and
// the ledger key, which must be registered in the log with role Ledger.
struct CheckpointSigner {
  std::string origin;
  PrivateKey key;
};

struct AppendResult {
  uint64_t sequence = 0;   // the event's position in the log
  bool duplicate = false;  // the same event was appended before, at `sequence`
};

// The group-commit appender: the one writer of the log.
//
// Any number of threads call Append at once. Callers queue; the caller at the
// head of the queue becomes the leader, takes the calls queued behind it (up
// to kMaxGroupEvents events), assigns positions, checks every key rule, and
// commits them all in one synced WriteBatch, together with the Merkle nodes
// they complete and a checkpoint signed for the new tree size; then every
// caller in the group returns. Nobody returns before the batch is on disk, so an OK return means
// durable (DESIGN.md invariant 2).
//
// Signatures are checked before queueing, against keys already registered,
// on a pool of one thread per core that every caller shares (first come,
// first served), so one caller's events spread over every core and the
// leader's commit overlaps the next callers' checks; only events signed by a
// key registered in the same group are checked by the leader.
//
// Threads: the position counter, the key registry and the recorded-at clock
// belong to whichever thread is leader (one at a time, handed on under mu_);
// registry_mu_ and keys_mu_ let other threads read what the leader replaces;
// size() is lock-free.
class Appender {
 public:
  static constexpr size_t kMaxEventsPerCall = 10000;
  static constexpr size_t kMaxGroupEvents = 4096;

  // Continues a log of `size` entries whose key history is `registry`, whose
  // Merkle tree's right edge is `range`, and whose last entry was recorded at
  // `last_recorded_at_micros`. Without a `signer` every append fails
  // (FailedPrecondition): no batch is stored without its checkpoint.
  // `storage` must outlive the appender.
  Appender(Storage* storage, uint64_t size, KeyRegistry registry, int64_t last_recorded_at_micros,
           merkle::CompactRange range, std::optional<CheckpointSigner> signer);

  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  // Appends every event, in order, or none of them.
  // OK: one result per event (new position, or the original one for a
  // duplicate). InvalidArgument: an event is malformed. VerificationFailed: a
  // signature does not verify. PermissionDenied: a key rule refuses a signer.
  // Conflict: the signer's principal appended this event id before with
  // different bytes (another principal's id is never in the way). IOError:
  // the write failed and nothing of the call is stored. On error,
  // `*failed_index` (if given) is the index of the event at fault, or
  // events.size() when the fault is not one event's; the message of an
  // event's fault starts "event I: " or "event I (id HEX): ", I that index.
  StatusOr<std::vector<AppendResult>> Append(std::vector<SignedEvent> events,
                                             size_t* failed_index = nullptr);

  // The gate every new event passes before its signer is looked at, however
  // it arrived (JSON through the codec, or a raw FlatBuffer over the wire):
  // ParseEvent's structural checks, then CheckEventRules. The event (pointing
  // into `bytes`), or InvalidArgument naming the field. Pure; any thread.
  static StatusOr<const schema::Event*> CheckNewEvent(std::string_view bytes);

  // May `signer_key_id` sign `event` if it were appended next? (The signer
  // rules of KeyRegistry::CheckSigner.) For a caller's early check, so that a
  // run of appends can be refused before any of it is stored; Append checks
  // everything again.
  Status CheckSigner(std::string_view signer_key_id, const schema::Event& event);

  // The key registered under `key_id` as the log stands now (revoked or
  // not), or nullopt.
  std::optional<KeyRegistry::KeyInfo> FindKey(std::string_view key_id);

  uint64_t size() const { return size_.load(std::memory_order_acquire); }

 private:
  struct Writer;
  struct Group;

  Status PreVerify(Writer* w);
  void CommitGroup(const std::vector<Writer*>& group);
  Status StageWriter(Writer* w, Group* g);
  Status StageEvent(Writer* w, size_t i, Group* g);
  Status FindStored(std::string_view event_id, std::string_view principal_id, uint64_t* sequence,
                    std::string* event_bytes);
  StatusOr<std::vector<IdHolder>> HoldersOf(const Group& g, std::string_view event_id);
  Status StageSubjectRows(Group* g, std::string_view signer_key_id, const schema::Event& event,
                          uint64_t sequence, const std::string& principal);
  Status SealGroup(Group* g);

  Storage* const storage_;
  std::atomic<uint64_t> size_;

  std::mutex mu_;
  std::deque<Writer*> writers_;  // guarded by mu_

  // Owned by the current leader. The leader replaces registry_ under
  // registry_mu_ so that CheckSigner may read it from other threads.
  std::shared_mutex registry_mu_;
  KeyRegistry registry_;
  int64_t last_recorded_at_micros_;
  merkle::CompactRange range_;
  const std::optional<CheckpointSigner> signer_;

  std::shared_mutex keys_mu_;
  std::map<std::string, PublicKey, std::less<>> known_keys_;  // guarded by keys_mu_

  WorkPool verify_pool_;
};

}  // namespace evident
