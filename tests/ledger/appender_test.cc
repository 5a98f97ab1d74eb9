// The ledger's append path: idempotency, key rules, signatures, group commit,
// durability and recovery.

#include "ledger/appender.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/verify.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::AttendanceJson;
using testing::EventJson;
using testing::IdHex;
using testing::Must;

class AppenderTest : public testing::LedgerFixture {
 protected:
  StatusOr<std::vector<AppendResult>> Append(const PrivateKey& key, const std::string& json) {
    return ledger_->Append({Sign(key, json)});
  }
  std::string RevokeJson(uint64_t id, const PrivateKey& key) {
    return EventJson(
        IdHex(id), "KeyRevoked", "",
        "\"key_id\":\"" + HexEncode(key.public_key().key_id()) + "\",\"reason_code\":\"rotated\"");
  }
};

TEST_F(AppenderTest, AppendAssignsConsecutivePositionsAndStoresTheSignedBytes) {
  SignedEvent a = Sign(*admin_, AttendanceJson(IdHex(10), "p-1", 60));
  SignedEvent b = Sign(*admin_, AttendanceJson(IdHex(11), "p-2", 60));
  auto results = Must(ledger_->Append({a, b}));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].sequence, 2u);
  EXPECT_EQ(results[1].sequence, 3u);
  EXPECT_FALSE(results[0].duplicate);
  const schema::Entry* entry = nullptr;
  std::string bytes = Must(ledger_->ReadEntry(3));
  entry = Must(ParseEntry(bytes));
  EXPECT_EQ(entry->sequence(), 3u);
  EXPECT_EQ(AsView(entry->event()), b.event);
  EXPECT_EQ(AsView(entry->signature()), b.signature);
  EXPECT_EQ(AsView(entry->signer_key_id()), admin_->public_key().key_id());
}

TEST_F(AppenderTest, ReappendingTheSameEventReturnsItsOriginalPosition) {
  SignedEvent e = Sign(*admin_, AttendanceJson(IdHex(10), "p-1", 60));
  auto first = Must(ledger_->Append({e}));
  Must(ledger_->Append({Sign(*admin_, AttendanceJson(IdHex(11), "p-1", 60))}));
  auto again = Must(ledger_->Append({e}));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0].duplicate);
  EXPECT_EQ(again[0].sequence, first[0].sequence);
  EXPECT_EQ(ledger_->size(), 4u);
  // Within one call too: the second copy points at the first.
  SignedEvent f = Sign(*admin_, AttendanceJson(IdHex(12), "p-1", 60));
  auto twice = Must(ledger_->Append({f, f}));
  EXPECT_EQ(twice[1].sequence, twice[0].sequence);
  EXPECT_TRUE(twice[1].duplicate);
  EXPECT_EQ(ledger_->size(), 5u);
}

TEST_F(AppenderTest, ReappendingAnIdWithDifferentBytesIsAConflictAndStoresNothing) {
  Must(ledger_->Append({Sign(*admin_, AttendanceJson(IdHex(10), "p-1", 60))}));
  const uint64_t size = ledger_->size();
  size_t failed = 99;
  auto conflict = ledger_->Append({Sign(*admin_, AttendanceJson(IdHex(20), "p-2", 30)),
                                   Sign(*admin_, AttendanceJson(IdHex(10), "p-1", 61))},
                                  &failed);
  EXPECT_EQ(conflict.status().code(), Status::Code::kConflict);
  EXPECT_EQ(failed, 1u);
  EXPECT_NE(conflict.status().message().find("position 2"), std::string::npos);
  // All or nothing: the good event in the same call was not stored either.
  EXPECT_EQ(ledger_->size(), size);
  std::string ignored;
  EXPECT_EQ(ledger_->storage()->Get(Column::kEventIds, Must(HexDecode(IdHex(20))), &ignored).code(),
            Status::Code::kNotFound);
}

TEST_F(AppenderTest, WrongSignatureIsRefused) {
  SignedEvent e = Sign(*admin_, AttendanceJson(IdHex(10), "p-1", 60));
  e.signature[5] ^= 0x01;
  auto result = ledger_->Append({e});
  EXPECT_EQ(result.status().code(), Status::Code::kVerificationFailed);
  EXPECT_EQ(ledger_->size(), kGenesisSize);
}

