#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

// The ledger's one narrow door to durable storage. RocksStorage is the real
// one; tests wrap it to inject faults.
//
// The interface has no delete and no way to write outside a batch: the log is
// append-only by construction (DESIGN.md invariant 1). docs/format.md gives
// the keys and values of every column.
namespace evident {

enum class Column {
  kEntries = 0,      // u64be sequence -> Entry FlatBuffer bytes
  kEventIds = 1,     // 16-byte event id || principal id -> u64be sequence
  kKeyEvents = 2,    // u64be sequence of each KeyRegistered/KeyRevoked entry -> ""
  kMeta = 3,         // ASCII name -> value (format version, origin)
  kMerkle = 4,       // u8 level || u64be index -> 32-byte hash of that perfect subtree
  kCheckpoints = 5,  // u64be tree size -> signed checkpoint note
  kSubjects = 6,     // who registered each subject (ledger/subject_owners.h)
  // u64be tree size || witness name -> that witness's cosignature line on the
  // checkpoint at that size (ledger/cosignature.h). Written beside the log,
  // never part of it: a ledger opened read-only that predates this column
  // reads it as empty.
  kCosignatures = 7,
};
constexpr int kColumnCount = 8;
const char* ColumnName(Column column);

// Puts applied together, atomically and durably, by Storage::Write.
class WriteBatch {
 public:
  struct Put {
    Column column;
    std::string key;
    std::string value;
  };
  void Put(Column column, std::string key, std::string value) {
    puts_.push_back({column, std::move(key), std::move(value)});
  }
  const std::vector<struct Put>& puts() const { return puts_; }
  bool empty() const { return puts_.empty(); }
  // Drops every put after the first `count`.
  void Truncate(size_t count) { puts_.resize(count); }

 private:
  std::vector<struct Put> puts_;
};

// Iterates one column in key order. Not thread-safe; sees a consistent snapshot.
class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void Seek(std::string_view key) = 0;
  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual void Prev() = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  // Not OK if iteration stopped on an error (e.g. a corrupt block on disk).
  virtual Status status() const = 0;
};

// Thread-safe: any number of readers, and writers, at once.
class Storage {
 public:
  virtual ~Storage() = default;
  // NotFound when absent; IOError or Corruption when the read failed.
  virtual Status Get(Column column, std::string_view key, std::string* value) = 0;
  // Applies every put or none, and returns only after the write is synced to
  // disk. On error nothing of the batch is visible.
  virtual Status Write(const WriteBatch& batch) = 0;
  virtual std::unique_ptr<Cursor> NewCursor(Column column) = 0;
  // Writes a consistent copy of the whole database, as of one instant, into
  // `dir`, which must not exist; writes go on meanwhile. FailedPrecondition
  // where the storage cannot (read-only, or a test's fake).
  virtual Status Snapshot(const std::string& dir) {
    return Status::FailedPrecondition("this storage cannot be backed up");
  }
};

enum class OpenMode {
  kCreate,     // a new database; refused if one exists
  kReadWrite,  // the one process that appends (RocksDB's lock enforces it)
  kReadOnly,   // readers beside a running writer: no lock taken, Write refused
};

// Opens the RocksDB database in `path`. InvalidArgument for a directory that
// holds no Evident ledger. A read-only storage sees what was committed when
// it was opened.
StatusOr<std::unique_ptr<Storage>> OpenRocksStorage(const std::string& path, OpenMode mode);

}  // namespace evident
