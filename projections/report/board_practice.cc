// The report's sections on practice: evidence at each of Guskey's levels,
// reciprocity, change by programme, and what is still owed.

#include <algorithm>

#include "projections/report/board_data.h"
#include "projections/report/words.h"

namespace evident::projections::report {

std::string ProgramTitle(const FactState& state, const std::string& program) {
  const ProgramVersion* v = ProgramOf(state, program);
  return v == nullptr || v->title.empty() ? program : v->title;
}

Json EvidenceSection(YearData& d, Json* tables) {
  static const char* const kLevels[] = {
      "Participants' reactions", "Participants' learning", "Organisational support and change",
      "Use of new knowledge and skills", "Student learning outcomes"};
  const int64_t enrolments = Int(d.district["enrolments"]);
  TableBuilder t("guskey", "Enrolments with evidence at each of Guskey's five levels");
  t.Column("level", "Level", Kind::kText)
      .Column("enrolments", "Enrolments with evidence", Kind::kCount, true)
      .Column("share", "Share of enrolments", Kind::kShare, true);
  for (int level = 1; level <= 5; ++level) {
    const std::string key = "level_" + std::to_string(level);
    const int64_t n = Int(d.district["guskey_enrolments"][key]);
    t.Row(Json{{"level", std::to_string(level) + ". " + kLevels[level - 1]},
               {"enrolments", n},
               {"share", Ratio(n, enrolments)}},
          int64_t(d.level_people[level - 1].size()));
  }
  t.Note("An enrolment can have evidence at several levels; shares are of all " +
         Count(enrolments) + " enrolments this year.");
  Json ids = Json::array({d.Add(t, tables)});
  const Json& rows = tables->back()["rows"];
  Json paragraphs = Json::array();
  paragraphs.push_back(
      "Thomas Guskey's model judges professional learning at five levels, from participants' "
      "reactions to student learning; the higher levels are the ones that show a return on the "
      "investment. This year " +
      Figure(rows[3], "share", Kind::kShare) +
      " of enrolments had evidence that participants used what they learned in their practice "
      "(level 4), and " +
      Figure(rows[4], "share", Kind::kShare) + " had evidence of student learning (level 5).");
  paragraphs.push_back("Spending on enrolments with no evidence at level 4 or above: " +
                       Money(Int(d.district["dollars_without_level4_evidence_cents"])) + ".");
  return Section("evidence", "Evidence at each level", std::move(paragraphs),
                 Json::array({Chart("guskey_chart", "Share of enrolments with evidence, by level",
                                    "guskey", "level", "share", Kind::kShare)}),
                 std::move(ids));
}

Json ReciprocitySection(YearData& d, Json* tables) {
  using rules::Standing;
  static const struct {
    Standing standing;
    const char* label;
    const char* meaning;
  } kStandings[] = {
      {Standing::kReciprocated, "Reciprocated", "Changed practice seen after the investment"},
      {Standing::kPending, "Pending", "Still inside the follow-up window"},
      {Standing::kInsufficientEvidence, "Too little evidence",
       "Window passed with too few observations to tell"},
      {Standing::kOwedByPerson, "Owed by staff", "Window passed; observations found no change"},
      {Standing::kOwedByDistrict, "Owed by the district",
       "An expectation set without matching investment or support"}};
  TableBuilder t("reciprocity", "Reciprocity status of this year's enrolments");
  t.Column("status", "Status", Kind::kText)
      .Column("meaning", "What it means", Kind::kText)
      .Column("enrolments", "Enrolments", Kind::kCount, true)
      .Column("share", "Share", Kind::kShare, true);
  int64_t total = 0;
  std::set<std::string> everyone;
  for (const auto& [standing, n] : d.standing_enrolments) total += n;
  for (const auto& [standing, people] : d.standing_people)
    everyone.insert(people.begin(), people.end());
  for (const auto& s : kStandings) {
    const int64_t n = d.standing_enrolments[s.standing];
    t.Row(Json{{"status", s.label},
               {"meaning", s.meaning},
               {"enrolments", n},
               {"share", Ratio(n, total)}},
          int64_t(d.standing_people[s.standing].size()));
  }
  t.Total(Json{{"status", "All"},
               {"meaning", ""},
               {"enrolments", total},
               {"share", Ratio(total, total)}},
          int64_t(everyone.size()));
  Json ids = Json::array({d.Add(t, tables)});
  const Json& rows = tables->back()["rows"];
  Json paragraphs = Json::array();
  paragraphs.push_back(
      "Reciprocity means the district's investment comes back as changed practice, and every "
      "expectation the district sets is matched by the support to meet it. Each enrolment is "
      "judged after its follow-up window (120 days unless the programme sets another).");
  paragraphs.push_back("Of " + Figure(tables->back()["total"], "enrolments", Kind::kCount) +
                       " enrolments this year, " + Figure(rows[0], "enrolments", Kind::kCount) +
                       " were reciprocated and " + Figure(rows[1], "enrolments", Kind::kCount) +
                       " are still pending; " + Figure(rows[3], "enrolments", Kind::kCount) +
                       " are owed by staff. Expectations the district set for people it did "
                       "not enrol anywhere are counted under What is still owed.");
  return Section(
      "reciprocity", "Reciprocity: did the investment come back as changed practice?",
      std::move(paragraphs),
      Json::array({Chart("reciprocity_chart", "Enrolments by reciprocity status", "reciprocity",
                         "status", "enrolments", Kind::kCount, "status")}),
      std::move(ids));
}

namespace {

constexpr size_t kProgrammesShown = 10;

void ProgrammeColumns(TableBuilder* t) {
  t->Column("programme", "Programme", Kind::kText)
      .Column("participants", "Took part", Kind::kCount, true)
      .Column("spend_cents", "Spending", Kind::kCents)
      .Column("hours", "Hours", Kind::kHours, true)
      .Column("implementation_rate", "Practice seen after", Kind::kShare, true)
      .Column("share_improving", "Share improving", Kind::kShare, true)
      .Column("changed", "Changed practice", Kind::kCount, true)
      .Column("cost_per_change_cents", "Cost per change", Kind::kCents, true)
      .Column("without_level4_cents", "Spending without level-4 evidence", Kind::kCents, true);
}

// `program` is the programme's id ("" for a row of several programmes).
void ProgrammeRow(const std::string& program, const std::string& name, const Cell& cell,
                  TableBuilder* t) {
  const Json c = cell.Render(0, 0);
  const int64_t changed = Int(c["people_with_demonstrated_change"]);
  t->Row(Json{{"programme", name},
              {"program_id", program.empty() ? Json() : Json(program)},
              {"participants", c["participants"]},
              {"spend_cents", c["spend_cents"]},
              {"hours", c["hours"]},
              {"implementation_rate", c["implementation_rate"]},
              {"share_improving", c["share_improving"]},
              {"changed", changed},
              {"cost_per_change_cents", c["cost_per_demonstrated_change_cents"]},
              {"without_level4_cents", c["dollars_without_level4_evidence_cents"]}},
         Int(c["participants"]),
         {{{"changed", "cost_per_change_cents", "without_level4_cents"}, changed}});
}

}  // namespace

Json ProgrammesSection(YearData& d, Json* tables) {
  std::vector<std::pair<int64_t, std::string>> order;
  for (const auto& [program, cell] : d.programs) order.emplace_back(-cell.spend_cents(), program);
  std::sort(order.begin(), order.end());
  TableBuilder shown("programmes", "Implementation and change: the " +
                                       std::to_string(std::min(order.size(), kProgrammesShown)) +
                                       " programmes with the most spending");
  TableBuilder all("programmes_all", "Implementation and change, every programme");
  ProgrammeColumns(&shown);
  ProgrammeColumns(&all);
  shown.SumsToAPublishedTotal();  // participants add up to the year's enrolments
  all.SumsToAPublishedTotal();
  std::set<std::string> rest;
  for (size_t i = 0; i < order.size(); ++i) {
    const std::string& program = order[i].second;
    const std::string title = ProgramTitle(d.state, program);
    ProgrammeRow(program, title, d.programs[program], &all);
    if (i < kProgrammesShown) {
      ProgrammeRow(program, title, d.programs[program], &shown);
    } else {
      rest.insert(program);
    }
  }
  if (!rest.empty()) {
    Cell others;
    for (const PersonProgram& p : d.f.pairs) {
      if (rest.count(p.program) && YearsOf(p).count(d.fy)) {
        others.AddPair(p, d.fy, AllSixFlags(d.state, p.program));
      }
    }
    ProgrammeRow("", "The other " + Count(int64_t(rest.size())) + " programmes", others, &shown);
    shown.Note("Every programme is listed in programmes_all.csv.");
  }
  const char* kMeaning =
      "Practice seen after: the share of classroom observations after the programme that "
      "showed the practice it targets. Share improving: participants whose observed practice "
      "rose, of those observed before and after. Changed practice: participants with evidence "
      "at level 4 or 5.";
  shown.Note(kMeaning);
  all.Note(kMeaning);
  Json paragraphs = Json::array();
  paragraphs.push_back(
      "Programmes are listed by spending. Cost per change divides a programme's spending by the "
      "number of participants with evidence of changed practice: a programme that costs more per "
      "change is not necessarily worse, but the board may ask why.");
  Json ids = Json::array({d.Add(shown, tables)});
  d.Add(all, tables);  // a CSV for spreadsheets; too long for the board's pages
  return Section("programmes", "Implementation and change by programme", std::move(paragraphs),
                 Json::array(), std::move(ids));
}

Json ObligationsSection(YearData& d, Json* tables) {
  struct Count_ {
    int64_t open = 0, overdue = 0;
    std::set<std::string> people, overdue_people;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Count_> counts;
  Count_ all;
  for (const Obligation& o : d.f.obligations) {
    if (o.school_year > d.fy) continue;
    for (Count_* c : {&counts[{o.side, o.kind, o.program}], &all}) {
      ++c->open;
      if (o.overdue) {
        ++c->overdue;
        c->overdue_people.insert(o.person);
      }
      c->people.insert(o.person);
    }
  }
  auto what = [](const std::string& kind) {
    if (kind == "goal") return "A goal set without matching support";
    if (kind == "low rating") return "A low rating with no investment that year";
    return "An investment with no change seen after its window";
  };
  TableBuilder t("obligations", "Open obligations as of " + LongDate(DateOf(d.f.as_of_day)));
  t.Column("side", "Owed by", Kind::kText)
      .Column("what", "What is owed", Kind::kText)
      .Column("programme", "Programme", Kind::kText)
      .Column("open", "Open", Kind::kCount, true)
      .Column("past_due", "Past due", Kind::kCount, true);
  for (const auto& [key, c] : counts) {
    const auto& [side, kind, program] = key;
    t.Row(Json{{"side", side == "district" ? "The district" : "Staff"},
               {"what", what(kind)},
               {"programme", program.empty() ? "Any" : ProgramTitle(d.state, program)},
               {"open", c.open},
               {"past_due", c.overdue}},
          int64_t(c.people.size()), {{{"past_due"}, int64_t(c.overdue_people.size())}});
  }
  // Past due is a count inside its row: the people it concerns, or the rest
  // of the row, may be few where the row's people are not.
  t.Total(Json{{"side", "All"},
               {"what", ""},
               {"programme", ""},
               {"open", all.open},
               {"past_due", all.overdue}},
          int64_t(all.people.size()), {{{"past_due"}, int64_t(all.overdue_people.size())}});
  Json paragraphs = Json::array();
  paragraphs.push_back(
      "An obligation is open while one side has not yet done its part: staff who received an "
      "investment and showed no change after the follow-up window, or the district, which set a "
      "goal or gave a low rating without the support to meet it. An obligation on the district's "
      "side is past due when no support followed within 120 days.");
  Json ids = Json::array({d.Add(t, tables)});
  return Section("obligations", "What is still owed", std::move(paragraphs), Json::array(),
                 std::move(ids));
}

}  // namespace evident::projections::report
