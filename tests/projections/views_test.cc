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

TEST_F(ViewsTest, EquityPutsTheSpendInTheQuartileOfTheSitesNeed) {
  std::map<std::string, Json> poverty;
  for (const Json& r : Rows("equity", "need_quartile")) {
    if (r["attribute"] == "students_in_poverty") poverty[r["quartile"]] = r;
  }
  // Only Q4 (s-4, 80% poverty) has participation; its staff are t-1 and t-2.
  ASSERT_EQ(poverty.size(), 1u);
  ASSERT_EQ(poverty.count("Q4"), 1u);
  EXPECT_EQ(poverty["Q4"]["spend_cents"], 30000);
  EXPECT_EQ(poverty["Q4"]["staff"], 2);
  EXPECT_EQ(poverty["Q4"]["sites"], 1);
  EXPECT_EQ(poverty["Q4"]["reach"], 0.5);
}

}  // namespace
}  // namespace evident::testing