// Event bytes that come as a raw FlatBuffer (over the server, say) skip the
// JSON codec, which only makes UTF-8. One byte of a string field is changed
// here to 0xE9 ("é" in Windows-1252): the buffer is still a valid FlatBuffer,
// but its text is not UTF-8, and no JSON export or report could print it.
TEST_F(AppenderTest, AnEventWhoseTextIsNotUtf8IsRefusedAndNothingIsStored) {
  const auto with_byte = [&](const std::string& json, const std::string& marker) {
    std::string bytes = Must(codec_->FromJson(json));
    const size_t at = bytes.find(marker);
    EXPECT_NE(at, std::string::npos) << marker;
    if (at != std::string::npos) bytes[at + marker.size() - 1] = '\xE9';
    return SignEvent(*admin_, std::move(bytes));
  };
  const std::string correction = EventJson(
      IdHex(12), "RecordCorrected", "",
      "\"amends_event_id\":\"" + IdHex(10) +
          "\",\"reason_code\":\"wrong-minutes\",\"body_type\":\"AttendanceRecorded\","
          "\"body\":{\"attendance_date\":\"2025-03-07\","
          "\"attendance_event_category\":\"Partial\",\"credited_minutes\":60}");
  const struct {
    SignedEvent event;
    const char* field;
  } cases[] = {
      {with_byte(AttendanceJson(IdHex(10), "p-cafe", 60), "p-cafe"), "subject.person_id"},
      {with_byte(correction, "wrong-minutes"), "body.reason_code"},
      {with_byte(correction, "2025-03-07"), "body.body.attendance_date"},
  };
  for (const auto& c : cases) {
    ASSERT_OK(ParseEvent(c.event.event).status());  // a well-formed FlatBuffer
    EXPECT_FALSE(codec_->ToJson(c.event.event).ok());  // which could not be shown as JSON
    size_t failed = 99;
    auto refused =
        ledger_->Append({Sign(*admin_, AttendanceJson(IdHex(20), "p-2", 30)), c.event}, &failed);
    EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument) << c.field;
    EXPECT_EQ(failed, 1u);
    EXPECT_NE(refused.status().message().find(std::string("\"") + c.field + "\""),
              std::string::npos)
        << refused.status().message();
    EXPECT_EQ(ledger_->size(), kGenesisSize);  // the good event beside it is not stored either
  }
  // Text beyond ASCII that is UTF-8 is stored as it came.
  Must(ledger_->Append({Sign(*admin_, AttendanceJson(IdHex(10), "p-caf\xC3\xA9", 60))}));
  EXPECT_EQ(ledger_->size(), kGenesisSize + 1);
}

