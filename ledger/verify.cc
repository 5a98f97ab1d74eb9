#include "ledger/verify.h"

#include <memory>
#include <thread>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/key_registry.h"
#include "ledger/ledger.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "ledger/parallel.h"
#include "ledger/subject_owners.h"
#include "ledger/tree_store.h"

namespace evident {
namespace {

constexpr size_t kChunk = 4096;

// One stored entry read for checking.
struct Item {
  uint64_t position;
  std::string bytes;
  std::optional<PublicKey> key;  // set once the key rules passed
  SignedEvent signed_event;
};

// The signatures of one chunk's first `checked` items (those that passed
// the structural checks), verified on worker threads while the next chunk
// is read and checked: the sequential checks and the signatures overlap.
struct SignatureBatch {
  std::vector<Item> items;
  size_t checked = 0;
  std::vector<char> bad;
  std::thread worker;

  void Start(int threads) {
    bad.assign(checked, 0);
    worker = std::thread([this, threads] {
      ParallelFor(checked, threads, [this](size_t i) {
        bad[i] = !VerifyEventSignature(*items[i].key, items[i].signed_event);
      });
    });
  }
  void Wait() {
    if (worker.joinable()) worker.join();
  }
  ~SignatureBatch() { Wait(); }
};

class LogVerifier {
 public:
  LogVerifier(Storage* storage, const VerifyOptions& options)
      : storage_(storage),
        options_(options),
        key_events_(storage->NewCursor(Column::kKeyEvents)),
        checkpoints_(storage->NewCursor(Column::kCheckpoints)) {
    key_events_->SeekToFirst();
    checkpoints_->SeekToFirst();
  }

  VerifyReport Run();

 private:
  // Checks everything but the signature of `item`, in log order. On a
  // problem, records it and returns false.
  bool CheckStructure(Item* item);
  bool ReadChunk(Cursor* cursor, uint64_t* position, std::vector<Item>* chunk);
  bool TallySignatures(const struct SignatureBatch& batch);
  bool CheckSubjectRule(uint64_t p, std::string_view signer_key_id, const schema::Event& ev,
                        const std::string& principal);
  bool CheckMerkle(uint64_t position, const std::string& entry_bytes);
  bool CheckCheckpoint(uint64_t size);
  void CheckIndexesHoldNothingMore();
  void CheckTreeHoldsNothingMore();
  void CheckCosignatures();
  void NameStrayEventId();
  bool Fail(uint64_t position, const std::string& problem) {
    if (!report_.first_bad_position || position < *report_.first_bad_position) {
      report_.first_bad_position = position;
      report_.problem = "position " + std::to_string(position) + ": " + problem;
    }
    return false;
  }
  bool failed() const { return !report_.ok(); }

