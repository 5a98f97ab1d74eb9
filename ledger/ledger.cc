#include "ledger/ledger.h"

#include <filesystem>
#include <map>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/file_util.h"
#include "ledger/subject_owners.h"
#include "ledger/tree_store.h"

namespace evident {
namespace {

constexpr std::string_view kMetaFormat = "format";
constexpr std::string_view kMetaOrigin = "origin";

Status CheckOrigin(const std::string& origin) {
  if (origin.empty() || origin.find_first_of(" +\n\t") != std::string::npos) {
    return Status::InvalidArgument("origin \"" + origin +
                                   "\" must be non-empty with no spaces or '+'");
  }
  return Status::OK();
}

// Replays the key events (found through the key_events index) into a registry.
Status RecoverRegistry(Storage* storage, KeyRegistry* registry) {
  auto cursor = storage->NewCursor(Column::kKeyEvents);
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
    if (cursor->key().size() != 8) return Status::Corruption("bad key_events key");
    uint64_t sequence = DecodeFixed64BE(cursor->key().data());
    std::string bytes;
    EVIDENT_RETURN_IF_ERROR(storage->Get(Column::kEntries, cursor->key(), &bytes)
                                .WithContext("key event at " + std::to_string(sequence)));
    auto entry = ParseEntry(bytes);
    if (!entry.ok()) return entry.status().WithContext("entry " + std::to_string(sequence));
    auto event = ParseEvent(AsView(entry.value()->event()));
    if (!event.ok()) return event.status().WithContext("entry " + std::to_string(sequence));
    auto checked =
        registry->Check(AsView(entry.value()->signer_key_id()), *event.value(), sequence);
    if (!checked.ok()) {
      return Status::Corruption("key event at position " + std::to_string(sequence) +
                                " does not apply: " + checked.status().message() +
                                "; run 'evident verify'");
    }
    registry->Apply(*event.value(), sequence);
  }
  return cursor->status();
}

// Format 1 had no subjects column (key rule 7): this folds the log's
// registrations and voids into it as the rule would have, passing over a
// registration it would refuse, and records where the rule starts.
Status MigrateSubjects(Storage* storage, const KeyRegistry& registry) {
  std::map<std::string, std::string> rows;
  uint64_t size = 0;
  auto cursor = storage->NewCursor(Column::kEntries);
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next(), ++size) {
    const std::string bytes(cursor->value());
    auto entry = ParseEntry(bytes);
    if (!entry.ok()) return entry.status().WithContext("migrating: entry");
    auto event = ParseEvent(AsView(entry.value()->event()));
    if (!event.ok()) return event.status().WithContext("migrating: entry");
    const std::string_view signer_key_id = AsView(entry.value()->signer_key_id());
    const KeyRegistry::KeyInfo* signer = registry.Find(signer_key_id);
    SubjectEvent e;
    e.event = event.value();
    e.position = size;
    e.principal_id = registry.PrincipalOf(signer_key_id, *event.value());
    e.admin = signer != nullptr && signer->role == schema::Role::Admin;
    e.before_rule = true;
    if (const std::string_view target = AmendedEventIdOf(event.value()); !target.empty()) {
      auto holders = StoredHoldersOf(storage, target, size);
      if (!holders.ok()) return holders.status();
      auto amended = ResolveAmendedEvent(event.value(), e.principal_id, holders.value());
      if (amended.ok() && amended.value()) e.amended_position = amended.value()->position;
    }
    auto changed = ApplySubjectRule(e, [&](const std::string& key) {
      auto it = rows.find(key);
      return StatusOr<std::optional<std::string>>(
          it == rows.end() ? std::nullopt : std::optional<std::string>(it->second));
    });
    if (!changed.ok()) return changed.status();
    for (auto& [key, value] : changed.value()) rows[key] = std::move(value);
  }
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  WriteBatch batch;
  for (auto& [key, value] : rows) batch.Put(Column::kSubjects, key, std::move(value));
  batch.Put(Column::kMeta, std::string(kMetaSubjectsFrom), EncodeKey64(size));
  batch.Put(Column::kMeta, std::string(kMetaFormat), std::string(kLedgerFormat));
  return storage->Write(batch);
}

