// Backups of a live server under appends, restored and verified.

#include <atomic>
#include <filesystem>
#include <thread>

#include "ledger/backup.h"
#include "ledger/entry.h"
#include "ledger/file_util.h"
#include "tests/server/server_fixture.h"

namespace evident::testing {
namespace {

class BackupTest : public ServerFixture {};

TEST_F(BackupTest, ABackupTakenUnderAppendsRestoresAndVerifies) {
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> acked{0};
  std::thread appender([&] {
    auto client = Connect(*integration_);
    for (uint64_t b = 0; client && !stop; ++b) {
      std::vector<SignedEvent> batch;
      for (uint64_t i = 0; i < 20; ++i) batch.push_back(Attendance(*integration_, 10000 + b * 20 + i));
      auto reply = client->Append(batch);
      ASSERT_TRUE(reply.ok()) << reply.status().ToString();
      acked = reply->results.back().sequence + 1;
    }
  });
  while (acked < 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  auto admin = Connect(*admin_);
  const std::string backup = dir_.path() + "/backup";
  const uint64_t acked_before = acked;
  auto taken = admin->Backup(backup);
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  const uint64_t acked_after = acked;
  while (acked < acked_after + 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  appender.join();

  // Everything acknowledged before the backup began is in it; the log went on.
  EXPECT_GE(taken->first, acked_before);
  EXPECT_LT(taken->first, ledger_->size());
  // The backup's checkpoint is the live log's own at that size.
  EXPECT_EQ(taken->second, Must(ledger_->CheckpointNote(taken->first)));
  // A second backup into the same directory is refused.
  EXPECT_FALSE(admin->Backup(backup).ok());

  VerifyReport report;
  const std::string restored = dir_.path() + "/restored";
  BackupInfo info = Must(RestoreLedger(backup, restored, &report));
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.entries, taken->first);
  EXPECT_EQ(info.tree_size, taken->first);
  EXPECT_EQ(info.checkpoint, taken->second);

  // The restored log is the live one's prefix, entry for entry.
  auto copy = Must(Ledger::Open(restored, OpenMode::kReadOnly));
  for (uint64_t i = 0; i < info.tree_size; i += 97) {
    EXPECT_EQ(Must(copy->ReadEntry(i)), Must(ledger_->ReadEntry(i))) << i;
  }
  EXPECT_EQ(Must(copy->ReadEntry(info.tree_size - 1)), Must(ledger_->ReadEntry(info.tree_size - 1)));
}

TEST_F(BackupTest, OnlyAdminKeysMayBackUpAndOnlyToAnAbsolutePath) {
  auto auditor = Connect(*auditor_);
  auto refused = auditor->Backup(dir_.path() + "/b1");
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("only admin keys"), std::string::npos)
      << refused.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/b1"));
  auto admin = Connect(*admin_);
  EXPECT_FALSE(admin->Backup("relative/dir").ok());
}

TEST_F(BackupTest, ARestoreOfATamperedBackupFails) {
  auto admin = Connect(*admin_);
  const std::string backup = dir_.path() + "/backup";
  ASSERT_TRUE(admin->Backup(backup).ok());
  // backup.json claims one entry more than the database holds.
  std::string manifest = Must(ReadFile(backup + "/backup.json"));
  const std::string size = "\"tree_size\": " + std::to_string(ledger_->size());
  ASSERT_NE(manifest.find(size), std::string::npos) << manifest;
  manifest.replace(manifest.find(size), size.size(),
                   "\"tree_size\": " + std::to_string(ledger_->size() + 1));
  ASSERT_OK(WriteFile(backup + "/backup.json", manifest));
  VerifyReport report;
  auto restored = RestoreLedger(backup, dir_.path() + "/restored", &report);
  EXPECT_FALSE(restored.ok());
  EXPECT_EQ(restored.status().code(), Status::Code::kVerificationFailed);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/restored"));
}

}  // namespace
}  // namespace evident::testing
