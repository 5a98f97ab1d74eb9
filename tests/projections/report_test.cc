// The board report on a small district worked by hand: its figures, its
// files, the privacy rule, and its check against the log.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "ledger/bundle.h"
#include "ledger/coding.h"
#include "projections/report/compute.h"
#include "projections/report/render.h"
#include "projections/report/table.h"
#include "tests/projections/projection_fixture.h"

namespace evident::testing {
namespace {

using projections::report::Json;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void Spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// The row of `table` whose first column is `label`.
const Json& RowOf(const Json& summary, const std::string& table, const std::string& label) {
  const Json* t = projections::report::FindTable(summary, table);
  EXPECT_NE(t, nullptr) << table;
  static const Json kNone;
  if (t == nullptr) return kNone;
  const std::string key = t->at("columns")[0]["key"];
  for (const Json& r : t->at("rows")) {
    if (r[key] == label) return r;
  }
  ADD_FAILURE() << "no row " << label << " in " << table;
  return kNone;
}

const Json& Headline(const Json& summary, const std::string& key) {
  for (const Json& h : summary["headline"]) {
    if (h["key"] == key) return h;
  }
  ADD_FAILURE() << "no headline " << key;
  static const Json kNone;
  return kNone;
}

// Four sites with 20%, 40%, 60% and 80% of students in poverty. Twelve
// teachers at the neediest site take 2 hours each of a $12,000 coaching
// programme paid from Title II-A ($1,000 each); three classified staff at
// the least needy take 1 hour each of a $900 workshop paid from the general
// fund ($300 each).
class BoardReportTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    AddFourSites();
    Program("pd-1", "Coaching cycle");
    Program("pd-2", "Safety workshop");
    for (int i = 1; i <= 12; ++i) {
      const std::string t = "t-" + std::to_string(i);
      Staff(t, "s-4", "Certificated");
      Attend(t, "pd-1", 120);
    }
    for (int i = 1; i <= 3; ++i) {
      const std::string c = "c-" + std::to_string(i);
      Staff(c, "s-1", "Classified");
      Attend(c, "pd-2", 60);
    }
    Cost("pd-1", "VendorContract", 1200000, "4035", "TitleIIA");
    Cost("pd-2", "Materials", 90000, "0100", "LocalGeneral");
    Add("BudgetAllocated", "\"fiscal_year\":2025",
        "\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\",\"amount_cents\":2000000");
  }

  void Program(const std::string& id, const std::string& title) {
    Add("ProgramDefined", "\"program_id\":\"" + id + "\"",
        "\"professional_development_title\":\"" + title +
            "\",\"offered_by\":\"District\",\"delivery_method\":\"Onsite\",\"total_hours\":2,"
            "\"activity_type\":\"Workshop\"",
        "2024-07-01");
  }
  void Staff(const std::string& person, const std::string& site, const std::string& group) {
    Add("AssignmentChanged", "\"person_id\":\"" + person + "\",\"site_id\":\"" + site + "\"",
        "\"participant_group\":\"" + group + "\",\"begin_date\":\"2024-07-01\"", "2024-07-01");
  }
  void Attend(const std::string& person, const std::string& program, int minutes) {
    Add("AttendanceRecorded",
        "\"person_id\":\"" + person + "\",\"program_id\":\"" + program + "\",\"session_id\":\"" +
            program + "-a\"",
        "\"attendance_date\":\"2024-10-01\",\"attendance_event_category\":\"InAttendance\","
        "\"credited_minutes\":" +
            std::to_string(minutes),
        "2024-10-01");
  }
  void Cost(const std::string& program, const std::string& category, int64_t cents,
            const std::string& fund, const std::string& source) {
    Add("CostIncurred", "\"program_id\":\"" + program + "\",\"fiscal_year\":2025",
        "\"category\":\"" + category + "\",\"amount_cents\":" + std::to_string(cents) +
            ",\"allocation\":\"PerParticipant\",\"fund_code\":\"" + fund +
            "\",\"funding_source\":\"" + source + "\",\"invoice_number\":\"I-" + program + "\"");
  }

