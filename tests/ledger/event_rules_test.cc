// The one rule for what the log stores: raw FlatBuffers, built as an
// attacker with a valid key would build them (a valid event from the JSON
// codec, one field changed in its bytes, signed again), are refused by the
// appender exactly as the JSON codec refuses their JSON, and store nothing.

#include "ledger/event_rules.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "ledger/appender.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::EventJson;
using testing::IdHex;
using testing::Must;

const std::string kCost = EventJson(
    IdHex(100), "CostIncurred", "\"program_id\":\"pd-1\",\"fiscal_year\":2025",
    "\"category\":\"Registration\",\"amount_cents\":100,\"allocation\":\"PerParticipant\","
    "\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\"");
const std::string kSite =
    EventJson(IdHex(101), "SiteRegistered", "\"site_id\":\"s-1\"",
              "\"school_category\":\"Elementary\",\"students_in_poverty_share\":0.5,"
              "\"english_learner_share\":0.25,\"foster_youth_share\":0.125,"
              "\"students_with_disabilities_share\":0.125");
const std::string kSurvey = EventJson(
    IdHex(102), "ReactionSurveySubmitted", "\"person_id\":\"p-1\",\"program_id\":\"pd-1\"",
    "\"survey_identifier\":\"x-1\",\"response_date\":\"2025-01-15\",\"evaluation_score\":4,"
    "\"max_score\":5");
const std::string kSubstitute =
    EventJson(IdHex(103), "SubstituteCoverageRecorded", "\"person_id\":\"p-1\"",
              "\"staff_leave_event_category\":\"ReleaseTime\",\"begin_date\":\"2025-01-15\","
              "\"substitute_assigned\":true,\"covered_minutes\":420");
const std::string kCorrectedSite =
    EventJson(IdHex(104), "RecordCorrected", "",
              "\"amends_event_id\":\"" + IdHex(101) +
                  "\",\"reason_code\":\"typo\",\"subject\":{\"site_id\":\"s-1\"},\"body_type\":"
                  "\"SiteRegistered\",\"body\":{\"school_category\":\"Elementary\","
                  "\"students_in_poverty_share\":0.5,\"english_learner_share\":0.25,"
                  "\"foster_youth_share\":0.125,\"students_with_disabilities_share\":0.125}");

class EventRulesTest : public testing::LedgerFixture {
 protected:
  // The codec's bytes for `json`, unpacked, changed by `change`, packed again.
  std::string Changed(const std::string& json, const std::function<void(schema::EventT&)>& change) {
    const std::string bytes = Must(codec_->FromJson(json));
    std::unique_ptr<schema::EventT> event(schema::GetEvent(bytes.data())->UnPack());
    change(*event);
    flatbuffers::FlatBufferBuilder fbb;
    schema::FinishEventBuffer(fbb, schema::Event::Pack(fbb, event.get()));
    return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  }

  // The appender's verdict on `bytes` signed by the admin; the log must not
  // grow on a refusal.
  Status AppendRaw(const std::string& bytes) {
    const uint64_t before = ledger_->size();
    auto results = ledger_->Append({SignEvent(*admin_, bytes)});
    if (!results.ok()) {
      EXPECT_EQ(ledger_->size(), before) << "a refused event took a position";
    }
    return results.status();
  }
};

struct Case {
  const char* name;
  const std::string* json;
  std::function<void(schema::EventT&)> change;
  const char* field;  // the field the refusal must name
};