// Format 1 keyed the event_ids index by the event id alone, so that one
// principal's event could take or block an id another chose. Format 2 keys
// it by id and principal (docs/format.md); this adds the format-2 key of
// every entry, then the format, so a crash part way leaves format 1 to be
// migrated again. Format 1's keys stay (the storage deletes nothing); no
// reader reads them.
Status MigrateEventIndex(Storage* storage, const KeyRegistry& registry) {
  constexpr size_t kBatchEntries = 100000;
  WriteBatch batch;
  auto cursor = storage->NewCursor(Column::kEntries);
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
    const std::string bytes(cursor->value());  // FlatBuffers wants aligned bytes: copy
    auto entry = ParseEntry(bytes);
    if (!entry.ok()) return entry.status().WithContext("migrating: entry");
    auto event = ParseEvent(AsView(entry.value()->event()));
    if (!event.ok()) return event.status().WithContext("migrating: entry");
    const std::string principal =
        registry.PrincipalOf(AsView(entry.value()->signer_key_id()), *event.value());
    batch.Put(Column::kEventIds, EventIndexKey(EventIdOf(event.value()), principal),
              std::string(cursor->key()));
    if (batch.puts().size() == kBatchEntries) {
      EVIDENT_RETURN_IF_ERROR(storage->Write(batch));
      batch = WriteBatch();
    }
  }
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  EVIDENT_RETURN_IF_ERROR(storage->Write(batch));
  return MigrateSubjects(storage, registry);
}

}  // namespace

StatusOr<std::unique_ptr<Ledger>> Ledger::Create(const std::string& dir, const std::string& origin,
                                                 std::optional<PrivateKey> ledger_key) {
  EVIDENT_RETURN_IF_ERROR(CheckOrigin(origin));
  // The ledger's folder and the database are its owner's alone: RocksDB
  // makes its files readable by all, so the folders are what keeps them in.
  EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(dir));
  if (std::filesystem::exists(DatabasePath(dir))) {
    return Status::Conflict(dir + " holds a ledger already");
  }
  EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(DatabasePath(dir)));
  auto storage = OpenRocksStorage(DatabasePath(dir), OpenMode::kCreate);
  if (!storage.ok()) return storage.status();
  WriteBatch meta;
  meta.Put(Column::kMeta, std::string(kMetaFormat), std::string(kLedgerFormat));
  meta.Put(Column::kMeta, std::string(kMetaOrigin), origin);
  EVIDENT_RETURN_IF_ERROR(storage.value()->Write(meta));
  auto ledger = OpenStorage(std::move(storage.value()), std::move(ledger_key));
  if (ledger.ok()) ledger.value()->dir_ = dir;
  return ledger;
}

StatusOr<std::unique_ptr<Ledger>> Ledger::Open(const std::string& dir, OpenMode mode) {
  if (!std::filesystem::exists(DatabasePath(dir))) {
    return Status::NotFound("no ledger in " + dir + " (no " + DatabasePath(dir) +
                            "); create one with 'evident init --ledger " + dir + "'");
  }
  std::optional<PrivateKey> ledger_key;
  if (mode != OpenMode::kReadOnly && std::filesystem::exists(LedgerKeyPath(dir))) {
    auto key = PrivateKey::LoadFile(LedgerKeyPath(dir));
    if (!key.ok()) return key.status();
    ledger_key = std::move(key.value());
  }
  auto storage = OpenRocksStorage(DatabasePath(dir), mode);
  if (!storage.ok()) return storage.status();
  auto ledger = OpenStorage(std::move(storage.value()), std::move(ledger_key));
  if (ledger.ok()) ledger.value()->dir_ = dir;
  return ledger;
}