  Storage* storage_;
  const VerifyOptions& options_;
  std::unique_ptr<Cursor> key_events_;
  std::unique_ptr<Cursor> checkpoints_;
  std::string origin_;
  merkle::CompactRange range_;
  uint64_t last_checkpoint_size_ = 0;
  KeyRegistry registry_;
  std::map<std::string, std::string> subject_rows_;  // the subjects column as it should be
  uint64_t subjects_from_ = 0;                        // where key rule 7 starts
  int64_t last_recorded_at_ = 0;
  VerifyReport report_;
};

bool LogVerifier::CheckStructure(Item* item) {
  const uint64_t p = item->position;
  auto entry = ParseEntry(item->bytes);
  if (!entry.ok()) return Fail(p, entry.status().message());
  const schema::Entry* e = entry.value();
  if (e->sequence() != p) {
    return Fail(p, "the entry says it is at position " + std::to_string(e->sequence()));
  }
  if (e->recorded_at_micros() < last_recorded_at_) {
    return Fail(p, "recorded-at time goes backwards from the previous entry");
  }
  // One group commit stamps all its entries with one time and signs one
  // checkpoint after them; so where the time changes, a commit ended, and
  // its checkpoint must be there (a deleted one is caught here).
  if (p > 0 && e->recorded_at_micros() != last_recorded_at_ && last_checkpoint_size_ != p) {
    return Fail(p, "this entry's recorded-at time differs from the previous entry's, so a "
                   "commit ended before it, but no checkpoint is stored at size " +
                       std::to_string(p) + "; every commit signs one");
  }
  last_recorded_at_ = e->recorded_at_micros();
  item->signed_event = SignedEventOf(e);
  auto event = ParseEvent(item->signed_event.event);
  if (!event.ok()) return Fail(p, event.status().message());
  const schema::Event& ev = *event.value();

  const bool is_key_event = KeyRegistry::IsKeyEvent(ev.body_type());
  const bool listed = key_events_->Valid() && key_events_->key() == EncodeKey64(p);
  if (is_key_event != listed) {
    return Fail(p, is_key_event ? "a key event missing from the key_events index"
                                : "listed in the key_events index but not a key event");
  }
  if (listed && !key_events_->value().empty()) {
    return Fail(p, "the key_events index holds a value for this position; it holds none");
  }
  if (listed) key_events_->Next();

  auto key = registry_.Check(item->signed_event.signer_key_id, ev, p);
  if (!key.ok()) return Fail(p, "key rule broken: " + key.status().message());
  Status amends = registry_.CheckAmendment(
      item->signed_event.signer_key_id, ev,
      [&](std::string_view target) { return StoredHoldersOf(storage_, target, p); });
  if (!amends.ok()) {
    return Fail(p, (amends.code() == Status::Code::kPermissionDenied ? "key rule broken: " : "") +
                       amends.message());
  }
  const std::string principal = registry_.PrincipalOf(item->signed_event.signer_key_id, ev);
  if (!CheckSubjectRule(p, item->signed_event.signer_key_id, ev, principal)) return false;
  std::string indexed;
  Status s = storage_->Get(Column::kEventIds, EventIndexKey(EventIdOf(&ev), principal), &indexed);
  if (!s.ok() || indexed != EncodeKey64(p)) {
    return Fail(p, "the event_ids index does not map event " + EventIdHex(EventIdOf(&ev)) +
                       " of " + principal +
                       " to this position" + (s.ok() ? "" : " (" + s.message() + ")"));
  }
  item->key = key.value();
  registry_.Apply(ev, p);
  if (is_key_event) ++report_.key_events;
  return CheckMerkle(p, item->bytes) && CheckCheckpoint(p + 1);
}

// Key rule 7, folded as the appender folds it; the subjects column is
// compared with the result at the end.
bool LogVerifier::CheckSubjectRule(uint64_t p, std::string_view signer_key_id,
                                   const schema::Event& ev, const std::string& principal) {
  const KeyRegistry::KeyInfo* signer = registry_.Find(signer_key_id);
  SubjectEvent subject_event;
  subject_event.event = &ev;
  subject_event.position = p;
  subject_event.principal_id = principal;
  subject_event.admin = signer != nullptr && signer->role == schema::Role::Admin;
  subject_event.before_rule = p < subjects_from_;
  if (const std::string_view target = AmendedEventIdOf(&ev); !target.empty()) {
    auto holders = StoredHoldersOf(storage_, target, p);
    auto amended = holders.ok() ? ResolveAmendedEvent(&ev, principal, holders.value())
                                : StatusOr<std::optional<IdHolder>>(holders.status());
    if (!amended.ok()) return Fail(p, amended.status().message());
    if (amended.value()) subject_event.amended_position = amended.value()->position;
  }
  auto rows = ApplySubjectRule(
      subject_event, [&](const std::string& key) -> StatusOr<std::optional<std::string>> {
        auto it = subject_rows_.find(key);
        if (it == subject_rows_.end()) return std::optional<std::string>();
        return std::optional<std::string>(it->second);
      });
  if (!rows.ok()) {
    return Fail(p, (rows.status().code() == Status::Code::kPermissionDenied ? "key rule broken: "
                                                                             : "") +
                       rows.status().message());
  }
  for (auto& [key, value] : rows.value()) subject_rows_[key] = std::move(value);
  return true;
}

// Counts the batch's verified items; false at the first bad signature.
bool LogVerifier::TallySignatures(const SignatureBatch& batch) {
  for (size_t i = 0; i < batch.checked; ++i) {
    if (batch.bad[i]) {
      return Fail(batch.items[i].position,
                  "the event signature does not verify with key " +
                      ShortKeyId(batch.items[i].signed_event.signer_key_id));
    }
    ++report_.signatures;
    ++report_.entries;
  }
  return true;
}

// Reads up to kChunk entries from `*position` on; false when there are none
// (or reading failed before any).
bool LogVerifier::ReadChunk(Cursor* cursor, uint64_t* position, std::vector<Item>* chunk) {
  for (; cursor->Valid() && chunk->size() < kChunk; cursor->Next(), ++*position) {
    if (cursor->key() != EncodeKey64(*position)) {
      Fail(*position, "no entry is stored here (the next key is " + HexEncode(cursor->key()) + ")");
      break;
    }
    chunk->push_back(Item{*position, std::string(cursor->value()), {}, {}});
  }
  if (!cursor->status().ok()) Fail(*position, "reading failed: " + cursor->status().message());
  return !chunk->empty();
}

bool LogVerifier::CheckMerkle(uint64_t position, const std::string& entry_bytes) {
  std::string problem;
  range_.Append(merkle::LeafHash(entry_bytes), [&](merkle::NodeId id, const std::string& hash) {
    if (!problem.empty()) return;
    std::string stored;
    Status s = storage_->Get(Column::kMerkle, MerkleNodeKey(id), &stored);
    if (!s.ok() || stored != hash) {
      problem = "the stored Merkle node (level " + std::to_string(id.level) + ", index " +
                std::to_string(id.index) + ") " +
                (s.ok() ? "does not match the hash recomputed from the entries" : s.message());
    }
    ++report_.merkle_nodes;
  });
  return problem.empty() || Fail(position, problem);
}

// Checks the checkpoint stored for tree size `size`, if there is one. The
// registry holds the keys as of that size: entries 0 .. size-1 are applied.
bool LogVerifier::CheckCheckpoint(uint64_t size) {
  const std::string key = EncodeKey64(size);
  if (!checkpoints_->Valid() || checkpoints_->key() > std::string_view(key)) return true;
  if (checkpoints_->key() != key) {
    return Fail(size - 1, "a checkpoint is stored under the malformed or out-of-order key " +
                              HexEncode(checkpoints_->key()));
  }
  const std::string note(checkpoints_->value());
  checkpoints_->Next();
  const std::string where = "the checkpoint at size " + std::to_string(size);
  Status why = Status::VerificationFailed("no active Ledger key is registered");
  std::optional<Checkpoint> checkpoint;
  for (const auto& [id, info] : registry_.keys()) {
    if (info.role != schema::Role::Ledger || info.revoked_at) continue;
    auto verifier = NoteVerifier::Create(origin_, info.key);
    if (!verifier.ok()) return Fail(size - 1, where + ": " + verifier.status().message());
    auto opened = OpenCheckpoint(note, verifier.value());
    if (opened.ok()) {
      checkpoint = opened.value();
      break;
    }
    why = opened.status();
  }
  if (!checkpoint) return Fail(size - 1, where + ": " + why.message());
  if (checkpoint->size != size) {
    return Fail(size - 1, where + " says size " + std::to_string(checkpoint->size));
  }
  if (checkpoint->root != range_.Root()) {
    return Fail(size - 1, where + " signs root " + HexEncode(checkpoint->root) +
                              ", but the entries give " + HexEncode(range_.Root()));
  }
  last_checkpoint_size_ = size;
  ++report_.checkpoints;
  return true;
}

void LogVerifier::CheckTreeHoldsNothingMore() {
  const uint64_t n = report_.entries;
  if (checkpoints_->Valid()) {
    report_.problem = "a checkpoint is stored for size " +
                      (checkpoints_->key().size() == 8
                           ? std::to_string(DecodeFixed64BE(checkpoints_->key().data()))
                           : HexEncode(checkpoints_->key())) +
                      ", beyond the log's " + std::to_string(n) + " entries";
    return;
  }
  if (n > 0 && last_checkpoint_size_ != n) {
    Fail(last_checkpoint_size_,
         "no signed checkpoint covers the entries from here on (the log "
         "has " +
             std::to_string(n) +
             " entries; the newest checkpoint "
             "is at size " +
             std::to_string(last_checkpoint_size_) + ")");
    return;
  }
  uint64_t nodes = 0;
  auto cursor = storage_->NewCursor(Column::kMerkle);
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) ++nodes;
  if (nodes != report_.merkle_nodes) {
    report_.problem = "the merkle column holds " + std::to_string(nodes) + " nodes; a log of " +
                      std::to_string(n) + " entries has " + std::to_string(report_.merkle_nodes);
  }
}

void LogVerifier::CheckCosignatures() {
  auto cursor = storage_->NewCursor(Column::kCosignatures);
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
    const std::string_view key = cursor->key();
    if (key.size() < 9) {
      report_.problem = "the cosignatures column has a malformed key " + HexEncode(key);
      return;
    }
    const uint64_t size = DecodeFixed64BE(key.data());
    const std::string name(key.substr(8));
    const std::string where =
        "the cosignature of " + name + " on the checkpoint at size " + std::to_string(size);
    std::string note;
    Status s = storage_->Get(Column::kCheckpoints, EncodeKey64(size), &note);
    if (!s.ok()) {
      report_.problem = where + ": no checkpoint is stored at that size";
      return;
    }
    const std::string text = note.substr(0, note.find("\n\n") + 1);
    auto line = ParseNote(text + "\n" + std::string(cursor->value()));
    if (!line.ok() || line->signatures.size() != 1 || line->signatures[0].key_name != name ||
        line->signatures[0].signature.size() != 8 + kEd25519SignatureSize) {
      report_.problem = where + ": not one timestamped Ed25519 signature line by " + name;
      return;
    }
    ++report_.cosignatures;
    for (const CosignatureVerifier& w : options_.witnesses.witnesses) {
      if (!w.Matches(line->signatures[0])) continue;
      if (!w.Verify(text, line->signatures[0], nullptr)) {
        report_.problem = where + ": it does not verify with the witness's key " + w.Vkey();
        return;
      }
      ++report_.cosignatures_verified;
    }
  }
  if (!cursor->status().ok()) {
    report_.problem = "reading the cosignatures failed: " + cursor->status().message();
  }
}