  projections::report::BoardRequest Request() const {
    projections::report::BoardRequest r;
    r.fiscal_year = 2025;
    r.tree_size = ledger_->size();
    r.as_of_day = projections::DayOf("2025-01-15");
    return r;
  }
  Json Summary(const std::string& as_of = "") {
    auto request = Request();
    if (!as_of.empty()) request.as_of_day = projections::DayOf(as_of);
    auto s = projections::report::BoardSummaryFromLedger(ledger_.get(), request);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? s.value() : Json();
  }
  std::map<std::string, std::string> Files(const Json& summary) {
    auto files = projections::report::RenderAll(summary);
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    return files.ok() ? files.value() : std::map<std::string, std::string>{};
  }
  // A report written to a new folder, and its path.
  std::string Written() {
    const std::string out = dir_.path() + "/board-2025";
    Status s = projections::report::WriteReport(out, Files(Summary()));
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
};

TEST_F(BoardReportTest, SummaryFiguresMatchTheDistrictWorkedByHand) {
  const Json s = Summary();
  EXPECT_EQ(s["fiscal_year_label"], "2024\u201325");
  EXPECT_EQ(s["as_of_date"], "2025-01-15");
  EXPECT_EQ(Headline(s, "invested_cents")["value"], 1290000);  // $12,000 + $900
  EXPECT_EQ(Headline(s, "participants")["value"], 15);
  EXPECT_EQ(Headline(s, "reach")["value"], 1.0);   // 15 of 15 staff
  EXPECT_EQ(Headline(s, "hours")["value"], 27.0);  // 12 x 2 h + 3 x 1 h
  EXPECT_EQ(Headline(s, "people_with_demonstrated_change")["value"], 0);
  EXPECT_TRUE(Headline(s, "cost_per_demonstrated_change_cents")["value"].is_null());

  const Json& title2 = RowOf(s, "investment_by_source", "Title II, Part A");
  EXPECT_EQ(title2["spend_cents"], 1200000);
  EXPECT_NEAR(title2["share"].get<double>(), 12000.0 / 12900.0, 1e-4);
  EXPECT_EQ(RowOf(s, "investment_by_source", "Local general fund")["spend_cents"], 90000);
  EXPECT_EQ(RowOf(s, "investment_by_category", "Materials")["spend_cents"], 90000);
  const Json& fund = RowOf(s, "budget", "4035");
  EXPECT_EQ(fund["budget_cents"], 2000000);
  EXPECT_EQ(fund["actual_cents"], 1200000);
  EXPECT_EQ(fund["variance_cents"], 800000);

  // The neediest quarter's $12,000 over its 12 teachers.
  EXPECT_EQ(RowOf(s, "equity_poverty", "Q4 (greatest need)")["spend_per_teacher_cents"], 100000);
  EXPECT_EQ(RowOf(s, "equity_measures", "Students in poverty")["Q4"], 100000);

  EXPECT_EQ(RowOf(s, "hours", "Under 14 hours")["enrolments"], 15);
  EXPECT_EQ(RowOf(s, "reciprocity", "Pending")["enrolments"], 15);  // inside the 120-day window
  EXPECT_EQ(RowOf(s, "programmes", "Coaching cycle")["spend_cents"], 1200000);

  EXPECT_EQ(s["log"]["tree_size"], ledger_->size());
  auto note = ledger_->CheckpointNote(ledger_->size());
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(s["log"]["checkpoint"], note.value());
  EXPECT_TRUE(s["log"]["checkpoint_verified"].get<bool>());
  EXPECT_EQ(s["log"]["root_hash"].get<std::string>().size(), 64u);
}

TEST_F(BoardReportTest, GroupsOfFewerThanTenPeopleAreSuppressedWithTheirComplement) {
  const Json s = Summary();
  // Three classified staff: hidden. The teachers' row would then give them
  // away by subtraction from the total, so it is hidden too.
  const Json& classified = RowOf(s, "participation", "Classified staff");
  EXPECT_TRUE(classified["participants"].is_null());
  EXPECT_TRUE(classified["hours"].is_null());
  EXPECT_TRUE(projections::report::IsSuppressed(classified, "participants"));
  EXPECT_EQ(classified["staff"], 3);  // not about the people who took part
  const Json& teachers = RowOf(s, "participation", "Teachers and other certificated staff");
  EXPECT_TRUE(teachers["participants"].is_null());
  const Json* participation = projections::report::FindTable(s, "participation");
  ASSERT_NE(participation, nullptr);
  EXPECT_EQ(participation->at("total")["participants"], 15);

  // Spending stays; figures about the three people go.
  const Json& q1 = RowOf(s, "equity_poverty", "Q1 (least need)");
  EXPECT_EQ(q1["spend_cents"], 90000);
  EXPECT_TRUE(q1["participants"].is_null());
  const Json& workshop = RowOf(s, "programmes", "Safety workshop");
  EXPECT_EQ(workshop["spend_cents"], 90000);
  EXPECT_TRUE(workshop["participants"].is_null());
  // Spending without level-4 evidence is spending on the people who showed
  // no change: about three people, it goes with them.
  EXPECT_TRUE(workshop["without_level4_cents"].is_null());
  EXPECT_TRUE(projections::report::IsSuppressed(workshop, "without_level4_cents"));
  // The quarters add up to the district's 15 participants, so Q4's 12 would
  // give Q1's 3 away: hidden too. Likewise the programmes, which add up to
  // the 15 enrolments.
  EXPECT_TRUE(RowOf(s, "equity_poverty", "Q4 (greatest need)")["participants"].is_null());
  EXPECT_TRUE(RowOf(s, "programmes", "Coaching cycle")["participants"].is_null());
  // Rows touched: participation 2, equity_poverty 2, programmes 2 and
  // programmes_all 2.
  EXPECT_EQ(s["privacy"]["rows_suppressed"], 8);

  const std::string html = projections::report::RenderHtml(s);
  EXPECT_NE(html.find(">n&lt;10<"), std::string::npos);
  EXPECT_NE(html.find("fewer than 10 people are not published"), std::string::npos);
  // The suppressed people's figures appear nowhere: 3 participants, 3 hours.
  const std::string csv = Files(s)["participation.csv"];
  EXPECT_EQ(csv.find(",3.0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("Classified staff,3,suppressed,suppressed"), std::string::npos) << csv;
}

// 11 of the 15 who took part changed practice: publishing 11 tells the
// board that 4 people did not, so the count goes, and the cost per change
// with it.
TEST_F(BoardReportTest, TheHeadlineChangeCountIsHiddenWhenTheRestAreFewerThanTen) {
  for (int i = 1; i <= 11; ++i) {
    Add("ObservationRecorded", "\"person_id\":\"t-" + std::to_string(i) + "\"",
        "\"performance_evaluation_type\":\"FormalObs\",\"evaluation_date\":\"2024-11-01\","
        "\"reviewer_person_id\":\"p-principal\",\"targeted_practice_observed\":true",
        "2024-11-01");
  }
  const Json s = Summary();
  EXPECT_EQ(Headline(s, "participants")["value"], 15);
  EXPECT_TRUE(Headline(s, "people_with_demonstrated_change")["value"].is_null());
  EXPECT_TRUE(Headline(s, "people_with_demonstrated_change")["suppressed"].get<bool>());
  EXPECT_TRUE(Headline(s, "cost_per_demonstrated_change_cents")["value"].is_null());
  // With the 12th teacher too, 12 changed and the 3 classified staff did not:
  // still hidden.
  Add("ObservationRecorded", "\"person_id\":\"t-12\"",
      "\"performance_evaluation_type\":\"FormalObs\",\"evaluation_date\":\"2024-11-01\","
      "\"reviewer_person_id\":\"p-principal\",\"targeted_practice_observed\":true",
      "2024-11-01");
  EXPECT_TRUE(Headline(Summary(), "people_with_demonstrated_change")["value"].is_null());
}

TEST_F(BoardReportTest, EnrolmentCountsAreSuppressedByThePeopleBehindThem) {
  // The three classified staff also take four 15-hour programmes: twelve
  // enrolments of 14 to 49 hours, but only three people.
  for (int k = 3; k <= 6; ++k) {
    const std::string program = "pd-" + std::to_string(k);
    Program(program, "Course " + std::to_string(k));
    for (int i = 1; i <= 3; ++i) Attend("c-" + std::to_string(i), program, 900);
  }
  const Json s = Summary();
  const Json& band = RowOf(s, "hours", "14 to 49 hours");
  EXPECT_TRUE(band["enrolments"].is_null());
  EXPECT_TRUE(projections::report::IsSuppressed(band, "enrolments"));
  // Its complement: the under-14 band (15 people), not the empty 49-hour one.
  EXPECT_TRUE(RowOf(s, "hours", "Under 14 hours")["enrolments"].is_null());
  EXPECT_EQ(RowOf(s, "hours", "49 hours or more")["enrolments"], 0);
  const Json* hours = projections::report::FindTable(s, "hours");
  ASSERT_NE(hours, nullptr);
  EXPECT_EQ(hours->at("total")["enrolments"], 27);  // 12 + 3 + 12
}

TEST_F(BoardReportTest, HoursEachAreGivenToTwoDecimals) {
  Attend("t-1", "pd-1", 5);  // 27 h 5 min in all: 27.08 hours to two decimals
  const Json s = Summary();
  const Json* participation = projections::report::FindTable(s, "participation");
  ASSERT_NE(participation, nullptr);
  const Json& total = participation->at("total");
  EXPECT_EQ(total["hours"], 27.08);
  EXPECT_EQ(total["hours_per_participant"], 1.81);  // 27.08 / 15 = 1.8053
}

// Twelve people without any professional learning were set goals naming no
// programme: three on 1 August 2024, past due from 30 November, and nine on
// 1 December, past due from 1 April 2025.
class ObligationsReportTest : public BoardReportTest {
 protected:
  void SetUp() override {
    BoardReportTest::SetUp();
    for (int i = 1; i <= 12; ++i) {
      const std::string g = "g-" + std::to_string(i);
      const std::string set = i <= 3 ? "2024-08-01" : "2024-12-01";
      Staff(g, "s-2", "Certificated");
      Add("GoalSet", "\"person_id\":\"" + g + "\"",
          "\"goal_title\":\"G-" + std::to_string(i) + "\",\"assignment_date\":\"" + set + "\"", set);
    }
  }
  // Two observations after pd-1 (which ended on 1 October 2024), neither
  // showing the practice, for each of the twelve teachers: once its
  // 120-day window has passed (29 January 2025), each owes the district.
  void ObserveTeachersWithoutChange() {
    for (int i = 1; i <= 12; ++i) {
      for (const char* day : {"2024-11-01", "2024-12-01"}) {
        Add("ObservationRecorded", "\"person_id\":\"t-" + std::to_string(i) + "\"",
            "\"performance_evaluation_type\":\"FormalObs\",\"evaluation_date\":\"" +
                std::string(day) + "\",\"reviewer_person_id\":\"p-principal\","
                "\"targeted_practice_observed\":false",
            day);
      }
    }
  }
};

TEST_F(ObligationsReportTest, PastDueIsACountInsideItsRowAndHiddenWhenItsPeopleAreFew) {
  const Json s = Summary();  // 15 January 2025: three of the twelve goals are past due
  const Json* t = projections::report::FindTable(s, "obligations");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->at("rows").size(), 1u);
  const Json& goals = t->at("rows")[0];
  EXPECT_EQ(goals["open"], 12);
  EXPECT_TRUE(goals["past_due"].is_null());  // 3 people, and 9 not past due
  EXPECT_TRUE(projections::report::IsSuppressed(goals, "past_due"));
  EXPECT_EQ(t->at("total")["open"], 12);
  EXPECT_TRUE(t->at("total")["past_due"].is_null());
  EXPECT_TRUE(Headline(s, "owed_by_district")["value"].is_null());
  EXPECT_EQ(Headline(s, "owed_by_staff")["value"], 0);

  // On 2 April all twelve are past due: 12 people, none left over.
  const Json later = Summary("2025-04-02");
  const Json* t2 = projections::report::FindTable(later, "obligations");
  ASSERT_NE(t2, nullptr);
  EXPECT_EQ(t2->at("rows")[0]["past_due"], 12);
  EXPECT_EQ(t2->at("total")["past_due"], 12);
  EXPECT_EQ(Headline(later, "owed_by_district")["value"], 12);
}

TEST_F(ObligationsReportTest, WhenOneHeadlineObligationCountIsHiddenTheOtherIsToo) {
  ObserveTeachersWithoutChange();
  // 1 March 2025: the twelve teachers' obligations are past due, and three
  // of the district's goals. Showing the staff's 12 beside the table's total
  // would give the district's 3 away.
  Json s = Summary("2025-03-01");
  EXPECT_TRUE(Headline(s, "owed_by_district")["value"].is_null());
  EXPECT_TRUE(Headline(s, "owed_by_staff")["value"].is_null());
  EXPECT_TRUE(Headline(s, "owed_by_staff")["suppressed"].get<bool>());
  // 2 April: twelve on each side, both shown.
  s = Summary("2025-04-02");
  EXPECT_EQ(Headline(s, "owed_by_district")["value"], 12);
  EXPECT_EQ(Headline(s, "owed_by_staff")["value"], 12);
}

TEST_F(BoardReportTest, HtmlHasEverySectionChartsCaptionsAndTheCheckpoint) {
  const Json s = Summary();
  const std::string html = projections::report::RenderHtml(s);
  for (const char* id : {"summary", "investment", "participation", "evidence", "reciprocity",
                         "programmes", "equity", "obligations", "verification"}) {
    EXPECT_NE(html.find("<section id=\"" + std::string(id) + "\">"), std::string::npos) << id;
  }
  for (const char* heading :
       {"What the district invested", "Evidence at each level", "What is still owed",
        "Did it reach the schools with the greatest need?", "How to check this report"}) {
    EXPECT_NE(html.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(html.find("$12,900"), std::string::npos);
  EXPECT_NE(html.find("<svg role=\"img\""), std::string::npos);
  EXPECT_NE(html.find("<desc id=\"guskey_chart-desc\">"), std::string::npos);
  EXPECT_NE(html.find("<caption>"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  // The checkpoint, whole, and the command that recomputes the report.
  std::string note = s["log"]["checkpoint"];
  EXPECT_NE(html.find(note.substr(0, note.find('\n'))), std::string::npos);
  EXPECT_NE(html.find(s["log"]["root_hash"].get<std::string>()), std::string::npos);
  EXPECT_NE(html.find("evident report verify DIR --ledger LEDGER"), std::string::npos);
  // Self-contained.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\""), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST_F(BoardReportTest, CsvMarkdownAndPdfCarryTheSameFigures) {
  auto files = Files(Summary());
  EXPECT_EQ(files["investment_by_source.csv"],
            "Funding source,Spending,Share of spending\r\n"
            "\"Title II, Part A\",12000.00,93.0\r\n"
            "Local general fund,900.00,7.0\r\n"
            "Total,12900.00,100.0\r\n");
  EXPECT_NE(files["report.md"].find("| Title II, Part A | $12,000 | 93.0% |"), std::string::npos);
  const std::string& pdf = files["report.pdf"];
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("/CreationDate (20250115"), std::string::npos);
  // Drawn again from the same summary, the same bytes.
  EXPECT_EQ(Files(Summary())["report.pdf"], pdf);
}

TEST_F(BoardReportTest, VerifyPassesUntouchedAndNamesAnEditedFigure) {
  const std::string out = Written();
  auto recomputed = Files(Summary());
  auto check = projections::report::CompareReport(out, recomputed);
  EXPECT_TRUE(check.ok()) << check.mismatches[0];
  EXPECT_EQ(check.files_checked, int(recomputed.size()));

  // One figure edited in summary.json: $12,900 becomes $13,900.
  std::string summary = Slurp(out + "/summary.json");
  const size_t at = summary.find("1290000");
  ASSERT_NE(at, std::string::npos);
  Spit(out + "/summary.json", summary.replace(at, 7, "1390000"));
  check = projections::report::CompareReport(out, recomputed);
  ASSERT_EQ(check.mismatches.size(), 1u);
  EXPECT_NE(check.mismatches[0].find("headline[invested_cents].value"), std::string::npos)
      << check.mismatches[0];
  EXPECT_NE(check.mismatches[0].find("1390000"), std::string::npos);
  EXPECT_NE(check.mismatches[0].find("1290000"), std::string::npos);
}

TEST_F(BoardReportTest, VerifyNamesAnEditedPageTableAndAMissingFile) {
  const std::string out = Written();
  auto recomputed = Files(Summary());
  std::string html = Slurp(out + "/report.html");
  const size_t at = html.find("$12,900");
  ASSERT_NE(at, std::string::npos);
  Spit(out + "/report.html", html.replace(at, 7, "$19,900"));
  ASSERT_EQ(::unlink((out + "/hours.csv").c_str()), 0);
  std::string pdf = Slurp(out + "/report.pdf");
  pdf[pdf.size() / 2] ^= 1;
  Spit(out + "/report.pdf", pdf);

  auto check = projections::report::CompareReport(out, recomputed);
  ASSERT_EQ(check.mismatches.size(), 3u);
  std::string all;
  for (const auto& m : check.mismatches) all += m + "\n";
  EXPECT_NE(all.find("hours.csv is missing"), std::string::npos) << all;
  EXPECT_NE(all.find("report.html line"), std::string::npos) << all;
  EXPECT_NE(all.find("$19,900"), std::string::npos) << all;
  EXPECT_NE(all.find("report.pdf differs"), std::string::npos) << all;
}

TEST_F(BoardReportTest, ABundleFromZeroRecomputesTheSameReport) {
  const Json from_ledger = Summary();
  const std::string bundle = dir_.path() + "/bundle";
  ASSERT_TRUE(WriteBundle(ledger_.get(), bundle, 0, ledger_->size()).ok());
  auto from_bundle = projections::report::BoardSummaryFromBundle(
      bundle, Request(), from_ledger["log"]["checkpoint"], std::nullopt);
  ASSERT_TRUE(from_bundle.ok()) << from_bundle.status().ToString();
  EXPECT_EQ(from_bundle.value(), from_ledger);

  // A checkpoint that does not sign those entries is refused.
  std::string forged = from_ledger["log"]["checkpoint"];
  const size_t line = forged.find('\n', forged.find('\n') + 1) + 1;  // the root hash line
  forged[line] = forged[line] == 'A' ? 'B' : 'A';
  auto refused =
      projections::report::BoardSummaryFromBundle(bundle, Request(), forged, std::nullopt);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("checkpoint"), std::string::npos);
}

TEST_F(BoardReportTest, ASizeWithoutACheckpointOrAnEmptyYearIsRefused) {
  auto request = Request();
  request.tree_size = ledger_->size() + 1;
  auto past = projections::report::BoardSummaryFromLedger(ledger_.get(), request);
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.status().message().find("past the end"), std::string::npos);

  request = Request();
  request.fiscal_year = 2019;
  auto empty = projections::report::BoardSummaryFromLedger(ledger_.get(), request);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("fiscal years with records: 2025"), std::string::npos)
      << empty.status().ToString();
}

TEST_F(BoardReportTest, AReportIsNeverWrittenOverAnotherOrLeftHalfWritten) {
  const std::string out = Written();
  const std::string before = Slurp(out + "/summary.json");
  Status again = projections::report::WriteReport(out, {{"summary.json", "{}"}});
  EXPECT_EQ(again.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Slurp(out + "/summary.json"), before);

  // A file that cannot be written (its name is a folder's): nothing is left.
  const std::string failed = dir_.path() + "/failed";
  Status s = projections::report::WriteReport(failed, {{"a.csv", "x"}, {"sub/b.csv", "y"}});
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(Exists(failed));
  EXPECT_FALSE(Exists(failed + ".partial"));
}

}  // namespace
}  // namespace evident::testing
