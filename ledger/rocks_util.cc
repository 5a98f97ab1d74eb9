#include "ledger/rocks_util.h"

#include <string>

namespace evident {

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  std::string msg = std::string(what) + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  if (s.IsNoSpace()) return Status::IOError(msg + " (the disk is full; free space and retry)");
  return Status::IOError(msg);
}

void FlushIfLarge(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
  constexpr uint64_t kFlushAboveBytes = 8 << 20;
  uint64_t bytes = 0;
  if (!db->GetIntProperty("rocksdb.cur-size-all-mem-tables", &bytes) || bytes <= kFlushAboveBytes) {
    return;
  }
  rocksdb::Status s = handles.empty() ? db->Flush(rocksdb::FlushOptions())
                                      : db->Flush(rocksdb::FlushOptions(), handles);
  s.PermitUncheckedError();
}

}  // namespace evident
