#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <thread>

#include "ledger/coding.h"
#include "ledger/storage.h"
#include "tests/testutil/test_util.h"

namespace evident::testing {
namespace {

// Storage::Write applies a batch in key order per column (for the memtable's
// sake); what it stores must be what the batch says, in the order it says.
TEST(RocksStorageTest, ABatchStoresWhatItSaysWhateverTheOrderOfItsPuts) {
  TempDir dir;
  auto storage = Must(OpenRocksStorage(dir.path() + "/db", OpenMode::kCreate));
  WriteBatch batch;
  for (uint64_t i = 0; i < 100; ++i) {
    const uint64_t k = (i * 37) % 100;  // out of order
    batch.Put(Column::kMerkle, EncodeKey64(k), "m" + std::to_string(k));
    batch.Put(Column::kEntries, EncodeKey64(99 - k), "e" + std::to_string(99 - k));
  }
  batch.Put(Column::kMeta, "twice", "first");
  batch.Put(Column::kMeta, "twice", "second");  // the later put wins, as in RocksDB
  ASSERT_OK(storage->Write(batch));

  std::string value;
  for (uint64_t k = 0; k < 100; ++k) {
    ASSERT_OK(storage->Get(Column::kMerkle, EncodeKey64(k), &value));
    EXPECT_EQ(value, "m" + std::to_string(k));
    ASSERT_OK(storage->Get(Column::kEntries, EncodeKey64(k), &value));
    EXPECT_EQ(value, "e" + std::to_string(k));
  }
  ASSERT_OK(storage->Get(Column::kMeta, "twice", &value));
  EXPECT_EQ(value, "second");
  EXPECT_EQ(storage->Get(Column::kEventIds, EncodeKey64(1), &value).code(),
            Status::Code::kNotFound);
}

// Files are deleted in the background, a slice at a time: wait for one to
// go, for up to a minute (a machine under load may be slow; what is tested
// is that it goes, not how fast).
bool Eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::set<std::string> TableFiles(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() == ".sst") names.insert(f.path().filename().string());
  }
  return names;
}

// An obsolete write-ahead log is not unlinked at once (on a file system
// that discards freed blocks at its journal commit, that held the next
// synced write for tens of milliseconds) but renamed *.trash, truncated a
// slice at a time in the background, then unlinked. What is checked here is
// the path through the trash and the end of it; how fast the slices go is
// the benchmark's (docs/performance.md).
TEST(RocksStorageTest, AnObsoleteLogIsDeletedThroughTheTrash) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  auto storage = Must(OpenRocksStorage(db, OpenMode::kCreate));
  std::mt19937_64 random(11);
  for (uint64_t b = 0; b < 32; ++b) {  // 32 MiB of log, random so it stays that size
    WriteBatch batch;
    for (uint64_t k = 0; k < 1024; ++k) {
      std::string value(1024, '\0');
      for (char& c : value) c = char(random());
      batch.Put(Column::kEntries, EncodeKey64(b * 1024 + k), value);
    }
    ASSERT_OK(storage->Write(batch));
  }
  // A backup flushes every column, which leaves the log with nothing to keep.
  ASSERT_OK(storage->Snapshot(dir.path() + "/backup"));

  std::string trash;
  ASSERT_TRUE(Eventually([&] {
    for (const auto& f : std::filesystem::directory_iterator(db)) {
      const std::string name = f.path().filename().string();
      if (name.size() > 10 && name.substr(name.size() - 10) == ".log.trash") trash = f.path();
    }
    return !trash.empty();
  })) << "no obsolete log went through the trash";
  EXPECT_TRUE(Eventually([&] { return !std::filesystem::exists(trash); }))
      << trash << " is still there a minute later";
}

// A backup hard-links the ledger's table files. When the ledger later
// deletes one (a compaction made it obsolete), it must unlink it, never
// truncate it slice by slice, which would empty the backup's copy too.
TEST(RocksStorageTest, ABackupKeepsTheTableFilesTheLedgerDeletesLater) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  auto storage = Must(OpenRocksStorage(db, OpenMode::kCreate));
  std::mt19937_64 random(7);
  // Four rounds over the same keys, each ended by a backup (which flushes):
  // the fourth file on level 0 starts a compaction that replaces all four.
  // The values are random, so that each file is over 2 MiB even compressed.
  auto round = [&](int r) {
    WriteBatch batch;
    for (uint64_t k = 0; k < 3000; ++k) {
      std::string value(1024, '\0');
      for (char& c : value) c = char(random());
      batch.Put(Column::kEntries, EncodeKey64(k), std::to_string(r) + value);
    }
    ASSERT_OK(storage->Write(batch));
    ASSERT_OK(storage->Snapshot(dir.path() + "/backup" + std::to_string(r)));
  };
  round(0);
  const std::set<std::string> first_files = TableFiles(db);
  ASSERT_FALSE(first_files.empty());
  for (int r = 1; r < 4; ++r) round(r);

  ASSERT_TRUE(Eventually([&] {
    for (const std::string& name : first_files) {
      if (std::filesystem::exists(db + "/" + name)) return false;
    }
    return true;
  })) << "the compaction did not replace the first backup's files";
  storage.reset();

  // The first backup still holds the first round, whole.
  auto backup = Must(OpenRocksStorage(dir.path() + "/backup0", OpenMode::kReadOnly));
  std::string value;
  for (uint64_t k = 0; k < 3000; ++k) {
    ASSERT_OK(backup->Get(Column::kEntries, EncodeKey64(k), &value));
    ASSERT_EQ(value.size(), 1025u);
    ASSERT_EQ(value[0], '0');
  }
}

}  // namespace
}  // namespace evident::testing
