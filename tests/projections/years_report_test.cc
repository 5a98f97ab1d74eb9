// The board report's comparison with earlier years and the office's
// decisions (docs/metrics.md, "Since last year" and "Decisions on the
// record"), on a small district of three fiscal years worked by hand.

#include <gtest/gtest.h>

#include <array>
#include <tuple>

#include "ledger/bundle.h"
#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "projections/report/compute.h"
#include "projections/report/render.h"
#include "projections/report/table.h"
#include "tests/projections/projection_fixture.h"

namespace evident::testing {
namespace {

using projections::report::Json;

const Json& TableOf(const Json& summary, const std::string& id) {
  const Json* t = projections::report::FindTable(summary, id);
  EXPECT_NE(t, nullptr) << id;
  static const Json kNone = Json::object({{"rows", Json::array()}});
  return t == nullptr ? kNone : *t;
}

const Json& RowWhere(const Json& table, const std::string& field, const Json& value) {
  for (const Json& r : table["rows"]) {
    if (r.contains(field) && r[field] == value) return r;
  }
  ADD_FAILURE() << "no row with " << field << " = " << value << " in " << table["id"];
  static const Json kNone = Json::object();
  return kNone;
}

bool Hidden(const Json& row, const std::string& key) {
  return projections::report::IsSuppressed(row, key);
}

// Sites s-1 to s-4 (20% to 80% of students in poverty). In fiscal 2025:
// twelve teachers at s-4 take 2 hours each of "Coaching cycle" (pd-a,
// $12,000), ten classified staff at s-1 take 1 hour each of "Reading
// academy" (pd-b, $1,000), ten more at s-2 half an hour each of "Old
// workshop" (pd-c, $500). In fiscal 2026 the same twelve take 1 hour of
// pd-a ($6,000) and the same ten 1 hour of pd-b ($2,000); pd-c is not
// offered. Fiscal 2022 has one teacher's hour of pd-a (and its $100), and
// fiscal 2020 another: five years back from 2026 is 2022, so 2020 is out.
class YearsReportTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    AddFourSites();
    Program("pd-a", "Coaching cycle");
    Program("pd-b", "Reading academy");
    Program("pd-c", "Old workshop");
    for (int i = 1; i <= 12; ++i) {
      const std::string t = "t-" + std::to_string(i);
      Staff(t, "s-4", "Certificated");
      Attend(t, "pd-a", 120, "2024-10-01");
      Attend(t, "pd-a", 60, "2025-10-01");
    }
    for (int i = 1; i <= 10; ++i) {
      const std::string b = "b-" + std::to_string(i);
      Staff(b, "s-1", "Classified");
      Attend(b, "pd-b", 60, "2024-11-01");
      Attend(b, "pd-b", 60, "2025-11-01");
      const std::string c = "c-" + std::to_string(i);
      Staff(c, "s-2", "Classified");
      Attend(c, "pd-c", 30, "2024-12-01");
    }
    Cost("pd-a", 2025, 1200000);
    Cost("pd-a", 2026, 600000);
    Cost("pd-b", 2025, 100000);
    Cost("pd-b", 2026, 200000);
    Cost("pd-c", 2025, 50000);
    Attend("t-1", "pd-a", 60, "2021-10-01");
    Cost("pd-a", 2022, 10000);
    Attend("t-2", "pd-a", 60, "2019-10-01");
  }

