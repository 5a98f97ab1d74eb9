#include <gtest/gtest.h>

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

}  // namespace
}  // namespace evident::testing
