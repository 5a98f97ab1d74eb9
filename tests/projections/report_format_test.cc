// How the board report writes numbers, and the privacy rule of its tables.

#include <gtest/gtest.h>

#include "projections/report/format.h"
#include "projections/report/table.h"

namespace evident::projections::report {
namespace {

TEST(ReportFormatTest, MoneyIsWholeDollarsWithThousandsSeparators) {
  EXPECT_EQ(Money(0), "$0");
  EXPECT_EQ(Money(49), "$0");
  EXPECT_EQ(Money(50), "$1");  // half a dollar rounds away from zero
  EXPECT_EQ(Money(123456789), "$1,234,568");
  EXPECT_EQ(Money(100000000000), "$1,000,000,000");
  EXPECT_EQ(Money(-250), "-$3");
  EXPECT_EQ(Money(-99999), "-$1,000");
}

TEST(ReportFormatTest, PercentHasOneDecimalAndCountsAndHoursAreGrouped) {
  EXPECT_EQ(Percent(0.1234), "12.3%");
  EXPECT_EQ(Percent(1.0), "100.0%");
  EXPECT_EQ(Percent(0.0), "0.0%");
  EXPECT_EQ(Percent(0.0005), "0.1%");
  EXPECT_EQ(Percent(-0.05), "-5.0%");
  EXPECT_EQ(Count(1234567), "1,234,567");
  EXPECT_EQ(Count(999), "999");
  EXPECT_EQ(Hours(6807.04), "6,807.0");
  EXPECT_EQ(Hours(0.25), "0.3");
}

TEST(ReportFormatTest, DatesAndFiscalYearsAreWrittenForPeople) {
  EXPECT_EQ(LongDate("2025-06-30"), "June 30, 2025");
  EXPECT_EQ(LongDate("2024-01-05"), "January 5, 2024");
  EXPECT_EQ(LongDate("not a date"), "not a date");
  EXPECT_EQ(FiscalYearLabel(2025), "2024\u201325");
  EXPECT_EQ(FiscalYearLabel(2000), "1999\u201300");
}

TEST(ReportFormatTest, SpreadsheetCellsArePlainNumbers) {
  EXPECT_EQ(ForSheet(Json(123456789), Kind::kCents, false), "1234567.89");
  EXPECT_EQ(ForSheet(Json(-5), Kind::kCents, false), "-0.05");
  EXPECT_EQ(ForSheet(Json(0.1234), Kind::kShare, false), "12.3");
  EXPECT_EQ(ForSheet(Json(), Kind::kShare, true), "suppressed");
  EXPECT_EQ(ForSheet(Json(), Kind::kShare, false), "");
  EXPECT_EQ(ForPeople(Json(), Kind::kCount, true), "n<10");
  EXPECT_EQ(ForPeople(Json(), Kind::kCount, false), "n/a");
}

Json BuildCounts(const std::vector<std::pair<std::string, int64_t>>& rows, int64_t total,
                 int64_t* suppressed) {
  TableBuilder t("t", "caption");
  t.Column("name", "Name", Kind::kText).Column("people", "People", Kind::kCount, true);
  for (const auto& [name, n] : rows) t.Row(Json{{"name", name}, {"people", n}}, n);
  if (total >= 0) t.Total(Json{{"name", "Total"}, {"people", total}}, total);
  return t.Finish(suppressed);
}

TEST(ReportTableTest, OneSmallRowHidesTheNextSmallestWhenThereIsATotal) {
  int64_t suppressed = 0;
  Json t = BuildCounts({{"a", 40}, {"b", 4}, {"c", 25}, {"d", 0}}, 69, &suppressed);
  EXPECT_TRUE(t["rows"][1]["people"].is_null());  // b: 4 people
  EXPECT_TRUE(t["rows"][2]["people"].is_null());  // c: the next smallest, 25
  EXPECT_EQ(t["rows"][0]["people"], 40);
  EXPECT_EQ(t["rows"][3]["people"], 0);  // nobody is not a small group
  EXPECT_EQ(t["total"]["people"], 69);
  EXPECT_EQ(suppressed, 2);
}

TEST(ReportTableTest, WithoutATotalOrWithTwoSmallRowsNothingMoreIsHidden) {
  int64_t suppressed = 0;
  Json no_total = BuildCounts({{"a", 40}, {"b", 4}}, -1, &suppressed);
  EXPECT_EQ(no_total["rows"][0]["people"], 40);
  EXPECT_EQ(suppressed, 1);
  suppressed = 0;
  Json two = BuildCounts({{"a", 40}, {"b", 4}, {"c", 9}}, 53, &suppressed);
  EXPECT_EQ(two["rows"][0]["people"], 40);
  EXPECT_TRUE(two["rows"][2]["people"].is_null());
  EXPECT_EQ(suppressed, 2);
  suppressed = 0;
  Json small_total = BuildCounts({{"a", 3}, {"b", 4}}, 7, &suppressed);
  EXPECT_TRUE(small_total["total"]["people"].is_null());
  EXPECT_EQ(suppressed, 3);
}

TEST(ReportTableTest, RowsThatAddUpToATotalPublishedElsewhereGetTheSameComplement) {
  TableBuilder t("t", "caption");
  t.Column("name", "Name", Kind::kText)
      .Column("people", "People", Kind::kCount, true)
      .Column("changed", "Changed", Kind::kCount, true);
  t.SumsToAPublishedTotal();
  t.Row(Json{{"name", "a"}, {"people", 40}, {"changed", 12}}, 40, {{{"changed"}, 12}});
  t.Row(Json{{"name", "b"}, {"people", 4}, {"changed", 1}}, 4, {{{"changed"}, 1}});
  t.Row(Json{{"name", "c"}, {"people", 25}, {"changed", 3}}, 25, {{{"changed"}, 3}});
  t.Row(Json{{"name", "d"}, {"people", 30}, {"changed", 20}}, 30, {{{"changed"}, 20}});
  int64_t suppressed = 0;
  Json out = t.Finish(&suppressed);
  EXPECT_TRUE(out["rows"][1]["people"].is_null());  // b: 4 people
  EXPECT_TRUE(out["rows"][2]["people"].is_null());  // c: the complement
  EXPECT_EQ(out["rows"][3]["people"], 30);
  // Inside the rows b's 1 and c's 3 are too few: two hidden, so the others
  // need no complement.
  EXPECT_EQ(out["rows"][0]["changed"], 12);
  EXPECT_EQ(out["rows"][3]["changed"], 20);
  EXPECT_EQ(suppressed, 2);
}

TEST(ReportTableTest, OneSmallCountInsideTheRowsHidesTheNextSmallestToo) {
  TableBuilder t("t", "caption");
  t.Column("name", "Name", Kind::kText)
      .Column("people", "People", Kind::kCount, true)
      .Column("changed", "Changed", Kind::kCount, true);
  t.SumsToAPublishedTotal();
  t.Row(Json{{"name", "a"}, {"people", 40}, {"changed", 2}}, 40, {{{"changed"}, 2}});
  t.Row(Json{{"name", "b"}, {"people", 30}, {"changed", 15}}, 30, {{{"changed"}, 15}});
  t.Row(Json{{"name", "c"}, {"people", 50}, {"changed", 11}}, 50, {{{"changed"}, 11}});
  int64_t suppressed = 0;
  Json out = t.Finish(&suppressed);
  EXPECT_TRUE(out["rows"][0]["changed"].is_null());  // 2 people
  EXPECT_TRUE(out["rows"][2]["changed"].is_null());  // 11: the next smallest
  EXPECT_EQ(out["rows"][1]["changed"], 15);
  EXPECT_EQ(out["rows"][0]["people"], 40);
  EXPECT_EQ(suppressed, 2);
}

TEST(ReportTableTest, ASmallGroupInsideALargeRowHidesOnlyItsOwnColumns) {
  TableBuilder t("t", "caption");
  t.Column("name", "Name", Kind::kText)
      .Column("took_part", "Took part", Kind::kCount, true)
      .Column("changed", "Changed", Kind::kCount, true)
      .Column("cost_per_change", "Cost per change", Kind::kCents, true);
  t.Row(Json{{"name", "p"}, {"took_part", 30}, {"changed", 2}, {"cost_per_change", 50000}}, 30,
        {{{"changed", "cost_per_change"}, 2}});
  int64_t suppressed = 0;
  Json out = t.Finish(&suppressed);
  const Json& row = out["rows"][0];
  EXPECT_EQ(row["took_part"], 30);
  EXPECT_TRUE(row["changed"].is_null());
  EXPECT_TRUE(row["cost_per_change"].is_null());
  EXPECT_EQ(row["suppressed"], Json::array({"changed", "cost_per_change"}));
  EXPECT_EQ(CellForPeople(row, out["columns"][2]), "n<10");
  EXPECT_EQ(suppressed, 1);
}

// 25 of 30 changed tells the board that 5 did not; with the spending on
// those 5 beside it, their outcome and cost are worked out by subtraction.
TEST(ReportTableTest, AGroupInsideARowIsHiddenWhenTheRestOfTheRowIsSmall) {
  TableBuilder t("t", "caption");
  t.Column("name", "Name", Kind::kText)
      .Column("took_part", "Took part", Kind::kCount, true)
      .Column("changed", "Changed", Kind::kCount, true)
      .Column("without_change_cents", "Spending without change", Kind::kCents, true);
  t.Row(Json{{"name", "p"}, {"took_part", 30}, {"changed", 25}, {"without_change_cents", 5000}},
        30, {{{"changed", "without_change_cents"}, 25}});
  t.Row(Json{{"name", "q"}, {"took_part", 30}, {"changed", 20}, {"without_change_cents", 9000}},
        30, {{{"changed", "without_change_cents"}, 20}});
  int64_t suppressed = 0;
  Json out = t.Finish(&suppressed);
  EXPECT_EQ(out["rows"][0]["took_part"], 30);
  EXPECT_EQ(out["rows"][0]["suppressed"], Json::array({"changed", "without_change_cents"}));
  EXPECT_TRUE(out["rows"][0]["without_change_cents"].is_null());
  EXPECT_EQ(out["rows"][1]["changed"], 20);  // 10 without change: shown
  EXPECT_EQ(out["rows"][1]["without_change_cents"], 9000);
  EXPECT_EQ(suppressed, 1);
}

// The total's own count inside: 5 people past due of 30.
TEST(ReportTableTest, ACountInsideTheTotalIsHiddenWhenItsPeopleAreFew) {
  TableBuilder t("t", "caption");
  t.Column("name", "Name", Kind::kText)
      .Column("open", "Open", Kind::kCount, true)
      .Column("past_due", "Past due", Kind::kCount, true);
  t.Row(Json{{"name", "a"}, {"open", 30}, {"past_due", 5}}, 30, {{{"past_due"}, 5}});
  t.Total(Json{{"name", "all"}, {"open", 30}, {"past_due", 5}}, 30, {{{"past_due"}, 5}});
  int64_t suppressed = 0;
  Json out = t.Finish(&suppressed);
  EXPECT_EQ(out["total"]["open"], 30);
  EXPECT_TRUE(out["total"]["past_due"].is_null());
  EXPECT_EQ(out["total"]["suppressed"], Json::array({"past_due"}));
  EXPECT_EQ(suppressed, 2);  // the row and the total
}

}  // namespace
}  // namespace evident::projections::report
