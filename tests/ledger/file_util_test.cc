// Files and folders that hold secrets: owner-only from the moment they exist.

#include "ledger/file_util.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::ModeOf;

// Runs `body` with the process umask set to `mask`, restoring it after.
template <typename Body>
void WithUmask(mode_t mask, Body body) {
  const mode_t old = ::umask(mask);
  body();
  ::umask(old);
}

class FileUtilTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
};

TEST_F(FileUtilTest, ASecretFileIsCreatedOwnerOnlyWhateverTheUmask) {
  // With no umask the mode a file is created with is the mode it has: a
  // file created wider and narrowed later would show it here.
  const std::string path = dir_.path() + "/secret.pem";
  WithUmask(0, [&] { ASSERT_OK(WriteSecretFile(path, "key\n")); });
  EXPECT_EQ(ModeOf(path), "0600");
  EXPECT_EQ(testing::Must(ReadFile(path)), "key\n");
}

TEST_F(FileUtilTest, ASecretFileNeverReplacesOrFollowsWhatIsThere) {
  const std::string planted = dir_.path() + "/planted.pem";
  std::ofstream(planted) << "someone else's";
  const Status over = WriteSecretFile(planted, "key\n");
  EXPECT_EQ(over.code(), Status::Code::kConflict) << over.ToString();
  EXPECT_EQ(testing::Must(ReadFile(planted)), "someone else's");
  // A symbolic link is refused, not written through, even to a missing file.
  const std::string target = dir_.path() + "/elsewhere.pem";
  std::filesystem::create_symlink(target, dir_.path() + "/link.pem");
  EXPECT_FALSE(WriteSecretFile(dir_.path() + "/link.pem", "key\n").ok());
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(FileUtilTest, APrivateDirectoryIsOwnerOnlyAndAnOpenOneIsClosed) {
  const std::string fresh = dir_.path() + "/parent/ledger";
  WithUmask(0, [&] { ASSERT_OK(CreatePrivateDirectory(fresh)); });
  EXPECT_EQ(ModeOf(fresh), "0700");
  const std::string open = dir_.path() + "/open";
  std::filesystem::create_directory(open);
  std::filesystem::permissions(open, std::filesystem::perms::all);
  ASSERT_OK(CreatePrivateDirectory(open));
  EXPECT_EQ(ModeOf(open), "0700");
  std::ofstream(dir_.path() + "/file") << "";
  EXPECT_EQ(CreatePrivateDirectory(dir_.path() + "/file").code(), Status::Code::kIOError);
}

}  // namespace
}  // namespace evident