  void Program(const std::string& id, const std::string& title) {
    Add("ProgramDefined", "\"program_id\":\"" + id + "\"",
        "\"professional_development_title\":\"" + title +
            "\",\"offered_by\":\"District\",\"delivery_method\":\"Onsite\",\"total_hours\":2,"
            "\"activity_type\":\"Workshop\"",
        "2019-07-01");
  }
  void Staff(const std::string& person, const std::string& site, const std::string& group) {
    Add("AssignmentChanged", "\"person_id\":\"" + person + "\",\"site_id\":\"" + site + "\"",
        "\"participant_group\":\"" + group + "\",\"begin_date\":\"2019-07-01\"", "2019-07-01");
  }
  void Attend(const std::string& person, const std::string& program, int minutes,
              const std::string& day) {
    Add("AttendanceRecorded",
        "\"person_id\":\"" + person + "\",\"program_id\":\"" + program + "\",\"session_id\":\"" +
            program + "-" + day + "\"",
        "\"attendance_date\":\"" + day +
            "\",\"attendance_event_category\":\"InAttendance\",\"credited_minutes\":" +
            std::to_string(minutes),
        day);
  }
  void Cost(const std::string& program, int fy, int64_t cents) {
    Add("CostIncurred",
        "\"program_id\":\"" + program + "\",\"fiscal_year\":" + std::to_string(fy),
        "\"category\":\"VendorContract\",\"amount_cents\":" + std::to_string(cents) +
            ",\"allocation\":\"PerParticipant\",\"fund_code\":\"4035\",\"funding_source\":"
            "\"TitleIIA\",\"invoice_number\":\"I-" +
            program + "-" + std::to_string(fy) + "\"",
        std::to_string(fy - 1) + "-09-01");
  }
  std::string Decide(const std::string& program, int fy, const std::string& decision,
                     const std::string& day = "2025-08-20") {
    return Add("ProgramReviewed",
               "\"program_id\":\"" + program + "\",\"fiscal_year\":" + std::to_string(fy),
               ReviewBody(decision, day), day);
  }
  static std::string ReviewBody(const std::string& decision, const std::string& day) {
    return "\"decision\":\"" + decision + "\",\"decided_date\":\"" + day +
           "\",\"rationale\":\"Reviewed at the August meeting.\","
           "\"measures_reviewed\":[\"level_4_share\",\"invested_cents\",\"spend_by_site\"],"
           "\"report_origin\":\"example.org/district\",\"report_tree_size\":40,"
           "\"report_root_hash\":\"" +
           std::string(64, 'a') + "\"";
  }
  void Rating(const std::string& person, int school_year, const std::string& evaluation) {
    Add("EvaluationRatingFinalized",
        "\"person_id\":\"" + person + "\",\"school_year\":" + std::to_string(school_year),
        "\"performance_evaluation_title\":\"" + evaluation + "\",\"actual_date\":\"" +
            std::to_string(school_year) +
            "-05-15\",\"performance_evaluation_rating_level\":\"Effective\"",
        std::to_string(school_year) + "-05-15");
  }

  Json Summary(int fy) {
    projections::report::BoardRequest r;
    r.fiscal_year = fy;
    r.tree_size = ledger_->size();
    r.as_of_day = projections::DayOf("2026-06-30");
    auto s = projections::report::BoardSummaryFromLedger(ledger_.get(), r);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? s.value() : Json();
  }
};

TEST_F(YearsReportTest, EachHeadlineFigureBesideTheYearsTheLogHoldsWorkedByHand) {
  const Json s = Summary(2026);
  const Json& t = TableOf(s, "since_last_year");
  // Columns: the figure, 2022, 2025 and 2026 (2023 and 2024 hold nothing;
  // 2020 is more than four years back), the change and whether compared.
  std::vector<std::string> keys;
  for (const Json& c : t["columns"]) keys.push_back(c["key"]);
  EXPECT_EQ(keys, (std::vector<std::string>{"measure", "fy2022", "fy2025", "fy2026", "change",
                                            "compared"}));
  const Json& spent = RowWhere(t, "key", "invested_cents");
  EXPECT_EQ(spent["fy2022"], 10000);
  EXPECT_EQ(spent["fy2025"], 1200000 + 100000 + 50000);
  EXPECT_EQ(spent["fy2026"], 600000 + 200000);
  EXPECT_EQ(spent["change"], 800000 - 1350000);
  EXPECT_EQ(spent["compared"], "yes");
  const Json& people = RowWhere(t, "key", "participants");
  EXPECT_EQ(people["fy2025"], 32);
  EXPECT_EQ(people["fy2026"], 22);
  EXPECT_EQ(people["change"], -10);
  // 2022's one person is hidden, and so is any change from it (none here:
  // the change is from 2025 to 2026).
  EXPECT_TRUE(people["fy2022"].is_null());
  EXPECT_TRUE(Hidden(people, "fy2022"));
  EXPECT_FALSE(Hidden(people, "change"));
  const Json& hours = RowWhere(t, "key", "hours");
  EXPECT_NEAR(hours["fy2025"].get<double>(), 12 * 2 + 10 * 1 + 10 * 0.5, 1e-9);
  EXPECT_NEAR(hours["fy2026"].get<double>(), 12 * 1 + 10 * 1, 1e-9);
  EXPECT_NEAR(hours["change"].get<double>(), 22 - 39, 1e-9);
  // Rows hidden in part count toward the privacy statement.
  EXPECT_GE(s["privacy"]["rows_suppressed"].get<int64_t>(), 1);
}

