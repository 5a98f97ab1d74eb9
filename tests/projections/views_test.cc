// The accountability and equity views on a small district worked by hand.

#include "projections/views.h"

#include <gtest/gtest.h>

#include "tests/projections/projection_fixture.h"

namespace evident::testing {
namespace {

using projections::Json;

class ViewsTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    AddFourSites();
    // Two teachers at the neediest site, one at the least needy.
    Staff("t-1", "s-4");
    Staff("t-2", "s-4");
    Staff("t-3", "s-1");
    // t-1 attends 90 minutes of pd-1, whose $300 is all theirs; t-2 does not attend.
    Add("AttendanceRecorded", "\"person_id\":\"t-1\",\"program_id\":\"pd-1\",\"session_id\":\"a\"",
        "\"attendance_date\":\"2024-10-01\",\"attendance_event_category\":\"InAttendance\","
        "\"credited_minutes\":90");
    Add("CostIncurred", "\"program_id\":\"pd-1\",\"fiscal_year\":2025",
        "\"category\":\"Registration\",\"amount_cents\":30000,\"allocation\":\"PerParticipant\","
        "\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\",\"invoice_number\":\"I-1\"");
    Add("BudgetAllocated", "\"fiscal_year\":2025",
        "\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\",\"amount_cents\":120000");
  }
  void Staff(const std::string& person, const std::string& site) {
    Add("AssignmentChanged", "\"person_id\":\"" + person + "\",\"site_id\":\"" + site + "\"",
        "\"participant_group\":\"Certificated\",\"begin_date\":\"2024-07-01\"");
  }
  std::vector<Json> Rows(const std::string& view, const std::string& kind) {
    auto projector = Fold();
    auto f = projections::ComputeFigures(projector->state(), projections::DayOf("2024-12-01"));
    auto rendered = projections::RenderView(view, projector->state(), f, {});
    EXPECT_TRUE(rendered.ok());
    std::vector<Json> rows;
    for (auto& r : rendered.value()) {
      if (r.row["row"] == kind) rows.push_back(r.row);
    }
    return rows;
  }
};

TEST_F(ViewsTest, AccountabilityCountsSpendReachAndHoursPerSiteProgrammeAndGroup) {
  auto cells = Rows("accountability", "site_program");
  ASSERT_EQ(cells.size(), 1u);
  const Json& c = cells[0];
  EXPECT_EQ(c["site"], "s-4");
  EXPECT_EQ(c["staff_group"], "Certificated");
  EXPECT_EQ(c["spend_cents"], 30000);
  EXPECT_EQ(c["participants"], 1);
  EXPECT_EQ(c["staff"], 2);    // t-1 and t-2 at s-4
  EXPECT_EQ(c["reach"], 0.5);  // 1 of 2
  EXPECT_EQ(c["hours"], 1.5);
  EXPECT_EQ(c["cost_per_participant_hour_cents"], 20000);  // $300 / 1.5 h
  EXPECT_EQ(c["spend_per_teacher_cents"], 15000);          // $300 / 2 teachers at s-4
  EXPECT_EQ(c["hours_distribution"]["under_14"], 1);
  EXPECT_EQ(c["dollars_without_level4_evidence_cents"], 30000);

  auto budget = Rows("accountability", "budget");
  ASSERT_EQ(budget.size(), 1u);
  EXPECT_EQ(budget[0]["budget_cents"], 120000);
  EXPECT_EQ(budget[0]["actual_cents"], 30000);
  EXPECT_EQ(budget[0]["variance_cents"], 90000);
  EXPECT_EQ(budget[0]["spent_share"], 0.25);
}

TEST_F(ViewsTest, AVoidedAssignmentNamesNobodyAsStaff) {
  // t-4's only record is an assignment to s-4, voided as entered in error.
  Add("AssignmentChanged", "\"person_id\":\"t-4\",\"site_id\":\"s-4\"",
      "\"participant_group\":\"Certificated\",\"begin_date\":\"2024-07-01\"");
  EXPECT_EQ(Rows("accountability", "site_program")[0]["staff"], 3);  // t-1, t-2, t-4
  Void(Add("AssignmentChanged", "\"person_id\":\"t-5\",\"site_id\":\"s-4\"",
           "\"participant_group\":\"Certificated\",\"begin_date\":\"2024-07-01\""));
  Void(Add("PersonRegistered", "\"person_id\":\"t-6\"", "\"participant_group\":\"Certificated\""));
  auto cells = Rows("accountability", "site_program");
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0]["staff"], 3);  // t-5 and t-6 are not staff
  EXPECT_EQ(cells[0]["reach"], 0.3333);  // 1 of 3, to four places
  auto district = Rows("accountability", "district_year");
  ASSERT_EQ(district.size(), 1u);
  EXPECT_EQ(district[0]["staff"], 4);  // t-1, t-2, t-3, t-4
  EXPECT_EQ(district[0]["reach"], 0.25);
}

