#include "ledger/event_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ledger/coding.h"
#include "ledger/event.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::AttendanceJson;
using testing::EventJson;
using testing::IdHex;
using testing::Must;

class EventJsonTest : public ::testing::Test {
 protected:
  void SetUp() override { codec_ = Must(EventJsonCodec::Create()); }

  // The error message FromJson gives for `json`, or "" if it was accepted.
  std::string ErrorOf(const std::string& json) {
    auto bytes = codec_->FromJson(json);
    if (bytes.ok()) return "";
    EXPECT_EQ(bytes.status().code(), Status::Code::kInvalidArgument);
    return bytes.status().message();
  }

  std::unique_ptr<EventJsonCodec> codec_;
};

TEST_F(EventJsonTest, AttendanceBuildsTheFieldsGiven) {
  std::string bytes = Must(codec_->FromJson(AttendanceJson(IdHex(7), "p-1", 90)));
  const schema::Event* event = Must(ParseEvent(bytes));
  EXPECT_EQ(HexEncode(EventIdOf(event)), IdHex(7));
  EXPECT_EQ(event->event_type()->str(), "AttendanceRecorded");
  EXPECT_EQ(event->schema_version(), 1);
  EXPECT_EQ(event->subject()->person_id()->str(), "p-1");
  EXPECT_FALSE(event->subject()->fiscal_year().has_value());
  const auto* body = event->body_as_AttendanceRecorded();
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->credited_minutes(), 90u);
  EXPECT_EQ(body->attendance_event_category(), schema::AttendanceEventCategory::InAttendance);
  EXPECT_EQ(body->attendance_date()->str(), "2025-01-15");
}

TEST_F(EventJsonTest, ToJsonGivesBackWhatFromJsonRead) {
  const std::string inputs[] = {
      AttendanceJson(IdHex(1), "p-9", 0),
      EventJson(
          IdHex(2), "ObservationRecorded", "\"person_id\":\"p-2\"",
          "\"performance_evaluation_type\":\"Walkthrough\",\"evaluation_date\":\"2025-02-03\","
          "\"reviewer_person_id\":\"p-77\",\"element_ratings\":[{\"evaluation_element_title\":"
          "\"3b\",\"rating\":3.5}],\"targeted_practice_observed\":false"),
      EventJson(
          IdHex(3), "RecordCorrected", "",
          "\"amends_event_id\":\"" + IdHex(1) +
              "\",\"reason_code\":\"wrong-minutes\","
              "\"body_type\":\"AttendanceRecorded\",\"body\":{\"attendance_date\":\"2025-01-15\","
              "\"attendance_event_category\":\"Partial\",\"credited_minutes\":60}"),
      // Control characters and text beyond ASCII, in and out (the JSON event
      // fuzzer found an id with U+0000 that read in but could not print).
      AttendanceJson(IdHex(4), "p-\\u0000\\u001f\\t-\\u00e9-\\ud83d\\ude00", 5),
  };
  for (const std::string& input : inputs) {
    std::string bytes = Must(codec_->FromJson(input));
    nlohmann::json back = nlohmann::json::parse(Must(codec_->ToJson(bytes)));
    nlohmann::json want = nlohmann::json::parse(input);
    want["schema_version"] = 1;  // the default, spelled out on the way back
    EXPECT_EQ(back, want) << back.dump();
    // And the JSON read back builds the identical bytes.
    EXPECT_EQ(Must(codec_->FromJson(back.dump())), bytes);
  }
}

TEST_F(EventJsonTest, FieldOrderInTheInputDoesNotChangeTheBytes) {
  nlohmann::ordered_json forward = nlohmann::ordered_json::parse(AttendanceJson(IdHex(4), "p", 5));
  nlohmann::ordered_json backward;
  for (auto it = forward.rbegin(); it != forward.rend(); ++it) backward[it.key()] = it.value();
  nlohmann::ordered_json body;
  for (auto it = forward["body"].rbegin(); it != forward["body"].rend(); ++it) {
    body[it.key()] = it.value();
  }
  backward["body"] = body;
  ASSERT_NE(forward.dump(), backward.dump());
  EXPECT_EQ(Must(codec_->FromJson(forward.dump())), Must(codec_->FromJson(backward.dump())));
}

