#pragma once

#include <rocksdb/env.h>
#include <rocksdb/db.h>

#include <string_view>
#include <vector>

#include "ledger/status.h"

// What every RocksDB database of Evident's needs at its edge: the ledger's
// (ledger/rocks_storage.cc) and the projection store's (projections/store.cc).
namespace evident {

// RocksDB's own info log is not kept: it would live on the database's disk
// and fail exactly when that disk is full (and this RocksDB build asserts
// when a failed log file is written again). Every error comes back to the
// caller as a Status instead. Give it to every database: options.info_log.
class SilentLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* /*format*/, va_list /*ap*/) override {}
};


// RocksDB's status as ours, `what` in front of the message; a full disk says
// so, with what to do.
Status FromRocks(const rocksdb::Status& s, std::string_view what);

// On a clean close: flushes memtables over 8 MiB, so a later open (read-only
// ones included) need not replay them from the write-ahead log, which takes
// seconds for a million entries. Best effort: on failure the log has it all.
// Empty `handles`: the default column family.
void FlushIfLarge(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles = {});

}  // namespace evident