TEST_F(YearsReportTest, EveryEarlierYearsFigureIsThatYearsOwnReportAtTheSameCheckpoint) {
  const Json now = Summary(2026);
  for (int fy : {2022, 2025}) {
    const Json own = Summary(fy);
    const std::string column = "fy" + std::to_string(fy);
    for (const Json& item : own["headline"]) {
      const Json& row = RowWhere(TableOf(now, "since_last_year"), "key", item["key"]);
      EXPECT_EQ(row[column], item["value"]) << fy << " " << item["key"];
      EXPECT_EQ(Hidden(row, column), item["suppressed"].get<bool>()) << fy << " " << item["key"];
    }
    for (const Json& row : TableOf(now, "equity_years")["rows"]) {
      const Json& that = RowWhere(TableOf(own, "equity_poverty"), "quartile", row["quartile"]);
      EXPECT_EQ(row[column], that["spend_per_teacher_cents"]) << fy << " " << row["quartile"];
    }
  }
  const Json last = Summary(2025);
  const Json& both = TableOf(now, "programmes_both_years");
  ASSERT_EQ(both["rows"].size(), 2u);  // pd-a and pd-b; pd-c ended in 2025
  for (const Json& row : both["rows"]) {
    const Json& that = RowWhere(TableOf(last, "programmes_all"), "program_id", row["program_id"]);
    for (const char* key : {"spend_cents", "participants", "changed", "implementation_rate"}) {
      EXPECT_EQ(row[std::string(key) + "_last"], that[key]) << row["program_id"] << key;
      EXPECT_EQ(Hidden(row, std::string(key) + "_last"), Hidden(that, key));
    }
  }
  EXPECT_EQ(RowWhere(both, "program_id", "pd-a")["spend_cents_this"], 600000);
}

TEST_F(YearsReportTest, AChangedEvaluationIsFlaggedNotCompared) {
  for (int i = 1; i <= 12; ++i) Rating("t-" + std::to_string(i), 2025, "Danielson-2013");
  Rating("t-1", 2026, "Danielson-2013");
  {
    const Json same = Summary(2026);
    EXPECT_EQ(RowWhere(TableOf(same, "since_last_year"), "key", "level_4_share")["compared"],
              "yes");
  }
  Rating("t-2", 2026, "Danielson-2022");  // 2026 now has two evaluations, 2025 one
  const Json s = Summary(2026);
  const Json& t = TableOf(s, "since_last_year");
  for (const char* key :
       {"level_4_share", "people_with_demonstrated_change", "cost_per_demonstrated_change_cents"}) {
    const Json& row = RowWhere(t, "key", key);
    EXPECT_EQ(row["compared"], "definition changed") << key;
    EXPECT_TRUE(row["change"].is_null()) << key;
    EXPECT_FALSE(Hidden(row, "change")) << key;
  }
  EXPECT_EQ(RowWhere(t, "key", "invested_cents")["compared"], "yes");
  EXPECT_EQ(RowWhere(t, "key", "invested_cents")["change"], -550000);
  bool named = false;
  for (const Json& note : t["notes"]) {
    named |= note.get<std::string>().find("Danielson-2022") != std::string::npos;
  }
  EXPECT_TRUE(named) << t["notes"];
}

