#include <gtest/gtest.h>

#include "projections/views.h"
#include "tests/projections/projection_fixture.h"

namespace evident::testing {
namespace {

using projections::Json;

class ComplianceTest : public ProjectionTest {
 protected:
  // A stipend paid to `person` from Title II-A fund 4035 on `day`.
  std::string Stipend(const std::string& person, const std::string& day, bool invoice = true) {
    return Add("CostIncurred",
               "\"person_id\":\"" + person + "\",\"program_id\":\"pd-1\",\"fiscal_year\":2025",
               std::string("\"category\":\"Stipend\",\"amount_cents\":50000,\"allocation\":"
                           "\"DirectToPerson\",\"fund_code\":\"4035\",\"funding_source\":"
                           "\"TitleIIA\"") +
                   (invoice ? ",\"purchase_order_number\":\"PO-7\"" : ""),
               day);
  }
  // A certification of `person`'s time for the first half of FY2025, all on
  // fund `fund`, signed on `signed_day`.
  void Certify(const std::string& person, const std::string& signed_day,
               const std::string& fund = "4035") {
    Add("TimeAndEffortCertified", "\"person_id\":\"" + person + "\"",
        "\"period_begin_date\":\"2024-07-01\",\"period_end_date\":\"2024-12-31\",\"splits\":[{"
        "\"fund_code\":\"" +
            fund +
            "\",\"share_basis_points\":10000}],"
            "\"certifier_person_id\":\"p-supervisor\"",
        signed_day);
  }
  // The compliance rows of `kind`, as (person, finding).
  std::vector<std::pair<std::string, std::string>> Findings(const std::string& kind) {
    auto projector = Fold();
    auto f = projections::ComputeFigures(projector->state(), projections::DayOf("2025-06-30"));
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : projections::ComplianceView(projector->state(), f, {})) {
      if (r.row["row"] == kind) {
        out.emplace_back(r.row.value("person", ""), r.row.value("finding", ""));
      }
    }
    return out;
  }
};

TEST_F(ComplianceTest, FederalSalaryWithoutTimelyAfterTheFactCertificationIsAGap) {
  Stipend("c-ok", "2024-11-15");
  Certify("c-ok", "2025-01-10");    // after 2024-12-31, within 60 days: covered
  Stipend("c-none", "2024-11-15");  // no certification at all
  Stipend("c-early", "2024-11-15");
  Certify("c-early", "2024-12-01");  // signed before the period ended
  Stipend("c-late", "2024-11-15");
  Certify("c-late", "2025-03-15");  // 74 days after 2024-12-31
  Stipend("c-fund", "2024-11-15");
  Certify("c-fund", "2025-01-10", "0100");  // certifies another fund
  auto gaps = Findings("time_and_effort_gap");
  ASSERT_EQ(gaps.size(), 4u);
  std::map<std::string, std::string> by_person(gaps.begin(), gaps.end());
  EXPECT_EQ(by_person.count("c-ok"), 0u);
  EXPECT_EQ(by_person["c-none"], "no certification covers this date");
  EXPECT_EQ(by_person["c-early"],
            "signed 2024-12-01 (no signed_date: the envelope's effective_date), not after its "
            "period ended 2024-12-31 (budgeted, not after the fact)");
  EXPECT_EQ(by_person["c-late"],
            "signed 2025-03-15 (no signed_date: the envelope's effective_date), 74 days after its "
            "period ended 2024-12-31 (more than 60)");
  EXPECT_EQ(by_person["c-fund"], "the certification covering this date does not name fund 4035");
}

// 2 CFR 200.430(i) asks for a certification after the fact: signed on the
// period's last day, it was written before the period's work was done.
TEST_F(ComplianceTest, ACertificationSignedOnTheLastDayOfItsPeriodIsNotAfterTheFact) {
  Stipend("c-same-day", "2024-11-15");
  Certify("c-same-day", "2024-12-31");
  Stipend("c-next-day", "2024-11-15");
  Certify("c-next-day", "2025-01-01");
  Stipend("c-day-60", "2024-11-15");
  Certify("c-day-60", "2025-03-01");  // 31 + 28 + 1 = 60 days after 2024-12-31
  Stipend("c-day-61", "2024-11-15");
  Certify("c-day-61", "2025-03-02");
  auto gaps = Findings("time_and_effort_gap");
  std::map<std::string, std::string> by_person(gaps.begin(), gaps.end());
  EXPECT_EQ(by_person.size(), 2u);
  EXPECT_EQ(by_person["c-same-day"],
            "signed 2024-12-31 (no signed_date: the envelope's effective_date), not after its "
            "period ended 2024-12-31 (budgeted, not after the fact)");
  EXPECT_EQ(by_person.count("c-next-day"), 0u);
  EXPECT_EQ(by_person.count("c-day-60"), 0u);
  EXPECT_EQ(by_person["c-day-61"],
            "signed 2025-03-02 (no signed_date: the envelope's effective_date), 61 days after its "
            "period ended 2024-12-31 (more than 60)");
}

// The signing date is the certification's own field when it has one; the
// envelope's dates stand in only for records written without it.
TEST_F(ComplianceTest, TheSigningDateIsTheCertificationsOwnWhenGiven) {
  Stipend("c-signed", "2024-11-15");
  // Recorded (and effective) on 2025-01-10, but signed on 2024-12-20.
  Add("TimeAndEffortCertified", "\"person_id\":\"c-signed\"",
      "\"period_begin_date\":\"2024-07-01\",\"period_end_date\":\"2024-12-31\",\"splits\":[{"
      "\"fund_code\":\"4035\",\"share_basis_points\":10000}],"
      "\"certifier_person_id\":\"p-supervisor\",\"signed_date\":\"2024-12-20\"",
      "2025-01-10");
  auto gaps = Findings("time_and_effort_gap");
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].second,
            "signed 2024-12-20, not after its period ended 2024-12-31 (budgeted, not after the "
            "fact)");
}

