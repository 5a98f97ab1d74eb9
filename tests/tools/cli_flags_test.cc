// The flag tables of the evident commands: what each --help names is what
// each command accepts, and a retired spelling names the one that replaced it.

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "tests/testutil/test_util.h"
#include "tools/evident/command.h"
#include "tools/evident/flags.h"

namespace evident::cli {
namespace {

// Every "--name" written anywhere in `text`.
std::set<std::string> FlagsNamedIn(const std::string& text) {
  static const std::regex kFlag("--([a-z][a-z0-9-]*)");
  std::set<std::string> names;
  for (std::sregex_iterator it(text.begin(), text.end(), kFlag), end; it != end; ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

std::set<std::string> Accepted(const Command& c) {
  std::set<std::string> names;
  for (const FlagSpec& f : c.flags.flags) names.insert(f.name);
  return names;
}

std::string Joined(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "--" : " --") + n;
  return out;
}

const FlagTable kTable = {
    {{"ledger", "DIR", "the ledger"},
     {"fiscal-year", "YEAR", "a year"},
     {"csv", "",
      "one line per row; nested fields flattened as a.b, lists as JSON, and nothing else"},
     {"a-flag-with-a-long-name", "VALUE", "its help on a line of its own"}},
    {{"fy", "--fiscal-year"}}};

TEST(CliFlagsTest, EveryCommandsHelpNamesExactlyTheFlagsItAccepts) {
  for (const Command& c : AllCommands()) {
    SCOPED_TRACE(c.name);
    const std::string help = HelpText(c);
    EXPECT_EQ(help.rfind(std::string("usage: evident ") + c.name, 0), 0u) << help;
    EXPECT_EQ(Joined(FlagsNamedIn(help)), Joined(Accepted(c))) << help;
  }
}

TEST(CliFlagsTest, EveryRetiredSpellingNamesAFlagTheCommandAccepts) {
  for (const Command& c : AllCommands()) {
    for (const RetiredFlag& r : c.flags.retired) {
      SCOPED_TRACE(std::string(c.name) + " --" + r.name);
      EXPECT_EQ(c.flags.Find(r.name), nullptr);
      const std::string now = r.now;
      ASSERT_EQ(now.rfind("--", 0), 0u) << now;
      const std::string replacement =
          now.substr(2, now.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-", 2) - 2);
      EXPECT_NE(c.flags.Find(replacement), nullptr) << replacement;
    }
  }
}

TEST(CliFlagsTest, ARetiredSpellingIsRefusedNamingItsReplacement) {
  auto parsed = Flags::Parse({"--fy", "2025"}, kTable);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "--fy is now --fiscal-year");
  auto with_value = Flags::Parse({"--fy=2025"}, kTable);
  ASSERT_FALSE(with_value.ok());
  EXPECT_EQ(with_value.status().message(), "--fy is now --fiscal-year");
  auto unknown = Flags::Parse({"--fiscal"}, kTable);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "unknown flag --fiscal; it takes --ledger, --fiscal-year, --csv and "
            "--a-flag-with-a-long-name");
  auto in_file = Flags().WithConfigFile("x.conf", "ledger = L\nfy = 2025\n", kTable);
  ASSERT_FALSE(in_file.ok());
  EXPECT_EQ(in_file.status().message(), "x.conf:2: --fy is now --fiscal-year");
}

TEST(CliFlagsTest, TheTableSaysWhichFlagsTakeAValue) {
  Flags flags = testing::Must(Flags::Parse({"--csv", "--fiscal-year", "2025", "view"}, kTable));
  EXPECT_TRUE(flags.Has("csv"));
  EXPECT_EQ(flags.Get("fiscal-year").value_or(""), "2025");
  EXPECT_EQ(flags.positional(), std::vector<std::string>{"view"});
  auto no_value = Flags::Parse({"--fiscal-year"}, kTable);
  ASSERT_FALSE(no_value.ok());
  EXPECT_EQ(no_value.status().message(), "--fiscal-year needs a value: --fiscal-year YEAR");
  auto switch_value = Flags::Parse({"--csv=yes"}, kTable);
  ASSERT_FALSE(switch_value.ok());
  EXPECT_EQ(switch_value.status().message(), "--csv takes no value");
}

TEST(CliFlagsTest, FlagHelpListsEachFlagWithItsValueInOneColumnWithin80) {
  EXPECT_EQ(FlagHelp(kTable),
            "  --ledger DIR        the ledger\n"
            "  --fiscal-year YEAR  a year\n"
            "  --csv               one line per row; nested fields flattened as a.b, lists as\n"
            "                      JSON, and nothing else\n"
            "  --a-flag-with-a-long-name VALUE\n"
            "                      its help on a line of its own\n");
}

}  // namespace
}  // namespace evident::cli
