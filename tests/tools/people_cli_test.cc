// `evident people` and `evident accounts` as an office runs them: HR's
// export into the directory, a correction, an erasure that leaves no name
// behind, one-time codes, and the directory in a backup.

#include <filesystem>
#include <regex>

#include "tests/tools/cli_fixture.h"

namespace evident {
namespace {

namespace fs = std::filesystem;

const std::string kMapping =
    std::string(EVIDENT_SOURCE_DIR) + "/tools/import/mappings/edfi-staff-directory.json";
const std::string kStaff = std::string(EVIDENT_SOURCE_DIR) + "/tools/import/samples/staff.jsonl";

// Every file under `dir` whose bytes hold `needle`; empty when none does.
std::string FilesHolding(const std::string& dir, const std::string& needle) {
  std::string found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && ReadFile(entry.path()).find(needle) != std::string::npos) {
      found += entry.path().string() + "\n";
    }
  }
  return found;
}

// The one-time code printed in `out`, or "" if there is none.
std::string CodeIn(const std::string& out) {
  std::smatch m;
  static const std::regex code("one-time code: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})");
  return std::regex_search(out, m, code) ? m[1].str() : "";
}

class PeopleCliTest : public CliTest {
 protected:
  CommandResult People(std::vector<std::string> args) {
    args.insert(args.begin(), {"people"});
    args.insert(args.begin() + 2, {"--ledger", ledger_});
    return Evident(args);
  }
  CommandResult Accounts(std::vector<std::string> args) {
    args.insert(args.begin(), {"accounts"});
    args.insert(args.begin() + 2, {"--ledger", ledger_});
    return Evident(args);
  }
};

TEST_F(PeopleCliTest, ImportCorrectEraseAndCodes) {
  Init();
  CommandResult none = People({"list"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no directory of people yet"), std::string::npos) << none.err;

  CommandResult imported = People({"import", "--map", kMapping, kStaff});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out, "read 8 records: 8 added, 0 updated, 0 unchanged\n");
  CommandResult list = People({"list"});
  EXPECT_NE(list.out.find("p-1001\tAvery Moreno\tavery.moreno@district.example\tteacher-math-6\n"),
            std::string::npos)
      << list.out;
  EXPECT_EQ(CountLines(list.out), 8u);

  // A bad record keeps the whole file out.
  const std::string bad = Write("bad.jsonl",
                                "{\"personReference\":{\"personId\":\"p-2001\"},\"firstName\":"
                                "\"Robin\",\"lastSurname\":\"Ashby\"}\n"
                                "{\"personReference\":{\"personId\":\"p-2002\"},\"lastSurname\":"
                                "\"Vale\"}\n");
  CommandResult refused = People({"import", "--map", kMapping, bad});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find(bad + ":2: no name for p-2002"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("nothing was written"), std::string::npos) << refused.err;
  EXPECT_EQ(People({"list"}).out, list.out);

  CommandResult set = People({"set", "p-1001", "--title", "instructional coach"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(People({"show", "p-1001"}).out.find("title    instructional coach"), std::string::npos);

  CommandResult added =
      Accounts({"add", "--login", "amoreno", "--role", "staff", "--person", "p-1001"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::string code = CodeIn(added.out);
  EXPECT_NE(code, "") << added.out;
  EXPECT_EQ(
      Accounts({"add", "--login", "amoreno", "--role", "staff", "--person", "p-1001"}).exit_code,
      1);
  CommandResult reset = Accounts({"code", "--login", "amoreno"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_NE(CodeIn(reset.out), "");
  EXPECT_NE(CodeIn(reset.out), code);
  EXPECT_NE(Accounts({"list"}).out.find("amoreno\tstaff\tp-1001\t\tno password, code until "),
            std::string::npos);
  EXPECT_EQ(Accounts({"add", "--login", "Bad", "--role", "staff", "--person", "p-1"}).exit_code, 1);
  ASSERT_EQ(Accounts({"add", "--login", "board1", "--role", "board"}).exit_code, 0);
  ASSERT_EQ(Accounts({"remove", "--login", "board1"}).exit_code, 0);

  CommandResult erased = People({"erase", "p-1001"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err;
  EXPECT_EQ(erased.out,
            "erased p-1001: directory entry and 1 account; the log still names only p-1001\n");
  list = People({"list"});
  EXPECT_EQ(list.out.find("Avery"), std::string::npos) << list.out;
  EXPECT_TRUE(
      std::regex_search(list.out, std::regex("^p-1001 \\(erased \\d{4}-\\d\\d-\\d\\d\\)\n")))
      << list.out;
  EXPECT_EQ(Accounts({"list"}).out, "");
  EXPECT_EQ(FilesHolding(ledger_ + "/directory", "Moreno"), "");

  // HR's next export still lists the person: the erasure stands.
  CommandResult again = People({"import", "--map", kMapping, kStaff});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out,
            "read 8 records: 0 added, 0 updated, 7 unchanged; skipped 1 erased person\n");
  EXPECT_EQ(FilesHolding(ledger_ + "/directory", "Moreno"), "");
  EXPECT_EQ(People({"set", "p-1001", "--name", "Avery Moreno"}).exit_code, 1);

  // A backup taken now holds the directory, without the erased name.
  const std::string backup = dir_.path() + "/backup";
  CommandResult backed = Evident({"backup", backup, "--ledger", ledger_});
  ASSERT_EQ(backed.exit_code, 0) << backed.err;
  ASSERT_TRUE(fs::exists(backup + "/directory"));
  EXPECT_EQ(FilesHolding(backup, "Moreno"), "");
  const std::string restored = dir_.path() + "/restored";
  CommandResult restore = Evident({"restore", backup, "--ledger", restored});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_EQ(testing::ModeOf(restored + "/directory"), "0700");
  CommandResult restored_list = Evident({"people", "list", "--ledger", restored});
  EXPECT_EQ(restored_list.out, list.out) << restored_list.err;
}

}  // namespace
}  // namespace evident