void LogVerifier::CheckIndexesHoldNothingMore() {
  const uint64_t n = report_.entries;
  if (subjects_from_ > n) {
    report_.problem = "the meta column says key rule 7 starts at position " +
                      std::to_string(subjects_from_) + ", past the log's " + std::to_string(n) +
                      " entries";
    return;
  }
  // The subjects column holds exactly what the log's registrations imply.
  auto subjects = storage_->NewCursor(Column::kSubjects);
  size_t stored = 0;
  for (subjects->SeekToFirst(); subjects->Valid(); subjects->Next()) ++stored;
  if (!subjects->status().ok()) {
    report_.problem = "reading the subjects index failed: " + subjects->status().message();
    return;
  }
  bool same = stored == subject_rows_.size();
  if (same) {
    subjects->SeekToFirst();
    for (const auto& [key, value] : subject_rows_) {
      if (subjects->key() != key || subjects->value() != value) {
        same = false;
        break;
      }
      subjects->Next();
    }
  }
  if (!same) {
    report_.problem =
        "the subjects index does not hold what the log's registrations and voids imply (" +
        std::to_string(stored) + " rows where " + std::to_string(subject_rows_.size()) +
        " are due)";
    return;
  }
  if (key_events_->Valid()) {
    uint64_t p = key_events_->key().size() == 8 ? DecodeFixed64BE(key_events_->key().data()) : n;
    Fail(p, "the key_events index lists a position with no key event");
    return;
  }
  // Each of the n entries' ids mapped back to its own position, so the index
  // holds exactly n ids iff it holds nothing else (format 1's keys, left by
  // the migration and never read, aside).
  uint64_t ids = 0;
  auto cursor = storage_->NewCursor(Column::kEventIds);
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
    if (cursor->key().size() != kEventIdBytes) ++ids;
  }
  if (!cursor->status().ok()) {
    report_.problem = "reading the event_ids index failed: " + cursor->status().message();
  } else if (ids > n) {
    NameStrayEventId();
  }
}

