#include "projections/report/words.h"

#include <vector>

#include "projections/report/table.h"

namespace evident::projections::report {
namespace {

constexpr char kHidden[] = "not published (fewer than 10 people)";
constexpr char kNone[] = "not available";

// The headline item with `key`, as {"value", "kind", "suppressed"}.
const Json& Item(const Json& summary, const std::string& key) {
  static const Json kMissing{{"value", nullptr}, {"kind", "text"}, {"suppressed", false}};
  for (const Json& h : summary["headline"]) {
    if (h["key"] == key) return h;
  }
  return kMissing;
}

std::string Headline(const Json& summary, const std::string& key) {
  const Json& item = Item(summary, key);
  if (item["suppressed"].get<bool>()) return "fewer than 10";
  return Figure(item["value"], KindOf(item["kind"].get<std::string>()));
}

}  // namespace

std::string People(const Json& row, const std::string& key, const char* one, const char* many) {
  if (IsSuppressed(row, key)) return std::string("Fewer than 10 ") + many;
  const Json& v = row.contains(key) ? row[key] : Json();
  if (!v.is_number()) return std::string(kNone);
  const int64_t n = v.get<int64_t>();
  return Count(n) + " " + (n == 1 ? one : many);
}

std::string Figure(const Json& row, const std::string& key, Kind kind) {
  if (IsSuppressed(row, key)) return kHidden;
  return Figure(row.contains(key) ? row[key] : Json(), kind);
}

std::string Figure(const Json& value, Kind kind) {
  return value.is_null() ? kNone : ForPeople(value, kind, false);
}

std::string PrivacyStatement(int64_t rows_suppressed) {
  std::string s =
      "To protect the privacy of staff, figures about fewer than 10 people are not published: "
      "they show as \"" +
      std::string(kSuppressedMark) +
      "\". Where rows add up to a total given in the report and only one was hidden, the next "
      "smallest is hidden too, so the first cannot be worked out by subtraction. Spending "
      "totals are "
      "district financial records and are always shown.";
  if (rows_suppressed > 0) {
    s += " In this report " + Count(rows_suppressed) +
         (rows_suppressed == 1 ? " row was" : " rows were") + " hidden in part or in full.";
  }
  return s;
}

Json SummaryParagraphs(const Json& summary) {
  Json out = Json::array();
  const std::string year = summary["fiscal_year_label"];
  const Json& people = Item(summary, "participants");
  std::string first = "In " + year + " the district spent " + Headline(summary, "invested_cents") +
                      " on professional learning.";
  if (people["suppressed"].get<bool>()) {
    first += " Fewer than 10 people took part, so figures about them are not published.";
    out.push_back(first);
    return out;
  }
  first += " " + Headline(summary, "participants") + " people took part (" +
           Headline(summary, "reach") + " of staff), for " + Headline(summary, "hours") +
           " hours of learning in all.";
  out.push_back(first);
  out.push_back(Headline(summary, "level_4_share") +
                " of enrolments had evidence that participants used what they learned in their "
                "practice. " +
                Headline(summary, "people_with_demonstrated_change") +
                " people showed changed practice, at " +
                Headline(summary, "cost_per_demonstrated_change_cents") +
                " of spending for each of them.");
  if (const Json* equity = FindTable(summary, "equity_measures")) {
    const Json& poverty = equity->at("rows").at(0);
    out.push_back("Spending per teacher was " + Figure(poverty, "Q4", Kind::kCents) +
                  " in the schools with the most students in poverty and " +
                  Figure(poverty, "Q1", Kind::kCents) + " in those with the fewest.");
  }
  out.push_back("Past due at " + LongDate(summary["as_of_date"].get<std::string>()) + ": " +
                Headline(summary, "owed_by_staff") + " obligations on staff's side and " +
                Headline(summary, "owed_by_district") + " on the district's side.");
  // Since last year, and what followed the decisions about it.
  const std::string last = FiscalYearLabel(summary["fiscal_year"].get<int32_t>() - 1);
  const std::string fy_last = "fy" + std::to_string(summary["fiscal_year"].get<int32_t>() - 1);
  const std::string fy_now = "fy" + std::to_string(summary["fiscal_year"].get<int32_t>());
  if (const Json* since = FindTable(summary, "since_last_year")) {
    const Json* spent = nullptr;
    const Json* practice = nullptr;
    for (const Json& r : since->at("rows")) {
      if (r["key"] == "invested_cents") spent = &r;
      if (r["key"] == "level_4_share") practice = &r;
    }
    if (spent != nullptr && (*spent)["compared"] == "yes") {
      std::string text = "Since " + last + ", spending went from " +
                         Figure(*spent, fy_last, Kind::kCents) + " to " +
                         Figure(*spent, fy_now, Kind::kCents);
      if (practice != nullptr && (*practice)["compared"] == "yes") {
        text += ", and the share of enrolments with evidence of changed practice from " +
                Figure(*practice, fy_last, Kind::kShare) + " to " +
                Figure(*practice, fy_now, Kind::kShare);
      } else if (practice != nullptr && (*practice)["compared"] == "definition changed") {
        text += "; the evidence of changed practice is not compared, as the evaluation behind "
                "it changed";
      }
      out.push_back(text + ".");
    }
  }
  if (const Json* followed = FindTable(summary, "decisions_followed")) {
    const Json& rows = followed->at("rows");
    if (!rows.empty()) {
      int64_t carried = 0;
      std::vector<std::string> not_carried;
      for (const Json& r : rows) {
        if (r["carried_out"].get<bool>()) {
          ++carried;
          continue;
        }
        // "Not carried out: $74,000 spent in 2025–26" -> "$74,000 spent in 2025–26".
        const std::string followed = r["followed"];
        const size_t colon = followed.find(": ");
        not_carried.push_back(r["programme"].get<std::string>() + " (" +
                              r["decision"].get<std::string>() + ", yet " +
                              (colon == std::string::npos ? followed
                                                          : followed.substr(colon + 2)) +
                              ")");
      }
      std::string text = "After reviewing " + last + ", the office recorded " +
                         Count(int64_t(rows.size())) + " decision" +
                         (rows.size() == 1 ? "" : "s") + " about programmes. " + Count(carried) +
                         (carried == 1 ? " was" : " were") + " carried out";
      if (not_carried.empty()) {
        text += ".";
      } else {
        text += "; " + Count(int64_t(not_carried.size())) +
                (not_carried.size() == 1 ? " was" : " were") + " not: ";
        for (size_t i = 0; i < not_carried.size(); ++i) {
          text += (i == 0 ? "" : "; ") + not_carried[i];
        }
        text += ".";
      }
      out.push_back(text);
    }
  }
  return out;
}

}  // namespace evident::projections::report
