// RocksDB behind the Storage interface. One column family per Column; every
// write is a WriteBatch with sync=true; RocksDB's Status is converted at this edge
// (ledger/rocks_util.h).

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/sst_file_manager.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "ledger/rocks_util.h"
#include "ledger/storage.h"

namespace evident {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

class RocksCursor : public Cursor {
 public:
  explicit RocksCursor(rocksdb::Iterator* it) : it_(it) {}
  void Seek(std::string_view key) override { it_->Seek(ToSlice(key)); }
  void SeekToFirst() override { it_->SeekToFirst(); }
  void SeekToLast() override { it_->SeekToLast(); }
  bool Valid() const override { return it_->Valid(); }
  void Next() override { it_->Next(); }
  void Prev() override { it_->Prev(); }
  std::string_view key() const override { return it_->key().ToStringView(); }
  std::string_view value() const override { return it_->value().ToStringView(); }
  Status status() const override { return FromRocks(it_->status(), "reading the ledger"); }

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
};

// A column the database does not have yet (a reader of a ledger from before
// it was added): nothing in it.
class EmptyCursor : public Cursor {
 public:
  void Seek(std::string_view) override {}
  void SeekToFirst() override {}
  void SeekToLast() override {}
  bool Valid() const override { return false; }
  void Next() override {}
  void Prev() override {}
  std::string_view key() const override { return {}; }
  std::string_view value() const override { return {}; }
  Status status() const override { return Status::OK(); }
};

class RocksStorage : public Storage {
 public:
  RocksStorage(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles,
               bool read_only)
      : db_(std::move(db)), handles_(std::move(handles)), read_only_(read_only) {}

  ~RocksStorage() override {
    if (!read_only_) FlushIfLarge(db_.get(), handles_);
    for (auto* handle : handles_) {
      if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle);
    }
    db_->Close().PermitUncheckedError();
  }

  Status Get(Column column, std::string_view key, std::string* value) override {
    if (Handle(column) == nullptr) return Status::NotFound(ColumnName(column));
    return FromRocks(db_->Get(rocksdb::ReadOptions(), Handle(column), ToSlice(key), value),
                     ColumnName(column));
  }

  Status Write(const WriteBatch& batch) override {
    if (read_only_) return Status::FailedPrecondition("the ledger was opened read-only");
    // The batch is applied in key order within each column: a memtable
    // insert next to the previous one skips most of the skip list's search
    // (a group's Merkle nodes alternate between levels, its event ids are
    // random). The order does not change what the batch stores.
    const auto& puts = batch.puts();
    std::vector<uint32_t> order(puts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      if (puts[a].column != puts[b].column) return puts[a].column < puts[b].column;
      return puts[a].key < puts[b].key;
    });
    rocksdb::WriteBatch rocks_batch;
    for (uint32_t i : order) {
      const auto& put = puts[i];
      rocksdb::Status s = rocks_batch.Put(Handle(put.column), ToSlice(put.key), ToSlice(put.value));
      if (!s.ok()) return FromRocks(s, "building a write batch");
    }
    rocksdb::WriteOptions options;
    options.sync = true;
    return FromRocks(db_->Write(options, &rocks_batch), "writing to the ledger");
  }

  Status Snapshot(const std::string& dir) override {
    if (read_only_) return Status::FailedPrecondition("a ledger opened read-only is not backed up");
    rocksdb::Checkpoint* raw = nullptr;
    rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    if (!s.ok()) return FromRocks(s, "starting a backup");
    // Hard links where the backup is on the same file system, copies
    // otherwise; the write-ahead log comes too, so every column family is
    // as of the same instant.
    return FromRocks(checkpoint->CreateCheckpoint(dir), "writing the backup to " + dir);
  }

  std::unique_ptr<Cursor> NewCursor(Column column) override {
    // Cursors mostly scan long runs (verify, export, projections): read
    // ahead in large blocks.
    if (Handle(column) == nullptr) return std::make_unique<EmptyCursor>();
    rocksdb::ReadOptions options;
    options.readahead_size = 2 << 20;
    return std::make_unique<RocksCursor>(db_->NewIterator(options, Handle(column)));
  }

 private:
  rocksdb::ColumnFamilyHandle* Handle(Column column) { return handles_[static_cast<int>(column)]; }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // indexed by Column
  const bool read_only_;
};

