#include "projections/directory/directory.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "projections/directory/codes.h"
#include "tests/testutil/test_util.h"

namespace evident::testing {
namespace {

namespace fs = std::filesystem;
using projections::directory::Access;
using projections::directory::Account;
using projections::directory::Directory;
using projections::directory::Person;
using projections::directory::Role;

constexpr char kName[] = "Zebediah Quennell-Farrow";
constexpr char kEmail[] = "zq.farrow@district.example";
constexpr char kOldTitle[] = "Xylography Specialist Emeritus";

Person MakePerson(const std::string& id, const std::string& name, const std::string& email = "",
                  const std::string& title = "") {
  return Person{id, name, email, title, 1700000000};
}

Account StaffAccount(const std::string& login, const std::string& person) {
  Account a;
  a.login = login;
  a.role = Role::kStaff;
  a.person = person;
  a.created_at = 1700000000;
  return a;
}

// Every file under `dir` whose bytes hold one of `needles`, as "FILE holds
// NEEDLE" lines; empty when none does.
std::string Holding(const std::string& dir, const std::vector<std::string>& needles) {
  std::string found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    for (const std::string& needle : needles) {
      if (bytes.str().find(needle) != std::string::npos) {
        found += entry.path().filename().string() + " holds \"" + needle + "\"\n";
      }
    }
  }
  return found;
}

std::vector<std::string> FilesEndingIn(const std::string& dir, const std::string& ext) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ext) names.push_back(entry.path().filename().string());
  }
  return names;
}

class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = Must(Directory::Open(path_, /*create=*/true)); }

  TempDir tmp_;
  std::string path_ = Directory::PathFor(tmp_.path());
  std::unique_ptr<Directory> dir_;
};

TEST_F(DirectoryTest, OpenWithoutCreateOfAMissingDirectoryIsNotFound) {
  auto missing = Directory::Open(tmp_.path() + "/absent", /*create=*/false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(fs::exists(tmp_.path() + "/absent"));
  EXPECT_EQ(ModeOf(path_), "0700");
}

TEST_F(DirectoryTest, PutGetListAndCorrectPeople) {
  ASSERT_OK(dir_->PutPerson(MakePerson("e-2", "Jordan Okafor", "jo@district.example", "teacher")));
  ASSERT_OK(dir_->PutPerson(MakePerson("e-1", "Avery Moreno")));
  auto got = Must(dir_->GetPerson("e-2"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->name, "Jordan Okafor");
  EXPECT_EQ(got->email, "jo@district.example");
  EXPECT_EQ(got->title, "teacher");
  EXPECT_EQ(got->updated_at, 1700000000);
  EXPECT_FALSE(Must(dir_->GetPerson("e-3")).has_value());

  Person corrected = MakePerson("e-2", "Jordan Okafor-Reyes", "jor@district.example", "coach");
  corrected.updated_at = 1700000100;
  ASSERT_OK(dir_->PutPerson(corrected));
  auto people = Must(dir_->ListPeople());
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].id, "e-1");
  EXPECT_EQ(people[1].name, "Jordan Okafor-Reyes");
  EXPECT_EQ(people[1].updated_at, 1700000100);

  dir_.reset();  // what was written is on disk
  dir_ = Must(Directory::Open(path_, /*create=*/false));
  EXPECT_EQ(Must(dir_->GetPerson("e-2"))->title, "coach");
}

