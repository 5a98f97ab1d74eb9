#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/appender.h"
#include "ledger/cosignature.h"
#include "ledger/event.h"
#include "ledger/note.h"
#include "ledger/status.h"
#include "ledger/storage.h"

// The ledger: an append-only, signed log in RocksDB.
//
// A ledger directory holds `db/` (the RocksDB database; docs/format.md) and
// whatever the operator keeps beside it. Entries are only ever added, by the
// group-commit Appender; nothing updates or deletes one.
//
// Thread-safe: Append, reads and size() may be called from any thread.
namespace evident {

// Format 2 keys the event_ids index by event id and principal; a format-1
// ledger is migrated when it is opened to write (docs/format.md).
constexpr std::string_view kLedgerFormat = "evident-ledger/2";
constexpr std::string_view kLedgerFormat1 = "evident-ledger/1";

class Ledger {
 public:
  // Creates an empty ledger in `dir` (which may exist, but must not hold a
  // ledger). `origin` names the log in its checkpoints, e.g.
  // "evident.example/springfield-usd"; no spaces or '+'. `ledger_key` signs
  // the checkpoints; the first append must register it with role Ledger.
  static StatusOr<std::unique_ptr<Ledger>> Create(const std::string& dir, const std::string& origin,
                                                  std::optional<PrivateKey> ledger_key);
  // Opens the ledger in `dir`. kReadWrite loads the ledger key from
  // LedgerKeyPath(dir) when that file exists (without it appends fail);
  // kReadOnly takes no lock, so readers and auditors can run beside the one
  // writer. NotFound if there is no ledger.
  static StatusOr<std::unique_ptr<Ledger>> Open(const std::string& dir,
                                                OpenMode mode = OpenMode::kReadWrite);
  // Opens a ledger over `storage` (tests inject faults this way): recovers
  // the size, the key history, the Merkle tree's edge and the clock from what
  // is stored.
  static StatusOr<std::unique_ptr<Ledger>> OpenStorage(std::unique_ptr<Storage> storage,
                                                       std::optional<PrivateKey> ledger_key);

  static std::string DatabasePath(const std::string& dir) { return dir + "/db"; }
  static std::string LedgerKeyPath(const std::string& dir) { return dir + "/keys/ledger.pem"; }

  // The number of entries; positions run from 0 to size()-1.
  uint64_t size() const { return appender_->size(); }
  const std::string& origin() const { return origin_; }

  // See Appender::Append.
  StatusOr<std::vector<AppendResult>> Append(std::vector<SignedEvent> events,
                                             size_t* failed_index = nullptr) {
    return appender_->Append(std::move(events), failed_index);
  }
  // See Appender::CheckSigner.
  Status CheckSigner(std::string_view signer_key_id, const schema::Event& event) {
    return appender_->CheckSigner(signer_key_id, event);
  }

  // See Appender::FindKey.
  std::optional<KeyRegistry::KeyInfo> FindKey(std::string_view key_id) {
    return appender_->FindKey(key_id);
  }

  // The stored entry bytes at `sequence`. NotFound past the end.
  StatusOr<std::string> ReadEntry(uint64_t sequence);
  // Calls fn(sequence, entry bytes) for each entry in [from, to), in order,
  // until fn returns false. `to` is clamped to size().
  Status Scan(uint64_t from, uint64_t to,
              const std::function<bool(uint64_t, std::string_view)>& fn);

  // The signed checkpoint note at tree size `size`. A checkpoint is stored
  // for the size after every committed batch; NotFound for other sizes.
  StatusOr<std::string> CheckpointNote(uint64_t size);
  // The newest checkpoint note; NotFound for an empty ledger.
  StatusOr<std::string> LatestCheckpointNote();
  // The sizes that have checkpoints, from `from` on, at most `limit` of them.
  StatusOr<std::vector<uint64_t>> CheckpointSizes(uint64_t from, size_t limit);

  // Witnesses' cosignatures (ledger/cosignature.h), stored beside the log:
  // each `lines[name]` is the whole signature line of witness `name` on the
  // checkpoint at `size`, which the caller has verified. A witness's line
  // for a size is kept once; a second is ignored. Synced before it returns.
  Status AddCosignatures(uint64_t size, const std::map<std::string, std::string>& lines);
  // The checkpoint note at `size` with every cosignature stored for it.
  StatusOr<std::string> CosignedCheckpointNote(uint64_t size);
  // The newest size whose stored cosignatures meet `policy` (an empty policy:
  // at least one cosignature), looking at no more than `max_sizes` of the
  // newest cosigned sizes; NotFound if none of them does.
  StatusOr<uint64_t> NewestCosignedSize(const WitnessPolicy& policy,
                                        size_t max_sizes = SIZE_MAX);

  // RFC 9162 proofs from the stored tree; sizes must be <= size().
  StatusOr<std::vector<std::string>> InclusionProof(uint64_t index, uint64_t size);
  StatusOr<std::vector<std::string>> ConsistencyProof(uint64_t size1, uint64_t size2);

  // The signed-note verifier of the newest active Ledger key registered in
  // the log, named by the origin. NotFound if the log registers none.
  StatusOr<NoteVerifier> CheckpointVerifier();

  Storage* storage() { return storage_.get(); }
  // The ledger's directory; empty for a ledger opened over a storage.
  const std::string& dir() const { return dir_; }

 private:
  Ledger() = default;

  std::unique_ptr<Storage> storage_;
  std::unique_ptr<Appender> appender_;
  std::string origin_;
  std::string dir_;
};

}  // namespace evident