// What each column is tuned for. Every put goes through a memtable and then
// a flush and compactions, and on this log's path they share the cores with
// the signature checks: a column pays only for what its reads use.
rocksdb::ColumnFamilyOptions ColumnOptions(Column column, const rocksdb::Options& db_options) {
  rocksdb::ColumnFamilyOptions options(db_options);
  rocksdb::BlockBasedTableOptions table;
  switch (column) {
    case Column::kEventIds:
      // The one column read mostly for keys that are absent: the appender
      // looks up every new event id. Bloom filters over each memtable and
      // each file answer most of those misses without a search. The keys are
      // random and the values are positions: compression would not pay.
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      options.memtable_prefix_bloom_size_ratio = 0.02;
      options.memtable_whole_key_filtering = true;
      options.compression = rocksdb::kNoCompression;
      break;
    case Column::kMerkle:
      // Hashes do not compress, and every node read is one the tree has.
      options.compression = rocksdb::kNoCompression;
      break;
    case Column::kEntries:
      // Read by positions that exist. Snappy keeps the benchmark's entries
      // in 38% of their size (key ids and field names repeat): kept.
      break;
    case Column::kKeyEvents:
    case Column::kMeta:
    case Column::kCheckpoints:
    case Column::kSubjects:
    case Column::kCosignatures:
      // Small; a look-up here may miss (a size with no checkpoint, a
      // subject nobody registered).
      table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      break;
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// Obsolete files (a write-ahead log once every family in it has flushed, a
// compaction's inputs) are not unlinked at once but renamed `*.trash` and
// truncated a slice at a time in the background, then unlinked. On a file
// system that discards freed blocks as it commits its journal (ext4 mounted
// with `discard`), unlinking a 128 MiB log held the journal's next commit,
// and so the log's next synced write, for 40-60 ms; each slice now frees
// 1 MiB (docs/performance.md, append latency). A file with another hard link
// (a backup's) is unlinked at once, never truncated. RocksDB deletes any
// `*.trash` a crash left when it next opens the database.
Status DeleteObsoleteFilesGradually(rocksdb::Options* options) {
  // Over twice the rate at which the fastest ingest measured makes obsolete
  // files (about 25 MB/s of log at 22,000 events/s); should deletion fall
  // behind, trash past four times the size of the tables goes at once.
  constexpr int64_t kDeleteBytesPerSecond = 64 << 20;
  constexpr uint64_t kDeleteChunkBytes = 1 << 20;
  constexpr double kMaxTrashToTables = 4.0;
  rocksdb::Status s;
  options->sst_file_manager.reset(rocksdb::NewSstFileManager(
      rocksdb::Env::Default(), options->info_log, /*trash_dir=*/"", kDeleteBytesPerSecond,
      /*delete_existing_trash=*/true, &s, kMaxTrashToTables, kDeleteChunkBytes));
  return FromRocks(s, "setting up the deletion of obsolete files");
}

}  // namespace

const char* ColumnName(Column column) {
  switch (column) {
    case Column::kEntries:
      return "entries";
    case Column::kEventIds:
      return "event_ids";
    case Column::kKeyEvents:
      return "key_events";
    case Column::kMeta:
      return "meta";
    case Column::kMerkle:
      return "merkle";
    case Column::kCheckpoints:
      return "checkpoints";
    case Column::kSubjects:
      return "subjects";
    case Column::kCosignatures:
      return "cosignatures";
  }
  return "unknown";
}

StatusOr<std::unique_ptr<Storage>> OpenRocksStorage(const std::string& path, OpenMode mode) {
  const bool create = mode == OpenMode::kCreate;
  rocksdb::Options options;
  options.create_if_missing = create;
  options.error_if_exists = create;
  // A ledger of format 1 has no `subjects` family: a writer adds it and
  // migrates (ledger.cc); a reader is told to let a writer do so first.
  options.create_missing_column_families = mode != OpenMode::kReadOnly;
  std::vector<std::string> families;
  if (mode == OpenMode::kReadOnly &&
      !rocksdb::DB::ListColumnFamilies(options, path, &families).ok()) {
    families.clear();
  }
  auto has_family = [&](Column column) {
    return std::find(families.begin(), families.end(), ColumnName(column)) != families.end();
  };
  // A reader of a ledger written before the cosignatures column existed
  // reads it as empty; a writer adds it.
  const bool skip_cosignatures =
      mode == OpenMode::kReadOnly && !families.empty() && !has_family(Column::kCosignatures);
  if (mode == OpenMode::kReadOnly) {
    if (!families.empty() && !has_family(Column::kSubjects)) {
      return Status::FailedPrecondition(
          "the ledger at " + path +
          " is in format 1, which a newer Evident migrates when it opens the ledger to write: "
          "start 'evident serve' on it once");
    }
  }
  options.paranoid_checks = true;
  options.info_log = std::make_shared<SilentLogger>();
  options.IncreaseParallelism(2);
  // Flushes and compactions write their files to disk a megabyte at a time
  // as they go, not all at their end: a file's last sync then has little left
  // to write, and the log's own synced writes do not queue behind it
  // (docs/performance.md, append latency).
  options.bytes_per_sync = 1 << 20;
  // The write-ahead log is shared by every column family, and one is kept
  // until each family with data in it has flushed. The checkpoints, key
  // events and meta families take a few bytes per batch and would hold every
  // log file ever written (opening then replays them all): past this much
  // log, the families holding the oldest file are flushed.
  options.max_total_wal_size = 128 << 20;
  if (mode != OpenMode::kReadOnly) {
    EVIDENT_RETURN_IF_ERROR(DeleteObsoleteFilesGradually(&options));
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(options));
  for (int i = 0; i < kColumnCount; ++i) {
    const Column column = static_cast<Column>(i);
    if (column == Column::kCosignatures && skip_cosignatures) continue;
    descriptors.emplace_back(ColumnName(column), ColumnOptions(column, options));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = mode == OpenMode::kReadOnly
                          ? rocksdb::DB::OpenForReadOnly(options, path, descriptors, &handles, &raw)
                          : rocksdb::DB::Open(options, path, descriptors, &handles, &raw);
  if (!s.ok()) {
    if (!create && s.IsInvalidArgument()) {
      return Status::InvalidArgument("no Evident ledger database at " + path + " (" + s.ToString() +
                                     "); create one with 'evident init'");
    }
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return Status::IOError("the ledger at " + path + " is in use by another process (" +
                             s.ToString() + ")");
    }
    return FromRocks(s, "opening " + path);
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  db->DestroyColumnFamilyHandle(handles[0]);  // default: unused
  handles.erase(handles.begin());
  if (skip_cosignatures) handles.push_back(nullptr);  // kCosignatures, the last column
  return std::unique_ptr<Storage>(
      new RocksStorage(std::move(db), std::move(handles), mode == OpenMode::kReadOnly));
}

}  // namespace evident