TEST_F(YearsReportTest, WithoutLastYearNothingIsCompared) {
  const Json s = Summary(2025);  // 2024 holds nothing; 2022 is shown but not compared
  const Json& t = TableOf(s, "since_last_year");
  for (const Json& row : t["rows"]) {
    EXPECT_EQ(row["compared"], "no earlier year");
    EXPECT_TRUE(row["change"].is_null());
  }
  EXPECT_TRUE(TableOf(s, "programmes_both_years")["rows"].empty());
}

TEST_F(YearsReportTest, DecisionsAreJudgedOnWhatFollowedAndTheLastRecordedStands) {
  Decide("pd-c", 2025, "Stop");             // nothing spent in 2026: carried out
  const std::string reduce = Decide("pd-a", 2025, "Reduce");
  Decide("pd-b", 2025, "Expand");           // replaced by the Stop below
  Decide("pd-b", 2025, "Stop", "2025-09-01");  // $2,000 spent in 2026: not carried out
  const std::string revise = Decide("pd-c", 2025, "Revise", "2025-09-02");
  Void(revise);                              // pd-c's Stop stands again
  Correct(reduce, "ProgramReviewed", ReviewBody("Continue", "2025-08-20"));
  Decide("pd-a", 2026, "Expand", "2026-06-01");  // about this year: listed, not judged

  const Json s = Summary(2026);
  const Json& decided = TableOf(s, "decisions");
  ASSERT_EQ(decided["rows"].size(), 3u);
  EXPECT_EQ(RowWhere(decided, "program_id", "pd-a")["decision"], "Continue");
  EXPECT_EQ(RowWhere(decided, "program_id", "pd-b")["decision"], "Stop");
  EXPECT_EQ(RowWhere(decided, "program_id", "pd-b")["decided"], "2025-09-01");
  EXPECT_EQ(RowWhere(decided, "program_id", "pd-c")["decision"], "Stop");
  // Headline keys by their labels; a key that is not one, as it is.
  EXPECT_EQ(RowWhere(decided, "program_id", "pd-c")["measures"],
            "Enrolments with evidence of changed practice; Spent on professional learning; "
            "spend_by_site");
  EXPECT_EQ(RowWhere(decided, "program_id", "pd-c")["based_on_size"], 40);

  const Json& followed = TableOf(s, "decisions_followed");
  const Json& a = RowWhere(followed, "program_id", "pd-a");
  EXPECT_EQ(a["spend_cents_last"], 1200000);
  EXPECT_EQ(a["spend_cents_this"], 600000);
  EXPECT_EQ(a["carried_out"], true);  // Continue: $6,000 spent
  const Json& b = RowWhere(followed, "program_id", "pd-b");
  EXPECT_EQ(b["carried_out"], false);  // Stop, yet $2,000 spent
  EXPECT_NE(b["followed"].get<std::string>().find("$2,000"), std::string::npos) << b;
  const Json& c = RowWhere(followed, "program_id", "pd-c");
  EXPECT_EQ(c["spend_cents_this"], 0);
  EXPECT_TRUE(c["changed_this"].is_null());
  EXPECT_FALSE(Hidden(c, "changed_this"));
  EXPECT_EQ(c["carried_out"], true);

  const Json& ahead = TableOf(s, "decisions_on_this_year");
  ASSERT_EQ(ahead["rows"].size(), 1u);
  EXPECT_EQ(ahead["rows"][0]["decision"], "Expand");
}

