// The auditor's export bundle: written from a ledger, checked with nothing else.

#include "ledger/bundle.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ledger/coding.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::AttendanceJson;
using testing::IdHex;
using testing::Must;

class BundleTest : public testing::LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    hr_ = RegisterKey("hr", "Integration", "[\"AttendanceRecorded\"]");
    for (int batch = 0; batch < 3; ++batch) {
      std::vector<SignedEvent> events;
      for (int i = 0; i < 10; ++i) {
        events.push_back(Sign(*hr_, AttendanceJson(IdHex(100 + batch * 10 + i), "p", 30)));
      }
      Must(ledger_->Append(std::move(events)));
    }
    verifier_ = Must(ledger_->CheckpointVerifier());
    out_ = bundles_.path() + "/b";
  }

  std::vector<std::string> Lines(const std::string& file) {
    std::ifstream in(out_ + "/" + file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  void Rewrite(const std::string& file, const std::vector<std::string>& lines) {
    std::ofstream out(out_ + "/" + file);
    for (const auto& l : lines) out << l << "\n";
  }

  std::optional<PrivateKey> hr_;
  std::optional<NoteVerifier> verifier_;
  testing::TempDir bundles_;
  std::string out_;
};

TEST_F(BundleTest, ExportedRangeVerifiesOffline) {
  ASSERT_OK(WriteBundle(ledger_.get(), out_, 10, 20));
  ledger_.reset();  // nothing below needs the ledger
  BundleReport r = Must(VerifyBundle(out_, verifier_));
  EXPECT_TRUE(r.ok()) << r.problem;
  EXPECT_EQ(r.from, 10u);
  EXPECT_EQ(r.to, 20u);
  EXPECT_EQ(r.entries, 10u);
  EXPECT_EQ(r.key_events, 3u);
  EXPECT_EQ(r.checkpoint_size, 33u);
  EXPECT_FALSE(r.trusted_bundled_key);
  for (const char* file : {"README.txt", "checkpoint.txt", "ledger.vkey"}) {
    EXPECT_TRUE(std::filesystem::exists(out_ + "/" + file)) << file;
  }
  // The signers of the range: the hr key alone, with its public key.
  std::ifstream in(out_ + "/signers.json");
  auto signers = nlohmann::json::parse(in);
  ASSERT_EQ(signers.size(), 1u);
  EXPECT_EQ(signers[0]["principal_id"], "hr");
  EXPECT_EQ(signers[0]["role"], "Integration");
  EXPECT_EQ(signers[0]["public_key"], HexEncode(hr_->public_key().raw()));
  EXPECT_EQ(signers[0]["key_id"], HexEncode(hr_->public_key().key_id()));
  // The range amends nothing, so amended.jsonl is empty; a bundle written
  // before that file existed has none, and verifies all the same.
  EXPECT_TRUE(std::filesystem::exists(out_ + "/amended.jsonl"));
  EXPECT_TRUE(Lines("amended.jsonl").empty());
  std::filesystem::remove(out_ + "/amended.jsonl");
  BundleReport without = Must(VerifyBundle(out_, verifier_));
  EXPECT_TRUE(without.ok()) << without.problem;
}

TEST_F(BundleTest, SignersListThatDisagreesWithTheKeyHistoryIsRefused) {
  ASSERT_OK(WriteBundle(ledger_.get(), out_, 10, 20));
  std::ifstream in(out_ + "/signers.json");
  auto signers = nlohmann::json::parse(in);
  signers[0]["role"] = "Admin";
  std::ofstream(out_ + "/signers.json") << signers.dump(2) << "\n";
  BundleReport r = Must(VerifyBundle(out_, verifier_));
  EXPECT_NE(r.problem.find("signers.json"), std::string::npos) << r.problem;
}

TEST_F(BundleTest, ChangedEntryIsNamed) {
  ASSERT_OK(WriteBundle(ledger_.get(), out_, 10, 20));
  auto lines = Lines("entries.jsonl");
  auto j = nlohmann::json::parse(lines[4]);
  std::string entry = Must(Base64Decode(j["entry"].get<std::string>()));
  entry[entry.size() / 2] ^= 1;
  j["entry"] = Base64Encode(entry);
  lines[4] = j.dump();
  Rewrite("entries.jsonl", lines);
  BundleReport r = Must(VerifyBundle(out_, verifier_));
  EXPECT_EQ(r.first_bad_position, 14u) << r.problem;
}

TEST_F(BundleTest, MissingEntryInTheRangeIsNamed) {
  ASSERT_OK(WriteBundle(ledger_.get(), out_, 10, 20));
  auto lines = Lines("entries.jsonl");
  lines.erase(lines.begin() + 3);
  Rewrite("entries.jsonl", lines);
  BundleReport r = Must(VerifyBundle(out_, verifier_));
  EXPECT_EQ(r.first_bad_position, 13u) << r.problem;
}

TEST_F(BundleTest, MissingKeyHistoryBreaksTheKeyRules) {
  ASSERT_OK(WriteBundle(ledger_.get(), out_, 10, 20));
  auto keys = Lines("keys.jsonl");
  ASSERT_EQ(keys.size(), 3u);
  keys.pop_back();  // the hr key's registration
  Rewrite("keys.jsonl", keys);
  BundleReport r = Must(VerifyBundle(out_, verifier_));
  EXPECT_EQ(r.first_bad_position, 10u) << r.problem;
  EXPECT_NE(r.problem.find("not registered"), std::string::npos) << r.problem;
}

TEST_F(BundleTest, AnAmendmentCarriesTheEventItAmendsAndIsCheckedAgainstItsSigner) {
  PrivateKey pd = RegisterKey("pd", "Integration", "[\"AttendanceRecorded\",\"RecordVoided\"]");
  Must(ledger_->Append({Sign(pd, AttendanceJson(IdHex(600), "p", 30))}));
  const uint64_t amended_at = ledger_->size() - 1;
  Must(ledger_->Append({Sign(*hr_, AttendanceJson(IdHex(601), "p", 30))}));
  Must(ledger_->Append({Sign(pd, testing::EventJson(IdHex(602), "RecordVoided", "",
                                                    "\"amends_event_id\":\"" + IdHex(600) +
                                                        "\",\"reason_code\":\"entered-in-error\""))}));
  const uint64_t void_at = ledger_->size() - 1;
  ASSERT_OK(WriteBundle(ledger_.get(), out_, void_at - 1, void_at + 1));
  verifier_ = Must(ledger_->CheckpointVerifier());
  ledger_.reset();

  auto amended = Lines("amended.jsonl");
  ASSERT_EQ(amended.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(amended[0])["index"], amended_at);
  BundleReport r = Must(VerifyBundle(out_, verifier_));
  EXPECT_TRUE(r.ok()) << r.problem;
  EXPECT_EQ(r.entries, 2u);

  // Without the amended event, whose it was cannot be checked: refused, by
  // position and reason, whether the file is empty or (as in bundles written
  // before it existed) absent.
  Rewrite("amended.jsonl", {});
  BundleReport emptied = Must(VerifyBundle(out_, verifier_));
  EXPECT_EQ(emptied.first_bad_position, void_at) << emptied.problem;
  EXPECT_NE(emptied.problem.find("the bundle does not hold it"), std::string::npos)
      << emptied.problem;
  std::filesystem::remove(out_ + "/amended.jsonl");
  BundleReport absent = Must(VerifyBundle(out_, verifier_));
  EXPECT_EQ(absent.first_bad_position, void_at) << absent.problem;
}

TEST_F(BundleTest, AnotherLedgersKeyRejectsTheCheckpoint) {
  ASSERT_OK(WriteBundle(ledger_.get(), out_, 10, 20));
  PrivateKey other = Must(PrivateKey::Generate());
  NoteVerifier wrong = Must(NoteVerifier::Create(ledger_->origin(), other.public_key()));
  BundleReport r = Must(VerifyBundle(out_, wrong));
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.problem.find("checkpoint.txt"), std::string::npos) << r.problem;
  // Without a key, the bundle's own is used, and the report says so.
  BundleReport self = Must(VerifyBundle(out_, std::nullopt));
  EXPECT_TRUE(self.ok()) << self.problem;
  EXPECT_TRUE(self.trusted_bundled_key);
}

TEST_F(BundleTest, BadRangesMissingFilesAndUsedDirectoriesAreClearErrors) {
  EXPECT_EQ(WriteBundle(ledger_.get(), out_, 20, 10).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(WriteBundle(ledger_.get(), out_, 0, 1000).code(), Status::Code::kInvalidArgument);
  ASSERT_OK(WriteBundle(ledger_.get(), out_, 0, 5));
  EXPECT_EQ(WriteBundle(ledger_.get(), out_, 0, 5).code(), Status::Code::kConflict);
  std::filesystem::remove(out_ + "/keys.jsonl");
  EXPECT_EQ(VerifyBundle(out_, verifier_).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace evident