StatusOr<std::unique_ptr<Ledger>> Ledger::OpenStorage(std::unique_ptr<Storage> storage,
                                                      std::optional<PrivateKey> ledger_key) {
  std::string format;
  Status s = storage->Get(Column::kMeta, kMetaFormat, &format);
  const bool format_1 = s.ok() && format == kLedgerFormat1;
  if (!s.ok() || (format != kLedgerFormat && !format_1)) {
    return Status::InvalidArgument("not an Evident ledger (format \"" + format + "\", want \"" +
                                   std::string(kLedgerFormat) + "\")");
  }
  std::unique_ptr<Ledger> ledger(new Ledger());
  EVIDENT_RETURN_IF_ERROR(storage->Get(Column::kMeta, kMetaOrigin, &ledger->origin_));

  uint64_t size = 0;
  int64_t last_recorded_at = 0;
  auto cursor = storage->NewCursor(Column::kEntries);
  cursor->SeekToLast();
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  if (cursor->Valid()) {
    if (cursor->key().size() != 8) return Status::Corruption("bad entries key");
    size = DecodeFixed64BE(cursor->key().data()) + 1;
    const std::string last(cursor->value());  // FlatBuffers wants aligned bytes: copy
    auto entry = ParseEntry(last);
    if (!entry.ok()) return entry.status().WithContext("last entry");
    last_recorded_at = entry.value()->recorded_at_micros();
  }
  KeyRegistry registry;
  EVIDENT_RETURN_IF_ERROR(RecoverRegistry(storage.get(), &registry));
  if (format_1) {
    Status migrated = MigrateEventIndex(storage.get(), registry);
    if (!migrated.ok()) {
      return Status::FailedPrecondition(
          "this ledger is in format 1, which a newer Evident migrates when it opens the ledger "
          "to write, and migrating it failed: " +
          migrated.message() +
          " (a read-only reader cannot migrate: start 'evident serve' on the ledger once; if "
          "that failed, fix what it names and start it again)");
    }
  }
  auto range = LoadCompactRange(storage.get(), size);
  if (!range.ok()) return range.status();
  std::optional<CheckpointSigner> signer;
  if (ledger_key) signer = CheckpointSigner{ledger->origin_, std::move(*ledger_key)};
  ledger->appender_ =
      std::make_unique<Appender>(storage.get(), size, std::move(registry), last_recorded_at,
                                 std::move(range.value()), std::move(signer));
  ledger->storage_ = std::move(storage);
  return ledger;
}

StatusOr<std::string> Ledger::ReadEntry(uint64_t sequence) {
  if (sequence >= size()) {
    return Status::NotFound("position " + std::to_string(sequence) + " is past the end (size " +
                            std::to_string(size()) + ")");
  }
  std::string bytes;
  EVIDENT_RETURN_IF_ERROR(storage_->Get(Column::kEntries, EncodeKey64(sequence), &bytes));
  return bytes;
}

Status Ledger::Scan(uint64_t from, uint64_t to,
                    const std::function<bool(uint64_t, std::string_view)>& fn) {
  to = std::min(to, size());
  auto cursor = storage_->NewCursor(Column::kEntries);
  uint64_t expect = from;
  std::string bytes;
  for (cursor->Seek(EncodeKey64(from)); cursor->Valid() && expect < to; cursor->Next(), ++expect) {
    if (cursor->key() != EncodeKey64(expect)) {
      return Status::Corruption("entry " + std::to_string(expect) +
                                " is missing; run 'evident verify'");
    }
    bytes.assign(cursor->value());  // an aligned copy: RocksDB's slices may be unaligned
    if (!fn(expect, bytes)) return Status::OK();
  }
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  if (expect < to) {
    return Status::Corruption("entry " + std::to_string(expect) +
                              " is missing; run 'evident verify'");
  }
  return Status::OK();
}

StatusOr<std::string> Ledger::CheckpointNote(uint64_t size) {
  std::string note;
  Status s = storage_->Get(Column::kCheckpoints, EncodeKey64(size), &note);
  if (s.code() == Status::Code::kNotFound) {
    return Status::NotFound("no checkpoint at size " + std::to_string(size) +
                            " (one is stored after each committed batch; 'evident checkpoint "
                            "--list' names them)");
  }
  if (!s.ok()) return s;
  return note;
}

StatusOr<std::string> Ledger::LatestCheckpointNote() {
  auto cursor = storage_->NewCursor(Column::kCheckpoints);
  cursor->SeekToLast();
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  if (!cursor->Valid()) return Status::NotFound("the ledger has no checkpoint yet");
  return std::string(cursor->value());
}