TEST_F(YearsReportTest, ReduceAndExpandFollowSpendingAndARevisionANewDefinition) {
  Decide("pd-a", 2025, "Expand");  // 12,000 -> 6,000: not carried out
  Decide("pd-b", 2025, "Reduce");  // 1,000 -> 2,000: not carried out
  const std::string revise = Decide("pd-c", 2025, "Revise");
  auto carried = [&](const std::string& program) {
    const Json s = Summary(2026);
    return RowWhere(TableOf(s, "decisions_followed"), "program_id", program)["carried_out"];
  };
  EXPECT_EQ(carried("pd-a"), false);
  EXPECT_EQ(carried("pd-b"), false);
  EXPECT_EQ(carried("pd-c"), false);  // no new definition since the decision
  // A correction of the definition recorded before it is not a revision...
  Correct(revise, "ProgramReviewed", ReviewBody("Revise", "2025-08-21"));
  EXPECT_EQ(carried("pd-c"), false);
  // ...a new definition recorded after it is.
  Program("pd-c", "Old workshop, job-embedded");
  EXPECT_EQ(carried("pd-c"), true);
}

TEST_F(YearsReportTest, TheComparisonIsInEveryFileAndVerifies) {
  Decide("pd-b", 2025, "Stop");
  const Json s = Summary(2026);
  auto files = projections::report::RenderAll(s);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  for (const char* csv : {"since_last_year.csv", "programmes_both_years.csv", "equity_years.csv",
                          "decisions.csv", "decisions_followed.csv"}) {
    ASSERT_TRUE(files->count(csv)) << csv;
  }
  EXPECT_NE(files->at("since_last_year.csv").find("Spent on professional learning,100.00,"
                                                 "13500.00,8000.00,-5500.00,yes"),
            std::string::npos)
      << files->at("since_last_year.csv");
  EXPECT_NE(files->at("report.md").find("| Spent on professional learning | $100 | $13,500 | "
                                        "$8,000 | -$5,500 | yes |"),
            std::string::npos);
  EXPECT_NE(files->at("report.md").find("Reading academy: Stop, decided August 20, 2025. Not "
                                        "carried out: $2,000 spent in 2025\u201326."),
            std::string::npos);
  // The chart of small multiples: one panel per figure, a bar per year.
  const std::string& html = files->at("report.html");
  EXPECT_NE(html.find("Each headline figure, year by year"), std::string::npos);
  EXPECT_NE(html.find("Spent on professional learning: 2021\u201322 $100, 2024\u201325 $13,500, "
                      "2025\u201326 $8,000"),
            std::string::npos);
  EXPECT_NE(files->at("report.pdf").substr(0, 5), "");
  // Recomputed from the log, the whole report matches, comparison included;
  // an edited earlier-year figure does not.
  const std::string dir = dir_.path() + "/report-2026";
  ASSERT_TRUE(projections::report::WriteReport(dir, files.value()).ok());
  auto again = projections::report::RenderAll(Summary(2026));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(projections::report::CompareReport(dir, again.value()).ok());
  Json edited = s;
  for (Json& t : edited["tables"]) {
    if (t["id"] == "since_last_year") t["rows"][0]["fy2025"] = 1;
  }
  auto tampered = projections::report::RenderAll(edited);
  ASSERT_TRUE(tampered.ok());
  const auto check = projections::report::CompareReport(dir, tampered.value());
  EXPECT_FALSE(check.ok());
}