TEST_F(DirectoryTest, InvalidInputIsRefusedAndChangesNothing) {
  ASSERT_OK(dir_->PutPerson(MakePerson("e-1", "Avery Moreno")));
  const std::vector<Person> bad = {
      MakePerson("", "No Id"),
      MakePerson("e-1", ""),
      MakePerson("e-1", "Avery\nMoreno"),
      MakePerson("e-1", "Avery", std::string(257, 'a')),
      MakePerson("e-1", "Avery", "", "\x01title"),
      MakePerson("e-1", "Avery \xff Moreno"),
  };
  for (const Person& p : bad) {
    Status s = dir_->PutPerson(p);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << p.name << ": " << s.ToString();
  }
  EXPECT_EQ(Must(dir_->GetPerson("e-1"))->name, "Avery Moreno");
  EXPECT_EQ(Must(dir_->ListPeople()).size(), 1u);

  Account upper = StaffAccount("Avery", "e-1");
  Account no_person = StaffAccount("avery", "");
  Account leader = StaffAccount("lead", "e-1");
  leader.role = Role::kSiteLeader;  // without sites
  for (const Account& a : {upper, no_person, leader}) {
    EXPECT_EQ(dir_->PutAccount(a).code(), Status::Code::kInvalidArgument) << a.login;
  }
  Account board = StaffAccount("board.member", "");
  board.role = Role::kBoard;
  EXPECT_OK(dir_->PutAccount(board));
  ASSERT_EQ(Must(dir_->ListAccounts()).size(), 1u);
  Access no_subject;
  EXPECT_EQ(dir_->RecordAccess(no_subject).code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Must(dir_->AccessTo("", 10)).empty());
}