TEST_F(EventJsonTest, EventIdMayBeAUuid) {
  std::string json = AttendanceJson("6f1c1b2e-5a4d-4e8a-9c3b-2f0e1d7a9b10", "p-1", 30);
  std::string bytes = Must(codec_->FromJson(json));
  const schema::Event* event = Must(ParseEvent(bytes));
  EXPECT_EQ(HexEncode(EventIdOf(event)), "6f1c1b2e5a4d4e8a9c3b2f0e1d7a9b10");
}

TEST_F(EventJsonTest, MalformedJsonSaysWhere) {
  EXPECT_NE(ErrorOf("{\"event_type\": ").find("malformed JSON"), std::string::npos);
  EXPECT_NE(ErrorOf("[1,2]").find("must be a JSON object"), std::string::npos);
}

TEST_F(EventJsonTest, UnknownEventTypeListsTheKnownOnes) {
  std::string error = ErrorOf(EventJson(IdHex(1), "AttendanceRecordd", "", ""));
  EXPECT_NE(error.find("unknown event type \"AttendanceRecordd\""), std::string::npos);
  EXPECT_NE(error.find("AttendanceRecorded"), std::string::npos);
}

TEST_F(EventJsonTest, MissingFieldsAreNamed) {
  std::string no_minutes = EventJson(
      IdHex(1), "AttendanceRecorded",
      "\"person_id\":\"p\",\"program_id\":\"q\",\"session_id\":\"r\"",
      "\"attendance_date\":\"2025-01-15\",\"attendance_event_category\":\"InAttendance\"");
  EXPECT_EQ(ErrorOf(no_minutes), "missing field \"body.credited_minutes\"");

  const std::string district = "\"district_id\":\"lea-1\",";
  std::string no_district = AttendanceJson(IdHex(1), "p", 5);
  no_district.erase(no_district.find(district), district.size());
  EXPECT_EQ(ErrorOf(no_district), "missing field \"district_id\"");

  std::string extra = AttendanceJson(IdHex(1), "p", 5);
  extra.replace(extra.find(district), district.size(), district + "\"districtid\":1,");
  EXPECT_EQ(ErrorOf(extra), "unknown field \"districtid\"");

  std::string no_id = AttendanceJson(IdHex(1), "p", 5);
  no_id.replace(0, no_id.find(",") + 1, "{");
  EXPECT_EQ(ErrorOf(no_id), "missing field \"event_id\"");
}

TEST_F(EventJsonTest, SubjectIdsTheBodyNeedsAreRequired) {
  std::string json =
      EventJson(IdHex(1), "AttendanceRecorded", "\"person_id\":\"p\",\"program_id\":\"q\"",
                "\"attendance_date\":\"2025-01-15\",\"attendance_event_category\":\"InAttendance\","
                "\"credited_minutes\":5");
  EXPECT_EQ(ErrorOf(json), "AttendanceRecorded events must name \"subject.session_id\"");
}

