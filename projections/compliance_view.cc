#include <algorithm>

#include "ledger/coding.h"
#include "projections/views.h"

namespace evident::projections {
namespace {

Json ChargeJson(const char* kind, const Charge& c) {
  return Json{{"row", kind},           {"event_id", HexEncode(c.event_id)},
              {"position", c.pos},     {"person", c.person},
              {"program", c.program},  {"fiscal_year", c.line.fiscal_year},
              {"date", DateOf(c.day)}, {"category", CategoryName(c.line.category)},
              {"fund", c.line.fund},   {"funding_source", FundingSourceName(c.line.source)},
              {"cents", c.line.cents}};
}

void AddTimeAndEffort(const FactState& state, std::vector<ViewRow>* rows) {
  for (const auto& [person, charges] : state.salary.rows()) {
    for (Charge c : charges.items) {
      c.line.source = FundingSourceOf(state, c.line);
      if (!IsFederal(c.line.source)) continue;
      const std::string gap = rules::TimeAndEffortGap(c, state.certification.Find(person));
      if (gap.empty()) continue;
      Json row = ChargeJson("time_and_effort_gap", c);
      row["finding"] = gap;
      rows->push_back({JoinKey("t&e", person, PositionKey(c.pos)), row});
    }
  }
}

void AddUndocumented(const FactState& state, std::vector<ViewRow>* rows) {
  for (const auto& [key, c] : state.undocumented.rows()) {
    if (c.empty()) continue;
    Json row = ChargeJson("cost_without_invoice_or_po", c);
    row["finding"] = "neither an invoice number nor a purchase order number was recorded";
    rows->push_back({JoinKey("undocumented", key), row});
  }
}

// Federal money on programmes a state or local rule requires: the
// supplement-not-supplant test (ESEA 2301 for Title II-A).
void AddSupplantRisk(const FactState& state, std::vector<ViewRow>* rows) {
  auto check = [&](const char* where, std::string_view key, std::string_view program,
                   std::string_view person, const CostLines& lines) {
    const ProgramVersion* p = ProgramOf(state, std::string(program));
    if (p == nullptr || !p->required) return;
    for (size_t i = 0; i < lines.lines.size(); ++i) {
      CostLine l = lines.lines[i];
      l.source = FundingSourceOf(state, l);
      if (!IsFederal(l.source)) continue;
      rows->push_back(
          {JoinKey("supplant", std::string(key), JoinKey(where, PositionKey(i))),
           Json{{"row", "federal_funds_on_required_program"},
                {"program", program},
                {"person", person},
                {"charged_as", where},
                {"fiscal_year", l.fiscal_year},
                {"category", CategoryName(l.category)},
                {"fund", l.fund},
                {"funding_source", FundingSourceName(l.source)},
                {"cents", l.cents},
                {"finding",
                 "the programme is marked as required by state or local rule; federal funds "
                 "must supplement, not supplant, what the district must provide anyway"}}});
    }
  };
  for (const auto& [key, lines] : state.pool.rows()) {
    check("programme", key, SplitKey(key).first, "", lines);
  }
  for (const auto& [key, lines] : state.direct.rows()) {
    auto [person, program] = SplitKey(key);
    check("direct", key, program, person, lines);
  }
}

void AddAmendments(const FactState& state, std::vector<ViewRow>* rows) {
  for (const auto& [key, a] : state.amendment.rows()) {
    if (a.empty()) continue;
    rows->push_back(
        {JoinKey("amendment", key), Json{{"row", "amendment"},
                                         {"position", std::strtoull(key.c_str(), nullptr, 10)},
                                         {"event_id", HexEncode(a.event_id)},
                                         {"kind", a.voided ? "void" : "correction"},
                                         {"amends_event_id", HexEncode(a.target)},
                                         {"amends_position", a.amended_position >= 0
                                                                 ? Json(a.amended_position)
                                                                 : Json(nullptr)},
                                         {"reason_code", a.reason},
                                         {"made_by", a.signer},
                                         {"date", DateOf(a.day)},
                                         {"outcome", a.outcome}}});
  }
  for (const auto& [reason, count] : state.counter.rows()) {
    if (count.empty()) continue;
    rows->push_back({JoinKey("skipped", reason),
                     Json{{"row", "events_left_out"}, {"reason", reason}, {"count", count.count}}});
  }
}

}  // namespace

std::vector<ViewRow> ComplianceView(const FactState& state, const Figures& f,
                                    const LogContext& log) {
  std::vector<ViewRow> rows;
  AddTimeAndEffort(state, &rows);
  AddUndocumented(state, &rows);
  AddSupplantRisk(state, &rows);
  AddAmendments(state, &rows);
  rows.push_back({"log", Json{{"row", "log"},
                              {"tree_size", log.tree_size},
                              {"root_hash", log.root_hash_hex},
                              {"checkpoint_signature_verified", log.checkpoint_verified},
                              {"checkpoint_problem", log.checkpoint_problem},
                              {"as_of", DateOf(f.as_of_day)},
                              {"full_verification",
                               log.full_verification.empty()
                                   ? "not run for this view; run 'evident verify', or query "
                                     "with --verify, to re-check every entry, signature and "
                                     "checkpoint"
                                   : log.full_verification}}});
  std::sort(rows.begin(), rows.end(),
            [](const ViewRow& a, const ViewRow& b) { return a.key < b.key; });
  return rows;
}

}  // namespace evident::projections
