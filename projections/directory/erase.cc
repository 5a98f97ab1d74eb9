// Erasure (DESIGN.md invariant 10): the person's row and accounts go in one
// synced batch, and then every file of the database that held them is
// replaced. RocksDB keeps a deleted value in three places until told
// otherwise: the write-ahead log that recorded its put, the memtable, and
// the table files a flush wrote it to (a delete is only a tombstone there).
// Flushing every column family retires the write-ahead logs; a compaction of
// each family down to its last level, forced, writes new table files without
// the value or its tombstone; and RocksDB then deletes the old files, which
// Scrub() checks before it returns.

#include <rocksdb/db.h>
#include <rocksdb/transaction_log.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "ledger/rocks_util.h"
#include "projections/directory/directory_impl.h"
#include "projections/directory/rows.h"

namespace evident::projections::directory {
namespace {

// The table files, write-ahead logs and MANIFESTs in the database's folder
// that are not live: files RocksDB has retired but not yet deleted.
StatusOr<std::vector<std::string>> StaleFiles(rocksdb::DB* db) {
  namespace fs = std::filesystem;
  std::vector<std::string> on_disk;  // listed before the live set is taken
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(db->GetName(), ec)) {
    const std::string ext = entry.path().extension().string();
    const std::string name = entry.path().filename().string();
    if (ext == ".sst" || ext == ".log" || name.rfind("MANIFEST-", 0) == 0) on_disk.push_back(name);
  }
  if (ec) return Status::IOError("cannot list " + db->GetName() + ": " + ec.message());
  std::vector<std::string> live_files;
  uint64_t manifest_size = 0;
  EVIDENT_RETURN_IF_ERROR(
      FromRocks(db->GetLiveFiles(live_files, &manifest_size, false), "listing live files"));
  rocksdb::VectorLogPtr wals;
  EVIDENT_RETURN_IF_ERROR(FromRocks(db->GetSortedWalFiles(wals), "listing write-ahead logs"));
  std::set<std::string> live;
  for (const std::string& f : live_files) live.insert(fs::path(f).filename().string());
  for (const auto& wal : wals) live.insert(fs::path(wal->PathName()).filename().string());
  // The list above leaves out an empty log, as the one begun by a flush is.
  std::unique_ptr<rocksdb::LogFile> current;
  EVIDENT_RETURN_IF_ERROR(
      FromRocks(db->GetCurrentWalFile(&current), "finding the write-ahead log"));
  live.insert(fs::path(current->PathName()).filename().string());
  std::vector<std::string> stale;
  for (const std::string& f : on_disk) {
    if (!live.count(f)) stale.push_back(f);
  }
  return stale;
}

}  // namespace

Status Directory::Impl::Scrub() {
  rocksdb::FlushOptions flush;
  flush.wait = true;
  EVIDENT_RETURN_IF_ERROR(
      FromRocks(db_->Flush(flush, handles_), "flushing the directory after an erasure"));
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    EVIDENT_RETURN_IF_ERROR(FromRocks(db_->CompactRange(compact, h, nullptr, nullptr),
                                      "rewriting the directory after an erasure"));
  }
  // The MANIFEST the compactions were logged in starts with the file set as
  // it was before them, old files' first and last keys (sign-in names)
  // included. One more change of the file set, a flush, starts a new
  // MANIFEST (max_manifest_file_size) that lists the live files alone.
  rocksdb::WriteOptions sync;
  sync.sync = true;
  EVIDENT_RETURN_IF_ERROR(FromRocks(
      db_->Put(sync, handles_[0], "scrubbed_at",
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count())),
      "rewriting the directory's MANIFEST after an erasure"));
  EVIDENT_RETURN_IF_ERROR(FromRocks(db_->Flush(flush, handles_[0]),
                                    "rewriting the directory's MANIFEST after an erasure"));
  // Retired files are deleted as flushes and compactions end, by their own
  // threads; enabling deletions again (it nests) deletes whatever is left at
  // once. A file a reader still has open goes when it closes: wait for that.
  constexpr int kTries = 250;  // 5 s
  for (int i = 0;; ++i) {
    EVIDENT_RETURN_IF_ERROR(FromRocks(db_->DisableFileDeletions(), "purging the directory"));
    EVIDENT_RETURN_IF_ERROR(FromRocks(db_->EnableFileDeletions(false), "purging the directory"));
    auto stale = StaleFiles(db_.get());
    if (!stale.ok()) return stale.status();
    if (stale->empty()) return Status::OK();
    if (i == kTries) {
      return Status::IOError("the erasure is recorded, but RocksDB has not deleted " +
                             stale->front() +
                             ", which may still hold the old values (a "
                             "reader holds it open); it goes when the directory is next opened");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status Directory::Erase(const std::string& id, const std::string& by, int64_t at) {
  if (id.empty()) return Status::InvalidArgument("give the id of the person to erase");
  std::lock_guard lock(impl_->write_mu_);
  auto person = impl_->Get(impl_->people(), id);
  if (!person.ok()) return person.status();
  std::vector<std::string> logins;
  Status s = impl_->Scan(impl_->accounts(), [&](std::string_view key, std::string_view value) {
    auto account = DecodeAccount(key, value);
    if (!account.ok()) return account.status();
    if (account->person == id) logins.push_back(account->login);
    return Status::OK();
  });
  EVIDENT_RETURN_IF_ERROR(s);
  if (!person->has_value() && logins.empty()) {
    auto erased = impl_->Get(impl_->erased(), id);
    if (!erased.ok()) return erased.status();
    if (erased->has_value()) return Status::NotFound("person " + id + " was erased already");
    return Status::NotFound("the directory has no person " + id + " and no account of theirs");
  }
  rocksdb::WriteBatch batch;
  batch.Delete(impl_->people(), id);
  for (const std::string& login : logins) batch.Delete(impl_->accounts(), login);
  batch.Put(impl_->erased(), id, EncodeErasure(Erasure{id, at, by}));
  EVIDENT_RETURN_IF_ERROR(impl_->Write(&batch, "the erasure of " + id));
  return impl_->Scrub();
}

}  // namespace evident::projections::directory
