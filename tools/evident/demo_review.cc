#include "tools/evident/demo_review.h"

#include <functional>
#include <set>

#include "ledger/coding.h"
#include "ledger/sha256.h"
#include "projections/report/table.h"

namespace evident::cli::demo_review {
namespace {

using projections::report::Json;

// A fixed event id for the office's record about `what`.
std::string EventId(const std::string& what) {
  return HexEncode(Sha256("evident demo review 2025 " + what).substr(0, 16));
}

int64_t Cents(const Json& row, const char* key) {
  auto it = row.find(key);
  return it != row.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

struct Pick {
  std::string program, successor, decision, rationale;
  std::vector<std::string> measures;
};

}  // namespace

StatusOr<std::vector<std::string>> ReviewEvents(const Json& reviewed, const Json& next,
                                                const demo::District& district) {
  const Json* both = projections::report::FindTable(next, "programmes_both_years");
  if (both == nullptr || (*both)["rows"].empty()) {
    return Status::FailedPrecondition(
        "the 2025-26 report has no programme in both years to review");
  }
  // Each decision takes, among the programmes not yet taken that fit it, the
  // one its rationale describes best, on the 2024-25 figures the office read.
  std::set<std::string> taken;
  using Fits = std::function<bool(const Json&)>;
  using Score = std::function<double(const Json&)>;  // the highest is taken
  auto best = [&](const Fits& fits, const Score& score) -> std::pair<std::string, std::string> {
    const Json* chosen = nullptr;
    for (const Json& row : (*both)["rows"]) {
      if (taken.count(row["program_id_last"]) || !fits(row)) continue;
      if (chosen == nullptr || score(row) > score(*chosen)) chosen = &row;
    }
    if (chosen == nullptr) return {};
    taken.insert((*chosen)["program_id_last"]);
    return {(*chosen)["program_id_last"], (*chosen)["program_id"]};
  };
  auto last = [](const Json& r) { return double(Cents(r, "spend_cents_last")); };
  auto now = [](const Json& r) { return double(Cents(r, "spend_cents_this")); };
  auto seen = [](const Json& r) {  // practice seen after, -1 where not published
    const Json& v = r["implementation_rate_last"];
    return v.is_number() ? v.get<double>() : -1.0;
  };
  auto published = [](const Json& r, const char* key) { return r[key].is_number(); };
  std::vector<Pick> picks;
  auto add = [&](std::pair<std::string, std::string> ids, const char* decision,
                 const char* rationale, std::vector<std::string> measures) {
    if (!ids.first.empty()) {
      picks.push_back({ids.first, ids.second, decision, rationale, std::move(measures)});
    }
  };
  add(best([&](const Json& r) { return now(r) > 1.1 * last(r) && seen(r) >= 0; }, seen),
      "Expand",
      "Practice was seen after it more often than after most programmes; offer it at more "
      "schools, the highest-need first.",
      {"level_4_share", "cost_per_demonstrated_change_cents"});
  add(best([&](const Json& r) { return now(r) > 0 && published(r, "changed_last") &&
                                       Cents(r, "changed_last") == 0; },
           last),
      "Stop", "No participant showed changed practice after it; end the contract in June 2025.",
      {"level_4_share", "people_with_demonstrated_change"});
  add(best([&](const Json& r) { return now(r) < 0.9 * last(r) && now(r) > 0 && seen(r) >= 0; },
           [&](const Json& r) { return -seen(r); }),
      "Reduce",
      "Little change in practice for what it cost; keep one cohort and fund coaching instead.",
      {"cost_per_demonstrated_change_cents", "invested_cents"});
  add(best([&](const Json& r) { return now(r) > 0 && seen(r) >= 0; },
           [&](const Json& r) { return -seen(r); }),
      "Revise",
      "Participants attended but classroom follow-up was thin; make it job-embedded with a "
      "90-day follow-up window.",
      {"level_4_share", "hours"});
  add(best([&](const Json& r) { return now(r) > 0; }, last), "Continue",
      "Reached the schools with the greatest need at a steady cost; continue as it is.",
      {"reach", "invested_cents"});
  const Json& log = reviewed["log"];
  std::vector<std::string> lines;
  for (const Pick& p : picks) {
    Json measures = Json::array();
    for (const std::string& m : p.measures) measures.push_back(m);
    Json event{{"event_id", EventId("decision " + p.program)},
               {"event_type", "ProgramReviewed"},
               {"occurred_at", std::string(kReviewDate) + "T17:00:00Z"},
               {"district_id", demo::kDistrictId},
               {"source_system", "pl-office"},
               {"subject", {{"program_id", p.program}, {"fiscal_year", 2025}}},
               {"body",
                {{"decision", p.decision},
                 {"decided_date", kReviewDate},
                 {"rationale", p.rationale},
                 {"measures_reviewed", std::move(measures)},
                 {"report_origin", log["origin"]},
                 {"report_tree_size", log["tree_size"]},
                 {"report_root_hash", log["root_hash"]}}}};
    lines.push_back(event.dump());
  }
  // The revision itself: this year's offering of the programme defined anew,
  // job-embedded, with a 90-day follow-up window.
  for (const Pick& p : picks) {
    if (p.decision != "Revise") continue;
    for (const demo::DemoEvent& e : district.events) {
      if (e.type != "ProgramDefined") continue;
      Json defined = Json::parse(e.json);
      if (defined["subject"]["program_id"] != p.successor) continue;
      defined["event_id"] = EventId("revision " + p.successor);
      defined["occurred_at"] = "2025-09-02T16:00:00Z";
      defined["source_system"] = "pl-office";
      defined["body"]["job_embedded"] = true;
      defined["body"]["follow_up_window_days"] = 90;
      lines.push_back(defined.dump());
      break;
    }
  }
  return lines;
}

}  // namespace evident::cli::demo_review
