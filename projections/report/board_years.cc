// The report's year beside the years before it, and the office's decisions
// with what followed them (docs/metrics.md, "Since last year" and
// "Decisions on the record").
//
// Every earlier year's figure is read from that year's own summary, computed
// from the same state and figures (the same tree size and reporting date):
// nothing here recomputes a figure about people, so nothing here can show
// what that year's report hides.

#include <algorithm>
#include <cmath>
#include <set>

#include "projections/report/board_data.h"
#include "projections/report/words.h"

namespace evident::projections::report {
namespace {

std::string YearColumn(int32_t fy) { return "fy" + std::to_string(fy); }

// Programmes of both years shown on the board's pages (the rest in a CSV).
constexpr size_t kProgrammesBesideShown = 10;

// The row of `table` whose `field` equals `value`, or nullptr.
const Json* RowWhere(const Json* table, const char* field, const Json& value) {
  if (table == nullptr) return nullptr;
  for (const Json& row : (*table)["rows"]) {
    auto it = row.find(field);
    if (it != row.end() && *it == value) return &row;
  }
  return nullptr;
}

// A programme's row of a year counts when the programme spent or had
// people that year (a hidden count of participants is some people).
bool Active(const Json& row) {
  const Json& spend = row["spend_cents"];
  const Json& people = row["participants"];
  return (spend.is_number() && spend.get<int64_t>() != 0) || !people.is_number() ||
         people.get<int64_t>() != 0;
}

// The row of `table` that is the same programme as `row` of another year's
// programme table, among the rows that count: the row with its programme
// id, else the one row with its title (Ed-Fi names a professional-
// development event by its title, and a district may give each year's
// offering an id of its own), else nullptr.
const Json* SameProgramme(const Json* table, const Json& row) {
  if (table == nullptr) return nullptr;
  for (const Json& other : (*table)["rows"]) {
    if (other["program_id"] == row["program_id"] && Active(other)) return &other;
  }
  const Json* found = nullptr;
  for (const Json& other : (*table)["rows"]) {
    if (other["programme"] != row["programme"] || !Active(other)) continue;
    if (found != nullptr) return nullptr;  // the title names two programmes
    found = &other;
  }
  return found;
}

const Json* HeadlineItem(const Json& summary, const Json& key) {
  for (const Json& item : summary["headline"]) {
    if (item["key"] == key) return &item;
  }
  return nullptr;
}

// The distinct evaluations (performance_evaluation_title) of the summative
// ratings of a school year.
std::set<std::string> Evaluations(const FactState& state, int32_t year) {
  std::set<std::string> out;
  for (const auto& [person, ratings] : state.rating.rows()) {
    for (const Rating& r : ratings.items) {
      if (r.school_year == year) out.insert(r.instrument);
    }
  }
  return out;
}

std::string Joined(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The headline figures that rest on summative ratings (a rating that rose is
// level-4 evidence), so on what the evaluation behind them means.
bool RestsOnRatings(const std::string& key) {
  return key == "level_4_share" || key == "people_with_demonstrated_change" ||
         key == "cost_per_demonstrated_change_cents";
}

// this − last, in the kind's own units; null when either is not a number.
// (Shares to four decimals and hours to two, as the figures themselves.)
Json Difference(const Json& last, const Json& now, Kind kind) {
  if (!last.is_number() || !now.is_number()) return Json();
  const double d = now.get<double>() - last.get<double>();
  if (kind == Kind::kShare) return std::round(d * 1e4) / 1e4;
  if (kind == Kind::kHours) return std::round(d * 1e2) / 1e2;
  return now.get<int64_t>() - last.get<int64_t>();
}

// The enrolments of a summary's year still inside their follow-up window
// (its reciprocity table's "Pending" row), in words.
std::string PendingIn(const Json& summary) {
  const Json* pending = RowWhere(FindTable(summary, "reciprocity"), "status", "Pending");
  if (pending == nullptr) return "none";
  return Figure(*pending, "enrolments", Kind::kCount) + " (" +
         Figure(*pending, "share", Kind::kShare) + ")";
}

// A chart of small multiples: one panel per row of `table`, one bar per
// column in `columns`.
Json Multiples(const std::string& id, const std::string& title, const std::string& table,
               const std::string& label, const std::vector<int32_t>& years, const char* kind) {
  Json columns = Json::array(), labels = Json::array();
  for (int32_t y : years) {
    columns.push_back(YearColumn(y));
    labels.push_back(FiscalYearLabel(y));
  }
  return Json{{"id", id},           {"title", title},   {"table", table},
              {"type", "multiples"}, {"label", label},   {"columns", std::move(columns)},
              {"column_labels", std::move(labels)}, {"kind", kind}, {"palette", "one"}};
}

struct Years {
  int32_t fy;
  const Json& own;
  const std::map<int32_t, Json>& earlier;
  std::vector<int32_t> all;  // oldest first, the report's year last
  const Json* last;          // last year's summary, or nullptr when it has no records

  Years(int32_t fy, const Json& own, const std::map<int32_t, Json>& earlier)
      : fy(fy), own(own), earlier(earlier) {
    for (const auto& [y, summary] : earlier) all.push_back(y);
    all.push_back(fy);
    auto it = earlier.find(fy - 1);
    last = it == earlier.end() ? nullptr : &it->second;
  }
  const Json& Of(int32_t y) const { return y == fy ? own : earlier.at(y); }
};

void HeadlineTable(const FactState& state, const Years& y, TableBuilder* t, Json* paragraphs) {
  const std::set<std::string> before = Evaluations(state, y.fy - 1), now = Evaluations(state, y.fy);
  const bool redefined = y.last != nullptr && !before.empty() && !now.empty() && before != now;
  t->Column("measure", "Figure", Kind::kText);
  for (int32_t year : y.all) t->Column(YearColumn(year), FiscalYearLabel(year), Kind::kByRow);
  t->Column("change", "Change since last year", Kind::kChange)
      .Column("compared", "Compared", Kind::kText);
  Json spend_change;
  for (const Json& item : y.own["headline"]) {
    const std::string key = item["key"];
    const Kind kind = KindOf(item["kind"].get<std::string>());
    Json row{{"key", key}, {"kind", item["kind"]}, {"measure", item["label"]}};
    std::vector<std::string> hidden;
    for (int32_t year : y.all) {
      const Json* that = HeadlineItem(y.Of(year), key);
      row[YearColumn(year)] = that == nullptr ? Json() : (*that)["value"];
      if (that != nullptr && (*that)["suppressed"].get<bool>()) hidden.push_back(YearColumn(year));
    }
    row["change"] = Json();
    if (y.last == nullptr) {
      row["compared"] = "no earlier year";
    } else if (redefined && RestsOnRatings(key)) {
      row["compared"] = "definition changed";
    } else {
      row["compared"] = "yes";
      const std::string a = YearColumn(y.fy - 1), b = YearColumn(y.fy);
      const bool behind_hidden =
          std::count(hidden.begin(), hidden.end(), a) || std::count(hidden.begin(), hidden.end(), b);
      if (behind_hidden) {
        hidden.push_back("change");
      } else {
        row["change"] = Difference(row[a], row[b], kind);
      }
    }
    if (key == "invested_cents") spend_change = row["change"];
    t->Row(std::move(row), -1);
    for (const std::string& column : hidden) t->HideInLastRow(column);
  }
  if (y.last == nullptr) {
    t->Note("The log holds no records for " + FiscalYearLabel(y.fy - 1) +
            ", so there is nothing to compare this year with.");
  }
  t->Note("Changes are worked out from the figures before they are rounded for this page.");
  if (y.last != nullptr) {
    t->Note("Evidence of changed practice takes time to appear: on this report's date, " +
            PendingIn(y.own) + " of " + FiscalYearLabel(y.fy) +
            "'s enrolments are still inside their follow-up window, against " +
            PendingIn(*y.last) + " of " + FiscalYearLabel(y.fy - 1) +
            "'s, so this year's share can still rise.");
  }
  t->Note("Past-due obligations count every obligation still open from the year and the years "
          "before it, not only those that arose in the year.");
  if (redefined) {
    t->Note("Not compared: the summative evaluations changed, from " + Joined(before) + " in " +
            FiscalYearLabel(y.fy - 1) + " to " + Joined(now) + " in " + FiscalYearLabel(y.fy) +
            ". A rating that rose is evidence of changed practice, and ratings from different "
            "evaluations do not measure the same thing.");
  }
  std::string years;
  for (size_t i = 0; i < y.all.size(); ++i) {
    years += (i == 0 ? "" : i + 1 == y.all.size() ? " and " : ", ") + FiscalYearLabel(y.all[i]);
  }
  paragraphs->push_back(
      y.all.size() == 1
          ? "The log holds no earlier year to set " + FiscalYearLabel(y.fy) + " beside."
          : "Each headline figure in " + years +
                ". Every earlier year's figure is the one that year's own report gives when it "
                "is computed from the same checkpoint on the same date, and is hidden where that "
                "report hides it; the change is this year's figure less last year's. An earlier "
                "figure can differ from the one in the report the board received that year: "
                "records that arrived since, and follow-up windows and due dates that have "
                "passed since, are counted here.");
  if (spend_change.is_number()) {
    const int64_t change = spend_change.get<int64_t>();
    paragraphs->push_back("Spending on professional learning " +
                          std::string(change > 0   ? "rose by " + Money(change)
                                      : change < 0 ? "fell by " + Money(-change)
                                                   : "did not change") +
                          " from " + FiscalYearLabel(y.fy - 1) + ".");
  }
}

void ProgrammesBothYears(const Years& y, TableBuilder* t) {
  static const std::pair<const char*, const char*> kFigures[] = {
      {"spend_cents", "Spending"},
      {"participants", "Took part"},
      {"changed", "Changed practice"},
      {"implementation_rate", "Practice seen after"}};
  static const Kind kKinds[] = {Kind::kCents, Kind::kCount, Kind::kCount, Kind::kShare};
  const std::string last = FiscalYearLabel(y.fy - 1), now = FiscalYearLabel(y.fy);
  t->Column("programme", "Programme", Kind::kText);
  for (size_t i = 0; i < 4; ++i) {
    const std::string key = kFigures[i].first, label = kFigures[i].second;
    t->Column(key + "_last", label + " " + last, kKinds[i])
        .Column(key + "_this", label + " " + now, kKinds[i]);
  }
  if (y.last == nullptr) return;
  const Json* before = FindTable(*y.last, "programmes_all");
  const Json* after = FindTable(y.own, "programmes_all");
  if (before == nullptr || after == nullptr) return;
  for (const Json& row : (*after)["rows"]) {
    const Json* prev = SameProgramme(before, row);
    if (prev == nullptr || SameProgramme(after, *prev) != &row) continue;
    Json out{{"programme", row["programme"]},
             {"program_id", row["program_id"]},
             {"program_id_last", (*prev)["program_id"]}};
    std::vector<std::string> hidden;
    for (const auto& [key, label] : kFigures) {
      for (const auto& [source, suffix] : {std::pair{prev, "_last"}, std::pair{&row, "_this"}}) {
        out[std::string(key) + suffix] = source->value(key, Json());
        if (IsSuppressed(*source, key)) hidden.push_back(std::string(key) + suffix);
      }
    }
    t->Row(std::move(out), -1);
    for (const std::string& column : hidden) t->HideInLastRow(column);
  }
  t->Note("Programmes with spending or participants in both years, as each year's own report "
          "gives them; a programme offered again under a new id is matched by its title.");
}

void EquityYears(const Years& y, TableBuilder* t) {
  t->Column("quartile", "Quartile", Kind::kText);
  for (int32_t year : y.all) t->Column(YearColumn(year), FiscalYearLabel(year), Kind::kCents);
  std::vector<std::string> labels;  // in the order the years' tables give them
  for (int32_t year : y.all) {
    if (const Json* table = FindTable(y.Of(year), "equity_poverty")) {
      for (const Json& row : (*table)["rows"]) {
        const std::string label = row["quartile"];
        if (label != QuartileLabel("unknown") &&
            std::find(labels.begin(), labels.end(), label) == labels.end()) {
          labels.push_back(label);
        }
      }
    }
  }
  std::sort(labels.begin(), labels.end());  // "Q1 (least need)" .. "Q4 (greatest need)"
  for (const std::string& label : labels) {
    Json out{{"quartile", label}};
    for (int32_t year : y.all) {
      const Json* row = RowWhere(FindTable(y.Of(year), "equity_poverty"), "quartile", label);
      out[YearColumn(year)] = row == nullptr ? Json() : row->value("spend_per_teacher_cents", Json());
    }
    t->Row(std::move(out), -1);
  }
  t->Note("Sites are grouped by their share of students in poverty in each year's own report.");
}

}  // namespace

Json SinceLastYearSection(const FactState& state, int32_t fy, const Json& own,
                          const std::map<int32_t, Json>& earlier, Json* tables,
                          int64_t* rows_suppressed) {
  const Years y(fy, own, earlier);
  const std::string first = FiscalYearLabel(y.all.front()), now = FiscalYearLabel(fy);
  Json paragraphs = Json::array();
  TableBuilder headline("since_last_year",
                        y.all.size() == 1 ? "Each headline figure in " + now
                                          : "Each headline figure from " + first + " to " + now);
  HeadlineTable(state, y, &headline, &paragraphs);
  TableBuilder programmes("programmes_both_years",
                          "Programmes in both " + FiscalYearLabel(fy - 1) + " and " + now);
  ProgrammesBothYears(y, &programmes);
  TableBuilder equity("equity_years",
                      "Spending per teacher by quartile of students in poverty, " +
                          (y.all.size() == 1 ? now : first + " to " + now));
  EquityYears(y, &equity);
  Json ids = Json::array();
  for (TableBuilder* t : {&headline, &programmes, &equity}) {
    Json table = t->Finish(rows_suppressed);
    ids.push_back(table["id"]);
    tables->push_back(std::move(table));
  }
  // On the board's pages, the programmes with the most spending this year;
  // every one is in programmes_both_years.csv (and summary.json).
  Json& all = (*tables)[tables->size() - 2];
  if (all["rows"].size() > kProgrammesBesideShown) {
    Json shown = all;
    shown["id"] = "programmes_both_years_top";
    shown["caption"] = "Programmes in both " + FiscalYearLabel(fy - 1) + " and " + now + ": the " +
                       std::to_string(kProgrammesBesideShown) + " with the most spending in " + now;
    shown["rows"].erase(shown["rows"].begin() + kProgrammesBesideShown, shown["rows"].end());
    shown["notes"].push_back("Every programme of both years is listed in programmes_both_years.csv.");
    for (const Json& row : shown["rows"]) *rows_suppressed += !row["suppressed"].empty();
    ids[1] = shown["id"];
    tables->push_back(std::move(shown));
  }
  Json charts = Json::array();
  if (y.all.size() > 1) {
    charts.push_back(Multiples("since_last_year_chart", "Each headline figure, year by year",
                               "since_last_year", "measure", y.all, "by_row"));
    charts.push_back(Multiples("equity_years_chart",
                               "Spending per teacher by quartile of need, year by year",
                               "equity_years", "quartile", y.all, "cents"));
  }
  return Section("since_last_year", "Since last year", std::move(paragraphs), std::move(charts),
                 std::move(ids));
}

namespace {

const char* DecisionName(int32_t decision) {
  return schema::EnumNameReviewDecision(static_cast<schema::ReviewDecision>(decision));
}

// The decision standing for each programme about `year`: the one recorded
// last, corrections and voids applied.
std::map<std::string, const Decision*> DecisionsAbout(const FactState& state, int32_t year) {
  std::map<std::string, const Decision*> out;
  for (const auto& [program, decisions] : state.decision.rows()) {
    for (const Decision& d : decisions.items) {  // by position, oldest first
      if (d.fiscal_year == year) out[program] = &d;
    }
  }
  return out;
}

// The measures a decision looked at, by the headline's labels (a key that
// is not a headline figure's, as it is).
std::string Measures(const Decision& d, const Json& own) {
  std::string out;
  for (const std::string& m : d.measures) {
    const Json* item = HeadlineItem(own, m);
    out += (out.empty() ? "" : "; ") + (item == nullptr ? m : (*item)["label"].get<std::string>());
  }
  return out;
}

void DecisionColumns(TableBuilder* t) {
  t->Column("programme", "Programme", Kind::kText)
      .Column("decision", "Decision", Kind::kText)
      .Column("decided", "Decided", Kind::kText)
      .Column("measures", "Measures looked at", Kind::kText)
      .Column("based_on", "The report it read", Kind::kText)
      .Column("rationale", "Rationale", Kind::kText);
}

// Whether the checkpoint a decision cites is one of this log's: the same
// origin, a size within this report's, and the root this log had at that
// size. (true, words) when it is; (false, words) when it is not; (null,
// words) when it cannot be told here.
std::pair<Json, std::string> BasedOn(const Decision& d, const LogContext& log,
                                     const std::string& origin) {
  const std::string at = Count(int64_t(d.report_size)) + " entries";
  if (d.report_origin != origin) {
    return {false, "Not this log's: another origin (" + d.report_origin + ")"};
  }
  if (d.report_size > log.tree_size) return {Json(), "At " + at + ", after this report's checkpoint"};
  if (!log.root_at) return {Json(), "At " + at + ", not checked"};
  auto root = log.root_at(d.report_size);
  if (!root.ok()) return {Json(), "At " + at + ", not checked: " + root.status().message()};
  if (root.value() != d.report_root) {
    return {false, "Not this log's: its root at " + at + " is another"};
  }
  return {true, "This log at " + at};
}

Json DecisionRow(const FactState& state, const std::string& program, const Decision& d,
                 const Json& own, const LogContext& log) {
  auto [matches, words] = BasedOn(d, log, own["log"]["origin"].get<std::string>());
  return Json{{"programme", ProgramTitle(state, program)},
              {"program_id", program},
              {"decision", DecisionName(d.decision)},
              {"decided", DateOf(d.day)},
              {"measures", Measures(d, own)},
              {"based_on", words},
              {"based_on_size", d.report_size},
              {"based_on_this_log", matches},
              {"rationale", d.rationale}};
}

// Whether a ProgramDefined for `program` was recorded after `decision`.
bool RedefinedAfter(const FactState& state, const std::string& program, uint64_t decision) {
  const auto* versions = state.program.Find(program);
  return versions != nullptr && versions->Last()->pos > decision;
}

// What followed a decision, judged on spending alone (always published).
// `successor` is this year's programme id for it, when it has one.
std::pair<bool, std::string> Followed(const FactState& state, const std::string& program,
                                      const Json& successor, const Decision& d, int64_t last,
                                      int64_t now, const std::string& year) {
  const std::string from = " from " + Money(last) + " to " + Money(now);
  switch (static_cast<schema::ReviewDecision>(d.decision)) {
    case schema::ReviewDecision::Stop:
      if (now == 0) return {true, "Carried out: nothing spent in " + year};
      return {false, "Not carried out: " + Money(now) + " spent in " + year};
    case schema::ReviewDecision::Reduce:
      return {now < last, std::string(now < last ? "Carried out: spending fell" : "Not carried out: spending went") + from};
    case schema::ReviewDecision::Expand:
      return {now > last, std::string(now > last ? "Carried out: spending rose" : "Not carried out: spending went") + from};
    case schema::ReviewDecision::Continue:
      if (now > 0) return {true, "Carried out: " + Money(now) + " spent in " + year};
      return {false, "Not carried out: nothing spent in " + year};
    case schema::ReviewDecision::Revise:
      if (RedefinedAfter(state, program, d.pos) ||
          (successor.is_string() && RedefinedAfter(state, successor.get<std::string>(), d.pos))) {
        return {true, "Carried out: the programme was defined anew after the decision"};
      }
      return {false, "Not carried out: no new definition of the programme since the decision"};
    default:
      return {false, "Not judged"};
  }
}

}  // namespace

Json DecisionsSection(const FactState& state, const LogContext& log, int32_t fy, const Json& own,
                      const std::map<int32_t, Json>& earlier, Json* tables,
                      int64_t* rows_suppressed) {
  const Years y(fy, own, earlier);
  const std::string last_label = FiscalYearLabel(fy - 1), now = FiscalYearLabel(fy);
  // Two tables, so each fits a page: what was decided, and what followed.
  TableBuilder decided("decisions", "Decisions about " + last_label);
  DecisionColumns(&decided);
  TableBuilder followed("decisions_followed",
                        "What followed in " + now + " each decision about " + last_label);
  followed.Column("programme", "Programme", Kind::kText)
      .Column("decision", "Decision", Kind::kText);
  static const std::pair<const char*, const char*> kFigures[] = {
      {"spend_cents", "Spending"},
      {"changed", "Changed practice"},
      {"implementation_rate", "Practice seen after"}};
  static const Kind kKinds[] = {Kind::kCents, Kind::kCount, Kind::kShare};
  for (size_t i = 0; i < 3; ++i) {
    const std::string key = kFigures[i].first, label = kFigures[i].second;
    followed.Column(key + "_last", label + " " + last_label, kKinds[i])
        .Column(key + "_this", label + " " + now, kKinds[i]);
  }
  followed.Column("followed", "What followed", Kind::kText);
  const Json* before = y.last == nullptr ? nullptr : FindTable(*y.last, "programmes_all");
  const Json* after = FindTable(own, "programmes_all");
  Json paragraphs = Json::array();
  int carried = 0, not_carried = 0;
  for (const auto& [program, d] : DecisionsAbout(state, fy - 1)) {
    const Json what = DecisionRow(state, program, *d, own, log);
    decided.Row(what, -1);
    Json row{{"programme", what["programme"]},
             {"program_id", program},
             {"decision", what["decision"]}};
    std::vector<std::string> hidden;
    const Json* was = RowWhere(before, "program_id", program);
    // This year's row: the same programme as last year's row, or without
    // one, the row of the decision's programme when it spent or had people.
    // (The decision's own programme id always names its programme; a match
    // by title must hold both ways, so a title that names two programmes in
    // either year matches nothing.)
    const Json* now_row = was != nullptr ? SameProgramme(after, *was)
                                         : RowWhere(after, "program_id", program);
    if (now_row != nullptr && !Active(*now_row)) now_row = nullptr;
    if (now_row != nullptr && was != nullptr && (*now_row)["program_id"] != program &&
        SameProgramme(before, *now_row) != was) {
      now_row = nullptr;
    }
    const Json* sources[2] = {was, now_row};
    row["program_id_this"] = sources[1] == nullptr ? Json() : (*sources[1])["program_id"];
    const char* suffixes[2] = {"_last", "_this"};
    for (const auto& [key, label] : kFigures) {
      for (int side = 0; side < 2; ++side) {
        const std::string column = std::string(key) + suffixes[side];
        const Json* source = sources[side];
        if (source == nullptr) {
          row[column] = std::string(key) == "spend_cents" ? Json(0) : Json();
        } else {
          row[column] = source->value(key, Json());
          if (IsSuppressed(*source, key)) hidden.push_back(column);
        }
      }
    }
    auto [done, words] = Followed(state, program, row["program_id_this"], *d,
                                  Int(row["spend_cents_last"]), Int(row["spend_cents_this"]), now);
    row["followed"] = words;
    row["carried_out"] = done;
    ++(done ? carried : not_carried);
    paragraphs.push_back(std::string(row["programme"]) + ": " + DecisionName(d->decision) +
                         ", decided " + LongDate(DateOf(d->day)) + ". " + words + ".");
    followed.Row(std::move(row), -1);
    for (const std::string& column : hidden) followed.HideInLastRow(column);
  }
  paragraphs.insert(
      paragraphs.begin(),
      carried + not_carried == 0
          ? "No decision about " + last_label + " is on the record."
          : "After reviewing " + last_label + ", the professional-learning office recorded " +
                Count(carried + not_carried) + " decision" +
                (carried + not_carried == 1 ? "" : "s") + " on the ledger. " + Count(carried) +
                " " + (carried == 1 ? "was" : "were") + " carried out and " +
                Count(not_carried) + " " + (not_carried == 1 ? "was" : "were") +
                " not, judged on what was spent in " + now +
                " (a revision, on whether the programme was defined anew).");
  followed.Note(
      "Judged on spending alone, which the report always shows: Stop is carried out when "
      "nothing was spent, Reduce when spending fell, Expand when it rose, Continue when "
      "anything was spent, Revise when the programme was defined anew after the decision. "
      "A programme offered again under a new id is matched by its title.");
  TableBuilder this_year("decisions_on_this_year", "Decisions already recorded about " + now);
  DecisionColumns(&this_year);
  for (const auto& [program, d] : DecisionsAbout(state, fy)) {
    this_year.Row(DecisionRow(state, program, *d, own, log), -1);
  }
  Json ids = Json::array();
  for (TableBuilder* t : {&decided, &followed, &this_year}) {
    Json table = t->Finish(rows_suppressed);
    ids.push_back(table["id"]);
    tables->push_back(std::move(table));
  }
  return Section("decisions", "Decisions on the record, and what followed", std::move(paragraphs),
                 Json::array(), std::move(ids));
}

}  // namespace evident::projections::report