TEST_F(AppenderTest, UnregisteredKeyIsRefused) {
  PrivateKey stranger = Must(PrivateKey::Generate());
  auto result = Append(stranger, AttendanceJson(IdHex(10), "p-1", 60));
  EXPECT_EQ(result.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(result.status().message().find("not registered"), std::string::npos);
  EXPECT_EQ(ledger_->size(), kGenesisSize);
}

TEST_F(AppenderTest, RevokedKeyIsRefusedFromItsRevocationOn) {
  PrivateKey hr = RegisterKey("hr", "Integration", "[\"AttendanceRecorded\"]");
  auto before = Append(hr, AttendanceJson(IdHex(10), "p-1", 60));
  ASSERT_OK(before.status());
  ASSERT_OK(Append(*admin_, RevokeJson(11, hr)).status());
  auto after = Append(hr, AttendanceJson(IdHex(12), "p-1", 60));
  EXPECT_EQ(after.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(after.status().message().find("revoked at position 4"), std::string::npos);
  // Still refused after a restart: the key history is rebuilt from the log.
  Reopen();
  EXPECT_EQ(Append(hr, AttendanceJson(IdHex(12), "p-1", 60)).status().code(),
            Status::Code::kPermissionDenied);
  // An event the key signed before its revocation stays, and re-sending it
  // still finds it.
  auto resent = Must(Append(hr, AttendanceJson(IdHex(10), "p-1", 60)));
  EXPECT_TRUE(resent[0].duplicate);
}

TEST_F(AppenderTest, RolesLimitWhatAKeyMaySign) {
  PrivateKey hr = RegisterKey("hr", "Integration", "[\"AttendanceRecorded\"]");
  PrivateKey board = RegisterKey("board", "Board");
  EXPECT_OK(Append(hr, AttendanceJson(IdHex(10), "p-1", 60)).status());
  auto other_type =
      Append(hr, EventJson(IdHex(11), "GoalSet", "\"person_id\":\"p-1\"",
                           "\"goal_title\":\"g1\",\"assignment_date\":\"2025-01-01\""));
  EXPECT_EQ(other_type.status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(Append(hr, RevokeJson(12, board)).status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(Append(board, AttendanceJson(IdHex(13), "p-1", 60)).status().code(),
            Status::Code::kPermissionDenied);
}

TEST_F(AppenderTest, KeyRegisteredEarlierInTheSameCallMaySignLaterEvents) {
  PrivateKey hr = Must(PrivateKey::Generate());
  std::string reg = EventJson(IdHex(10), "KeyRegistered", "",
                              "\"principal_id\":\"hr\",\"role\":\"Integration\",\"public_key\":\"" +
                                  HexEncode(hr.public_key().raw()) +
                                  "\",\"allowed_event_types\":[\"AttendanceRecorded\"]");
  std::string attendance = AttendanceJson(IdHex(11), "p", 5);
  attendance.replace(attendance.find("\"test\""), 6, "\"hr\"");  // an integration speaks as itself
  auto results = ledger_->Append({Sign(*admin_, reg), Sign(hr, attendance)});
  ASSERT_OK(results.status());
  EXPECT_EQ(ledger_->size(), 4u);
}

// A principal id is shown as it is in log lines, metrics and source_system:
// one holding a newline (a forged log line) or a space is refused.
TEST_F(AppenderTest, APrincipalIdIsACodeOfPrintableCharacters) {
  const uint64_t size = ledger_->size();
  for (const std::string& principal :
       {std::string("evil\\nconn=c1 peer=10.0.0.1:1: authenticated as root"),
        std::string("hr system"), std::string(129, 'x')}) {
    PrivateKey key = Must(PrivateKey::Generate());
    auto refused = Append(*admin_, EventJson(IdHex(next_id_++), "KeyRegistered", "",
                                             "\"principal_id\":\"" + principal +
                                                 "\",\"role\":\"Auditor\",\"public_key\":\"" +
                                                 HexEncode(key.public_key().raw()) + "\""));
    EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument) << principal;
  }
  EXPECT_EQ(ledger_->size(), size);
  RegisterKey("hr-system.v2_1", "Auditor");
  EXPECT_EQ(ledger_->size(), size + 1);
}

// A system speaks only as itself: its key signs only events whose
// source_system is its principal (key rule 6); an admin's may name any.
TEST_F(AppenderTest, AnIntegrationSignsOnlyEventsThatNameItAsTheirSource) {
  PrivateKey hr = RegisterKey("hr-system", "Integration", "[\"AttendanceRecorded\"]");
  std::string claims_finance = AttendanceJson(IdHex(10), "p-1", 60);
  claims_finance.replace(claims_finance.find("\"test\""), 6, "\"finance-system\"");
  const uint64_t size = ledger_->size();
  auto refused = ledger_->Append({SignEvent(hr, Must(codec_->FromJson(claims_finance)))});
  EXPECT_EQ(refused.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("source_system is \"hr-system\"; this one says "
                                            "\"finance-system\""),
            std::string::npos)
      << refused.status().ToString();
  EXPECT_EQ(ledger_->size(), size);
  ASSERT_OK(Append(*admin_, claims_finance).status());
  ASSERT_OK(Append(hr, AttendanceJson(IdHex(11), "p-1", 60)).status());  // as hr-system
}

// An event id names one event of one principal. A system that appends the
// id another system's import will derive for its row (ids derived from
// public data are predictable) blocks nothing: the import appends its own
// event under that id, later re-runs are its duplicates, and neither append
// tells either system anything of the other's event.
TEST_F(AppenderTest, AnotherSystemsEventUnderTheSameIdBlocksNothingAndTellsNothing) {
  PrivateKey hr = RegisterKey("hr", "Integration", "[\"AttendanceRecorded\"]");
  PrivateKey lms = RegisterKey("lms", "Integration", "[\"AttendanceRecorded\"]");
  // lms takes the id first, once with other bytes and once with hr's exact
  // bytes re-signed (hr's row is public: it can be predicted).
  const SignedEvent hr_event = Sign(hr, AttendanceJson(IdHex(10), "p-1", 60));
  const uint64_t squat =
      Must(ledger_->Append({Sign(lms, AttendanceJson(IdHex(10), "p-2", 5))}))[0].sequence;
  // hr's bytes re-signed are, for lms, its own id again with other bytes.
  auto own_conflict = ledger_->Append({SignEvent(lms, hr_event.event)});
  EXPECT_EQ(own_conflict.status().code(), Status::Code::kConflict);

  const uint64_t size = ledger_->size();
  auto appended = Must(ledger_->Append({hr_event}));
  EXPECT_FALSE(appended[0].duplicate);
  EXPECT_EQ(appended[0].sequence, size);
  EXPECT_NE(appended[0].sequence, squat);
  // hr's re-run is hr's duplicate; an admin's re-signing is the admin's own
  // new event, not hr's.
  auto again = Must(ledger_->Append({hr_event}));
  EXPECT_TRUE(again[0].duplicate);
  EXPECT_EQ(again[0].sequence, size);
  auto by_admin = Must(ledger_->Append({SignEvent(*admin_, hr_event.event)}));
  EXPECT_FALSE(by_admin[0].duplicate);
  EXPECT_EQ(ledger_->size(), size + 2);
  // hr's conflict with its own id names hr's own position, never lms's.
  auto conflict = Append(hr, AttendanceJson(IdHex(10), "p-1", 59));
  EXPECT_EQ(conflict.status().code(), Status::Code::kConflict);
  EXPECT_NE(conflict.status().message().find("position " + std::to_string(size)),
            std::string::npos)
      << conflict.status().message();
  EXPECT_EQ(conflict.status().message().find("lms"), std::string::npos);
  EXPECT_EQ(conflict.status().message().find(std::to_string(squat)), std::string::npos);
  // verify holds the index to the same rule, after a reopen too.
  Reopen();
  EXPECT_TRUE(Must(ledger_->Append({hr_event}))[0].duplicate);
  VerifyReport report = Must(VerifyLog(ledger_->storage()));
  EXPECT_TRUE(report.ok()) << report.problem;
}

// When several principals hold one id, an amendment names its amender's own
// event, and an admin names whose event it amends.
TEST_F(AppenderTest, AnAmendmentOfASharedIdNamesWhoseEvent) {
  const std::string allowed = "[\"AttendanceRecorded\",\"RecordVoided\"]";
  PrivateKey hr = RegisterKey("hr", "Integration", allowed);
  PrivateKey lms = RegisterKey("lms", "Integration", allowed);
  auto void_of = [](uint64_t id, uint64_t target, const std::string& whose) {
    return EventJson(IdHex(id), "RecordVoided", "",
                     "\"amends_event_id\":\"" + IdHex(target) +
                         "\",\"reason_code\":\"entered-in-error\"" +
                         (whose.empty() ? "" : ",\"amends_principal_id\":\"" + whose + "\""));
  };
  ASSERT_OK(Append(lms, AttendanceJson(IdHex(10), "p-2", 5)).status());
  // An id only lms holds: the admin's void needs no name; hr's is refused as
  // if the id were absent, naming or not naming lms.
  ASSERT_OK(Append(*admin_, void_of(30, 10, "")).status());
  for (const char* whose : {"", "lms"}) {
    auto refused = Append(hr, void_of(31, 10, whose));
    EXPECT_EQ(refused.status().code(), Status::Code::kPermissionDenied);
    EXPECT_EQ(refused.status().message().find("lms"), std::string::npos);
  }
  ASSERT_OK(Append(hr, AttendanceJson(IdHex(10), "p-1", 60)).status());
  ASSERT_OK(Append(hr, void_of(32, 10, "")).status());  // hr's own
  auto ambiguous = Append(*admin_, void_of(33, 10, ""));
  EXPECT_EQ(ambiguous.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(ambiguous.status().message().find("amends_principal_id"), std::string::npos)
      << ambiguous.status().message();
  ASSERT_OK(Append(*admin_, void_of(34, 10, "hr")).status());
  auto nobody = Append(*admin_, void_of(35, 10, "finance"));
  EXPECT_EQ(nobody.status().code(), Status::Code::kNotFound);
  VerifyReport report = Must(VerifyLog(ledger_->storage()));
  EXPECT_TRUE(report.ok()) << report.problem;
}

// A district system's key corrects or voids only what that system signed: the
// finance system cannot amend the PD system's attendance, though each amends
// its own, in the same call and after a key rotation; an admin amends either.
TEST_F(AppenderTest, AnIntegrationKeyAmendsOnlyItsOwnSystemsEarlierEvents) {
  const std::string allowed = "[\"AttendanceRecorded\",\"RecordCorrected\",\"RecordVoided\"]";
  auto void_of = [](uint64_t id, uint64_t target) {
    return EventJson(IdHex(id), "RecordVoided", "",
                     "\"amends_event_id\":\"" + IdHex(target) +
                         "\",\"reason_code\":\"entered-in-error\"");
  };
  auto correction_of = [](uint64_t id, uint64_t target) {
    return EventJson(IdHex(id), "RecordCorrected", "",
                     "\"amends_event_id\":\"" + IdHex(target) +
                         "\",\"reason_code\":\"wrong-minutes\",\"body_type\":\"AttendanceRecorded\","
                         "\"body\":{\"attendance_date\":\"2025-03-07\","
                         "\"attendance_event_category\":\"Partial\",\"credited_minutes\":45}");
  };
  PrivateKey pd = RegisterKey("pd-system", "Integration", allowed);
  PrivateKey finance = RegisterKey("finance-system", "Integration", allowed);
  ASSERT_OK(Append(pd, AttendanceJson(IdHex(10), "p-1", 60)).status());
  ASSERT_OK(Append(finance, AttendanceJson(IdHex(11), "p-2", 60)).status());
  const uint64_t size = ledger_->size();

  // The refusal names neither the owner nor anything else of another
  // system's event: it reads as the refusal of an id no entry holds.
  const auto without_ids = [](std::string message, const std::vector<std::string>& ids) {
    for (const std::string& id : ids) {
      if (size_t at = message.find(id); at != std::string::npos) message.replace(at, id.size(), "X");
    }
    return message;
  };
  auto unknown = Append(finance, void_of(22, 99));
  EXPECT_EQ(unknown.status().code(), Status::Code::kPermissionDenied);
  for (const std::string& json : {void_of(20, 10), correction_of(21, 10)}) {
    auto refused = Append(finance, json);
    EXPECT_EQ(refused.status().code(), Status::Code::kPermissionDenied);
    const std::string& message = refused.status().message();
    EXPECT_NE(message.find("finance-system"), std::string::npos) << message;
    EXPECT_EQ(message.find("pd-system"), std::string::npos) << message;
    EXPECT_NE(message.find(IdHex(10)), std::string::npos) << message;
    EXPECT_EQ(without_ids(message, {IdHex(10), IdHex(20), IdHex(21)}),
              without_ids(unknown.status().message(), {IdHex(99), IdHex(22)}));
  }
  auto later = ledger_->Append(
      {Sign(finance, void_of(23, 12)), Sign(finance, AttendanceJson(IdHex(12), "p-3", 5))});
  EXPECT_EQ(later.status().code(), Status::Code::kPermissionDenied);
  // A good event in the same call as a refused amendment is not stored either.
  size_t failed = 0;
  auto mixed = ledger_->Append(
      {Sign(finance, AttendanceJson(IdHex(13), "p-4", 5)), Sign(finance, void_of(24, 10))},
      &failed);
  EXPECT_EQ(mixed.status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(failed, 1u);
  EXPECT_EQ(ledger_->size(), size);

  ASSERT_OK(Append(finance, void_of(25, 11)).status());
  ASSERT_OK(ledger_
                ->Append({Sign(pd, AttendanceJson(IdHex(14), "p-5", 5)),
                          Sign(pd, correction_of(26, 14))})
                .status());
  // The system's next key amends what its first key signed.
  PrivateKey pd_2026 = RegisterKey("pd-system", "Integration", allowed);
  ASSERT_OK(RevokeKey(pd, "rotated"));
  ASSERT_OK(Append(pd_2026, correction_of(27, 10)).status());
  ASSERT_OK(Append(*admin_, void_of(28, 14)).status());
  EXPECT_EQ(ledger_->size(), size + 7);
  // verify holds the log to the same rule and finds it kept.
  VerifyReport report = Must(VerifyLog(ledger_->storage()));
  EXPECT_TRUE(report.ok()) << report.problem;
}

// Key rule 7: a person belongs to the system that registered them first.
// Another system cannot register them again (the attack raised one person's
// rate to $999,999.99 an hour), nor move a registration onto them; the owner
// and an admin can. A system that took a person first is undone by an
// admin's void of its registration, after which the rightful system's
// registration goes in.
TEST_F(AppenderTest, OnlyTheSystemThatRegisteredAPersonRegistersThemAgain) {
  const std::string allowed = "[\"PersonRegistered\",\"RecordCorrected\",\"RecordVoided\"]";
  PrivateKey hr = RegisterKey("hr-system", "Integration", allowed);
  PrivateKey pd = RegisterKey("pd-system", "Integration", allowed);
  uint64_t next = 700;
  auto person = [&](const std::string& id, int64_t rate) {
    return EventJson(IdHex(next++), "PersonRegistered", "\"person_id\":\"" + id + "\"",
                     "\"participant_group\":\"Certificated\",\"hourly_cost_rate_cents\":" +
                         std::to_string(rate));
  };
  ASSERT_OK(Append(hr, person("e-1", 5200)).status());
  const uint64_t size = ledger_->size();
  auto taken = Append(pd, person("e-1", 99999999));
  EXPECT_EQ(taken.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(taken.status().message().find("person e-1 is another system's"), std::string::npos)
      << taken.status().message();
  EXPECT_EQ(taken.status().message().find("hr-system"), std::string::npos);
  // Nor in one call after its own registration, nor by moving its own.
  auto in_call = ledger_->Append({Sign(pd, person("f-1", 0)), Sign(pd, person("e-1", 1))});
  EXPECT_EQ(in_call.status().code(), Status::Code::kPermissionDenied);
  const std::string own = person("f-2", 0);
  const std::string own_id = IdHex(next - 1);
  ASSERT_OK(Append(pd, own).status());
  auto moved = Append(pd, EventJson(IdHex(next++), "RecordCorrected", "",
                                    "\"amends_event_id\":\"" + own_id +
                                        "\",\"reason_code\":\"wrong-person\",\"subject\":{"
                                        "\"person_id\":\"e-1\"},\"body_type\":"
                                        "\"PersonRegistered\",\"body\":{\"participant_group\":"
                                        "\"Certificated\"}"));
  EXPECT_EQ(moved.status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(ledger_->size(), size + 1);
  // The owner and an admin register e-1 again; so does pd register f-1,
  // whose first registration was not stored.
  ASSERT_OK(Append(hr, person("e-1", 5400)).status());
  ASSERT_OK(Append(*admin_, person("e-1", 5500)).status());
  ASSERT_OK(Append(pd, person("f-1", 0)).status());

  // pd takes e-2 before hr; an admin voids pd's registration; hr's goes in.
  const std::string squat = person("e-2", 99999999);
  const std::string squat_id = IdHex(next - 1);
  ASSERT_OK(Append(pd, squat).status());
  EXPECT_EQ(Append(hr, person("e-2", 5200)).status().code(), Status::Code::kPermissionDenied);
  ASSERT_OK(Append(*admin_, EventJson(IdHex(next++), "RecordVoided", "",
                                      "\"amends_event_id\":\"" + squat_id +
                                          "\",\"reason_code\":\"another-systems-person\""))
                .status());
  ASSERT_OK(Append(hr, person("e-2", 5200)).status());
  EXPECT_EQ(Append(pd, person("e-2", 1)).status().code(), Status::Code::kPermissionDenied);
  // The same holds across a reopen, and verify finds the rule kept.
  Reopen();
  EXPECT_EQ(Append(pd, person("e-1", 1)).status().code(), Status::Code::kPermissionDenied);
  ASSERT_OK(Append(hr, person("e-2", 5300)).status());
  VerifyReport report = Must(VerifyLog(ledger_->storage()));
  EXPECT_TRUE(report.ok()) << report.problem;
}

TEST_F(AppenderTest, TheLastAdminKeyCannotBeRevoked) {
  auto result = Append(*admin_, RevokeJson(10, *admin_));
  EXPECT_EQ(result.status().code(), Status::Code::kFailedPrecondition);
  PrivateKey second = RegisterKey("admin-2", "Admin");
  EXPECT_OK(Append(second, RevokeJson(11, *admin_)).status());
}

TEST_F(AppenderTest, ConcurrentAppendersGetDistinctContiguousPositions) {
  constexpr int kThreads = 8, kCalls = 20, kPerCall = 5;
  std::vector<std::vector<SignedEvent>> work(kThreads * kCalls);
  for (int c = 0; c < kThreads * kCalls; ++c) {
    for (int i = 0; i < kPerCall; ++i) {
      work[c].push_back(Sign(*admin_, AttendanceJson(IdHex(100 + c * kPerCall + i), "p", 5)));
    }
  }
  std::vector<std::vector<AppendResult>> results(work.size());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int c = t * kCalls; c < (t + 1) * kCalls; ++c) {
        auto r = ledger_->Append(work[c]);
        if (!r.ok())
          ++failures;
        else
          results[c] = r.value();
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  std::set<uint64_t> positions;
  for (const auto& call : results) {
    for (size_t i = 1; i < call.size(); ++i) EXPECT_EQ(call[i].sequence, call[0].sequence + i);
    for (const auto& r : call) positions.insert(r.sequence);
  }
  EXPECT_EQ(positions.size(), size_t(kThreads * kCalls * kPerCall));
  EXPECT_EQ(*positions.begin(), kGenesisSize);
  EXPECT_EQ(*positions.rbegin(), kGenesisSize - 1 + kThreads * kCalls * kPerCall);
  EXPECT_TRUE(Must(VerifyLog(ledger_->storage())).ok());
}

TEST_F(AppenderTest, ReopenRecoversSizeKeysAndIdempotency) {
  PrivateKey hr = RegisterKey("hr", "Integration", "[\"AttendanceRecorded\"]");
  SignedEvent e = Sign(hr, AttendanceJson(IdHex(10), "p-1", 60));
  Must(ledger_->Append({e}));
  Reopen();
  EXPECT_EQ(ledger_->size(), 4u);
  auto again = Must(ledger_->Append({e}));
  EXPECT_TRUE(again[0].duplicate);
  EXPECT_OK(Append(hr, AttendanceJson(IdHex(11), "p-1", 60)).status());
  EXPECT_EQ(ledger_->size(), 5u);
}

// Storage that fails writes on demand and records when a write returns.
class FaultyStorage : public Storage {
 public:
  explicit FaultyStorage(std::unique_ptr<Storage> base) : base_(std::move(base)) {}
  Status Get(Column c, std::string_view k, std::string* v) override { return base_->Get(c, k, v); }
  Status Write(const WriteBatch& batch) override {
    if (fail_writes) return Status::IOError("injected: no space left on device");
    Status s = base_->Write(batch);
    writes_done++;
    return s;
  }
  std::unique_ptr<Cursor> NewCursor(Column c) override { return base_->NewCursor(c); }

  std::atomic<bool> fail_writes{false};
  std::atomic<int> writes_done{0};

 private:
  std::unique_ptr<Storage> base_;
};

TEST_F(AppenderTest, FailedWriteStoresNothingAndTheLedgerCarriesOn) {
  SignedEvent e = Sign(*admin_, AttendanceJson(IdHex(10), "p-1", 60));
  ledger_.reset();
  auto faulty = std::make_unique<FaultyStorage>(
      Must(OpenRocksStorage(Ledger::DatabasePath(dir_.path()), OpenMode::kReadWrite)));
  FaultyStorage* storage = faulty.get();
  ledger_ = Must(Ledger::OpenStorage(std::move(faulty), *ledger_key_));

  storage->fail_writes = true;
  auto failed = ledger_->Append({e});
  EXPECT_EQ(failed.status().code(), Status::Code::kIOError);
  EXPECT_EQ(ledger_->size(), kGenesisSize);
  storage->fail_writes = false;
  auto ok = Must(ledger_->Append({e}));
  EXPECT_FALSE(ok[0].duplicate);  // the failed attempt left no trace
  EXPECT_EQ(ok[0].sequence, kGenesisSize);
}

TEST_F(AppenderTest, AckComesOnlyAfterTheWriteReturns) {
  ledger_.reset();
  auto faulty = std::make_unique<FaultyStorage>(
      Must(OpenRocksStorage(Ledger::DatabasePath(dir_.path()), OpenMode::kReadWrite)));
  FaultyStorage* storage = faulty.get();
  ledger_ = Must(Ledger::OpenStorage(std::move(faulty), *ledger_key_));
  for (int i = 0; i < 20; ++i) {
    int writes_before = storage->writes_done;
    Must(ledger_->Append({Sign(*admin_, AttendanceJson(IdHex(10 + i), "p", 5))}));
    EXPECT_EQ(storage->writes_done, writes_before + 1);
  }
}

}  // namespace
}  // namespace evident
