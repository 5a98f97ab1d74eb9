// Import: CSV reading, the conversions, derived ids, the shipped mappings
// and samples, and what re-importing and edited rows do to the log.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "tests/testutil/test_util.h"
#include "tools/import/convert.h"
#include "tools/import/csv.h"
#include "tools/import/importer.h"
#include "tools/import/name_uuid.h"

namespace evident::import {
namespace {

using Json = nlohmann::json;
using testing::Must;

std::string Source(const std::string& relative) {
  std::ifstream in(std::string(EVIDENT_SOURCE_DIR) + "/tools/import/" + relative, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

TEST(CsvTest, QuotedFieldsHoldSeparatorsQuotesAndLineBreaks) {
  CsvTable t = Must(ParseCsv("\xEF\xBB\xBF" "a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\r\n\n3,,\n"));
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].fields, (std::vector<std::string>{"1", "x, \"y\"", "two\nlines"}));
  EXPECT_EQ(t.records[0].line, 2u);
  EXPECT_EQ(t.records[1].fields, (std::vector<std::string>{"3", "", ""}));
  EXPECT_EQ(t.records[1].line, 5u);  // the quoted line break and the blank line count
}

TEST(CsvTest, LfCrlfAndALoneCrEachEndALine) {
  CsvTable t = Must(ParseCsv("a,b\r1,\"x\ry\"\r\n2,z\n3,w"));
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[0].line, 2u);
  EXPECT_EQ(t.records[0].fields[1], "x\ry");
  EXPECT_EQ(t.records[1].line, 4u);  // the CR inside the quotes ended line 2
  EXPECT_EQ(t.records[2].line, 5u);
}

TEST(CsvTest, BrokenQuotingNamesItsLineAndField) {
  EXPECT_EQ(ParseCsv("a,b\n1,\"open\n2,3\n").status().message(),
            "line 2, field 2: a quoted field is never closed");
  EXPECT_EQ(ParseCsv("a,b\n1,\"x\"y\n").status().message(),
            "line 2, field 2: characters after a closing quote");
  EXPECT_EQ(ParseCsv("a,a\n").status().message(), "header, field 2: \"a\" is named twice");
}

TEST(NameUuidTest, MatchesTheVersion5ExampleOfPythonsUuidModule) {
  // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") in Python's documentation.
  const std::string dns = Must(HexDecode("6ba7b8109dad11d180b400c04fd430c8"));
  EXPECT_EQ(FormatUuid(NameUuid(dns, "python.org")), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  // uuid.uuid5(uuid.NAMESPACE_URL, "https://evident.example/ns/import/v1")
  EXPECT_EQ(FormatUuid(ImportNamespace()), "b2e7bdfb-aec4-547b-9b7b-bb9847c80d21");
}

TEST(ConvertTest, DatesInTheirFormatsAndOnlyRealOnes) {
  std::string out, why;
  ASSERT_TRUE(ConvertDate("8/5/2025", "M/D/YYYY", &out, &why)) << why;
  EXPECT_EQ(out, "2025-08-05");
  ASSERT_TRUE(ConvertDate("2025-10-02T09:15:00Z", "", &out, &why)) << why;
  EXPECT_EQ(out, "2025-10-02");
  EXPECT_FALSE(ConvertDate("02/30/2025", "MM/DD/YYYY", &out, &why));
  EXPECT_EQ(why, "\"02/30/2025\" is not a date in the form MM/DD/YYYY");
  EXPECT_FALSE(ConvertDate("2025-08-05x", "", &out, &why));
  EXPECT_FALSE(ConvertDate("08/05/2025 extra", "MM/DD/YYYY", &out, &why));
}

TEST(ConvertTest, InstantsAreUtcToTheSecond) {
  std::string out, why;
  ASSERT_TRUE(ConvertInstant("2025-08-11", "", &out, &why)) << why;
  EXPECT_EQ(out, "2025-08-11T00:00:00Z");
  ASSERT_TRUE(ConvertInstant("2025-10-02 09:15:07.250+00:00", "", &out, &why)) << why;
  EXPECT_EQ(out, "2025-10-02T09:15:07Z");
  ASSERT_TRUE(ConvertInstant("08/29/2025", "MM/DD/YYYY", &out, &why)) << why;
  EXPECT_EQ(out, "2025-08-29T00:00:00Z");
  EXPECT_FALSE(ConvertInstant("2025-10-02T09:15:00-05:00", "", &out, &why));
  EXPECT_EQ(why, "\"2025-10-02T09:15:00-05:00\" is not in UTC (give it with Z or +00:00)");
  EXPECT_FALSE(ConvertInstant("2025-10-02T25:00:00Z", "", &out, &why));
}

TEST(ConvertTest, MoneyIsReadExactlyInCents) {
  int64_t cents = 0;
  std::string why;
  const std::vector<std::pair<std::string, int64_t>> cases = {
      {"$18,500.00", 1850000}, {"1740", 174000}, {"412.37", 41237}, {"0.1", 10},
      {"($500.00)", -50000},   {"-12.5", -1250}, {"$ 3,600.00", 360000}};
  for (const auto& [text, want] : cases) {
    ASSERT_TRUE(ConvertCents(text, &cents, &why)) << text << ": " << why;
    EXPECT_EQ(cents, want) << text;
  }
  for (const char* bad : {"1.234", "12.", "ten", "", "$", "1.2.3"}) {
    EXPECT_FALSE(ConvertCents(bad, &cents, &why)) << bad;
  }
}

TEST(ConvertTest, TextBecomesTheFieldsKind) {
  Json out;
  std::string why;
  ASSERT_TRUE(Coerce(FieldKind::kInteger, "360", &out, &why));
  EXPECT_EQ(out, 360);
  EXPECT_FALSE(Coerce(FieldKind::kInteger, "6 hours", &out, &why));
  EXPECT_EQ(why, "\"6 hours\" is not a whole number");
  ASSERT_TRUE(Coerce(FieldKind::kBool, "Yes", &out, &why));
  EXPECT_EQ(out, true);
  ASSERT_TRUE(Coerce(FieldKind::kNumber, "0.8", &out, &why));
  EXPECT_DOUBLE_EQ(out.get<double>(), 0.8);
  ASSERT_TRUE(Coerce(FieldKind::kString, 255901001, &out, &why));
  EXPECT_EQ(out, "255901001");
  EXPECT_FALSE(Coerce(FieldKind::kBool, "maybe", &out, &why));
}

class ImportTest : public testing::LedgerFixture {
 protected:
  Mapping Load(const std::string& name) {
    return Must(ParseMapping(Source("mappings/" + name + ".json"), codec_->schema(),
                             {{"district_id", "lea-0640001"}}));
  }

  MappedFiles MapSample(const std::string& mapping, const std::string& sample,
                        const std::string& text = "") {
    return MapFiles(Load(mapping), {{sample, text.empty() ? Source("samples/" + sample) : text}});
  }

  LogScan Scan() {
    return [this](const std::function<void(uint64_t, std::string_view)>& fn) {
      return ledger_->Scan(0, ledger_->size(), [&](uint64_t s, std::string_view e) {
        fn(s, e);
        return true;
      });
    };
  }

  // Reconciles with the ledger and appends the plan, signed by the admin.
  Plan Import(const MappedFiles& mapped) {
    EXPECT_TRUE(mapped.errors.empty()) << mapped.errors[0].ToString();
    Plan plan = Must(Reconcile(mapped.events, Scan(), "admin"));
    std::vector<SignedEvent> events;
    for (const ImportEvent& e : plan.append) events.push_back(SignEvent(*admin_, e.bytes));
    if (!events.empty()) Must(ledger_->Append(std::move(events)));
    return plan;
  }

  // The events of the log as JSON, from position kGenesisSize on.
  std::vector<Json> Logged() {
    std::vector<Json> out;
    for (uint64_t i = kGenesisSize; i < ledger_->size(); ++i) {
      std::string entry = Must(ledger_->ReadEntry(i));
      std::string event(AsView(Must(ParseEntry(entry))->event()));
      out.push_back(Json::parse(Must(codec_->ToJson(event))));
    }
    return out;
  }
};

TEST_F(ImportTest, EveryShippedSampleMapsWithoutErrors) {
  // Records in each sample, counted in the files; staff records yield two
  // events each, and the one self-evaluation is not an observation.
  const std::vector<std::tuple<std::string, std::string, size_t, size_t>> samples = {
      {"edfi-pd-events", "pd-events.csv", 4, 4},
      {"edfi-pd-attendance", "pd-attendance.csv", 13, 13},
      {"edfi-staff", "staff.jsonl", 8, 16},
      {"edfi-performance-evaluation-ratings", "performance-evaluation-ratings.csv", 5, 5},
      {"edfi-evaluation-ratings", "evaluation-ratings.csv", 6, 5},
      {"finance-pd-costs", "pd-costs.csv", 7, 7},
      {"ceds-staff-pd-activity", "staff-pd-activity.csv", 5, 5}};
  for (const auto& [mapping, sample, records, events] : samples) {
    MappedFiles mapped = MapSample(mapping, sample);
    EXPECT_TRUE(mapped.errors.empty()) << sample << ": " << mapped.errors[0].ToString();
    EXPECT_EQ(mapped.records, records) << sample;
    EXPECT_EQ(mapped.events.size(), events) << sample;
    Plan plan = Import(mapped);
    EXPECT_EQ(plan.fresh, events) << sample;
  }
  EXPECT_EQ(ledger_->size(), kGenesisSize + 4 + 13 + 16 + 5 + 5 + 7 + 5);
}

TEST_F(ImportTest, TheFirstAttendanceRowBuildsTheDocumentedEvent) {
  MappedFiles mapped = MapSample("edfi-pd-attendance", "pd-attendance.csv");
  ASSERT_FALSE(mapped.events.empty());
  Json event = Json::parse(Must(codec_->ToJson(mapped.events[0].bytes)));
  // docs/import.md works this id out with Python's uuid.uuid5.
  EXPECT_EQ(event["event_id"], "ed13b21e48375689a656018d6ac57450");
  EXPECT_EQ(event["occurred_at"], "2025-08-11T00:00:00Z");
  EXPECT_EQ(event["district_id"], "lea-0640001");
  EXPECT_EQ(event["subject"]["session_id"], "number-talks-institute/2025-08-11");
  EXPECT_EQ(event["body"]["attendance_event_category"], "InAttendance");
  EXPECT_EQ(event["body"]["credited_minutes"], 360);
}

TEST_F(ImportTest, ImportingTheSameFileAgainAppendsNothing) {
  Plan first = Import(MapSample("edfi-pd-attendance", "pd-attendance.csv"));
  EXPECT_EQ(first.fresh, 13u);
  const uint64_t size = ledger_->size();
  Reopen();
  Plan again = Import(MapSample("edfi-pd-attendance", "pd-attendance.csv"));
  EXPECT_EQ(again.append.size(), 0u);
  EXPECT_EQ(again.unchanged, 13u);
  EXPECT_EQ(ledger_->size(), size);
}

// Import ids are derived from public data, so another system can append
// events under them first. They are that system's events: the import
// appends its own, blocked by nothing, and its re-run finds them unchanged.
TEST_F(ImportTest, AnotherSystemsEventsUnderTheImportsIdsBlockNothing) {
  const MappedFiles mapped = MapSample("edfi-pd-attendance", "pd-attendance.csv");
  ASSERT_EQ(mapped.events.size(), 13u);
  PrivateKey lms = RegisterKey("lms", "Integration", "[\"AttendanceRecorded\"]");
  std::vector<SignedEvent> squats;
  for (const ImportEvent& e : mapped.events) {
    squats.push_back(Sign(lms, testing::AttendanceJson(HexEncode(e.event_id), "p-squat", 1)));
  }
  Must(ledger_->Append(std::move(squats)));
  const uint64_t size = ledger_->size();
  Plan first = Import(mapped);
  EXPECT_EQ(first.fresh, 13u);
  EXPECT_EQ(first.corrections, 0u);
  EXPECT_EQ(ledger_->size(), size + 13);
  Plan again = Import(MapSample("edfi-pd-attendance", "pd-attendance.csv"));
  EXPECT_EQ(again.unchanged, 13u);
  EXPECT_EQ(ledger_->size(), size + 13);
}

TEST_F(ImportTest, AnEditedRowBecomesACorrectionOfTheEarlierEvent) {
  const std::string original = Source("samples/pd-attendance.csv");
  Import(MapSample("edfi-pd-attendance", "pd-attendance.csv", original));
  const std::string row = "Partial,\"left at noon, family matter\",180";
  ASSERT_NE(original.find(row), std::string::npos);
  std::string edited = original;
  edited.replace(edited.find(row), row.size(), "Partial,\"left at noon, family matter\",240");

  Plan plan = Import(MapSample("edfi-pd-attendance", "pd-attendance.csv", edited));
  EXPECT_EQ(plan.corrections, 1u);
  EXPECT_EQ(plan.fresh, 0u);
  EXPECT_EQ(plan.unchanged, 12u);
  std::vector<Json> log = Logged();
  ASSERT_EQ(log.size(), 14u);
  const Json& was = log[2];  // the third data row
  ASSERT_EQ(was["subject"]["person_id"], "p-1003");
  ASSERT_EQ(was["body"]["credited_minutes"], 180);
  const Json& fix = log[13];
  EXPECT_EQ(fix["event_type"], "RecordCorrected");
  EXPECT_EQ(fix["body"]["amends_event_id"], was["event_id"]);
  EXPECT_EQ(fix["body"]["body_type"], "AttendanceRecorded");
  EXPECT_EQ(fix["body"]["body"]["credited_minutes"], 240);
  EXPECT_EQ(fix["body"]["subject"], was["subject"]);

  // The edited file again: nothing. Back to the original value: a second
  // correction, which the content-derived id must not mistake for the first.
  EXPECT_EQ(Import(MapSample("edfi-pd-attendance", "pd-attendance.csv", edited)).append.size(), 0u);
  Plan back = Import(MapSample("edfi-pd-attendance", "pd-attendance.csv", original));
  EXPECT_EQ(back.corrections, 1u);
  log = Logged();
  ASSERT_EQ(log.size(), 15u);
  EXPECT_EQ(log[14]["body"]["body"]["credited_minutes"], 180);
  EXPECT_NE(log[14]["event_id"], log[13]["event_id"]);
  EXPECT_EQ(Import(MapSample("edfi-pd-attendance", "pd-attendance.csv", original)).append.size(),
            0u);
}

TEST_F(ImportTest, AVoidedRecordIsLeftAlone) {
  Import(MapSample("edfi-pd-events", "pd-events.csv"));
  const std::string id = Logged()[0]["event_id"];
  Must(ledger_->Append({Sign(*admin_, testing::EventJson(testing::IdHex(77), "RecordVoided", "",
                                                           "\"amends_event_id\":\"" + id +
                                                               "\",\"reason_code\":\"entered-in-error\""))}));
  std::string edited = Source("samples/pd-events.csv");
  edited.replace(edited.find(",18,"), 4, ",20,");
  Plan plan = Import(MapSample("edfi-pd-events", "pd-events.csv", edited));
  EXPECT_EQ(plan.voided, 1u);
  EXPECT_EQ(plan.unchanged, 3u);
  EXPECT_EQ(plan.append.size(), 0u);
}

// An admin's void of a system's imported event is that system's record's
// void: the system's next import leaves the record alone rather than
// correcting a voided event (which would apply to nothing).
TEST_F(ImportTest, AnAdminsVoidOfAnIntegrationsImportedEventIsHeeded) {
  PrivateKey lms = RegisterKey("lms", "Integration", "[\"ProgramDefined\",\"RecordCorrected\"]");
  const Mapping mapping =
      Must(ParseMapping(Source("mappings/edfi-pd-events.json"), codec_->schema(),
                        {{"district_id", "lea-0640001"}, {"source_system", "lms"}}));
  auto import_as_lms = [&](const std::string& text) {
    const MappedFiles mapped = MapFiles(mapping, {{"pd-events.csv", text}});
    EXPECT_TRUE(mapped.errors.empty());
    Plan plan = Must(Reconcile(mapped.events, Scan(), "lms"));
    std::vector<SignedEvent> events;
    for (const ImportEvent& e : plan.append) events.push_back(SignEvent(lms, e.bytes));
    if (!events.empty()) Must(ledger_->Append(std::move(events)));
    return plan;
  };
  const std::string original = Source("samples/pd-events.csv");
  EXPECT_EQ(import_as_lms(original).fresh, 4u);
  const std::vector<Json> logged = Logged();
  const std::string id = logged[logged.size() - 4]["event_id"];  // the first record's, edited below
  Must(ledger_->Append({Sign(*admin_, testing::EventJson(testing::IdHex(78), "RecordVoided", "",
                                                           "\"amends_event_id\":\"" + id +
                                                               "\",\"reason_code\":\"entered-in-error\""))}));
  std::string edited = original;
  edited.replace(edited.find(",18,"), 4, ",20,");
  Plan plan = import_as_lms(edited);
  EXPECT_EQ(plan.append.size(), 0u);
  EXPECT_EQ(plan.voided, 1u);
  EXPECT_EQ(plan.unchanged, 3u);
}

TEST_F(ImportTest, BadRecordsAreEachNamedByLineColumnAndReason) {
  const std::string header =
      "AttendanceDate,Namespace,PersonId,ProfessionalDevelopmentTitle,SourceSystemDescriptor,"
      "AttendanceEventCategoryDescriptor,AttendanceEventReason,AttendedMinutes\n";
  const std::string text = header +
                           "2025-08-11,ns,p-1,t,ssd,In Attendance,,360\n"
                           "2025-13-01,ns,p-2,t,ssd,In Attendance,,360\n"
                           "2025-08-11,ns,p-3,t,ssd,Attended,,360\n"
                           "2025-08-11,ns,p-4,t,ssd,In Attendance,,six hours\n"
                           "2025-08-11,ns,,t,ssd,In Attendance,,360\n"
                           "2025-08-11,ns,p-6,t,ssd,In Attendance,,2000\n"
                           "2025-08-11,ns,p-7,t,ssd,In Attendance,360\n"
                           "2025-08-11,ns,p-1,t,ssd,In Attendance,,300\n";
  MappedFiles mapped = MapSample("edfi-pd-attendance", "bad.csv", text);
  std::vector<std::string> errors;
  for (const FileError& e : mapped.errors) errors.push_back(e.ToString());
  ASSERT_EQ(errors.size(), 7u);
  EXPECT_EQ(errors[0],
            "bad.csv:3: column 1 (AttendanceDate): \"2025-13-01\" is not a date in the form "
            "YYYY-MM-DD");
  EXPECT_EQ(errors[1].substr(0, 78),
            "bad.csv:4: column 6 (AttendanceEventCategoryDescriptor): \"Attended\" is none of");
  EXPECT_EQ(errors[2], "bad.csv:5: column 8 (AttendedMinutes): \"six hours\" is not a whole number");
  EXPECT_EQ(errors[3], "bad.csv:6: column 3 (PersonId): empty, but it is part of the record's key");
  EXPECT_EQ(errors[4].substr(0, 40), "bad.csv:7: column 8 (AttendedMinutes): \"");
  EXPECT_NE(errors[4].find("body.credited_minutes"), std::string::npos) << errors[4];
  EXPECT_EQ(errors[5], "bad.csv:8: 7 fields, but the header has 8");
  EXPECT_EQ(errors[6].substr(0, 40), "bad.csv:9: has the same key as bad.csv:2");
  EXPECT_EQ(mapped.events.size(), 1u);  // line 2, the one good record
}

TEST_F(ImportTest, AnExportInAnotherEncodingIsRefusedRowByRow) {
  // The fuzzer's find: a Windows-1252 byte in a CSV field once ended the process.
  std::string text = Source("samples/pd-attendance.csv");
  text.replace(text.find("number-talks-institute"), 22, "n\xFAmero-talks-institute");
  MappedFiles mapped = MapSample("edfi-pd-attendance", "latin1.csv", text);
  ASSERT_EQ(mapped.errors.size(), 1u);
  EXPECT_EQ(mapped.errors[0].ToString(),
            "latin1.csv:2: column 4 (ProfessionalDevelopmentTitle): is not UTF-8 text (save the "
            "export as UTF-8)");
  EXPECT_EQ(mapped.events.size(), 12u);
}

TEST_F(ImportTest, AMappingThatNamesWhatTheSchemaLacksIsRefusedWhenLoaded) {
  auto parse = [&](const std::string& text) {
    return ParseMapping(text, codec_->schema()).status().message();
  };
  const std::string head =
      R"({"mapping":"m","fields":{"occurred_at":"{D}","district_id":"d","source_system":"s"},)";
  EXPECT_EQ(parse(head + R"("events":[{"event_type":"AttendanceRecorded","key":["K"],)"
                         R"("fields":{"body.credited_minute":"{M}"}}]})"),
            "mapping \"events[0].fields.body.credited_minute\": AttendanceRecorded has no field "
            "\"credited_minute\"");
  EXPECT_EQ(parse(head + R"("events":[{"event_type":"Attendance","key":["K"]}]})"),
            "mapping \"events[0].event_type\": \"Attendance\" is not an event type");
  EXPECT_EQ(parse(head + R"("events":[{"event_type":"GoalSet","key":[],"fields":{}}]})"),
            "mapping \"events[0].key\": must list the columns of the record's natural key");
  EXPECT_EQ(parse(R"({"mapping":"m","events":[{"event_type":"GoalSet","key":["K"],)"
                  R"("fields":{"occurred_at":"{$when}"}}]})"),
            "mapping \"events[0].fields.occurred_at\": \"{$when}\" names no param (it declares "
            "none)");
}

}  // namespace
}  // namespace evident::import
