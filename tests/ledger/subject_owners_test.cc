#include "ledger/subject_owners.h"

#include <gtest/gtest.h>

#include <map>

#include "ledger/coding.h"
#include "ledger/event_json.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::EventJson;
using testing::IdHex;
using testing::Must;

// Key rule 7 as one function, over rows held in a map: what it owns, what it
// refuses, what a void frees, and a format-1 log's registration that the rule
// would have refused, passed over.
class SubjectOwnersTest : public ::testing::Test {
 protected:
  void SetUp() override { codec_ = Must(EventJsonCodec::Create()); }

  StatusOr<SubjectRows> Apply(const std::string& json, uint64_t position,
                              const std::string& principal, bool admin = false,
                              std::optional<uint64_t> voided = std::nullopt,
                              bool before_rule = false) {
    bytes_ = Must(codec_->FromJson(json));
    SubjectEvent e{Must(ParseEvent(bytes_)), position, principal, admin, voided, before_rule};
    auto rows = ApplySubjectRule(e, [&](const std::string& key) {
      auto it = rows_.find(key);
      return StatusOr<std::optional<std::string>>(
          it == rows_.end() ? std::nullopt : std::optional<std::string>(it->second));
    });
    if (rows.ok()) {
      for (const auto& [key, value] : rows.value()) rows_[key] = value;
    }
    return rows;
  }
  static std::string Person(const std::string& id) {
    return EventJson(IdHex(1), "PersonRegistered", "\"person_id\":\"" + id + "\"",
                     "\"participant_group\":\"Certificated\"");
  }
  static std::string Void() {
    return EventJson(IdHex(2), "RecordVoided", "",
                     "\"amends_event_id\":\"" + IdHex(1) + "\",\"reason_code\":\"x\"");
  }

  std::unique_ptr<EventJsonCodec> codec_;
  std::string bytes_;
  std::map<std::string, std::string> rows_;
};

TEST_F(SubjectOwnersTest, TheFirstSystemOwnsAndAVoidOfItsRegistrationFrees) {
  SubjectRows rows = Must(Apply(Person("e-1"), 10, "hr"));
  // Written out by hand from the column's definition (subject_owners.h).
  const std::string subject = std::string("person") + '\0' + "e-1";
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], std::make_pair("s" + subject, EncodeKey64(10) + "hr"));
  EXPECT_EQ(rows[1], std::make_pair("p" + EncodeKey64(10), subject));

  EXPECT_TRUE(Must(Apply(Person("e-1"), 11, "hr")).empty());
  EXPECT_TRUE(Must(Apply(Person("e-1"), 12, "root", /*admin=*/true)).empty());
  EXPECT_EQ(Apply(Person("e-1"), 13, "pd").status().code(), Status::Code::kPermissionDenied);
  // Format 1's log: passed over, owning nothing.
  EXPECT_TRUE(Must(Apply(Person("e-1"), 13, "pd", false, std::nullopt, true)).empty());

  // A void of another registration frees nothing; of the owning one, frees.
  EXPECT_TRUE(Must(Apply(Void(), 14, "root", true, /*voided=*/11)).empty());
  rows = Must(Apply(Void(), 15, "root", true, /*voided=*/10));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], std::make_pair("s" + subject, std::string()));
  rows = Must(Apply(Person("e-1"), 16, "pd"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].second, EncodeKey64(16) + "pd");
  EXPECT_EQ(Apply(Person("e-1"), 17, "hr").status().code(), Status::Code::kPermissionDenied);
}

TEST_F(SubjectOwnersTest, SitesProgrammesAndSessionsEachHaveTheirOwnOwner) {
  ASSERT_OK(Apply(EventJson(IdHex(3), "SiteRegistered", "\"site_id\":\"s-1\"",
                            "\"school_category\":\"Elementary\",\"enrollment\":400,"
                            "\"students_in_poverty_share\":0.5,\"english_learner_share\":0.1,"
                            "\"foster_youth_share\":0,\"students_with_disabilities_share\":0.1"),
                  1, "hr")
                .status());
  ASSERT_OK(Apply(Person("s-1"), 2, "pd").status());  // a person, not the site
  EXPECT_EQ(RegisteredSubject(*Must(ParseEvent(bytes_))), std::string("person") + '\0' + "s-1");
  EXPECT_EQ(SubjectName(std::string("session") + '\0' + "pd-1" + '\0' + "s1"),
            "session pd-1/s1");
}

}  // namespace
}  // namespace evident