TEST_F(YearsReportTest, AMalformedDecisionIsRefusedAndNothingIsStored) {
  const uint64_t before = ledger_->size();
  auto refuse = [&](const std::string& body, const std::string& says) {
    const std::string json =
        "{\"event_id\":\"" + IdHex(900000 + ledger_->size()) +
        "\",\"event_type\":\"ProgramReviewed\",\"occurred_at\":\"2025-08-20T12:00:00Z\","
        "\"district_id\":\"lea-1\",\"source_system\":\"test\",\"subject\":{\"program_id\":"
        "\"pd-a\",\"fiscal_year\":2025},\"body\":{" +
        body + "}}";
    // The codec refuses what the schema's attributes rule out; the ledger
    // the rest. Either way, with a message that names the field.
    auto bytes = codec_->FromJson(json);
    if (!bytes.ok()) {
      EXPECT_NE(bytes.status().message().find(says), std::string::npos)
          << bytes.status().ToString();
      return;
    }
    auto results = ledger_->Append({SignEvent(*admin_, std::move(bytes.value()))});
    const Status s = results.ok() ? Status::OK() : results.status();
    EXPECT_FALSE(s.ok()) << body;
    EXPECT_NE(s.message().find(says), std::string::npos) << s.ToString();
  };
  const std::string root = ",\"report_origin\":\"o\",\"report_tree_size\":4,\"report_root_hash\":\"" +
                           std::string(64, 'a') + "\"";
  refuse("\"decision\":\"Unspecified\",\"decided_date\":\"2025-08-20\",\"rationale\":\"r\"" + root,
         "must be one of: Continue, Revise, Expand, Reduce, Stop");
  refuse("\"decision\":\"Stop\",\"decided_date\":\"2025-08-20\",\"rationale\":\"\"" + root,
         "\"body.rationale\" must be a non-empty string");
  refuse("\"decision\":\"Stop\",\"decided_date\":\"2025-08-20\",\"rationale\":\"" +
             std::string(501, 'x') + "\"" + root,
         "rationale must hold 1 to 500 bytes");
  refuse("\"decision\":\"Stop\",\"decided_date\":\"2025-08-20\",\"rationale\":\"r\","
         "\"report_origin\":\"o\",\"report_tree_size\":0,\"report_root_hash\":\"" +
             std::string(64, 'a') + "\"",
         "report_tree_size");
  refuse("\"decision\":\"Stop\",\"decided_date\":\"2025-08-20\",\"rationale\":\"r\","
         "\"report_origin\":\"o\",\"report_tree_size\":4,\"report_root_hash\":\"abcd\"",
         "report_root_hash");
  EXPECT_EQ(ledger_->size(), before);
}

// What the JSON codec cannot stop, because an event may come as FlatBuffers
// straight from a key holder: the ledger's own check of the body.
TEST_F(YearsReportTest, AHandBuiltDecisionWithoutADecisionOrRationaleIsRefused) {
  const uint64_t before = ledger_->size();
  auto build = [&](schema::ReviewDecision decision, const std::string& rationale) {
    flatbuffers::FlatBufferBuilder b;
    const std::vector<uint8_t> root(32, 0xaa);
    auto body = schema::CreateProgramReviewedDirect(b, decision, "2025-08-20", rationale.c_str(),
                                                    nullptr, "o", 4, &root);
    auto subject = schema::CreateSubjectDirect(b, nullptr, "pd-a", nullptr, nullptr, 2025);
    std::array<uint8_t, 16> id_bytes;
    id_bytes.fill(0x42);
    const schema::Id128 id(flatbuffers::span<const uint8_t, 16>(id_bytes.data(), 16));
    auto event = schema::CreateEventDirect(b, &id, "ProgramReviewed", 1, "2025-08-20T12:00:00Z",
                                           nullptr, "lea-1", "test", subject, nullptr,
                                           schema::Body::ProgramReviewed, body.Union());
    schema::FinishEventBuffer(b, event);
    return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  };
  for (const auto& [decision, rationale, says] :
       {std::tuple{schema::ReviewDecision::Unspecified, std::string("r"),
                   "must be Continue, Revise, Expand, Reduce or Stop"},
        std::tuple{schema::ReviewDecision::Stop, std::string(),
                   "rationale must hold 1 to 500 bytes"},
        std::tuple{schema::ReviewDecision::Stop, std::string(501, 'x'),
                   "rationale must hold 1 to 500 bytes"}}) {
    auto results = ledger_->Append({SignEvent(*admin_, build(decision, rationale))});
    ASSERT_FALSE(results.ok());
    EXPECT_NE(results.status().message().find(says), std::string::npos)
        << results.status().ToString();
  }
  EXPECT_EQ(ledger_->size(), before);
}

}  // namespace
}  // namespace evident::testing

