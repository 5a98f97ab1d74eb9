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

// Written out by hand from the column's definition (subject_owners.h).
std::string Be32(uint32_t n) {
  return {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
          static_cast<char>(n)};
}

TEST_F(SubjectOwnersTest, TheFirstSystemOwnsWhileAnyOfItsRegistrationsStands) {
  SubjectRows rows = Must(Apply(Person("e-1"), 10, "hr"));
  const std::string subject = std::string("person") + '\0' + Be32(3) + "e-1";
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], std::make_pair("s" + subject, Be32(1) + "hr"));
  EXPECT_EQ(rows[1], std::make_pair("p" + EncodeKey64(10), subject));

  rows = Must(Apply(Person("e-1"), 11, "hr"));  // hr again: two stand
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].second, Be32(2) + "hr");
  EXPECT_TRUE(Must(Apply(Person("e-1"), 12, "root", /*admin=*/true)).empty());
  EXPECT_EQ(Apply(Person("e-1"), 13, "pd").status().code(), Status::Code::kPermissionDenied);
  // Format 1's log: passed over, owning nothing.
  EXPECT_TRUE(Must(Apply(Person("e-1"), 13, "pd", false, std::nullopt, true)).empty());

  // Voids of what owns nothing change nothing; of hr's first, one stands.
  EXPECT_TRUE(Must(Apply(Void(), 14, "root", true, /*amended=*/12)).empty());
  rows = Must(Apply(Void(), 15, "root", true, /*amended=*/10));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], std::make_pair("s" + subject, Be32(1) + "hr"));
  EXPECT_EQ(rows[1], std::make_pair("p" + EncodeKey64(10), std::string()));
  EXPECT_TRUE(Must(Apply(Void(), 16, "root", true, /*amended=*/10)).empty());  // again: nothing
  EXPECT_EQ(Apply(Person("e-1"), 17, "pd").status().code(), Status::Code::kPermissionDenied);
  // Of hr's second: none stands, and the person is free.
  rows = Must(Apply(Void(), 18, "hr", false, /*amended=*/11));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], std::make_pair("s" + subject, std::string()));
  rows = Must(Apply(Person("e-1"), 19, "pd"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].second, Be32(1) + "pd");
  EXPECT_EQ(Apply(Person("e-1"), 20, "hr").status().code(), Status::Code::kPermissionDenied);
}

// A system corrects only a registration that owns its subject, and never
// onto another subject: the ways a registration of another's subject could
// otherwise stand.
TEST_F(SubjectOwnersTest, ACorrectionNeitherMovesARegistrationNorRevivesOneThatOwnsNothing) {
  ASSERT_OK(Apply(Person("e-1"), 10, "hr").status());
  ASSERT_OK(Apply(Person("f-1"), 11, "pd").status());
  auto correction = [](const std::string& subject) {
    return EventJson(IdHex(3), "RecordCorrected", "",
                     "\"amends_event_id\":\"" + IdHex(1) + "\",\"reason_code\":\"x\"," +
                         (subject.empty() ? "" : "\"subject\":{\"person_id\":\"" + subject + "\"},") +
                         "\"body_type\":\"PersonRegistered\",\"body\":{\"participant_group\":"
                         "\"Classified\"}");
  };
  EXPECT_TRUE(Must(Apply(correction(""), 12, "pd", false, /*amended=*/11)).empty());
  EXPECT_TRUE(Must(Apply(correction("f-1"), 13, "pd", false, /*amended=*/11)).empty());
  EXPECT_EQ(Apply(correction("e-1"), 14, "pd", false, 11).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(Apply(correction("f-9"), 15, "pd", false, 11).status().code(),
            Status::Code::kPermissionDenied);
  // A registration that owns nothing (passed over in a format-1 log, or
  // voided) is not corrected by a system, with or without a subject.
  ASSERT_OK(Apply(Person("e-1"), 16, "pd", false, std::nullopt, /*before_rule=*/true).status());
  EXPECT_EQ(Apply(correction(""), 17, "pd", false, 16).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_TRUE(Must(Apply(correction("e-1"), 18, "root", /*admin=*/true, 16)).empty());
}

TEST_F(SubjectOwnersTest, ASessionIsItsProgrammesAndEachKindHasItsOwnOwner) {
  ASSERT_OK(Apply(EventJson(IdHex(3), "SiteRegistered", "\"site_id\":\"s-1\"",
                            "\"school_category\":\"Elementary\",\"enrollment\":400,"
                            "\"students_in_poverty_share\":0.5,\"english_learner_share\":0.1,"
                            "\"foster_youth_share\":0,\"students_with_disabilities_share\":0.1"),
                  1, "hr")
                .status());
  ASSERT_OK(Apply(Person("s-1"), 2, "pd").status());  // a person, not the site
  const std::string program =
      EventJson(IdHex(4), "ProgramDefined", "\"program_id\":\"pd-1\"",
                "\"professional_development_title\":\"Number talks\",\"offered_by\":"
                "\"District\",\"delivery_method\":\"Onsite\",\"total_hours\":6,"
                "\"activity_type\":\"Workshop\"");
  auto session = [](const std::string& program_id, const std::string& session_id) {
    return EventJson(IdHex(5), "SessionScheduled",
                     "\"program_id\":\"" + program_id + "\",\"session_id\":\"" + session_id + "\"",
                     "\"start_date\":\"2025-08-11\",\"scheduled_minutes\":360");
  };
  ASSERT_OK(Apply(program, 3, "pd").status());
  ASSERT_OK(Apply(session("pd-1", "s1"), 4, "pd").status());
  EXPECT_EQ(RegisteredSubject(*Must(ParseEvent(bytes_))),
            std::string("session") + '\0' + Be32(4) + "pd-1" + Be32(2) + "s1");
  // lms schedules no session of pd's programme, taken or not.
  EXPECT_EQ(Apply(session("pd-1", "s2"), 5, "lms").status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(SubjectName(std::string("session") + '\0' + Be32(4) + "pd-1" + Be32(2) + "s1"),
            "session pd-1/s1");
}

}  // namespace
}  // namespace evident
