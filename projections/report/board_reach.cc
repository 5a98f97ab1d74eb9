// The report's sections on money and reach: what was invested, who took part
// and for how long, and whether it reached the sites with the greatest need.

#include <algorithm>

#include "projections/report/board_data.h"
#include "projections/report/words.h"

namespace evident::projections::report {
namespace {

// obj[key], or null when obj is not an object or has no such key.
Json At(const Json& obj, const char* key) {
  return obj.is_object() && obj.contains(key) ? obj[key] : Json();
}

// Spend by a label, largest first, with each one's share and a total row.
void SpendTable(const std::map<std::string, int64_t>& by, const char* label_key, const char* label,
                TableBuilder* t) {
  t->Column(label_key, label, Kind::kText)
      .Column("spend_cents", "Spending", Kind::kCents)
      .Column("share", "Share of spending", Kind::kShare);
  std::vector<std::pair<int64_t, std::string>> order;
  int64_t total = 0;
  for (const auto& [name, cents] : by) {
    order.emplace_back(-cents, name);
    total += cents;
  }
  std::sort(order.begin(), order.end());
  for (const auto& [minus, name] : order) {
    t->Row(Json{{label_key, name}, {"spend_cents", -minus}, {"share", Ratio(-minus, total)}}, -1);
  }
  t->Total(Json{{label_key, "Total"}, {"spend_cents", total}, {"share", Ratio(total, total)}}, -1);
}

}  // namespace

Json InvestmentSection(YearData& d, Json* tables) {
  std::map<std::string, int64_t> by_source, by_category;
  auto add = [&](const Json& line, int64_t cents) {
    by_source[FundingSourceLabel(line["funding_source"].get<std::string>())] += cents;
    by_category[CategoryLabel(line["category"].get<std::string>())] += cents;
  };
  for (const Json& s : d.district["spend"]) add(s, Int(s["cents"]));
  for (const Json& u : d.unallocated) add(u, Int(u["cents"]));
  const std::string year = FiscalYearLabel(d.fy);

  TableBuilder source("investment_by_source",
                      "Spending on professional learning in " + year + ", by funding source");
  SpendTable(by_source, "funding_source", "Funding source", &source);
  TableBuilder category("investment_by_category", "Spending in " + year + ", by kind of cost");
  SpendTable(by_category, "category", "Kind of cost", &category);
  TableBuilder budget("budget", "Budget against recorded costs in " + year + ", by fund");
  budget.Column("fund", "Fund", Kind::kText)
      .Column("budget_cents", "Budget", Kind::kCents)
      .Column("actual_cents", "Recorded costs", Kind::kCents)
      .Column("variance_cents", "Remaining", Kind::kCents)
      .Column("spent_share", "Share spent", Kind::kShare);
  for (const Json& b : d.budget) {
    budget.Row(Json{{"fund", b.value("no_fund", false) ? Json("No fund recorded") : b["fund"]},
                    {"budget_cents", b["budget_cents"]},
                    {"actual_cents", b["actual_cents"]},
                    {"variance_cents", b["variance_cents"]},
                    {"spent_share", b["spent_share"]}},
               -1);
  }
  budget.Note(
      "Recorded costs count every cost record charged to the fund, including "
      "participants' paid time where it was recorded as a cost.");

  const int64_t allocated = Int(d.district["spend_cents"]);
  const int64_t total = allocated + d.unallocated_cents;
  const int64_t time_value = Int(d.district["participant_time_value_cents"]);
  Json paragraphs = Json::array();
  std::string first = "In " + year + " the district recorded " + Money(total) +
                      " of spending on professional learning";
  if (d.unallocated_cents > 0) {
    first += "; " + Money(d.unallocated_cents) +
             " of it could not be attributed to any participant's hours (costs of programmes "
             "with no attendance recorded, and the cents left over when a cost is shared out)";
  }
  paragraphs.push_back(first + ".");
  if (!by_source.empty()) {
    auto top = std::max_element(by_source.begin(), by_source.end(),
                                [](const auto& a, const auto& b) { return a.second < b.second; });
    paragraphs.push_back("The largest funding source was " + top->first + ", with " +
                         Money(top->second) + " (" + Percent(double(top->second) / double(total)) +
                         " of spending).");
  }
  if (time_value > 0) {
    paragraphs.push_back(
        "The time participants spent learning in paid hours, valued at their own hourly "
        "rates, was worth a further " +
        Money(time_value) + ". It is shown apart and not counted as spending.");
  }
  Json ids = Json::array({d.Add(source, tables), d.Add(category, tables)});
  if (!budget.empty()) ids.push_back(d.Add(budget, tables));
  return Section(
      "investment", "What the district invested", std::move(paragraphs),
      Json::array({Chart("spend_by_source", "Spending by funding source", "investment_by_source",
                         "funding_source", "spend_cents", Kind::kCents)}),
      std::move(ids));
}

Json ParticipationSection(YearData& d, Json* tables) {
  TableBuilder groups("participation",
                      "Who took part in " + FiscalYearLabel(d.fy) + ", by staff group");
  groups.Column("group", "Staff group", Kind::kText)
      .Column("staff", "Staff", Kind::kCount)
      .Column("participants", "Took part", Kind::kCount, true)
      .Column("reach", "Share reached", Kind::kShare, true)
      .Column("hours", "Hours", Kind::kHours, true)
      .Column("hours_per_participant", "Hours each", Kind::kHours, true)
      .Column("attendance_rate", "Attendance", Kind::kShare, true)
      .Column("completion_rate", "Completed", Kind::kShare, true);
  auto row = [](const std::string& name, int64_t staff, const Json& c) {
    const int64_t people = Int(c["participants"]);
    return Json{{"group", name},
                {"staff", staff},
                {"participants", people},
                {"reach", c["reach"]},
                {"hours", c["hours"]},
                {"hours_per_participant", Ratio(c["hours"].get<double>(), double(people), 2)},
                {"attendance_rate", c["attendance_rate"]},
                {"completion_rate", c["completion_rate"]}};
  };
  std::set<int32_t> all;
  for (const auto& [g, n] : d.staff_by_group) all.insert(g);
  for (const auto& [g, cell] : d.groups) all.insert(g);
  int64_t staff = 0;
  for (int32_t g : all) {
    auto s = d.staff_by_group.find(g);
    const int64_t n = s == d.staff_by_group.end() ? 0 : s->second;
    staff += n;
    const Json c = d.groups[g].Render(n, 0);
    groups.Row(row(GroupLabel(GroupName(g)), n, c), Int(c["participants"]));
  }
  groups.Total(row("All staff", staff, d.district), Int(d.district["participants"]));

  const Json& bands = d.district["hours_distribution"];
  const int64_t enrolments = Int(d.district["enrolments"]);
  TableBuilder hours("hours", "Enrolments by hours of learning in the year");
  hours.Column("band", "Hours in the programme", Kind::kText)
      .Column("enrolments", "Enrolments", Kind::kCount, true)
      .Column("share", "Share of enrolments", Kind::kShare, true);
  const std::pair<const char*, const char*> kBands[] = {{"under_14", "Under 14 hours"},
                                                        {"14_to_49", "14 to 49 hours"},
                                                        {"49_and_over", "49 hours or more"}};
  for (int band = 0; band < 3; ++band) {
    const auto& [key, label] = kBands[band];
    const int64_t n = Int(bands[key]);
    hours.Row(Json{{"band", label}, {"enrolments", n}, {"share", Ratio(n, enrolments)}},
              int64_t(d.band_people[band].size()));
  }
  hours.Total(Json{{"band", "All enrolments"},
                   {"enrolments", enrolments},
                   {"share", Ratio(enrolments, enrolments)}},
              Int(d.district["participants"]));
  hours.Note(
      "An enrolment is one person in one programme; a person in two programmes counts twice.");

  Json ids = Json::array({d.Add(groups, tables), d.Add(hours, tables)});
  const Json& total = tables->at(tables->size() - 2)["total"];
  const Json& band_rows = tables->back()["rows"];
  Json paragraphs = Json::array();
  if (IsSuppressed(total, "participants")) {
    paragraphs.push_back(
        "Fewer than 10 people took part, so figures about them are not published.");
  } else {
    paragraphs.push_back(People(total, "participants", "person", "people") + " took part (" +
                         Figure(total, "reach", Kind::kShare) + " of " + Count(staff) +
                         " staff), for " + Figure(total, "hours", Kind::kHours) +
                         " hours in all: " + Figure(total, "hours_per_participant", Kind::kHours) +
                         " hours each on average.");
    paragraphs.push_back(
        "Studies of professional learning find little effect below 14 hours and clear effects "
        "near 49 hours (Yoon and others, 2007). This year " +
        Figure(band_rows[2], "share", Kind::kShare) + " of enrolments reached 49 hours and " +
        Figure(band_rows[0], "share", Kind::kShare) + " stayed under 14.");
    paragraphs.push_back(
        "Participants were present at " + Figure(total, "attendance_rate", Kind::kShare) +
        " of the sessions recorded for them, and " +
        Figure(total, "completion_rate", Kind::kShare) + " completed a programme.");
  }
  return Section("participation", "Who took part, and for how long", std::move(paragraphs),
                 Json::array({Chart("hours_chart", "Enrolments by hours of learning", "hours",
                                    "band", "enrolments", Kind::kCount)}),
                 std::move(ids));
}

std::string QuartileLabel(const std::string& q) {
  if (q == "Q1") return "Q1 (least need)";
  if (q == "Q4") return "Q4 (greatest need)";
  if (q == "unknown") return "Site not recorded";
  return q;
}

Json EquitySection(YearData& d, Json* tables) {
  static const std::pair<const char*, const char*> kMeasures[] = {
      {"students_in_poverty", "Students in poverty"},
      {"english_learners", "English learners"},
      {"foster_youth", "Foster youth"},
      {"students_with_disabilities", "Students with disabilities"}};
  TableBuilder poverty("equity_poverty",
                       "Sites in four groups by their share of students in poverty");
  poverty.Column("quartile", "Quartile", Kind::kText)
      .Column("sites", "Sites", Kind::kCount)
      .Column("staff", "Staff", Kind::kCount)
      .Column("participants", "Took part", Kind::kCount, true)
      .Column("reach", "Share reached", Kind::kShare, true)
      .Column("spend_cents", "Spending", Kind::kCents)
      .Column("spend_per_teacher_cents", "Spending per teacher", Kind::kCents)
      .Column("share_improving", "Share improving", Kind::kShare, true);
  TableBuilder measures("equity_measures",
                        "Spending per teacher by quartile of each measure of need");
  measures.Column("measure", "Measure of need", Kind::kText);
  for (const char* q : {"Q1", "Q2", "Q3", "Q4"}) {
    measures.Column(q, QuartileLabel(q), Kind::kCents);
  }
  std::map<std::string, Json> spend_per_teacher;
  for (const Json& r : d.equity) {
    const std::string attribute = r["attribute"], q = r["quartile"];
    if (q != "unknown") spend_per_teacher[attribute][q] = r["spend_per_teacher_cents"];
    if (attribute != "students_in_poverty") continue;
    poverty.Row(Json{{"quartile", QuartileLabel(q)},
                     {"sites", r["sites"]},
                     {"staff", r["staff"]},
                     {"participants", r["participants"]},
                     {"reach", r["reach"]},
                     {"spend_cents", r["spend_cents"]},
                     {"spend_per_teacher_cents", r["spend_per_teacher_cents"]},
                     {"share_improving", r["share_improving"]}},
                Int(r["participants"]));
  }
  for (const auto& [attribute, label] : kMeasures) {
    Json row{{"measure", label}};
    for (const char* q : {"Q1", "Q2", "Q3", "Q4"}) row[q] = At(spend_per_teacher[attribute], q);
    measures.Row(std::move(row), -1);
  }
  poverty.SumsToAPublishedTotal();  // the district's participants
  poverty.Note(
      "Sites are ranked by the share of their students in poverty and split into four "
      "groups of equal size; sites with equal shares fall in the same group. Staff are "
      "counted at the site of their latest assignment.");
  const Json q = spend_per_teacher["students_in_poverty"];
  Json paragraphs = Json::array();
  paragraphs.push_back(
      "The board asked whether professional learning reached the schools with the greatest "
      "need. Spending per teacher was " +
      Figure(At(q, "Q4"), Kind::kCents) +
      " in the quarter of sites with the most students in poverty, against " +
      Figure(At(q, "Q1"), Kind::kCents) + " in the quarter with the fewest.");
  Json ids = Json::array({d.Add(poverty, tables), d.Add(measures, tables)});
  return Section(
      "equity", "Did it reach the schools with the greatest need?", std::move(paragraphs),
      Json::array({Chart("equity_chart",
                         "Spending per teacher by quartile of "
                         "students in poverty",
                         "equity_poverty", "quartile", "spend_per_teacher_cents", Kind::kCents)}),
      std::move(ids));
}

}  // namespace evident::projections::report