TEST_F(EventRulesTest, RawEventsThatBreakARuleAreRefusedNamingTheFieldAndStoreNothing) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<Case> cases = {
      {"amount past the range", &kCost,
       [](auto& e) { e.body.AsCostIncurred()->amount_cents = INT64_MAX; }, "body.amount_cents"},
      {"amount below the range", &kCost,
       [](auto& e) { e.body.AsCostIncurred()->amount_cents = INT64_MIN; }, "body.amount_cents"},
      {"an enum value of 99", &kCost,
       [](auto& e) { e.body.AsCostIncurred()->category = schema::CostCategory(99); },
       "body.category"},
      {"an enum value of -7", &kCost,
       [](auto& e) { e.body.AsCostIncurred()->funding_source = schema::FundingSource(-7); },
       "body.funding_source"},
      {"an enum left Unspecified", &kCost,
       [](auto& e) { e.body.AsCostIncurred()->allocation = schema::AllocationRule::Unspecified; },
       "body.allocation"},
      {"a CostIncurred with no subject", &kCost, [](auto& e) { e.subject.reset(); },
       "subject.program_id"},
      {"a subject without its fiscal year", &kCost, [](auto& e) { e.subject->fiscal_year.reset(); },
       "subject.fiscal_year"},
      {"a fiscal year of -3", &kCost, [](auto& e) { e.subject->fiscal_year = int16_t(-3); },
       "subject.fiscal_year"},
      {"occurred_at that is not a timestamp", &kCost,
       [](auto& e) { e.occurred_at = "not a timestamp"; }, "occurred_at"},
      {"a date that is no day", &kSurvey,
       [](auto& e) { e.body.AsReactionSurveySubmitted()->response_date = "2025-02-30"; },
       "body.response_date"},
      {"an empty required string", &kCost, [](auto& e) { e.district_id = ""; }, "district_id"},
      {"a string that is not UTF-8", &kCost, [](auto& e) { e.source_system = "fin\xff"; },
       "source_system"},
      {"a NaN share", &kSite,
       [&](auto& e) { e.body.AsSiteRegistered()->students_in_poverty_share = nan; },
       "body.students_in_poverty_share"},
      {"an infinite score", &kSurvey,
       [&](auto& e) { e.body.AsReactionSurveySubmitted()->evaluation_score = inf; },
       "body.evaluation_score"},
      {"a negative infinite score", &kSurvey,
       [&](auto& e) { e.body.AsReactionSurveySubmitted()->max_score = -inf; }, "body.max_score"},
      {"a NaN inside a correction's body", &kCorrectedSite,
       [&](auto& e) {
         e.body.AsRecordCorrected()->body.AsSiteRegistered()->foster_youth_share = nan;
       },
       "body.body.foster_youth_share"},
      {"a correction whose subject lacks what its body needs", &kCorrectedSite,
       [](auto& e) { e.body.AsRecordCorrected()->subject->site_id = ""; }, "body.subject.site_id"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string bytes = Changed(*c.json, c.change);
    const schema::Event* event = Must(ParseEvent(bytes));  // the verifier lets it through
    const Status rules = CheckEventRules(event);
    EXPECT_EQ(rules.code(), Status::Code::kInvalidArgument) << rules.ToString();
    EXPECT_NE(rules.message().find(std::string("\"") + c.field + "\""), std::string::npos)
        << rules.message();
    const Status appended = AppendRaw(bytes);
    EXPECT_EQ(appended.code(), Status::Code::kInvalidArgument) << appended.ToString();
  }
  // Every original is accepted: the refusals are the changes'.
  for (const std::string* json : {&kCost, &kSite, &kSurvey, &kSubstitute}) {
    EXPECT_OK(AppendRaw(Must(codec_->FromJson(*json))));
  }
  EXPECT_OK(AppendRaw(Must(codec_->FromJson(kCorrectedSite))));
}

// A bool stored as 2, and a union member the schema does not have (whose
// name, and so the event_type it must match, is ""): neither can be written
// through the object API, so the bytes are changed in place.
TEST_F(EventRulesTest, ABoolOtherThanZeroOrOneAndAnUnknownBodyAreRefused) {
  std::string bool_bytes = Must(codec_->FromJson(kSubstitute));
  auto* body = const_cast<schema::SubstituteCoverageRecorded*>(
      schema::GetEvent(bool_bytes.data())->body_as_SubstituteCoverageRecorded());
  ASSERT_TRUE(reinterpret_cast<flatbuffers::Table*>(body)->SetField<uint8_t>(
      schema::SubstituteCoverageRecorded::VT_SUBSTITUTE_ASSIGNED, 2, 0));
  Status bool_status = CheckEventRules(Must(ParseEvent(bool_bytes)));
  EXPECT_NE(bool_status.message().find("\"body.substitute_assigned\""), std::string::npos)
      << bool_status.ToString();
  EXPECT_EQ(AppendRaw(bool_bytes).code(), Status::Code::kInvalidArgument);

  std::string unknown = Changed(kCost, [](auto& e) { e.event_type = ""; });
  auto* event = const_cast<schema::Event*>(schema::GetEvent(unknown.data()));
  ASSERT_TRUE(reinterpret_cast<flatbuffers::Table*>(event)->SetField<uint8_t>(
      schema::Event::VT_BODY_TYPE, 99, 0));
  // The FlatBuffers verifier lets union members it does not know through.
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(unknown.data()), unknown.size());
  ASSERT_TRUE(schema::VerifyEventBuffer(verifier));
  EXPECT_EQ(ParseEvent(unknown).status().message(),
            "body type 99 is not an event type this build knows");
  EXPECT_EQ(AppendRaw(unknown).code(), Status::Code::kInvalidArgument);
}

// The JSON codec refuses what the appender refuses, with the same words: it
// runs the same rules on the bytes it builds.
TEST_F(EventRulesTest, TheJsonCodecRefusesASubjectWithoutItsIdsAsTheAppenderDoes) {
  const std::string no_site =
      EventJson(IdHex(105), "SiteRegistered", "",
                "\"school_category\":\"Elementary\",\"students_in_poverty_share\":0.5,"
                "\"english_learner_share\":0.25,\"foster_youth_share\":0.125,"
                "\"students_with_disabilities_share\":0.125");
  auto from_json = codec_->FromJson(no_site);
  EXPECT_EQ(from_json.status().message(), "SiteRegistered events must name \"subject.site_id\"");
  const Status raw =
      CheckEventRules(Must(ParseEvent(Changed(kSite, [](auto& e) { e.subject.reset(); }))));
  EXPECT_EQ(raw.message(), from_json.status().message());
}

}  // namespace
}  // namespace evident
