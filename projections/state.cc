#include "projections/state.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ledger/sha256.h"

namespace evident::projections {
namespace {

using schema::Body;

std::string Str(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

int64_t Thousandths(float x) { return std::llround(static_cast<double>(x) * 1000.0); }
int32_t BasisPoints(float share) { return static_cast<int32_t>(std::lround(share * 10000.0)); }

// Puts an item at its position (sign +1) or takes it away (sign -1).
template <typename T>
void PutOrErase(PositionList<T>& list, T item, int sign) {
  if (sign > 0) {
    list.Put(std::move(item));
  } else {
    list.Erase(item.pos);
  }
}

bool IsPresent(schema::AttendanceEventCategory c) {
  using C = schema::AttendanceEventCategory;
  return c == C::InAttendance || c == C::Partial || c == C::Tardy || c == C::EarlyDeparture;
}

bool IsSalary(schema::CostCategory c) {
  using C = schema::CostCategory;
  return c == C::Stipend || c == C::Substitute || c == C::CoachTime || c == C::ParticipantTime;
}

uint32_t FlagsOf(const schema::ProgramDefined* p) {
  return (p->sustained() ? kSustained : 0) | (p->intensive() ? kIntensive : 0) |
         (p->collaborative() ? kCollaborative : 0) | (p->job_embedded() ? kJobEmbedded : 0) |
         (p->data_driven() ? kDataDriven : 0) | (p->classroom_focused() ? kClassroomFocused : 0);
}

}  // namespace

void CostLines::Add(const CostLine& line, int sign) {
  if (line.cents == 0) return;
  auto it = std::find_if(lines.begin(), lines.end(),
                         [&](const CostLine& l) { return l.SameBucket(line); });
  if (it == lines.end()) {
    lines.push_back(line);
    lines.back().cents = sign * line.cents;
    return;
  }
  it->cents += sign * line.cents;
  if (it->cents == 0) lines.erase(it);
}

void Attendance::AddMinutes(int32_t day, const std::string& session, int64_t minutes) {
  if (minutes == 0) return;
  auto it =
      std::lower_bound(days.begin(), days.end(), std::make_pair(day, &session),
                       [](const SessionDay& a, const std::pair<int32_t, const std::string*>& b) {
                         return a.day != b.first ? a.day < b.first : a.session < *b.second;
                       });
  if (it == days.end() || it->day != day || it->session != session) {
    it = days.insert(it, SessionDay{day, session, 0});
  }
  it->minutes += minutes;
  if (it->minutes == 0) days.erase(it);
}

std::string PositionKey(uint64_t position) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%020llu", static_cast<unsigned long long>(position));
  return buf;
}

std::string YearKey(int32_t year) { return std::to_string(year); }

bool IsFederal(int32_t source) {
  using F = schema::FundingSource;
  switch (static_cast<F>(source)) {
    case F::TitleIIA:
    case F::TitleIA:
    case F::TitleIIIA:
    case F::TitleIVA:
    case F::IDEA:
      return true;
    default:
      return false;
  }
}

FactState::FactState()
    : tables_{&person,       &assignment, &site,     &program,       &budget,
              &pool,         &direct,     &coaching, &attendance,    &completion,
              &reaction,     &learning,   &support,  &observation,   &goal,
              &goal_done,    &rating,     &outcome,  &certification, &salary,
              &undocumented, &amendment,  &amended,  &principal,     &counter,
              &decision} {}

TableBase* FactState::FindTable(std::string_view name) const {
  for (TableBase* t : tables_) {
    if (t->name() == name) return t;
  }
  return nullptr;
}

std::string FactState::Digest() const {
  std::string all;
  for (const TableBase* t : tables_) {
    std::vector<std::pair<std::string, std::string>> rows;
    t->ForEachEncoded([&](const std::string& k, const std::string& v) { rows.emplace_back(k, v); });
    std::sort(rows.begin(), rows.end());
    std::string table_bytes;
    RowWriter w(&table_bytes);
    for (const auto& row : rows) w(row);
    all += Sha256({t->name(), std::string_view("\0", 1), table_bytes});
  }
  return Sha256(all);
}

void FactState::Apply(const Fact& fact, int sign) {
  ApplyContext(fact, sign);
  ApplyInvestment(fact, sign);
  ApplyParticipation(fact, sign);
  ApplyEvidence(fact, sign);
  ApplyOutcomes(fact, sign);
}

void FactState::ApplyContext(const Fact& f, int sign) {
  switch (f.type) {
    case Body::PersonRegistered: {
      auto* b = f.As<schema::PersonRegistered>();
      PutOrErase(person.Mutable(f.person()),
                 PersonVersion{f.position, static_cast<int32_t>(b->participant_group()),
                               b->hourly_cost_rate_cents().value_or(-1)},
                 sign);
      break;
    }
    case Body::AssignmentChanged: {
      auto* b = f.As<schema::AssignmentChanged>();
      PutOrErase(
          assignment.Mutable(f.person()),
          AssignmentVersion{f.position, std::string(f.site()),
                            static_cast<int32_t>(b->participant_group()),
                            b->hourly_cost_rate_cents().value_or(-1), DayOf(b->begin_date())},
          sign);
      break;
    }
    case Body::SiteRegistered: {
      auto* b = f.As<schema::SiteRegistered>();
      SiteVersion v{f.position,
                    static_cast<int32_t>(b->school_category()),
                    b->enrollment().has_value() ? int64_t(*b->enrollment()) : -1,
                    BasisPoints(b->students_in_poverty_share()),
                    BasisPoints(b->english_learner_share()),
                    BasisPoints(b->foster_youth_share()),
                    BasisPoints(b->students_with_disabilities_share())};
      PutOrErase(site.Mutable(f.site()), std::move(v), sign);
      break;
    }
    case Body::ProgramDefined: {
      auto* b = f.As<schema::ProgramDefined>();
      ProgramVersion v{f.position,
                       Str(b->professional_development_title()),
                       b->required(),
                       static_cast<int32_t>(b->activity_type()),
                       FlagsOf(b),
                       b->follow_up_window_days().has_value() ? *b->follow_up_window_days() : -1,
                       {}};
      if (b->targeted_rubric_elements() != nullptr) {
        for (auto* e : *b->targeted_rubric_elements()) v.targeted_elements.push_back(e->str());
      }
      PutOrErase(program.Mutable(f.program()), std::move(v), sign);
      break;
    }
    default:
      break;
  }
}

void FactState::ApplyInvestment(const Fact& f, int sign) {
  switch (f.type) {
    case Body::BudgetAllocated: {
      auto* b = f.As<schema::BudgetAllocated>();
      int32_t fy = f.fiscal_year().value_or(0);
      budget.Mutable(YearKey(fy))
          .Add(CostLine{0, Str(b->fund_code()), static_cast<int32_t>(b->funding_source()), fy,
                        b->amount_cents()},
               sign);
      break;
    }
    case Body::CostIncurred: {
      auto* b = f.As<schema::CostIncurred>();
      CostLine line{static_cast<int32_t>(b->category()), Str(b->fund_code()),
                    static_cast<int32_t>(b->funding_source()),
                    f.fiscal_year().value_or(FiscalYearOf(f.day)), b->amount_cents()};
      const auto rule = b->allocation();
      const bool to_person = rule == schema::AllocationRule::DirectToPerson && !f.person().empty();
      const bool to_session = rule == schema::AllocationRule::PerSession && !f.session().empty();
      if (to_person) {
        direct.Mutable(JoinKey(f.person(), f.program())).Add(line, sign);
      } else {
        pool.Mutable(JoinKey(f.program(), to_session ? f.session() : "")).Add(line, sign);
      }
      Charge charge{f.position,
                    std::string(f.event_id),
                    std::string(f.person()),
                    std::string(f.program()),
                    f.day,
                    line};
      if (to_person && IsSalary(b->category())) {
        PutOrErase(salary.Mutable(f.person()), charge, sign);
      }
      if (b->invoice_number() == nullptr && b->purchase_order_number() == nullptr) {
        Charge& row = undocumented.Mutable(PositionKey(f.position));
        row = sign > 0 ? charge : Charge{};
      }
      break;
    }
    case Body::SubstituteCoverageRecorded: {
      auto* b = f.As<schema::SubstituteCoverageRecorded>();
      int32_t day = DayOf(b->begin_date());
      CostLine line{static_cast<int32_t>(schema::CostCategory::Substitute), Str(b->fund_code()),
                    static_cast<int32_t>(b->funding_source().value_or(schema::FundingSource(0))),
                    FiscalYearOf(day), b->substitute_cost_cents().value_or(0)};
      direct.Mutable(JoinKey(f.person(), f.program())).Add(line, sign);
      AddSalaryCharge(f, day, line, sign);
      break;
    }
    case Body::CoachingSessionLogged: {
      auto* b = f.As<schema::CoachingSessionLogged>();
      int32_t day = DayOf(b->session_date());
      PutOrErase(coaching.Mutable(f.person()),
                 Coaching{f.position, std::string(f.program()), day, b->coaching_minutes()}, sign);
      if (b->coach_hourly_rate_cents().has_value()) {
        // Rate x minutes / 60, rounded to the nearest cent.
        int64_t cents = (*b->coach_hourly_rate_cents() * b->coaching_minutes() + 30) / 60;
        CostLine line{static_cast<int32_t>(schema::CostCategory::CoachTime), Str(b->fund_code()),
                      static_cast<int32_t>(b->funding_source().value_or(schema::FundingSource(0))),
                      FiscalYearOf(day), cents};
        direct.Mutable(JoinKey(f.person(), f.program())).Add(line, sign);
        AddSalaryCharge(f, day, line, sign);
      }
      break;
    }
    default:
      break;
  }
}

void FactState::AddSalaryCharge(const Fact& f, int32_t day, const CostLine& line, int sign) {
  if (line.cents <= 0) return;
  PutOrErase(salary.Mutable(f.person()),
             Charge{f.position, std::string(f.event_id), std::string(f.person()),
                    std::string(f.program()), day, line},
             sign);
}

int32_t FundingSourceOf(const FactState& state, const CostLine& line) {
  if (line.source != 0 || line.fund.empty()) return line.source;
  const CostLines* budget = state.budget.Find(YearKey(line.fiscal_year));
  if (budget == nullptr) return 0;
  int32_t source = 0;
  for (const CostLine& b : budget->lines) {
    if (b.fund != line.fund || b.cents == 0) continue;
    if (source != 0 && b.source != source) return 0;  // the budget names two: not known
    source = b.source;
  }
  return source;
}

void FactState::ApplyParticipation(const Fact& f, int sign) {
  switch (f.type) {
    case Body::AttendanceRecorded: {
      auto* b = f.As<schema::AttendanceRecorded>();
      Attendance& row = attendance.Mutable(JoinKey(f.person(), f.program()));
      row.AddMinutes(DayOf(b->attendance_date()), std::string(f.session()),
                     sign * int64_t(b->credited_minutes()));
      row.records += sign;
      if (IsPresent(b->attendance_event_category())) row.present += sign;
      break;
    }
    case Body::ParticipantRegistered:
      attendance.Mutable(JoinKey(f.person(), f.program())).registrations += sign;
      break;
    case Body::ParticipationCompleted: {
      auto* b = f.As<schema::ParticipationCompleted>();
      PutOrErase(completion.Mutable(JoinKey(f.person(), f.program())),
                 DayItem{f.position, DayOf(b->activity_completion_date())}, sign);
      break;
    }
    default:
      break;
  }
}

void FactState::ApplyEvidence(const Fact& f, int sign) {
  switch (f.type) {
    case Body::ReactionSurveySubmitted: {
      auto* b = f.As<schema::ReactionSurveySubmitted>();
      int64_t bp =
          b->max_score() > 0 ? std::llround(10000.0 * b->evaluation_score() / b->max_score()) : 0;
      reaction.Mutable(JoinKey(f.person(), f.program())).Add(1, bp, sign);
      break;
    }
    case Body::LearningAssessed: {
      auto* b = f.As<schema::LearningAssessed>();
      int64_t bp = b->max_score() > 0 ? std::llround(10000.0 * b->score() / b->max_score()) : 0;
      PutOrErase(
          learning.Mutable(JoinKey(f.person(), f.program())),
          Learning{f.position, static_cast<int32_t>(b->phase()), DayOf(b->assessed_date()), bp},
          sign);
      break;
    }
    case Body::OrganizationalSupportRecorded: {
      auto* b = f.As<schema::OrganizationalSupportRecorded>();
      support.Mutable(JoinKey(f.program(), f.site())).Add(1, b->minutes().value_or(0), sign);
      break;
    }
    case Body::ObservationRecorded: {
      auto* b = f.As<schema::ObservationRecorded>();
      Observation obs{f.position, DayOf(b->evaluation_date()), b->targeted_practice_observed(), {}};
      if (b->element_ratings() != nullptr) {
        for (auto* r : *b->element_ratings()) {
          obs.ratings.push_back({Str(r->evaluation_element_title()), Thousandths(r->rating())});
        }
      }
      PutOrErase(observation.Mutable(f.person()), std::move(obs), sign);
      break;
    }
    case Body::GoalSet: {
      auto* b = f.As<schema::GoalSet>();
      PutOrErase(goal.Mutable(f.person()),
                 Goal{f.position, Str(b->goal_title()), std::string(f.program()),
                      DayOf(b->assignment_date())},
                 sign);
      break;
    }
    case Body::GoalCompleted: {
      auto* b = f.As<schema::GoalCompleted>();
      PutOrErase(goal_done.Mutable(f.person()),
                 GoalDone{f.position, Str(b->goal_title()), DayOf(b->completed_date()),
                          b->completed_indicator()},
                 sign);
      break;
    }
    default:
      break;
  }
}

void FactState::ApplyOutcomes(const Fact& f, int sign) {
  switch (f.type) {
    case Body::EvaluationRatingFinalized: {
      auto* b = f.As<schema::EvaluationRatingFinalized>();
      PutOrErase(rating.Mutable(f.person()),
                 Rating{f.position, f.school_year().value_or(0),
                        static_cast<int32_t>(b->performance_evaluation_rating_level()),
                        DayOf(b->actual_date()), Str(b->performance_evaluation_title())},
                 sign);
      break;
    }
    case Body::ProgramReviewed: {
      auto* b = f.As<schema::ProgramReviewed>();
      Decision d{f.position,
                 f.fiscal_year().value_or(0),
                 static_cast<int32_t>(b->decision()),
                 DayOf(b->decided_date()),
                 Str(b->rationale()),
                 {},
                 Str(b->report_origin()),
                 b->report_tree_size(),
                 std::string(reinterpret_cast<const char*>(b->report_root_hash()->data()),
                             b->report_root_hash()->size())};
      if (b->measures_reviewed() != nullptr) {
        for (auto* m : *b->measures_reviewed()) d.measures.push_back(m->str());
      }
      PutOrErase(decision.Mutable(f.program()), std::move(d), sign);
      break;
    }
    case Body::StudentOutcomeMeasured: {
      auto* b = f.As<schema::StudentOutcomeMeasured>();
      Outcome o{f.position,
                f.school_year().value_or(0),
                DayOf(b->fact_as_of_date()),
                Thousandths(b->student_growth_actual_score()),
                b->student_growth_target_score().has_value(),
                Thousandths(b->student_growth_target_score().value_or(0)),
                b->student_growth_met() ? 1 : 0,
                b->student_growth_n_count()};
      PutOrErase(outcome.Mutable(f.person()), std::move(o), sign);
      break;
    }
    case Body::TimeAndEffortCertified: {
      auto* b = f.As<schema::TimeAndEffortCertified>();
      Certification c{f.position, DayOf(b->period_begin_date()), DayOf(b->period_end_date()),
                      f.day, f.day_is_effective_date ? Certification::kEffectiveDate
                                                     : Certification::kOccurredAt,
                      {}};
      if (const int32_t signed_day = DayOf(b->signed_date()); signed_day != kNoDay) {
        c.certified_day = signed_day;
        c.certified_from = Certification::kSignedDate;
      }
      for (auto* split : *b->splits()) {
        if (split->share_basis_points() > 0) c.funds.push_back(Str(split->fund_code()));
      }
      PutOrErase(certification.Mutable(f.person()), std::move(c), sign);
      break;
    }
    default:
      break;
  }
}

}  // namespace evident::projections