TEST_F(ViewsTest, EquityPutsTheSpendInTheQuartileOfTheSitesNeed) {
  std::map<std::string, Json> poverty;
  for (const Json& r : Rows("equity", "need_quartile")) {
    if (r["attribute"] == "students_in_poverty") poverty[r["quartile"]] = r;
  }
  // Only Q4 (s-4, 80% poverty) has participation; its staff are t-1 and t-2.
  ASSERT_EQ(poverty.size(), 4u);
  ASSERT_EQ(poverty.count("Q4"), 1u);
  EXPECT_EQ(poverty["Q4"]["spend_cents"], 30000);
  EXPECT_EQ(poverty["Q4"]["staff"], 2);
  EXPECT_EQ(poverty["Q4"]["sites"], 1);
  EXPECT_EQ(poverty["Q4"]["reach"], 0.5);
}

// A quarter of sites where nobody took part spent $0 on each teacher: a
// figure the board can read, not a gap.
TEST_F(ViewsTest, AQuartileWhoseSitesHadNoProfessionalLearningSpentNothing) {
  std::map<std::string, Json> poverty;
  for (const Json& r : Rows("equity", "need_quartile")) {
    if (r["attribute"] == "students_in_poverty") poverty[r["quartile"]] = r;
  }
  ASSERT_EQ(poverty.count("Q1"), 1u);
  EXPECT_EQ(poverty["Q1"]["fiscal_year"], 2025);
  EXPECT_EQ(poverty["Q1"]["sites"], 1);
  EXPECT_EQ(poverty["Q1"]["staff"], 1);  // t-3 at s-1
  EXPECT_EQ(poverty["Q1"]["spend_cents"], 0);
  EXPECT_EQ(poverty["Q1"]["spend_per_teacher_cents"], 0);
  EXPECT_EQ(poverty["Q1"]["participants"], 0);
  // Q2 has a site but no staff: nothing per teacher to say.
  EXPECT_EQ(poverty["Q2"]["spend_cents"], 0);
  EXPECT_TRUE(poverty["Q2"]["spend_per_teacher_cents"].is_null());
}

// Release time is charged to the fund it names, from the source it names or,
// for a record that names none, the one its fund's budget names that year.
TEST_F(ViewsTest, SubstituteCoverIsSpentFromTheSourceBehindItsFund) {
  auto cover = [&](int64_t cents, const std::string& fund_and_source) {
    Add("SubstituteCoverageRecorded", "\"person_id\":\"t-1\",\"program_id\":\"pd-1\"",
        "\"staff_leave_event_category\":\"ReleaseTime\",\"begin_date\":\"2024-10-01\","
        "\"substitute_assigned\":true,\"covered_minutes\":360,\"substitute_cost_cents\":" +
            std::to_string(cents) + "," + fund_and_source,
        "2024-10-01");
  };
  cover(20000, "\"fund_code\":\"4035\"");  // the 4035 budget names Title II-A
  cover(5000, "\"fund_code\":\"0100\",\"funding_source\":\"LocalGeneral\"");
  cover(1000, "\"fund_code\":\"7777\"");  // no budget: the source is not known
  auto district = Rows("accountability", "district_year");
  ASSERT_EQ(district.size(), 1u);
  std::map<std::string, int64_t> by_source;
  for (const Json& line : district[0]["spend"]) {
    by_source[line["funding_source"].get<std::string>()] += line["cents"].get<int64_t>();
  }
  EXPECT_EQ(by_source["TitleIIA"], 30000 + 20000);
  EXPECT_EQ(by_source["LocalGeneral"], 5000);
  EXPECT_EQ(by_source["Unspecified"], 1000);
  // The budget table's fund 4035 carries the same $500 Title II-A spent.
  for (const Json& b : Rows("accountability", "budget")) {
    if (b["fund"] == "4035") EXPECT_EQ(b["actual_cents"], by_source["TitleIIA"]);
  }
}

