#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "projections/table.h"

// The row types of the projection state (projections/state.h). Amounts are
// integer cents, ratings and scores integer thousandths, durations minutes and
// dates days since 1970: sums are exact, so retracting what was applied
// restores the row bit for bit.
namespace evident::projections {

#define EVIDENT_VISIT(...)                          \
  template <class Visitor>                          \
  void Visit(Visitor& v) {                          \
    auto fields = [&](auto&... f) { (v(f), ...); }; \
    fields(__VA_ARGS__);                            \
  }

struct PersonVersion {
  uint64_t pos = 0;
  int32_t group = 0;               // schema::ParticipantGroup
  int64_t hourly_rate_cents = -1;  // -1: not given
  EVIDENT_VISIT(pos, group, hourly_rate_cents)
};

struct AssignmentVersion {
  uint64_t pos = 0;
  std::string site;
  int32_t group = 0;
  int64_t hourly_rate_cents = -1;
  int32_t begin_day = 0;
  EVIDENT_VISIT(pos, site, group, hourly_rate_cents, begin_day)
};

struct SiteVersion {
  uint64_t pos = 0;
  int32_t category = 0;
  int64_t enrollment = -1;
  // Need attributes as basis points of students.
  int32_t poverty_bp = 0, english_learner_bp = 0, foster_bp = 0, disabilities_bp = 0;
  EVIDENT_VISIT(pos, category, enrollment, poverty_bp, english_learner_bp, foster_bp,
                disabilities_bp)
};

// The six ESEA 8101(42) flags, one bit each, in the schema's order.
constexpr uint32_t kSustained = 1, kIntensive = 2, kCollaborative = 4, kJobEmbedded = 8,
                   kDataDriven = 16, kClassroomFocused = 32, kAllSixFlags = 63;

struct ProgramVersion {
  uint64_t pos = 0;
  std::string title;
  bool required = false;
  int32_t activity_type = 0;
  uint32_t flags = 0;
  int32_t window_days = -1;  // -1: the default follow-up window
  std::vector<std::string> targeted_elements;
  EVIDENT_VISIT(pos, title, required, activity_type, flags, window_days, targeted_elements)
};

// One line of spend: what, from which fund, in which fiscal year.
struct CostLine {
  int32_t category = 0;  // schema::CostCategory
  std::string fund;      // fund code
  int32_t source = 0;    // schema::FundingSource
  int32_t fiscal_year = 0;
  int64_t cents = 0;
  EVIDENT_VISIT(category, fund, source, fiscal_year, cents)
  bool SameBucket(const CostLine& o) const {
    return category == o.category && fund == o.fund && source == o.source &&
           fiscal_year == o.fiscal_year;
  }
};

// Spend lines merged by bucket; a bucket that sums to zero is dropped.
struct CostLines {
  std::vector<CostLine> lines;
  bool empty() const { return lines.empty(); }
  void Add(const CostLine& line, int sign);
  EVIDENT_VISIT(lines)
};

// Minutes credited on one day in one session.
struct SessionDay {
  int32_t day = 0;
  std::string session;
  int64_t minutes = 0;
  EVIDENT_VISIT(day, session, minutes)
};

struct Attendance {
  std::vector<SessionDay> days;  // sorted by (day, session); no zero entries
  int64_t records = 0;           // attendance events
  int64_t present = 0;  // of which present (in attendance, partial, tardy, early departure)
  int64_t registrations = 0;
  bool empty() const { return days.empty() && records == 0 && present == 0 && registrations == 0; }
  void AddMinutes(int32_t day, const std::string& session, int64_t minutes);
  EVIDENT_VISIT(days, records, present, registrations)
};

struct DayItem {  // a completion, by position
  uint64_t pos = 0;
  int32_t day = 0;
  EVIDENT_VISIT(pos, day)
};

struct ElementRating {
  std::string element;
  int64_t milli = 0;
  EVIDENT_VISIT(element, milli)
};

struct Observation {
  uint64_t pos = 0;
  int32_t day = 0;
  bool practice_observed = false;
  std::vector<ElementRating> ratings;
  EVIDENT_VISIT(pos, day, practice_observed, ratings)
};

struct Learning {
  uint64_t pos = 0;
  int32_t phase = 0;  // schema::AssessmentPhase
  int32_t day = 0;
  int64_t score_bp = 0;  // score / max_score, in basis points
  EVIDENT_VISIT(pos, phase, day, score_bp)
};

struct Goal {
  uint64_t pos = 0;
  std::string title;
  std::string program;  // the support named for it, or empty
  int32_t assigned_day = 0;
  EVIDENT_VISIT(pos, title, program, assigned_day)
};

struct GoalDone {
  uint64_t pos = 0;
  std::string title;
  int32_t day = 0;
  bool completed = false;
  EVIDENT_VISIT(pos, title, day, completed)
};

struct Rating {
  uint64_t pos = 0;
  int32_t school_year = 0;
  int32_t level = 0;  // schema::RatingLevel, 1..5
  int32_t day = 0;
  std::string instrument;  // performance_evaluation_title
  EVIDENT_VISIT(pos, school_year, level, day, instrument)
};

// The office's decision about a programme after reviewing a fiscal year.
struct Decision {
  uint64_t pos = 0;
  int32_t fiscal_year = 0;  // the year reviewed
  int32_t decision = 0;     // schema::ReviewDecision
  int32_t day = 0;          // decided_date
  std::string rationale;
  std::vector<std::string> measures;
  std::string report_origin;
  uint64_t report_size = 0;
  std::string report_root;  // 32 bytes
  EVIDENT_VISIT(pos, fiscal_year, decision, day, rationale, measures, report_origin, report_size,
                report_root)
};

struct Outcome {
  uint64_t pos = 0;
  int32_t school_year = 0;
  int32_t day = 0;
  int64_t actual_milli = 0;
  bool has_target = false;
  int64_t target_milli = 0;
  int32_t met = 0;  // student_growth_met: 1 yes, 0 no or not given
  int64_t students = 0;
  EVIDENT_VISIT(pos, school_year, day, actual_milli, has_target, target_milli, met, students)
};

struct Coaching {
  uint64_t pos = 0;
  std::string program;  // empty when the session names none
  int32_t day = 0;
  int64_t minutes = 0;
  EVIDENT_VISIT(pos, program, day, minutes)
};

struct Certification {
  uint64_t pos = 0;
  int32_t begin_day = 0, end_day = 0;
  int32_t certified_day = 0;
  // Where certified_day came from: kSignedDate, kEffectiveDate or kOccurredAt.
  int32_t certified_from = 0;
  std::vector<std::string> funds;
  EVIDENT_VISIT(pos, begin_day, end_day, certified_day, certified_from, funds)
  enum DateFrom : int32_t { kSignedDate = 0, kEffectiveDate = 1, kOccurredAt = 2 };
};

// A cost as the compliance view lists it.
struct Charge {
  uint64_t pos = 0;
  std::string event_id;  // 16 bytes
  std::string person;    // empty for programme costs
  std::string program;
  int32_t day = 0;
  CostLine line;
  EVIDENT_VISIT(pos, event_id, person, program, day, line)
  bool empty() const { return event_id.empty(); }
};

// A correction or void as it was applied.
struct Amendment {
  std::string event_id;  // of the correction or void
  std::string target;    // the event it amends
  bool voided = false;
  std::string reason;
  std::string signer;  // principal id, or the key id in hex if unknown
  int32_t day = 0;
  std::string outcome;  // "applied", or why it was not
  // The position of the event it names (an id names one event of each
  // principal); -1 when it names none.
  int64_t amended_position = -1;
  EVIDENT_VISIT(event_id, target, voided, reason, signer, day, outcome, amended_position)
  bool empty() const { return event_id.empty(); }
};

// Where an amended event's body now comes from: the last correction still
// standing (else the original), its subject from the last standing
// correction that carries one. A void of a correction takes it off both.
struct AmendedState {
  std::vector<uint64_t> corrections;   // standing corrections, in log order
  std::vector<uint64_t> with_subject;  // those of them that carry a subject
  bool voided = false;
  EVIDENT_VISIT(corrections, with_subject, voided)
  bool corrected() const { return !corrections.empty(); }
  bool empty() const { return !voided && corrections.empty(); }
};

struct Principal {
  std::string principal;
  int32_t role = 0;
  EVIDENT_VISIT(principal, role)
  bool empty() const { return principal.empty(); }
};

}  // namespace evident::projections