TEST_F(DirectoryTest, AccountsRoundTripAndDelete) {
  Account a = StaffAccount("lead.one", "e-1");
  a.role = Role::kSiteLeader;
  a.sites = {"site-1", "site-2"};
  a.code_hash = projections::directory::CodeHash("abcd-efgh-jkmn-pqrs");
  a.code_expires_at = 1700259200;
  ASSERT_OK(dir_->PutAccount(a));
  auto got = Must(dir_->GetAccount("lead.one"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->role, Role::kSiteLeader);
  EXPECT_EQ(got->sites, a.sites);
  EXPECT_EQ(got->code_hash, a.code_hash);
  EXPECT_EQ(got->code_expires_at, a.code_expires_at);
  EXPECT_EQ(dir_->DeleteAccount("nobody").code(), Status::Code::kNotFound);
  ASSERT_OK(dir_->DeleteAccount("lead.one"));
  EXPECT_FALSE(Must(dir_->GetAccount("lead.one")).has_value());
}

TEST_F(DirectoryTest, ErasedIdIsRefusedByPutPersonAndPutAccount) {
  ASSERT_OK(dir_->PutPerson(MakePerson("e-1", "Avery Moreno")));
  ASSERT_OK(dir_->Erase("e-1", "cli", 1700000500));
  EXPECT_TRUE(Must(dir_->IsErased("e-1")));
  EXPECT_FALSE(Must(dir_->IsErased("e-2")));
  EXPECT_EQ(dir_->PutPerson(MakePerson("e-1", "Avery Moreno")).code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(dir_->PutAccount(StaffAccount("avery", "e-1")).code(),
            Status::Code::kFailedPrecondition);
  EXPECT_FALSE(Must(dir_->GetPerson("e-1")).has_value());
  EXPECT_EQ(dir_->Erase("e-1", "cli", 1700000600).code(), Status::Code::kNotFound);
  EXPECT_EQ(dir_->Erase("e-9", "cli", 1700000600).code(), Status::Code::kNotFound);
  auto erasures = Must(dir_->ListErasures());
  ASSERT_EQ(erasures.size(), 1u);
  EXPECT_EQ(erasures[0].id, "e-1");
  EXPECT_EQ(erasures[0].erased_at, 1700000500);
  EXPECT_EQ(erasures[0].by, "cli");
}

TEST_F(DirectoryTest, PutPeopleWritesAllOrNone) {
  ASSERT_OK(dir_->PutPerson(MakePerson("e-3", "Riley Chen")));
  ASSERT_OK(dir_->Erase("e-3", "cli", 1700000500));
  const std::vector<Person> with_erased = {MakePerson("e-1", "Avery Moreno"),
                                           MakePerson("e-3", "Riley Chen")};
  EXPECT_EQ(dir_->PutPeople(with_erased).code(), Status::Code::kFailedPrecondition);
  EXPECT_FALSE(Must(dir_->GetPerson("e-1")).has_value());  // none of them
  const std::vector<Person> with_bad = {MakePerson("e-1", "Avery Moreno"), MakePerson("e-2", "")};
  EXPECT_EQ(dir_->PutPeople(with_bad).code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(Must(dir_->GetPerson("e-1")).has_value());
  ASSERT_OK(dir_->PutPeople({MakePerson("e-1", "Avery Moreno"), MakePerson("e-2", "Jordan Okafor")}));
  EXPECT_EQ(Must(dir_->ListPeople()).size(), 2u);
}

TEST_F(DirectoryTest, EraseRemovesThePersonsAccountsOnly) {
  ASSERT_OK(dir_->PutPerson(MakePerson("e-1", "Avery Moreno")));
  ASSERT_OK(dir_->PutAccount(StaffAccount("avery", "e-1")));
  Account leader = StaffAccount("avery.lead", "e-1");
  leader.role = Role::kSiteLeader;
  leader.sites = {"site-1"};
  ASSERT_OK(dir_->PutAccount(leader));
  ASSERT_OK(dir_->PutAccount(StaffAccount("jordan", "e-2")));
  ASSERT_OK(dir_->Erase("e-1", "office.admin", 1700000500));
  auto accounts = Must(dir_->ListAccounts());
  ASSERT_EQ(accounts.size(), 1u);
  EXPECT_EQ(accounts[0].login, "jordan");
  // An account without a directory entry is erased too.
  ASSERT_OK(dir_->Erase("e-2", "cli", 1700000600));
  EXPECT_TRUE(Must(dir_->ListAccounts()).empty());
}

TEST_F(DirectoryTest, AccessLogIsAppendOnlyAndReadNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    Access a{0,           1700000000 + i, "lead.one", "site-leader", i % 2 == 0 ? "e-1" : "e-10",
             "/people/x", i != 3};
    ASSERT_OK(dir_->RecordAccess(a));
  }
  auto to_e1 = Must(dir_->AccessTo("e-1", 10));
  ASSERT_EQ(to_e1.size(), 3u);
  EXPECT_EQ(to_e1[0].seq, 5u);
  EXPECT_EQ(to_e1[1].seq, 3u);
  EXPECT_EQ(to_e1[2].seq, 1u);
  EXPECT_EQ(to_e1[0].at, 1700000004);
  EXPECT_EQ(to_e1[0].viewer, "lead.one");
  EXPECT_EQ(to_e1[0].subject, "e-1");
  auto to_e10 = Must(dir_->AccessTo("e-10", 1));
  ASSERT_EQ(to_e10.size(), 1u);
  EXPECT_EQ(to_e10[0].seq, 4u);
  EXPECT_FALSE(to_e10[0].allowed);
  EXPECT_TRUE(Must(dir_->AccessTo("e-", 10)).empty());
  // Seqs go on after a reopen, never reused.
  dir_.reset();
  dir_ = Must(Directory::Open(path_, /*create=*/false));
  ASSERT_OK(
      dir_->RecordAccess(Access{0, 1700000010, "office", "office", "e-1", "/people/e-1", true}));
  EXPECT_EQ(Must(dir_->AccessTo("e-1", 1))[0].seq, 6u);
}

TEST_F(DirectoryTest, OpenTwiceIsAnIOErrorThatNamesTheCause) {
  auto second = Directory::Open(path_, /*create=*/false);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kIOError);
  EXPECT_NE(second.status().message().find("is in use by another process"), std::string::npos)
      << second.status().message();
  EXPECT_NE(second.status().message().find("evident serve"), std::string::npos);
  EXPECT_NE(second.status().message().find(path_), std::string::npos);
}

// DESIGN.md invariant 10: after Erase, no byte of any file of the directory
// (table files, write-ahead logs, MANIFEST, OPTIONS, anything else) holds
// the person's name, email, or a value they had before a correction; nor
// does a copy taken afterwards.
TEST_F(DirectoryTest, EraseLeavesNoFileHoldingTheErasedValues) {
  ASSERT_OK(dir_->PutPerson(MakePerson("e-10017", kName, kEmail, kOldTitle)));
  ASSERT_OK(dir_->PutPerson(MakePerson("e-2", "Avery Moreno", "am@district.example")));
  // A flush puts the first values in a table file, not only the log.
  ASSERT_OK(dir_->Checkpoint(tmp_.path() + "/before"));
  ASSERT_OK(dir_->PutPerson(MakePerson("e-10017", kName, kEmail, "teacher")));  // a correction
  // Sign-in names are work emails: the key of the account row, which RocksDB
  // also writes into a MANIFEST as a table file's first or last key.
  ASSERT_OK(dir_->PutAccount(StaffAccount(kEmail, "e-10017")));
  ASSERT_OK(dir_->RecordAccess(
      Access{0, 1700000000, "office", "office", "e-10017", "/people/e-10017", true}));
  const std::vector<std::string> needles = {kName, kEmail, kOldTitle, "Quennell"};
  ASSERT_NE(Holding(path_, needles), "");  // the test sees them where they are
  ASSERT_NE(Holding(tmp_.path() + "/before", needles), "");
  const std::vector<std::string> wals = FilesEndingIn(path_, ".log");
  ASSERT_FALSE(wals.empty());

  ASSERT_OK(dir_->Erase("e-10017", "cli", 1700000500));
  EXPECT_EQ(Holding(path_, needles), "");
  for (const std::string& wal : wals) EXPECT_FALSE(fs::exists(path_ + "/" + wal)) << wal;
  EXPECT_FALSE(fs::exists(path_ + "/LOG"));  // no info log: RocksDB's words stay out of it
  // What is left is intact and still read.
  EXPECT_EQ(Must(dir_->GetPerson("e-2"))->name, "Avery Moreno");
  EXPECT_EQ(Must(dir_->AccessTo("e-10017", 10)).size(), 1u);
  ASSERT_OK(dir_->Checkpoint(tmp_.path() + "/after"));
  EXPECT_EQ(Holding(tmp_.path() + "/after", needles), "");

  dir_.reset();  // and closing writes nothing of them back
  EXPECT_EQ(Holding(path_, needles), "");
  dir_ = Must(Directory::Open(path_, /*create=*/false));
  EXPECT_FALSE(Must(dir_->GetPerson("e-10017")).has_value());
  EXPECT_TRUE(Must(dir_->IsErased("e-10017")));
}

TEST(DirectoryCodesTest, CodesAreGroupedUnambiguousAndHashNormalised) {
  using projections::directory::CodeHash;
  using projections::directory::NewOneTimeCode;
  using projections::directory::NormaliseCode;
  const std::string code = Must(NewOneTimeCode());
  ASSERT_EQ(code.size(), 19u);
  for (size_t i = 0; i < code.size(); ++i) {
    if (i % 5 == 4) {
      EXPECT_EQ(code[i], '-') << code;
    } else {
      EXPECT_NE(std::string("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(code[i]), std::string::npos)
          << code;
    }
  }
  EXPECT_NE(code, Must(NewOneTimeCode()));
  EXPECT_EQ(NormaliseCode("abcd-efgh io l"), "ABCDEFGH101");
  EXPECT_EQ(CodeHash("ab1d-0000"), CodeHash("ABLD0O00"));
  EXPECT_EQ(CodeHash("ABCD").size(), 64u);
  EXPECT_NE(CodeHash("ABCD"), CodeHash("ABCE"));
}

}  // namespace
}  // namespace evident::testing