// docs/metrics.md: release time and coach time charged to a federal source
// are salary costs too, whether the record names the source or only a fund
// whose budget does.
TEST_F(ComplianceTest, FederalSubstituteCoverAndCoachTimeNeedACertificationToo) {
  Add("BudgetAllocated", "\"fiscal_year\":2025",
      "\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\",\"amount_cents\":500000");
  auto cover = [&](const std::string& person, const std::string& fund_and_source) {
    Add("SubstituteCoverageRecorded", "\"person_id\":\"" + person + "\",\"program_id\":\"pd-1\"",
        "\"staff_leave_event_category\":\"ReleaseTime\",\"begin_date\":\"2024-11-15\","
        "\"substitute_assigned\":true,\"covered_minutes\":360,\"substitute_cost_cents\":18000," +
            fund_and_source,
        "2024-11-15");
  };
  cover("s-named", "\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\"");
  cover("s-by-budget", "\"fund_code\":\"4035\"");  // an older record: the budget says Title II-A
  cover("s-local", "\"fund_code\":\"0100\",\"funding_source\":\"LocalGeneral\"");
  cover("s-certified", "\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\"");
  Certify("s-certified", "2025-01-10");
  auto coach = [&](const std::string& person, const std::string& fund_and_source) {
    Add("CoachingSessionLogged", "\"person_id\":\"" + person + "\",\"program_id\":\"pd-1\"",
        "\"coaching_cycle_id\":\"cc-1\",\"coach_person_id\":\"p-coach\","
        "\"session_date\":\"2024-11-20\",\"coaching_minutes\":60,"
        "\"coach_hourly_rate_cents\":6000" +
            fund_and_source,
        "2024-11-20");
  };
  coach("k-named", ",\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\"");
  coach("k-no-fund", "");
  auto gaps = Findings("time_and_effort_gap");
  std::map<std::string, std::string> by_person(gaps.begin(), gaps.end());
  EXPECT_EQ(by_person.size(), 3u);
  EXPECT_EQ(by_person["s-named"], "no certification covers this date");
  EXPECT_EQ(by_person["s-by-budget"], "no certification covers this date");
  EXPECT_EQ(by_person["k-named"], "no certification covers this date");
  EXPECT_EQ(by_person.count("s-local"), 0u);
  EXPECT_EQ(by_person.count("s-certified"), 0u);
  EXPECT_EQ(by_person.count("k-no-fund"), 0u);
}

TEST_F(ComplianceTest, ACostWithNeitherInvoiceNorPurchaseOrderIsListedUntilCorrected) {
  const int64_t cost_at = static_cast<int64_t>(ledger_->size());
  const std::string cost = Stipend("c-1", "2024-11-15", /*invoice=*/false);
  EXPECT_EQ(Findings("cost_without_invoice_or_po").size(), 1u);
  Correct(cost, "CostIncurred",
          "\"category\":\"Stipend\",\"amount_cents\":50000,\"allocation\":\"DirectToPerson\","
          "\"fund_code\":\"4035\",\"funding_source\":\"TitleIIA\",\"invoice_number\":\"INV-9\"");
  EXPECT_TRUE(Findings("cost_without_invoice_or_po").empty());
  // The correction itself is listed, with who made it.
  auto projector = Fold();
  auto f = projections::ComputeFigures(projector->state(), 0);
  bool listed = false;
  for (const auto& r : projections::ComplianceView(projector->state(), f, {})) {
    if (r.row["row"] != "amendment") continue;
    listed = true;
    EXPECT_EQ(r.row["kind"], "correction");
    EXPECT_EQ(r.row["made_by"], "admin");
    EXPECT_EQ(r.row["amends_event_id"], cost);
    EXPECT_EQ(r.row["amends_position"], cost_at);
    EXPECT_EQ(r.row["outcome"], "applied");
  }
  EXPECT_TRUE(listed);
}

TEST_F(ComplianceTest, FederalFundsOnARequiredProgrammeAreFlagged) {
  Add("ProgramDefined", "\"program_id\":\"pd-1\"",
      "\"professional_development_title\":\"Mandated reporter\",\"offered_by\":\"State\","
      "\"required\":true,\"delivery_method\":\"Virtual\",\"total_hours\":2,"
      "\"activity_type\":\"Workshop\"");
  Stipend("c-1", "2024-11-15");
  auto rows = Findings("federal_funds_on_required_program");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].first, "c-1");
}

}  // namespace
}  // namespace evident::testing