namespace evident::testing {
namespace {

// A rationale is words from whoever holds the office's key: in the CSV a
// board member opens in a spreadsheet it stays words, never a formula.
TEST_F(YearsReportTest, ARationaleThatLooksLikeAFormulaStaysText) {
  Add("ProgramReviewed", "\"program_id\":\"pd-a\",\"fiscal_year\":2025",
      "\"decision\":\"Continue\",\"decided_date\":\"2025-08-20\",\"rationale\":"
      "\"=HYPERLINK(\\\"http://x.example\\\",\\\"ok\\\")\",\"report_origin\":\"o\","
      "\"report_tree_size\":4,\"report_root_hash\":\"" +
          std::string(64, 'a') + "\"",
      "2025-08-20");
  auto files = projections::report::RenderAll(Summary(2026));
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  const std::string& csv = files->at("decisions.csv");
  EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"http://x.example\"\",\"\"ok\"\")\""), std::string::npos)
      << csv;
  EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",\"=HYPERLINK"), std::string::npos) << csv;
}

}  // namespace
}  // namespace evident::testing

namespace evident::testing {
namespace {

// A decision names the report it read by its checkpoint; the next report
// says whether that checkpoint is one of this log's (the root the ledger
// signed at that size), and the same from the auditor's bundle.
TEST_F(YearsReportTest, TheCheckpointADecisionCitesIsCheckedAgainstTheLog) {
  const uint64_t read_at = ledger_->size();
  const std::string note = Must(ledger_->CheckpointNote(read_at));
  const Checkpoint signed_then = Must(ParseCheckpointText(note.substr(0, note.find("\n\n") + 1)));
  auto cite = [&](const std::string& program, const std::string& origin, uint64_t size,
                  const std::string& root_hex) {
    Add("ProgramReviewed", "\"program_id\":\"" + program + "\",\"fiscal_year\":2025",
        "\"decision\":\"Continue\",\"decided_date\":\"2025-08-20\",\"rationale\":\"r\","
        "\"report_origin\":\"" +
            origin + "\",\"report_tree_size\":" + std::to_string(size) +
            ",\"report_root_hash\":\"" + root_hex + "\"",
        "2025-08-20");
  };
  const std::string root_hex = HexEncode(signed_then.root);
  cite("pd-a", signed_then.origin, read_at, root_hex);                    // this log's
  cite("pd-b", signed_then.origin, read_at, std::string(64, '0'));        // another root
  cite("pd-c", "elsewhere.example/log", read_at, root_hex);               // another origin
  Decide("pd-a", 2026, "Expand", "2026-06-01");  // this year's, cites size 40
  const Json s = Summary(2026);
  const Json& t = TableOf(s, "decisions");
  EXPECT_EQ(RowWhere(t, "program_id", "pd-a")["based_on_this_log"], true);
  EXPECT_EQ(RowWhere(t, "program_id", "pd-a")["based_on"],
            "This log at " + std::to_string(read_at) + " entries");
  EXPECT_EQ(RowWhere(t, "program_id", "pd-b")["based_on_this_log"], false);
  EXPECT_EQ(RowWhere(t, "program_id", "pd-c")["based_on_this_log"], false);
  EXPECT_NE(RowWhere(t, "program_id", "pd-c")["based_on"].get<std::string>().find(
                "elsewhere.example/log"),
            std::string::npos);

  // A size past the report's cannot be told yet.
  cite("pd-b", signed_then.origin, ledger_->size() + 1000, root_hex);
  const Json later = Summary(2026);
  EXPECT_TRUE(RowWhere(TableOf(later, "decisions"), "program_id", "pd-b")["based_on_this_log"]
                  .is_null());

  // The bundle gives the same report, checks included.
  const std::string bundle = dir_.path() + "/bundle";
  ASSERT_TRUE(WriteBundle(ledger_.get(), bundle, 0, ledger_->size()).ok());
  projections::report::BoardRequest r;
  r.fiscal_year = 2026;
  r.tree_size = ledger_->size();
  r.as_of_day = projections::DayOf("2026-06-30");
  auto from_bundle = projections::report::BoardSummaryFromBundle(
      bundle, r, later["log"]["checkpoint"], std::nullopt);
  ASSERT_TRUE(from_bundle.ok()) << from_bundle.status().ToString();
  EXPECT_EQ(from_bundle.value(), later);
}

}  // namespace
}  // namespace evident::testing