TEST_F(EventJsonTest, WrongValuesAreRefusedWithTheRule) {
  auto with_body = [](const std::string& category, const std::string& date,
                      const std::string& minutes) {
    return EventJson(IdHex(1), "AttendanceRecorded",
                     "\"person_id\":\"p\",\"program_id\":\"q\",\"session_id\":\"r\"",
                     "\"attendance_date\":" + date + ",\"attendance_event_category\":" + category +
                         ",\"credited_minutes\":" + minutes);
  };
  EXPECT_NE(
      ErrorOf(with_body("\"Present-ish\"", "\"2025-01-15\"", "5")).find("one of: InAttendance"),
      std::string::npos);
  EXPECT_NE(ErrorOf(with_body("\"InAttendance\"", "\"2025-02-30\"", "5")).find("YYYY-MM-DD"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(with_body("\"InAttendance\"", "\"2025-01-15\"", "2000")).find("between 0 and 1440"),
      std::string::npos);
  EXPECT_NE(ErrorOf(with_body("\"InAttendance\"", "\"2025-01-15\"", "\"5\"")).find("whole number"),
            std::string::npos);
  EXPECT_NE(ErrorOf(with_body("\"InAttendance\"", "\"2025-01-15\"", "-5")).find("zero or more"),
            std::string::npos);
  EXPECT_NE(ErrorOf(with_body("\"Unspecified\"", "\"2025-01-15\"", "5")).find("one of"),
            std::string::npos);
  std::string bad_id = AttendanceJson("1234", "p", 5);
  EXPECT_NE(ErrorOf(bad_id).find("16 bytes"), std::string::npos);
  std::string bad_time = AttendanceJson(IdHex(1), "p", 5);
  bad_time.replace(bad_time.find("16:00:00Z"), 9, "16:00:00+01:00");
  EXPECT_NE(ErrorOf(bad_time).find("YYYY-MM-DDThh:mm:ssZ"), std::string::npos);
}

TEST_F(EventJsonTest, KeyFieldsNeedTheirExactLength) {
  std::string json = EventJson(IdHex(1), "KeyRegistered", "",
                               "\"principal_id\":\"x\",\"role\":\"Admin\",\"public_key\":\"abcd\"");
  EXPECT_NE(ErrorOf(json).find("\"body.public_key\" must be 32 bytes"), std::string::npos);
}

TEST_F(EventJsonTest, CorrectionsCannotCarryGovernanceBodies) {
  std::string json = EventJson(IdHex(3), "RecordCorrected", "",
                               "\"amends_event_id\":\"" + IdHex(1) +
                                   "\",\"reason_code\":\"x\",\"body_type\":\"KeyRevoked\","
                                   "\"body\":{\"key_id\":\"" +
                                   std::string(64, 'a') + "\",\"reason_code\":\"x\"}");
  EXPECT_NE(ErrorOf(json).find("governance"), std::string::npos);
}

TEST(DateTest, CalendarRules) {
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2025-02-29"));
  EXPECT_FALSE(IsValidDate("1900-02-29"));
  EXPECT_TRUE(IsValidDate("2000-02-29"));
  EXPECT_FALSE(IsValidDate("2025-13-01"));
  EXPECT_FALSE(IsValidDate("2025-1-01"));
  EXPECT_TRUE(IsValidTimestamp("2025-12-31T23:59:59Z"));
  EXPECT_FALSE(IsValidTimestamp("2025-12-31T24:00:00Z"));
  EXPECT_FALSE(IsValidTimestamp("2025-12-31 23:59:59Z"));
}

TEST(EventBytesTest, ParseEventRefusesGarbageAndMismatchedType) {
  EXPECT_FALSE(ParseEvent("").ok());
  EXPECT_FALSE(ParseEvent("not a flatbuffer at all").ok());
  EXPECT_FALSE(ParseEvent(std::string(kMaxEventBytes + 1, '\0')).ok());
  auto codec = Must(EventJsonCodec::Create());
  std::string bytes = Must(codec->FromJson(AttendanceJson(IdHex(1), "p", 5)));
  // Truncations of a valid event never pass the verifier.
  for (size_t n = 0; n < bytes.size(); n += 7) {
    EXPECT_FALSE(ParseEvent(bytes.substr(0, n)).ok()) << n;
  }
  // An event whose event_type names another body than it carries.
  std::unique_ptr<schema::EventT> object(schema::GetEvent(bytes.data())->UnPack());
  object->event_type = "CostIncurred";
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(schema::Event::Pack(fbb, object.get()), schema::EventIdentifier());
  auto mismatched = ParseEvent(
      std::string_view(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize()));
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(mismatched.status().message().find("does not match its body"), std::string::npos);
}

}  // namespace
}  // namespace evident