void LogVerifier::NameStrayEventId() {
  auto cursor = storage_->NewCursor(Column::kEventIds);
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
    const std::string_view key = cursor->key();
    if (key.size() == kEventIdBytes) continue;
    std::string_view v = cursor->value();
    std::string bytes;
    bool matches = key.size() > kEventIdBytes && v.size() == 8 &&
                   storage_->Get(Column::kEntries, v, &bytes).ok();
    if (matches) {
      auto entry = ParseEntry(bytes);
      auto event = entry.ok() ? ParseEvent(AsView(entry.value()->event()))
                              : StatusOr<const schema::Event*>(entry.status());
      matches = event.ok() && EventIdOf(event.value()) == key.substr(0, kEventIdBytes);
    }
    if (!matches) {
      report_.problem =
          "the event_ids index holds event " + EventIdHex(key.substr(0, kEventIdBytes)) +
          (key.size() > kEventIdBytes ? " of " + std::string(key.substr(kEventIdBytes)) : "") +
          (v.size() == 8 ? ", claimed at position " + std::to_string(DecodeFixed64BE(v.data()))
                         : std::string()) +
          ", which no entry of the log has";
      return;
    }
  }
  report_.problem = "the event_ids index holds more ids than the log has entries";
}

VerifyReport LogVerifier::Run() {
  std::string format;
  if (!storage_->Get(Column::kMeta, "format", &format).ok() || format != kLedgerFormat ||
      !storage_->Get(Column::kMeta, "origin", &origin_).ok()) {
    report_.problem = "the meta column does not name an Evident ledger and its origin";
    return report_;
  }
  std::string subjects_from;
  if (storage_->Get(Column::kMeta, std::string(kMetaSubjectsFrom), &subjects_from).ok()) {
    if (subjects_from.size() != 8) {
      report_.problem = "the meta column's subjects_from is not 8 bytes";
      return report_;
    }
    subjects_from_ = DecodeFixed64BE(subjects_from.data());
  }
  auto cursor = storage_->NewCursor(Column::kEntries);
  cursor->SeekToFirst();
  uint64_t position = 0;
  const int threads = options_.threads > 0 ? options_.threads : DefaultThreads();
  // Chunk k's signatures are checked while chunk k+1 is read and checked.
  // A structural problem found in chunk k+1 is at a later position than any
  // in chunk k, and Fail keeps the first, so the report is as if in order.
  std::unique_ptr<SignatureBatch> in_flight;
  for (;;) {
    auto next = std::make_unique<SignatureBatch>();
    const bool more = !failed() && ReadChunk(cursor.get(), &position, &next->items);
    if (more) {
      while (next->checked < next->items.size() && CheckStructure(&next->items[next->checked])) {
        ++next->checked;
      }
    }
    if (in_flight) {
      in_flight->Wait();
      if (!TallySignatures(*in_flight)) break;
      if (options_.progress) options_.progress(report_.entries);
    }
    if (!more) break;
    next->Start(threads);
    in_flight = std::move(next);
  }
  if (!failed()) CheckIndexesHoldNothingMore();
  if (!failed()) CheckTreeHoldsNothingMore();
  if (!failed()) CheckCosignatures();
  return report_;
}

}  // namespace

StatusOr<VerifyReport> VerifyLog(Storage* storage, const VerifyOptions& options) {
  LogVerifier verifier(storage, options);
  return verifier.Run();
}

}  // namespace evident
