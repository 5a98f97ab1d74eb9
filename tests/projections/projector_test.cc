#include "projections/projector.h"

#include <gtest/gtest.h>

#include "ledger/bundle.h"
#include "ledger/entry.h"
#include "tests/projections/projection_fixture.h"

namespace evident::testing {
namespace {

using projections::Attendance;
using projections::JoinKey;

class ProjectorTest : public ProjectionTest {
 protected:
  std::string Attend(const std::string& person, int minutes) {
    return Add("AttendanceRecorded",
               "\"person_id\":\"" + person + "\",\"program_id\":\"pd-1\",\"session_id\":\"s1\"",
               AttendanceBody(minutes));
  }
  static std::string AttendanceBody(int minutes) {
    return "\"attendance_date\":\"2024-10-01\",\"attendance_event_category\":\"InAttendance\","
           "\"credited_minutes\":" +
           std::to_string(minutes);
  }
  // Minutes credited to `person` in pd-1, or -1 if the row is absent.
  static int64_t Minutes(const projections::Projector& p, const std::string& person) {
    const Attendance* row = p.state().attendance.Find(JoinKey(person, "pd-1"));
    if (row == nullptr) return -1;
    int64_t total = 0;
    for (const auto& d : row->days) total += d.minutes;
    return total;
  }
  static std::string LastOutcome(const projections::Projector& p) {
    std::string last_key, outcome;
    for (const auto& [key, a] : p.state().amendment.rows()) {
      if (key > last_key) {
        last_key = key;
        outcome = a.outcome;
      }
    }
    return outcome;
  }
};

TEST_F(ProjectorTest, ACorrectionThatMovesTheSubjectIsTakenBackFromWhereItWent) {
  const std::string id = Attend("a", 60);
  Correct(id, "AttendanceRecorded", AttendanceBody(90),
          "\"person_id\":\"b\",\"program_id\":\"pd-1\",\"session_id\":\"s1\"");
  auto p = Fold();
  EXPECT_EQ(Minutes(*p, "a"), -1);
  EXPECT_EQ(Minutes(*p, "b"), 90);
  // A second correction without a subject keeps the subject in force (b's).
  Correct(id, "AttendanceRecorded", AttendanceBody(30));
  p = Fold();
  EXPECT_EQ(Minutes(*p, "a"), -1);
  EXPECT_EQ(Minutes(*p, "b"), 30);
  Void(id);
  p = Fold();
  EXPECT_EQ(Minutes(*p, "b"), -1);
  EXPECT_EQ(LastOutcome(*p), "applied");
}

// docs/metrics.md: a void of a correction withdraws it; the event reads as
// before it, body and subject, and the state equals one that never saw it.
TEST_F(ProjectorTest, AVoidOfACorrectionWithdrawsItAndTheEventReadsAsBefore) {
  const std::string id = Attend("a", 60);
  const std::string to_b = Correct(id, "AttendanceRecorded", AttendanceBody(90),
                                   "\"person_id\":\"b\",\"program_id\":\"pd-1\",\"session_id\":\"s1\"");
  const std::string to_30 = Correct(id, "AttendanceRecorded", AttendanceBody(30));
  auto p = Fold();
  EXPECT_EQ(Minutes(*p, "b"), 30);
  // Withdrawing the last correction: the one before stands (b, 90 minutes).
  Void(to_30);
  p = Fold();
  EXPECT_EQ(LastOutcome(*p), "applied");
  EXPECT_EQ(Minutes(*p, "a"), -1);
  EXPECT_EQ(Minutes(*p, "b"), 90);
  // Withdrawing the first: the original stands again (a, 60 minutes).
  Void(to_b);
  p = Fold();
  EXPECT_EQ(LastOutcome(*p), "applied");
  EXPECT_EQ(Minutes(*p, "a"), 60);
  EXPECT_EQ(Minutes(*p, "b"), -1);
  // A second void of the same correction, and a correction of a correction,
  // change nothing and say why.
  Void(to_b);
  p = Fold();
  EXPECT_EQ(LastOutcome(*p), "not applied: the event was voided");
  const std::string to_75 = Correct(id, "AttendanceRecorded", AttendanceBody(75));
  EXPECT_EQ(Minutes(*Fold(), "a"), 75);
  Correct(to_75, "AttendanceRecorded", AttendanceBody(45));
  p = Fold();
  EXPECT_EQ(LastOutcome(*p),
            "not applied: a correction is not corrected; correct the event it corrected again, "
            "or void the correction");
  EXPECT_EQ(Minutes(*p, "a"), 75);
  // The event itself can still be voided.
  Void(id);
  EXPECT_EQ(Minutes(*Fold(), "a"), -1);
}

TEST_F(ProjectorTest, AnAmendmentThatCannotApplyChangesNothingAndSaysWhy) {
  const std::string id = Attend("a", 60);
  // The appender refuses an amendment of an id no earlier entry holds (key
  // rule 5); a log written before that rule may hold one, which the
  // projector applies as nothing, saying why.
  const SignedEvent of_nothing = Sign(
      *admin_, testing::EventJson(IdHex(999998), "RecordCorrected", "",
                                  "\"amends_event_id\":\"" + IdHex(999999) +
                                      "\",\"reason_code\":\"keyed-wrong\",\"body_type\":"
                                      "\"AttendanceRecorded\",\"body\":{" +
                                      AttendanceBody(90) + "}"));
  EXPECT_EQ(ledger_->Append({of_nothing}).status().code(), Status::Code::kNotFound);
  auto p = Fold();
  const std::string entry = BuildEntry(p->position(), 1760457600000000, of_nothing);
  ASSERT_OK(p->Apply(p->position(), entry));
  EXPECT_EQ(LastOutcome(*p), "not applied: no earlier event has this id");
  EXPECT_EQ(Minutes(*p, "a"), 60);

  Correct(id, "ObservationRecorded",
          "\"performance_evaluation_type\":\"Walkthrough\",\"evaluation_date\":\"2024-10-01\","
          "\"reviewer_person_id\":\"r\",\"targeted_practice_observed\":true",
          "\"person_id\":\"a\"");
  p = Fold();
  EXPECT_EQ(LastOutcome(*p),
            "not applied: the correction's body is ObservationRecorded, the event's is "
            "AttendanceRecorded");
  EXPECT_EQ(Minutes(*p, "a"), 60);
  EXPECT_TRUE(p->state().observation.rows().empty());

  Void(id);
  Correct(id, "AttendanceRecorded", AttendanceBody(90));
  p = Fold();
  EXPECT_EQ(LastOutcome(*p), "not applied: the event was voided");
  EXPECT_EQ(Minutes(*p, "a"), -1);
}

// Two systems' events under one id are two events: each system's void or
// correction reaches its own, an admin's names whose, and an export bundle
// that holds only the amendments proves the same.
TEST_F(ProjectorTest, AnAmendmentReachesTheEventOfThePrincipalItNames) {
  const std::string allowed = "[\"AttendanceRecorded\",\"RecordVoided\"]";
  PrivateKey hr = RegisterKey("hr", "Integration", allowed);
  PrivateKey lms = RegisterKey("lms", "Integration", allowed);
  auto attend = [&](const PrivateKey& key, const std::string& person, int minutes) {
    return Sign(key, EventJson(IdHex(42), "AttendanceRecorded",
                               "\"person_id\":\"" + person +
                                   "\",\"program_id\":\"pd-1\",\"session_id\":\"s1\"",
                               AttendanceBody(minutes)));
  };
  auto void_of = [&](const PrivateKey& key, uint64_t id, const std::string& whose) {
    return Sign(key, EventJson(IdHex(id), "RecordVoided", "",
                               "\"amends_event_id\":\"" + IdHex(42) +
                                   "\",\"reason_code\":\"entered-in-error\"" +
                                   (whose.empty() ? ""
                                                  : ",\"amends_principal_id\":\"" + whose + "\"")));
  };
  ASSERT_OK(ledger_->Append({attend(lms, "a", 60), attend(hr, "b", 30)}).status());
  const uint64_t from = ledger_->size();
  ASSERT_OK(ledger_->Append({void_of(hr, 43, "")}).status());
  auto p = Fold();
  EXPECT_EQ(Minutes(*p, "a"), 60);
  EXPECT_EQ(Minutes(*p, "b"), -1);
  ASSERT_OK(ledger_->Append({void_of(*admin_, 44, "lms")}).status());
  p = Fold();
  EXPECT_EQ(Minutes(*p, "a"), -1);
  EXPECT_EQ(LastOutcome(*p), "applied");

  TempDir out;
  ASSERT_OK(WriteBundle(ledger_.get(), out.path() + "/b", from, ledger_->size()));
  BundleReport report = Must(VerifyBundle(out.path() + "/b", std::nullopt));
  EXPECT_TRUE(report.ok()) << report.problem;
}

TEST_F(ProjectorTest, KeyEventsAreNotAmended) {
  Void(IdHex(1));  // the admin's own registration
  auto p = Fold();
  EXPECT_EQ(LastOutcome(*p),
            "not applied: governance events are not amended; register or revoke keys");
}

TEST_F(ProjectorTest, TheStateSurvivesEncodingExactly) {
  const std::string id = Attend("a", 60);
  Attend("b", 45);
  Correct(id, "AttendanceRecorded", AttendanceBody(75));
  Add("ObservationRecorded", "\"person_id\":\"a\"",
      "\"performance_evaluation_type\":\"Walkthrough\",\"evaluation_date\":\"2024-10-01\","
      "\"reviewer_person_id\":\"r\",\"element_ratings\":[{\"evaluation_element_title\":\"3b\","
      "\"rating\":2.5}],\"targeted_practice_observed\":true");
  auto p = Fold();
  projections::FactState copy;
  for (size_t i = 0; i < p->state().tables().size(); ++i) {
    projections::TableBase* to = copy.tables()[i];
    p->state().tables()[i]->ForEachEncoded([&](const std::string& k, const std::string& v) {
      EXPECT_TRUE(to->LoadEncoded(k, v)) << to->name();
    });
  }
  EXPECT_EQ(copy.Digest(), p->state().Digest());
  EXPECT_EQ(Minutes(*p, "a"), 75);
}

TEST_F(ProjectorTest, AnEntryOutOfOrderIsRefused) {
  projections::LedgerSource source(ledger_.get());
  projections::Projector p(&source);
  std::string entry = Must(ledger_->ReadEntry(1));
  Status s = p.Apply(1, entry);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  EXPECT_EQ(p.position(), 0u);
}

TEST_F(ProjectorTest, GarbageEntryBytesAreCorruptionAndChangeNothing) {
  projections::LedgerSource source(ledger_.get());
  projections::Projector p(&source);
  const std::string before = p.state().Digest();
  std::string garbage(64, '\x5a');
  Status s = p.Apply(0, garbage);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_EQ(p.state().Digest(), before);
  EXPECT_EQ(p.position(), 0u);
}

}  // namespace
}  // namespace evident::testing
