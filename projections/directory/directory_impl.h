#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "projections/directory/directory.h"

// The directory's database and its write lock, shared by directory.cc and
// erase.cc. Private to projections/directory/.
namespace evident::projections::directory {

class Directory::Impl {
 public:
  // The column families after the default one, in the order of handles_[1..].
  static constexpr const char* kFamilies[] = {"people", "erased", "accounts", "access"};

  // Takes `db` and its handles (the default family's first, then kFamilies).
  Impl(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles);
  ~Impl();

  // Reads (or, in a new directory, writes) the format and next_seq_.
  Status LoadMeta(const std::string& path);

  rocksdb::ColumnFamilyHandle* people() { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* erased() { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* accounts() { return handles_[3]; }
  rocksdb::ColumnFamilyHandle* access() { return handles_[4]; }

  // `batch`, synced; `what` names it in an error.
  Status Write(rocksdb::WriteBatch* batch, const std::string& what);
  StatusOr<std::optional<std::string>> Get(rocksdb::ColumnFamilyHandle* family,
                                           const std::string& key);
  // Calls fn(key, value) for every row of `family` in key order; stops at
  // its first error and returns it.
  Status Scan(rocksdb::ColumnFamilyHandle* family,
              const std::function<Status(std::string_view, std::string_view)>& fn);
  // FailedPrecondition if `id` has been erased. Call with write_mu_ held.
  Status RefuseErased(const std::string& id);

  // Rewrites the database's files after an erasure (erase.cc): flushes every
  // family, compacts each to its last level, has RocksDB delete the files
  // that held the old values, and checks that none is left. Call with
  // write_mu_ held.
  Status Scrub();

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::mutex write_mu_;    // held by every write
  uint64_t next_seq_ = 1;  // guarded by write_mu_
};

}  // namespace evident::projections::directory