Status Ledger::AddCosignatures(uint64_t size, const std::map<std::string, std::string>& lines) {
  WriteBatch batch;
  for (const auto& [name, line] : lines) {
    const std::string key = EncodeKey64(size) + name;
    std::string existing;
    Status s = storage_->Get(Column::kCosignatures, key, &existing);
    if (s.ok()) continue;
    if (s.code() != Status::Code::kNotFound) return s;
    batch.Put(Column::kCosignatures, key, line);
  }
  if (batch.empty()) return Status::OK();
  return storage_->Write(batch);
}

namespace {

// The cosignature lines stored for `size`, read from `cursor` positioned
// anywhere in that size's rows or before them.
std::vector<std::string> CosignatureLinesAt(Cursor* cursor, uint64_t size) {
  std::vector<std::string> lines;
  const std::string prefix = EncodeKey64(size);
  for (cursor->Seek(prefix); cursor->Valid() && cursor->key().substr(0, 8) == prefix;
       cursor->Next()) {
    lines.emplace_back(cursor->value());
  }
  return lines;
}

}  // namespace

StatusOr<std::string> Ledger::CosignedCheckpointNote(uint64_t size) {
  auto note = CheckpointNote(size);
  if (!note.ok()) return note;
  auto cursor = storage_->NewCursor(Column::kCosignatures);
  std::vector<std::string> lines = CosignatureLinesAt(cursor.get(), size);
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  return AddSignatureLines(note.value(), lines);
}

StatusOr<uint64_t> Ledger::NewestCosignedSize(const WitnessPolicy& policy, size_t max_sizes) {
  auto cursor = storage_->NewCursor(Column::kCosignatures);
  cursor->SeekToLast();
  for (size_t looked = 0; cursor->Valid() && looked < max_sizes; ++looked) {
    if (cursor->key().size() < 8) return Status::Corruption("bad cosignatures key");
    const uint64_t size = DecodeFixed64BE(cursor->key().data());
    auto note = CosignedCheckpointNote(size);
    if (!note.ok()) return note.status();
    if (policy.empty() || CheckWitnessPolicy(note.value(), policy).ok()) return size;
    // On to the rows of the size before.
    cursor->Seek(EncodeKey64(size));
    cursor->Prev();
  }
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  return Status::NotFound(policy.empty() ? "no checkpoint of this ledger has been cosigned"
                                         : "no checkpoint of this ledger is cosigned by " +
                                               policy.Describe());
}

StatusOr<std::vector<uint64_t>> Ledger::CheckpointSizes(uint64_t from, size_t limit) {
  std::vector<uint64_t> sizes;
  auto cursor = storage_->NewCursor(Column::kCheckpoints);
  for (cursor->Seek(EncodeKey64(from)); cursor->Valid() && sizes.size() < limit; cursor->Next()) {
    if (cursor->key().size() != 8) return Status::Corruption("bad checkpoints key");
    sizes.push_back(DecodeFixed64BE(cursor->key().data()));
  }
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  return sizes;
}

StatusOr<std::vector<std::string>> Ledger::InclusionProof(uint64_t index, uint64_t size) {
  if (size > this->size()) {
    return Status::InvalidArgument("size " + std::to_string(size) + " is beyond the log (size " +
                                   std::to_string(this->size()) + ")");
  }
  return merkle::InclusionProof(index, size, StorageNodeReader(storage_.get()));
}

StatusOr<std::vector<std::string>> Ledger::ConsistencyProof(uint64_t size1, uint64_t size2) {
  if (size2 > size()) {
    return Status::InvalidArgument("size " + std::to_string(size2) + " is beyond the log (size " +
                                   std::to_string(size()) + ")");
  }
  return merkle::ConsistencyProof(size1, size2, StorageNodeReader(storage_.get()));
}

StatusOr<NoteVerifier> Ledger::CheckpointVerifier() {
  KeyRegistry registry;
  EVIDENT_RETURN_IF_ERROR(RecoverRegistry(storage_.get(), &registry));
  const KeyRegistry::KeyInfo* newest = nullptr;
  for (const auto& [id, info] : registry.keys()) {
    if (info.role != schema::Role::Ledger || info.revoked_at) continue;
    if (newest == nullptr || info.registered_at > newest->registered_at) newest = &info;
  }
  if (newest == nullptr) return Status::NotFound("the log registers no active Ledger key");
  return NoteVerifier::Create(origin_, newest->key);
}

}  // namespace evident
