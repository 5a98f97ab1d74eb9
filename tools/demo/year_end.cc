// The demo district's money and the ends of its years: what each programme
// cost and from which fund, the budgets, the annual ratings and the goals
// set without support, and the corrections and voids its systems send.

#include <algorithm>

#include "tools/demo/generator.h"

namespace evident::demo::internal {

void Generator::Costs(const Offering& o, int participants) {
  const int day = SessionDay(o, o.sessions - 1) + 10;
  std::vector<std::pair<std::string, int64_t>> lines;
  if (o.fixed_cents > 0) lines.emplace_back(o.category, o.fixed_cents);
  if (o.per_person_cents > 0 && o.design == Design::kConference) {
    const int64_t registration = o.per_person_cents * 45 / 100;
    lines.emplace_back("Registration", registration * participants);
    lines.emplace_back("Travel", (o.per_person_cents - registration) * participants);
  } else if (o.per_person_cents > 0) {
    lines.emplace_back(o.category, o.per_person_cents * participants);
  }
  // Substitutes for the teachers it released, at a day's rate.
  if (substitute_days_ > 0) lines.emplace_back("Substitute", int64_t(17500) * substitute_days_);
  for (const auto& [category, amount] : lines) {
    const std::string invoice =
        "INV-" + std::to_string(FiscalYear(o.year)) + "-" + std::to_string(1000 + costs_.size());
    auto body = [=, category = category](int64_t cents) {
      return Fields()
          .Str("category", category)
          .Int("amount_cents", cents)
          .Str("allocation", "PerParticipant")
          .Str("fund_code", o.fund_code)
          .Str("funding_source", o.funding_source)
          .Str("invoice_number", invoice)
          .Str("purchase_order_number", "PO-" + o.id);
    };
    const Fields subject = Fields().Str("program_id", o.id).Int("fiscal_year", FiscalYear(o.year));
    const std::string id = Emit(kFinance, "CostIncurred", day, subject, body(amount));
    costs_.push_back({id, "CostIncurred", kFinance, subject, day, amount, body});
    spent_[o.year][{o.fund_code, o.funding_source}] += amount;
  }
}

// Each fund's budget for the year: near what it spent, rounded to $1,000.
void Generator::Budgets(int year) {
  for (const auto& [fund, spent] : spent_[year]) {
    const int64_t planned = spent * Between(92, 114) / 100 / 100000 * 100000;
    Fields body;
    body.Str("fund_code", fund.first)
        .Str("funding_source", fund.second)
        .Int("amount_cents", planned);
    if (fund.second == "TitleIIA") body.Str("plan_reference", "LCAP-2.3");
    if (fund.second == "TitleIA") body.Str("plan_reference", "LCAP-1.2");
    Emit(kFinance, "BudgetAllocated", year * kYearDays,
         Fields().Int("fiscal_year", FiscalYear(year)), body);
  }
}

// Annual ratings for about a third of teachers, and goals set for teachers
// the district enrolled in nothing that year: the district's side of
// reciprocity, owed when no support follows.
void Generator::YearEnd(int year) {
  const int start = year * kYearDays;
  const std::string coaching = "pd-" + std::to_string(FiscalYear(year) % 100) + "-math-coaching";
  for (Person& p : people_) {
    if (p.group[year] != "Certificated") continue;
    if (!p.enrolled[year] && rng_.Chance(0.4)) {
      Emit(kEvaluation, "GoalSet", start + 40, Fields().Str("person_id", p.id),
           Fields().Str("goal_title", "G-3B-QUESTIONING").Date("assignment_date", start + 40));
    }
    // At the under-served schools, a goal tied to the district's coaching
    // programme, which never reached them.
    if (sites_[p.site].underserved && rng_.Chance(0.6)) {
      Emit(kEvaluation, "GoalSet", start + 45,
           Fields().Str("person_id", p.id).Str("program_id", coaching),
           Fields()
               .Str("goal_title", "G-3B-COACHED")
               .Date("assignment_date", start + 45)
               .Str("evaluation_element_title", "3b"));
    }
    // A third of teachers are rated each year; practice that changed lifts
    // the rating a level.
    static const char* kLevels[] = {"Developing", "Effective", "HighlyEffective"};
    const bool unsupported = !p.enrolled[year] && rng_.Chance(0.4);
    const char* level = nullptr;
    if (unsupported || rng_.Chance(0.33)) {
      level = kLevels[std::min(2, p.rating_level + (p.changed[year] ? 1 : 0))];
      if (unsupported && rng_.Chance(0.5)) level = kLevels[0];
    }
    if (p.changed[year]) {  // the change lasts into the next year
      p.rating_level = std::min(2, p.rating_level + 1);
      p.practice_milli = std::min(3500, p.practice_milli + 800);
    }
    if (level == nullptr) continue;
    const int day = start + Between(320, 340);
    Emit(kEvaluation, "EvaluationRatingFinalized", day,
         Fields().Str("person_id", p.id).Int("school_year", FiscalYear(year)),
         Fields()
             .Str("performance_evaluation_title", "Annual summative")
             .Date("actual_date", day)
             .Str("performance_evaluation_rating_level", level));
  }
}

namespace {

// `count` distinct indexes below `n`, spread out, in order.
std::vector<size_t> Picks(gen::Rng& rng, size_t n, size_t count) {
  std::vector<size_t> out;
  if (n == 0) return out;
  count = std::min(count, n);
  const size_t stride = n / count;
  for (size_t i = 0; i < count; ++i) out.push_back(i * stride + rng.Below(stride));
  return out;
}

}  // namespace

// Mistakes fixed the ledger's way: a new event naming the one it amends,
// sent by the system that sent the original, some days later.
void Generator::Amend() {
  auto correct = [&](const Kept& k, int64_t amount, const char* reason, int after) {
    Emit(k.source, "RecordCorrected", k.day + after, Fields(),
         Fields()
             .Str("amends_event_id", k.id)
             .Str("reason_code", reason)
             .Str("body_type", k.type)
             .Raw("body", "{" + k.remake(amount).text() + "}"));
    ++facts_.corrections;
  };
  auto void_event = [&](const char* source, const std::string& id, int day, const char* reason) {
    Emit(source, "RecordVoided", day, Fields(),
         Fields().Str("amends_event_id", id).Str("reason_code", reason));
    ++facts_.voids;
  };
  const std::vector<size_t> cost_picks = Picks(rng_, costs_.size(), 10);
  for (size_t i = 0; i < cost_picks.size(); ++i) {
    const Kept& k = costs_[cost_picks[i]];
    if (i % 2 == 0) {  // a credit memo lowers the invoice
      correct(k, k.amount * Between(88, 97) / 100, "InvoiceAmended", Between(15, 40));
    } else {  // the same invoice posted twice, the copy voided
      const std::string copy =
          Emit(k.source, k.type.c_str(), k.day + 2, k.subject, k.remake(k.amount));
      void_event(k.source, copy, k.day + Between(10, 30), "DuplicatePosting");
    }
  }
  const size_t some = std::max<size_t>(3, attendance_.size() / 500);
  const std::vector<size_t> corrected = Picks(rng_, attendance_.size(), some);
  for (size_t i : corrected) {
    const Kept& k = attendance_[i];
    correct(k, k.amount / 2, "SignInSheetCorrected", 7);
  }
  for (size_t i : Picks(rng_, attendance_.size(), some / 2)) {
    if (std::binary_search(corrected.begin(), corrected.end(), i)) continue;
    void_event(attendance_[i].source, attendance_[i].id, attendance_[i].day + 5, "RecordedInError");
  }
  for (size_t i : Picks(rng_, observations_.size(), std::max<size_t>(2, some / 3))) {
    const Kept& k = observations_[i];
    correct(k, std::min<int64_t>(3900, k.amount + 500), "RatingMistyped", 3);
  }
}

District Generator::Finish() {
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const Pending& a, const Pending& b) { return a.day < b.day; });
  District d;
  d.events.reserve(pending_.size());
  for (Pending& p : pending_) d.events.push_back(std::move(p.event));
  facts_.sites = int(sites_.size());
  facts_.underserved_sites = int(Underserved().size());
  for (const Person& p : people_) ++facts_.people[p.group[0].empty() ? p.group[1] : p.group[0]];
  d.facts = facts_;
  return d;
}

}  // namespace evident::demo::internal
