#include <algorithm>
#include <map>
#include <set>

#include "ledger/note.h"
#include "projections/report/board_data.h"
#include "projections/report/words.h"

namespace evident::projections::report {

YearData::YearData(const FactState& state, const Figures& f, int32_t fiscal_year)
    : state(state), f(f), fy(fiscal_year) {
  Cell whole;
  for (const PersonProgram& p : f.pairs) {
    if (!YearsOf(p).count(fy)) continue;
    auto who = f.people.find(p.person);
    const int32_t group = who == f.people.end() ? 0 : who->second.group;
    const bool flags = AllSixFlags(state, p.program);
    const int64_t minutes = whole.AddPair(p, fy, flags);
    if (minutes >= 0) {
      band_people[Cell::Band(minutes)].insert(p.person);
      for (int level = 1; level <= 5; ++level) {
        if (p.levels & (1u << (level - 1))) level_people[level - 1].insert(p.person);
      }
    }
    groups[group].AddPair(p, fy, flags);
    programs[p.program].AddPair(p, fy, flags);
    if (p.standing != rules::Standing::kNoInvestment) {
      ++standing_enrolments[p.standing];
      standing_people[p.standing].insert(p.person);
    }
  }
  int64_t staff = 0, teachers = 0;
  for (const auto& [person, who] : f.people) {
    ++staff_by_group[who.group];
    ++staff;
    if (who.group == int32_t(schema::ParticipantGroup::Certificated)) ++teachers;
  }
  district = whole.Render(staff, teachers);
  for (const ViewRow& r : AccountabilityView(state, f)) {
    if (r.row.value("fiscal_year", 0) != fy) continue;
    if (r.row["row"] == "unallocated") {
      unallocated_cents += r.row["cents"].get<int64_t>();
      unallocated.push_back(r.row);
    } else if (r.row["row"] == "budget") {
      budget.push_back(r.row);
    }
  }
  for (const ViewRow& r : EquityView(state, f)) {
    if (r.row.value("fiscal_year", 0) == fy) equity.push_back(r.row);
  }
}

std::string YearData::Add(TableBuilder& table, Json* tables) {
  Json t = table.Finish(&rows_suppressed);
  std::string id = t["id"];
  tables->push_back(std::move(t));
  return id;
}

Json Section(const std::string& id, const std::string& title, Json paragraphs, Json charts,
             Json tables) {
  return Json{{"id", id},
              {"title", title},
              {"paragraphs", std::move(paragraphs)},
              {"charts", std::move(charts)},
              {"tables", std::move(tables)}};
}

Json Chart(const std::string& id, const std::string& title, const std::string& table,
           const std::string& label, const std::string& value, Kind kind, const char* palette) {
  return Json{{"id", id},       {"title", title},         {"table", table},    {"label", label},
              {"value", value}, {"kind", KindName(kind)}, {"palette", palette}};
}

namespace {

// The figures on the first page, each with the people it describes.
Json Headline(const YearData& d) {
  const Json& c = d.district;
  const int64_t people = c["participants"].get<int64_t>();
  const int64_t changed = c["people_with_demonstrated_change"].get<int64_t>();
  int64_t owed[2] = {0, 0};
  for (const Obligation& o : d.f.obligations) {
    if (o.school_year <= d.fy && o.overdue) ++owed[o.side == "district" ? 1 : 0];
  }
  Json out = Json::array();
  auto add = [&](const char* key, const char* label, Json value, Kind kind, bool hidden) {
    out.push_back(Json{{"key", key},
                       {"label", label},
                       {"value", hidden ? Json() : std::move(value)},
                       {"kind", KindName(kind)},
                       {"suppressed", hidden}});
  };
  add("invested_cents", "Spent on professional learning",
      c["spend_cents"].get<int64_t>() + d.unallocated_cents, Kind::kCents, false);
  add("participants", "People who took part", people, Kind::kCount, TooFew(people));
  add("reach", "Share of staff reached", c["reach"], Kind::kShare, TooFew(people));
  add("hours", "Hours of learning", c["hours"], Kind::kHours, TooFew(people));
  add("level_4_share", "Enrolments with evidence of changed practice",
      c["guskey_coverage"]["level_4"], Kind::kShare, TooFew(people));
  // Those who changed are a group inside the people who took part: hidden
  // when it, the rest, or the whole is 1 to 9 people (docs/metrics.md).
  const int64_t change_group = TooFew(people)             ? people
                               : TooFew(people - changed) ? people - changed
                                                          : changed;
  add("people_with_demonstrated_change", "People with demonstrated change", changed, Kind::kCount,
      TooFew(change_group));
  add("cost_per_demonstrated_change_cents", "Spending per person who changed practice",
      c["cost_per_demonstrated_change_cents"], Kind::kCents, TooFew(change_group));
  // A count of 1 to 9 is hidden. The two add up to the obligations table's
  // total past due, so when one is hidden the other is too, unless it is 0.
  bool owed_hidden[2] = {TooFew(owed[0]), TooFew(owed[1])};
  if (owed_hidden[0] != owed_hidden[1] && owed[0] > 0 && owed[1] > 0) {
    owed_hidden[0] = owed_hidden[1] = true;
  }
  add("owed_by_staff", "Past-due obligations on staff's side", owed[0], Kind::kCount,
      owed_hidden[0]);
  add("owed_by_district", "Past-due obligations on the district's side", owed[1], Kind::kCount,
      owed_hidden[1]);
  return out;
}

// How many years before the report's the comparison reaches back.
constexpr int32_t kEarlierYears = 4;

std::string OriginOf(const std::string& note) { return note.substr(0, note.find('\n')); }

Json VerificationSection(const Json& summary) {
  const Json& log = summary["log"];
  Json paragraphs = Json::array();
  paragraphs.push_back(
      "Every figure in this report was computed from the district's signed ledger of "
      "professional-learning records, exactly as it stood at the checkpoint below: the first " +
      Count(log["tree_size"].get<int64_t>()) +
      " entries, whose Merkle tree root is the hash shown. The ledger key's signature on the "
      "checkpoint " +
      std::string(log["checkpoint_verified"].get<bool>() ? "was checked when the report was made."
                                                         : "could NOT be checked when the "
                                                           "report was made."));
  // The witnesses: every signature line after the ledger's own.
  const std::string note = log["checkpoint"].get<std::string>();
  std::vector<std::string> witnesses;
  if (auto parsed = ParseNote(note); parsed.ok()) {
    for (const NoteSignature& sig : parsed->signatures) {
      if (sig.key_name != log["origin"].get<std::string>()) witnesses.push_back(sig.key_name);
    }
  }
  if (witnesses.empty()) {
    paragraphs.push_back(
        "No independent witness had cosigned this checkpoint when the report was made: it "
        "rests on the ledger key's signature alone.");
  } else {
    std::string names;
    for (size_t i = 0; i < witnesses.size(); ++i) {
      names += (i == 0 ? "" : i + 1 == witnesses.size() ? " and " : ", ") + witnesses[i];
    }
    paragraphs.push_back(
        "The checkpoint is also cosigned by " + Count(int64_t(witnesses.size())) +
        " independent witness" + (witnesses.size() == 1 ? "" : "es") + " (" + names +
        "). A witness cosigns a checkpoint only after checking that the log it describes "
        "extends every checkpoint of this ledger it cosigned before, so the district cannot "
        "show this report's history to the board and a different one to anyone else without "
        "a witness refusing it. To rely on them, obtain each witness's public key from the "
        "witness itself (not from the district) and add --witness KEY for each to the "
        "verify command below; it fails, naming the witness, if a cosignature is missing or "
        "does not verify.");
  }
  paragraphs.push_back(
      "Anyone holding the ledger can recompute the report and compare every figure with the "
      "commands below (LEDGER is the ledger's folder, DIR this report's folder). Anyone holding "
      "an export bundle of its entries from the first can check the same way with "
      "\"evident report verify DIR --bundle BUNDLE\".");
  return Section("verification", "How to check this report", std::move(paragraphs), Json::array(),
                 Json::array());
}

// The year's own summary: everything but the comparison with earlier years,
// the summary section and how to check it. `d.rows_suppressed` counts what
// its tables hid.
Json YearSummary(YearData& d, const LogContext& log) {
  const std::string as_of = DateOf(d.f.as_of_day);
  const std::string origin = OriginOf(log.checkpoint);
  const std::string fy = std::to_string(d.fy);
  Json summary{
      {"report", "Professional learning accountability report"},
      {"format", kSummaryFormat},
      {"district", origin},
      {"fiscal_year", d.fy},
      {"fiscal_year_label", FiscalYearLabel(d.fy)},
      {"as_of_date", as_of},
      {"log",
       {{"origin", origin},
        {"tree_size", log.tree_size},
        {"root_hash", log.root_hash_hex},
        {"checkpoint_verified", log.checkpoint_verified},
        {"checkpoint", log.checkpoint}}},
      {"recompute",
       {{"report", "evident report board --ledger LEDGER --fiscal-year " + fy + " --size " +
                       std::to_string(log.tree_size) + " --as-of-date " + as_of + " --out DIR"},
        {"verify", "evident report verify DIR --ledger LEDGER"}}}};
  Json tables = Json::array();
  Json sections = Json::array();
  sections.push_back(Json());  // the summary, written last from the tables
  sections.push_back(InvestmentSection(d, &tables));
  sections.push_back(ParticipationSection(d, &tables));
  sections.push_back(EvidenceSection(d, &tables));
  sections.push_back(ReciprocitySection(d, &tables));
  sections.push_back(ProgrammesSection(d, &tables));
  sections.push_back(EquitySection(d, &tables));
  sections.push_back(ObligationsSection(d, &tables));
  summary["privacy"] = Json();  // written once the comparison's tables are in
  summary["headline"] = Headline(d);
  summary["tables"] = std::move(tables);
  summary["sections"] = std::move(sections);
  return summary;
}

}  // namespace

Json BuildBoardSummary(const FactState& state, const Figures& f, const LogContext& log,
                       int32_t fiscal_year) {
  YearData d(state, f, fiscal_year);
  Json summary = YearSummary(d, log);
  // The years before this one that the log holds, up to four, each as its
  // own report gives it (docs/metrics.md, "Since last year").
  std::set<int32_t> with_records;
  for (const PersonProgram& p : f.pairs) {
    for (int32_t y : YearsOf(p)) with_records.insert(y);
  }
  std::map<int32_t, Json> earlier;
  for (int32_t y = fiscal_year - kEarlierYears; y < fiscal_year; ++y) {
    if (!with_records.count(y)) continue;
    YearData that(state, f, y);
    earlier.emplace(y, YearSummary(that, log));
  }
  Json& tables = summary["tables"];
  Json& sections = summary["sections"];
  sections.push_back(
      SinceLastYearSection(state, fiscal_year, summary, earlier, &tables, &d.rows_suppressed));
  sections.push_back(
      DecisionsSection(state, log, fiscal_year, summary, earlier, &tables, &d.rows_suppressed));
  summary["privacy"] = {{"minimum_people", kMinimumPeople},
                        {"rows_suppressed", d.rows_suppressed},
                        {"statement", PrivacyStatement(d.rows_suppressed)}};
  sections[0] =
      Section("summary", "Summary", SummaryParagraphs(summary), Json::array(), Json::array());
  sections.push_back(VerificationSection(summary));
  return summary;
}

}  // namespace evident::projections::report
