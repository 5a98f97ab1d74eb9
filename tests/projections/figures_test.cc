// Hand-built logs whose expected figures are worked out by hand here, in the
// comments beside each expectation, not by the code under test.

#include <gtest/gtest.h>

#include "projections/views.h"
#include "tests/projections/projection_fixture.h"

namespace evident::testing {
namespace {

using projections::Figures;
using projections::Json;
using projections::PersonProgram;
using projections::rules::Standing;

class FiguresTest : public ProjectionTest {
 protected:
  void Person(const std::string& id, int rate_cents = -1) {
    std::string body = "\"participant_group\":\"Certificated\"";
    if (rate_cents >= 0) body += ",\"hourly_cost_rate_cents\":" + std::to_string(rate_cents);
    Add("PersonRegistered", "\"person_id\":\"" + id + "\"", body, "2024-07-01");
  }
  void Program(const std::string& id, int window_days) {
    Add("ProgramDefined", "\"program_id\":\"" + id + "\"",
        "\"professional_development_title\":\"Math coaching\",\"offered_by\":\"District\","
        "\"delivery_method\":\"Onsite\",\"total_hours\":10,\"activity_type\":\"Workshop\","
        "\"targeted_rubric_elements\":[\"3b\"],\"follow_up_window_days\":" +
            std::to_string(window_days),
        "2024-07-01");
  }
  std::string Attend(const std::string& person, const std::string& session, const std::string& day,
                     int minutes, const std::string& program = "pd-1") {
    return Add("AttendanceRecorded",
               "\"person_id\":\"" + person + "\",\"program_id\":\"" + program +
                   "\",\"session_id\":\"" + session + "\"",
               "\"attendance_date\":\"" + day +
                   "\",\"attendance_event_category\":\"InAttendance\",\"credited_minutes\":" +
                   std::to_string(minutes),
               day);
  }
  static std::string CostBody(int64_t cents, const std::string& allocation,
                              const std::string& category = "VendorContract", bool invoice = true) {
    return "\"category\":\"" + category + "\",\"amount_cents\":" + std::to_string(cents) +
           ",\"allocation\":\"" + allocation +
           "\",\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\"" +
           (invoice ? ",\"invoice_number\":\"INV-1\"" : "");
  }
  std::string Cost(int64_t cents, const std::string& allocation,
                   const std::string& extra_subject = "",
                   const std::string& category = "VendorContract", bool invoice = true,
                   const std::string& day = "2024-10-15") {
    return Add("CostIncurred", "\"program_id\":\"pd-1\",\"fiscal_year\":2025" + extra_subject,
               CostBody(cents, allocation, category, invoice), day);
  }
  std::string Observe(const std::string& person, const std::string& day, bool practice,
                      int rating) {
    return Add("ObservationRecorded", "\"person_id\":\"" + person + "\"",
               "\"performance_evaluation_type\":\"Walkthrough\",\"evaluation_date\":\"" + day +
                   "\",\"reviewer_person_id\":\"p-principal\",\"element_ratings\":[{"
                   "\"evaluation_element_title\":\"3b\",\"rating\":" +
                   std::to_string(rating) +
                   "}],\"targeted_practice_observed\":" + (practice ? "true" : "false"),
               day);
  }
  int64_t Component(const PersonProgram& p, const std::string& component) {
    int64_t cents = 0;
    for (const auto& c : p.costs) {
      if (c.component == component) cents += c.line.cents;
    }
    return cents;
  }
};

TEST_F(FiguresTest, ProgrammeCostsAreSharedInProportionToHoursAttended) {
  Person("a", 6000);  // $60.00 an hour
  Person("b");
  Program("pd-1", 120);
  Attend("a", "s1", "2024-10-01", 180);
  Attend("b", "s2", "2024-10-01", 60);
  Cost(100000, "PerParticipant");                      // $1,000 over the 240 minutes attended
  Cost(9000, "PerSession", ",\"session_id\":\"s1\"");  // $90 over session s1 only
  Figures f = FiguresAsOf("2024-10-02");
  const PersonProgram& a = PairOf(f, "a", "pd-1");
  const PersonProgram& b = PairOf(f, "b", "pd-1");
  // a: 180/240 of $1,000 = $750, all of s1's $90 = $840.
  EXPECT_EQ(Component(a, "programme_share"), 84000);
  // a's time: 3 hours at $60 = $180.
  EXPECT_EQ(Component(a, "participant_time"), 18000);
  EXPECT_EQ(a.invested_cents, 102000);
  // b: 60/240 of $1,000 = $250; no rate, so no time value.
  EXPECT_EQ(Component(b, "programme_share"), 25000);
  EXPECT_EQ(Component(b, "participant_time"), 0);
  EXPECT_TRUE(f.unallocated.empty());
}

TEST_F(FiguresTest, PenniesLeftByRoundingStayUnallocated) {
  Program("pd-1", 120);
  for (const char* p : {"a", "b", "c"}) Attend(p, "s1", "2024-10-01", 60);
  Cost(10000, "PerParticipant");  // $100 / 3 = $33.33 each, one cent left
  Figures f = FiguresAsOf("2024-10-02");
  for (const char* p : {"a", "b", "c"})
    EXPECT_EQ(Component(PairOf(f, p, "pd-1"), "programme_share"), 3333);
  ASSERT_EQ(f.unallocated.size(), 1u);
  EXPECT_EQ(f.unallocated[0].second.cents, 1);
}

TEST_F(FiguresTest, StatusIsPendingUntilTheWindowCloses) {
  Program("pd-1", 30);
  Attend("a", "s1", "2024-09-10", 60);  // ends 2024-09-10; due 30 days later, 2024-10-10
  EXPECT_EQ(PairOf(FiguresAsOf("2024-10-10"), "a", "pd-1").standing, Standing::kPending);
  // The day after, with no observation at all: too few to tell.
  EXPECT_EQ(PairOf(FiguresAsOf("2024-10-11"), "a", "pd-1").standing,
            Standing::kInsufficientEvidence);
}

TEST_F(FiguresTest, TwoObservationsWithoutChangeAfterTheWindowLeaveItOwedByThePerson) {
  Program("pd-1", 30);
  Attend("a", "s1", "2024-09-10", 60);
  Observe("a", "2024-09-20", false, 2);
  Observe("a", "2024-10-05", false, 2);
  const Figures f = FiguresAsOf("2024-10-11");
  const PersonProgram& a = PairOf(f, "a", "pd-1");
  EXPECT_EQ(a.post_observations, 2);
  EXPECT_EQ(a.standing, Standing::kOwedByPerson);
}

TEST_F(FiguresTest, OneObservationIsInsufficientEvidenceNeverZeroChange) {
  Program("pd-1", 30);
  Attend("a", "s1", "2024-09-10", 60);
  Observe("a", "2024-09-01", false, 2);  // before
  Observe("a", "2024-09-20", false, 3);  // the only one after
  Figures f = FiguresAsOf("2024-10-11");
  const PersonProgram& a = PairOf(f, "a", "pd-1");
  EXPECT_EQ(a.standing, Standing::kInsufficientEvidence);
  EXPECT_FALSE(a.change.known);
  for (const auto& row : projections::ReciprocityView(f)) {
    if (row.row["row"] != "person_program") continue;
    EXPECT_EQ(row.row["status"], "insufficient evidence");
    EXPECT_TRUE(row.row["person_side"]["targeted_change_sd"].is_null()) << row.row.dump();
    EXPECT_TRUE(row.row["change_per_1000_dollars"].is_null());
  }
}

TEST_F(FiguresTest, ChangeIsStandardisedByTheDistrictSpreadWithABand) {
  Person("a", 6000);
  Program("pd-1", 30);
  Attend("a", "s1", "2024-09-10", 60);   // 1 hour at $60: $60 invested
  Observe("a", "2024-09-01", false, 2);  // before: 2
  Observe("a", "2024-09-20", true, 3);   // after: 3 and 4, mean 3.5
  Observe("a", "2024-10-05", true, 4);
  const Figures f = FiguresAsOf("2024-12-01");
  const PersonProgram& a = PairOf(f, "a", "pd-1");
  // District ratings 2, 3, 4: SD sqrt(2/3) = 0.816497. Change (3.5 - 2) / 0.816497 = 1.837117.
  ASSERT_TRUE(a.change.known);
  EXPECT_NEAR(a.change.value, 1.837117, 1e-5);
  // SE: before has one rating, so the district variance 2/3; after's sample
  // variance 0.5 over 2. sqrt(2/3 + 0.25) / 0.816497 = 1.172604.
  EXPECT_NEAR(a.change.standard_error, 1.172604, 1e-5);
  // Per $1,000 with $60 invested: 1.837117 / 0.06 = 30.6186, band +-1.96 SE / 0.06.
  EXPECT_NEAR(a.per_thousand.value, 30.6186, 1e-3);
  EXPECT_NEAR(a.per_thousand.low, -7.6864, 1e-3);
  EXPECT_NEAR(a.per_thousand.high, 68.9237, 1e-3);
  EXPECT_EQ(a.standing, Standing::kReciprocated);
  EXPECT_EQ(a.highest_level, 4);
}

TEST_F(FiguresTest, AVoidRemovesTheEvidence) {
  Program("pd-1", 30);
  Attend("a", "s1", "2024-09-10", 60);
  const std::string seen = Observe("a", "2024-09-20", true, 3);
  EXPECT_EQ(PairOf(FiguresAsOf("2024-12-01"), "a", "pd-1").standing, Standing::kReciprocated);
  Void(seen);
  const Figures f = FiguresAsOf("2024-12-01");
  const PersonProgram& a = PairOf(f, "a", "pd-1");
  EXPECT_EQ(a.post_observations, 0);
  EXPECT_EQ(a.highest_level, 0);
  EXPECT_EQ(a.standing, Standing::kInsufficientEvidence);
}

TEST_F(FiguresTest, ACorrectionChangesAnAmount) {
  Attend("a", "s1", "2024-10-01", 180);
  Attend("b", "s1", "2024-10-01", 60);
  const std::string cost = Cost(100000, "PerParticipant");
  Correct(cost, "CostIncurred", CostBody(60000, "PerParticipant"));
  Figures f = FiguresAsOf("2024-10-02");
  EXPECT_EQ(Component(PairOf(f, "a", "pd-1"), "programme_share"), 45000);  // 3/4 of $600
  EXPECT_EQ(Component(PairOf(f, "b", "pd-1"), "programme_share"), 15000);  // 1/4 of $600
  // A second correction replaces the first; the amount is never counted twice.
  Correct(cost, "CostIncurred", CostBody(20000, "PerParticipant"));
  f = FiguresAsOf("2024-10-02");
  EXPECT_EQ(Component(PairOf(f, "a", "pd-1"), "programme_share"), 15000);
}

TEST_F(FiguresTest, AGoalWithoutInvestmentIsOwedByTheDistrict) {
  Attend("a", "s1", "2024-09-05", 60, "pd-1");
  Add("GoalSet", "\"person_id\":\"a\",\"program_id\":\"pd-9\"",
      "\"goal_title\":\"G-3b\",\"assignment_date\":\"2024-09-01\"", "2024-09-01");
  // Inside the district's 120 days (to 2024-12-30): pending.
  EXPECT_EQ(PairOf(FiguresAsOf("2024-12-30"), "a", "pd-9").standing, Standing::kPending);
  Figures f = FiguresAsOf("2024-12-31");
  EXPECT_EQ(PairOf(f, "a", "pd-9").standing, Standing::kOwedByDistrict);
  ASSERT_EQ(f.obligations.size(), 1u);
  EXPECT_EQ(f.obligations[0].side, "district");
  EXPECT_EQ(f.obligations[0].kind, "goal");
  EXPECT_TRUE(f.obligations[0].overdue);
}

TEST_F(FiguresTest, ALowRatingWithNoSupportIsOwedByTheDistrict) {
  Add("EvaluationRatingFinalized", "\"person_id\":\"a\",\"school_year\":2025",
      "\"performance_evaluation_title\":\"Summative\",\"actual_date\":\"2025-05-30\","
      "\"performance_evaluation_rating_level\":\"MinimallyEffective\"",
      "2025-05-30");
  Figures f = FiguresAsOf("2025-09-28");  // 121 days on
  ASSERT_EQ(f.obligations.size(), 1u);
  EXPECT_EQ(f.obligations[0].kind, "low rating");
  EXPECT_TRUE(f.obligations[0].overdue);
  // Coaching in the next school year is the support that answers it.
  Add("CoachingSessionLogged", "\"person_id\":\"a\"",
      "\"coaching_cycle_id\":\"cc-1\",\"coach_person_id\":\"c-1\",\"session_date\":"
      "\"2025-08-20\",\"coaching_minutes\":45",
      "2025-08-20");
  EXPECT_TRUE(FiguresAsOf("2025-09-28").obligations.empty());
}

// "Nothing was invested — no hours, costs or coaching": a completion recorded
// for a programme with none of them is not the support a low rating asks for.
TEST_F(FiguresTest, ACompletionAloneIsNoSupportForALowRating) {
  Add("ParticipationCompleted", "\"person_id\":\"a\",\"program_id\":\"pd-2\"",
      "\"activity_completion_date\":\"2025-01-19\"", "2025-01-19");
  Add("EvaluationRatingFinalized", "\"person_id\":\"a\",\"school_year\":2025",
      "\"performance_evaluation_title\":\"Summative\",\"actual_date\":\"2025-05-30\","
      "\"performance_evaluation_rating_level\":\"Developing\"",
      "2025-05-30");
  Figures f = FiguresAsOf("2025-09-28");  // 121 days after the rating
  ASSERT_EQ(f.obligations.size(), 1u);
  EXPECT_EQ(f.obligations[0].kind, "low rating");
  EXPECT_TRUE(f.obligations[0].overdue);
  // An hour of that programme in the year is support.
  Attend("a", "s1", "2025-02-01", 60, "pd-2");
  EXPECT_TRUE(FiguresAsOf("2025-09-28").obligations.empty());
}

// "The end is the latest of those days and the latest completion date"
// (docs/metrics.md): not the completion recorded last.
TEST_F(FiguresTest, AProgrammeEndsOnItsLatestCompletionWhicheverWasRecordedLast) {
  Attend("a", "s1", "2024-10-01", 60, "pd-2");
  Add("ParticipationCompleted", "\"person_id\":\"a\",\"program_id\":\"pd-2\"",
      "\"activity_completion_date\":\"2025-05-14\"", "2025-05-14");
  Add("ParticipationCompleted", "\"person_id\":\"a\",\"program_id\":\"pd-2\"",
      "\"activity_completion_date\":\"2025-01-22\"", "2025-05-15");
  Figures f = FiguresAsOf("2025-06-01");
  EXPECT_EQ(projections::DateOf(PairOf(f, "a", "pd-2").end_day), "2025-05-14");
}

TEST_F(FiguresTest, AYearRowSumsTheProgrammesAndPersonLevelCosts) {
  Attend("a", "s1", "2024-10-01", 120, "pd-1");
  Attend("a", "s1", "2024-11-01", 60, "pd-2");
  Cost(100000, "PerParticipant");  // pd-1, a is the only attendee: all $1,000
  Add("CostIncurred", "\"program_id\":\"pd-2\",\"fiscal_year\":2025",
      CostBody(5000, "PerParticipant"));  // pd-2: all $50
  Add("SubstituteCoverageRecorded", "\"person_id\":\"a\"",
      "\"staff_leave_event_category\":\"ReleaseTime\",\"begin_date\":\"2024-10-01\","
      "\"substitute_assigned\":true,\"covered_minutes\":420,\"substitute_cost_cents\":15500,"
      "\"fund_code\":\"0100\"");
  Figures f = FiguresAsOf("2024-12-01");
  ASSERT_EQ(f.years.size(), 1u);
  const projections::PersonYear& y = f.years[0];
  EXPECT_EQ(y.school_year, 2025);
  EXPECT_EQ(y.minutes, 180);
  // $1,000 + $50 from fund 4035 in one line; the $155 substitute apart.
  ASSERT_EQ(y.costs.size(), 2u);
  EXPECT_EQ(y.costs[0].component, "programme_share");
  EXPECT_EQ(y.costs[0].line.cents, 105000);
  EXPECT_EQ(y.costs[1].component, "substitute");
  EXPECT_EQ(y.costs[1].line.cents, 15500);
  EXPECT_EQ(y.invested_cents, 120500);
}

TEST_F(FiguresTest, CoachingForAProgrammeIsTakingPartOnItsDays) {
  Add("CoachingSessionLogged", "\"person_id\":\"a\",\"program_id\":\"pd-c\"",
      "\"coaching_cycle_id\":\"cc-1\",\"coach_person_id\":\"c-1\",\"session_date\":"
      "\"2024-10-01\",\"coaching_minutes\":45,\"coach_hourly_rate_cents\":8000",
      "2024-10-01");
  const Figures f = FiguresAsOf("2024-12-01");
  const PersonProgram& a = PairOf(f, "a", "pd-c");
  EXPECT_EQ(a.coaching_minutes, 45);
  EXPECT_EQ(Component(a, "coach_time"), 6000);  // $80/h for 45 minutes
  EXPECT_EQ(projections::DateOf(a.end_day), "2024-10-01");
  EXPECT_EQ(projections::DateOf(a.due_day), "2025-01-29");  // 120 days on
  EXPECT_EQ(a.standing, Standing::kPending);
}

}  // namespace
}  // namespace evident::testing