// Coach time recorded with no fund has no budget to be measured against: it
// is one row of its own, not a fund with a $0 budget overspent.
TEST_F(ViewsTest, CoachTimeWithNoFundIsNotAFundOverItsBudget) {
  auto coach = [&](const std::string& fund_and_source) {
    Add("CoachingSessionLogged", "\"person_id\":\"t-1\",\"program_id\":\"pd-1\"",
        "\"coaching_cycle_id\":\"cc-1\",\"coach_person_id\":\"p-coach\","
        "\"session_date\":\"2024-10-02\",\"coaching_minutes\":90,"
        "\"coach_hourly_rate_cents\":6000" +
            fund_and_source,
        "2024-10-02");
  };
  coach("");                                                           // $90, no fund
  coach(",\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\"");  // $90 on 4035
  std::map<std::string, Json> budget;
  for (const Json& b : Rows("accountability", "budget")) budget[b["fund"]] = b;
  ASSERT_EQ(budget.size(), 2u);
  EXPECT_EQ(budget["4035"]["no_fund"], false);
  EXPECT_EQ(budget["4035"]["actual_cents"], 30000 + 9000);
  EXPECT_EQ(budget["4035"]["variance_cents"], 120000 - 39000);
  EXPECT_EQ(budget[""]["no_fund"], true);
  EXPECT_EQ(budget[""]["actual_cents"], 9000);
  EXPECT_TRUE(budget[""]["budget_cents"].is_null());
  EXPECT_TRUE(budget[""]["variance_cents"].is_null());
  EXPECT_TRUE(budget[""]["spent_share"].is_null());
}

// Quartiles by the mid-rank share p = (sites below + equal sites / 2) / n,
// quartile 1 + floor(4p), worked out by hand for each case below.
class QuartileTest : public ProjectionTest {
 protected:
  struct Quarter {
    int64_t sites = 0, minutes = 0;
    bool operator==(const Quarter& o) const { return sites == o.sites && minutes == o.minutes; }
  };
  // Site i has students_in_poverty_share percents[i] / 100 and one teacher,
  // who attends 60 + i minutes of pd-1 (so the minutes tell sites apart).
  // Returns each poverty quartile's sites and minutes.
  std::map<std::string, Quarter> QuartersOf(const std::vector<int>& percents) {
    for (size_t i = 0; i < percents.size(); ++i) {
      const std::string site = "s-" + std::to_string(i), person = "t-" + std::to_string(i);
      Add("SiteRegistered", "\"site_id\":\"" + site + "\"",
          "\"school_category\":\"Elementary\",\"english_learner_share\":0.1,"
          "\"foster_youth_share\":0.01,\"students_with_disabilities_share\":0.1,"
          "\"students_in_poverty_share\":" +
              std::to_string(percents[i] / 100.0),
          "2024-07-01");
      Add("AssignmentChanged", "\"person_id\":\"" + person + "\",\"site_id\":\"" + site + "\"",
          "\"participant_group\":\"Certificated\",\"begin_date\":\"2024-07-01\"");
      Add("AttendanceRecorded",
          "\"person_id\":\"" + person + "\",\"program_id\":\"pd-1\",\"session_id\":\"a\"",
          "\"attendance_date\":\"2024-10-01\",\"attendance_event_category\":\"InAttendance\","
          "\"credited_minutes\":" +
              std::to_string(60 + i));
    }
    auto projector = Fold();
    auto f = projections::ComputeFigures(projector->state(), projections::DayOf("2024-12-01"));
    auto rows = projections::RenderView("equity", projector->state(), f, {});
    EXPECT_TRUE(rows.ok());
    std::map<std::string, Quarter> quarters;
    for (const auto& r : rows.value()) {
      if (r.row["attribute"] != "students_in_poverty") continue;
      quarters[r.row["quartile"]] = {r.row["sites"].get<int64_t>(),
                                     std::llround(r.row["hours"].get<double>() * 60)};
    }
    return quarters;
  }
};

TEST_F(QuartileTest, WithThreeSitesTheNeediestIsInQ4) {
  // p = 0.5/3, 1.5/3, 2.5/3: Q1, Q3, Q4; no site in Q2.
  auto q = QuartersOf({20, 50, 90});
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q["Q1"], (Quarter{1, 60}));
  EXPECT_EQ(q["Q3"], (Quarter{1, 61}));
  EXPECT_EQ(q["Q4"], (Quarter{1, 62}));
}

TEST_F(QuartileTest, TwoSitesTiedForTheMostNeedShareQ4) {
  // p = 0.5/4, 1.5/4, then (2 + 2/2)/4 = 0.75 for both: Q1, Q2, Q4, Q4.
  auto q = QuartersOf({20, 40, 90, 90});
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q["Q1"], (Quarter{1, 60}));
  EXPECT_EQ(q["Q2"], (Quarter{1, 61}));
  EXPECT_EQ(q["Q4"], (Quarter{2, 62 + 63}));
}

TEST_F(QuartileTest, FourDistinctSitesFillTheFourQuartiles) {
  // p = 0.5/4, 1.5/4, 2.5/4, 3.5/4.
  auto q = QuartersOf({10, 30, 60, 70});
  EXPECT_EQ(q.size(), 4u);
  EXPECT_EQ(q["Q1"], (Quarter{1, 60}));
  EXPECT_EQ(q["Q2"], (Quarter{1, 61}));
  EXPECT_EQ(q["Q3"], (Quarter{1, 62}));
  EXPECT_EQ(q["Q4"], (Quarter{1, 63}));
}

}  // namespace
}  // namespace evident::testing
