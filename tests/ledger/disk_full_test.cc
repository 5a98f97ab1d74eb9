// A full disk: appends fail with a clear error and store nothing partial;
// every acknowledged event survives; once space returns, a reopened ledger
// verifies and appends again. The ledger lives on a small tmpfs mounted for
// the test (root is needed to mount; without it the test is skipped, saying
// so).

#include <gtest/gtest.h>
#include <sys/mount.h>

#include "ledger/coding.h"
#include "ledger/verify.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::AttendanceJson;
using testing::EventJson;
using testing::IdHex;
using testing::Must;

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mount_point_ = dir_.path() + "/small";
    std::filesystem::create_directories(mount_point_);
    if (mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, "size=3m") != 0) {
      GTEST_SKIP() << "cannot mount a small tmpfs here (" << std::strerror(errno)
                   << "); the disk-full test needs root";
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) umount2(mount_point_.c_str(), MNT_DETACH);
  }
  void Grow() {
    ASSERT_EQ(mount("tmpfs", mount_point_.c_str(), "tmpfs", MS_REMOUNT, "size=64m"), 0)
        << std::strerror(errno);
  }

  testing::TempDir dir_;
  std::string mount_point_;
  bool mounted_ = false;
};

TEST_F(DiskFullTest, AppendsFailCleanlyAndRecoverWhenSpaceReturns) {
  const std::string ledger_dir = mount_point_ + "/ledger";
  auto codec = Must(EventJsonCodec::Create());
  PrivateKey admin = Must(PrivateKey::Generate());
  PrivateKey ledger_key = Must(PrivateKey::Generate());
  auto sign = [&](const std::string& json) {
    return SignEvent(admin, Must(codec->FromJson(json)));
  };
  auto registration = [&](uint64_t id, const char* role, const PrivateKey& key) {
    return sign(EventJson(IdHex(id), "KeyRegistered", "",
                          std::string("\"principal_id\":\"p") + role + "\",\"role\":\"" + role +
                              "\",\"public_key\":\"" + HexEncode(key.public_key().raw()) + "\""));
  };
  uint64_t acked = 0;
  Status failure;
  {
    auto ledger = Must(Ledger::Create(ledger_dir, "evident.example/full", ledger_key));
    ASSERT_OK(
        ledger->Append({registration(1, "Admin", admin), registration(2, "Ledger", ledger_key)})
            .status());
    uint64_t next = 100;
    for (int batch = 0; batch < 2000 && failure.ok(); ++batch) {
      std::vector<SignedEvent> events;
      for (int i = 0; i < 100; ++i) events.push_back(sign(AttendanceJson(IdHex(next++), "p", 5)));
      auto results = ledger->Append(std::move(events));
      if (results.ok()) {
        acked = results->back().sequence + 1;
      } else {
        failure = results.status();
      }
    }
    ASSERT_FALSE(failure.ok()) << "3 MiB never filled up";
    EXPECT_EQ(failure.code(), Status::Code::kIOError) << failure.ToString();
    EXPECT_NE(failure.message().find("disk is full"), std::string::npos) << failure.ToString();
    EXPECT_EQ(ledger->size(), acked);  // the failed batch took no position
  }
  Grow();
  auto reopened = Must(Ledger::OpenStorage(
      Must(OpenRocksStorage(Ledger::DatabasePath(ledger_dir), OpenMode::kReadWrite)), ledger_key));
  EXPECT_EQ(reopened->size(), acked) << "acknowledged entries lost, or a failed batch kept";
  VerifyReport r = Must(VerifyLog(reopened->storage()));
  EXPECT_TRUE(r.ok()) << r.problem;
  EXPECT_EQ(r.entries, acked);
  // And the ledger takes appends again.
  auto more = reopened->Append({sign(AttendanceJson(IdHex(999999), "p", 5))});
  ASSERT_OK(more.status());
  EXPECT_EQ(more->front().sequence, acked);
}

}  // namespace
}  // namespace evident
