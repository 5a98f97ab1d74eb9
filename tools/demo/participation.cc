// The demo district's participation and evidence: who enrols, attends and
// completes; what each level of evidence shows; what it cost; and the
// corrections and voids a real year brings.

#include <algorithm>

#include "tools/demo/generator.h"

namespace evident::demo::internal {
namespace {

// A design's evidence: sustained, job-embedded designs are observed more
// often afterwards and teach more (Darling-Hammond and others, 2017).
bool Sustained(Design d) {
  return d == Design::kCoaching || d == Design::kCommunity || d == Design::kMentoring ||
         d == Design::kLessonStudy;
}

bool OneDay(Design d) {
  return d == Design::kWorkshop || d == Design::kConference || d == Design::kParentWorkshop;
}

}  // namespace

void Generator::Offer(const Offering& o) {
  int participants = 0;
  substitute_days_ = 0;
  std::vector<bool> site_took_part(sites_.size(), false);
  for (Person& p : people_) {
    if (!Eligible(o, p) || !rng_.Chance(EnrolChance(o, p))) continue;
    ++participants;
    site_took_part[p.site] = true;
    Enrol(o, p);
  }
  // Level 3: the school's support for using what was learned.
  const double support = Sustained(o.design) ? 0.75 : o.design == Design::kSeries ? 0.3 : 0.08;
  static const char* kSupport[] = {"CollaborationTime", "ReleaseTime", "LeadershipAdvocacy",
                                   "Materials"};
  for (size_t s = 0; s < sites_.size(); ++s) {
    if (!site_took_part[s] || sites_[s].underserved || !rng_.Chance(support)) continue;
    const int day = SessionDay(o, 0) + 10;
    Emit(kPd, "OrganizationalSupportRecorded", day,
         Fields().Str("program_id", o.id).Str("site_id", sites_[s].id),
         Fields()
             .Str("support_type", kSupport[rng_.Below(4)])
             .Date("recorded_date", day)
             .Int("minutes", 30 * Between(2, 6)));
  }
  if (participants > 0) Costs(o, participants);
  ++facts_.programmes;
}

void Generator::Enrol(const Offering& o, Person& p) {
  ++facts_.enrolments;
  p.enrolled[o.year] = true;
  const Fields who = Fields().Str("person_id", p.id).Str("program_id", o.id);
  const int registered = SessionDay(o, 0) - Between(7, 21);
  Emit(kPd, "ParticipantRegistered", registered, who,
       Fields().Date("registration_date", registered));
  const bool no_show = rng_.Chance(OneDay(o.design) ? 0.07 : 0.02);
  facts_.no_shows += no_show;
  const int attended = Attend(o, p, no_show);
  if (no_show) return;
  const int last = SessionDay(o, o.sessions - 1);
  if (attended * 10 >= o.sessions * o.minutes * 8) {
    Emit(kPd, "ParticipationCompleted", last + 1, who,
         Fields().Date("activity_completion_date", last + 1));
  }
  Evidence(o, p, attended);
}

int Generator::Attend(const Offering& o, const Person& p, bool no_show) {
  int attended = 0;
  for (int s = 0; s < o.sessions; ++s) {
    const int day = SessionDay(o, s);
    const uint64_t roll = rng_.Below(100);
    const int minutes = no_show || roll >= 92 ? 0 : roll >= 88 ? o.minutes / 2 : o.minutes;
    const char* absent = no_show ? "UnexcusedAbsence" : "ExcusedAbsence";
    auto body = [day, absent, full = o.minutes](int64_t credited) {
      return Fields()
          .Date("attendance_date", day)
          .Str("attendance_event_category", credited == 0     ? absent
                                            : credited < full ? "Partial"
                                                              : "InAttendance")
          .Int("credited_minutes", credited);
    };
    Fields subject = Fields().Str("person_id", p.id).Str("program_id", o.id);
    subject.Str("session_id", SessionId(o, s));
    const std::string id = Emit(kPd, "AttendanceRecorded", day, subject, body(minutes));
    if (minutes == 0) continue;
    attended += minutes;
    attendance_.push_back({id, "AttendanceRecorded", kPd, subject, day, minutes, body});
    // Release time: a substitute covers the teacher's class.
    if (o.release_time && Teaches(p.group[o.year])) {
      const bool covered = rng_.Chance(0.93);
      Fields cover;
      cover.Str("staff_leave_event_category", "ProfessionalDevelopment")
          .Date("begin_date", day)
          .Bool("substitute_assigned", covered)
          .Int("covered_minutes", minutes);
      substitute_days_ += covered;  // paid through finance with the programme's costs
      Emit(kHr, "SubstituteCoverageRecorded", day,
           Fields().Str("person_id", p.id).Str("program_id", o.id), cover);
    }
  }
  return attended;
}

void Generator::Evidence(const Offering& o, Person& p, int attended_minutes) {
  const Fields who = Fields().Str("person_id", p.id).Str("program_id", o.id);
  const int first = SessionDay(o, 0), last = SessionDay(o, o.sessions - 1);
  // Level 1: participants like one-day events at least as much as the rest.
  if (rng_.Chance(0.75)) {
    Emit(kPd, "ReactionSurveySubmitted", last + 2, who,
         Fields()
             .Str("survey_identifier", o.id + "-exit")
             .Date("response_date", last + 2)
             .Int("evaluation_score", OneDay(o.design) ? Between(4, 5) : Between(3, 5))
             .Int("max_score", 5));
  }
  if (o.element.empty()) return;
  // Level 2: a check of what was learned, before and after.
  if (rng_.Chance(0.4)) {
    const int pre = Between(40, 70);
    const int gain = Sustained(o.design) ? Between(5, 35) : Between(-5, 20);
    for (int phase = 0; phase < 2; ++phase) {
      const int day = phase == 0 ? first - 2 : last + 3;
      Emit(kPd, "LearningAssessed", day, who,
           Fields()
               .Str("assessment_identifier", o.id + "-check")
               .Str("phase", phase == 0 ? "Pre" : "Post")
               .Date("assessed_date", day)
               .Int("score", phase == 0 ? pre : std::min(100, pre + gain))
               .Int("max_score", 100));
    }
  }
  if (!Teaches(p.group[o.year])) return;
  // Level 4: classroom observations before and after. Fewer than 14 hours of
  // learning rarely changes practice (Yoon and others, 2007).
  const double dose = attended_minutes >= 14 * 60 ? 1.0 : 0.6;
  const bool changed = rng_.Chance(o.effect * dose);
  p.changed[o.year] = p.changed[o.year] || changed;
  if (rng_.Chance(0.8)) Observe(p, first - Between(5, 25), true, false, o.element);
  const int after = Sustained(o.design) ? Between(1, 3) : Between(0, 2);
  for (int i = 0; i < after; ++i) {
    Observe(p, last + Between(10, 160), false, changed && (i > 0 || rng_.Chance(0.7)), o.element);
  }
  // Goals set with coaching and induction, met when practice changed.
  if ((o.design == Design::kCoaching || o.design == Design::kMentoring) && rng_.Chance(0.6)) {
    const std::string goal = "G-" + o.element + "-" + o.id.substr(3, 2);
    Emit(kEvaluation, "GoalSet", first, Fields().Str("person_id", p.id).Str("program_id", o.id),
         Fields()
             .Str("goal_title", goal)
             .Date("assignment_date", first)
             .Str("evaluation_element_title", o.element));
    if (changed) {
      Emit(kEvaluation, "GoalCompleted", last + Between(30, 60), Fields().Str("person_id", p.id),
           Fields()
               .Str("goal_title", goal)
               .Date("completed_date", last + Between(30, 60))
               .Bool("completed_indicator", true));
    }
  }
  // Level 5: the growth of the teacher's students, from the assessment
  // system, for the designs that work in classrooms over months.
  if (o.design == Design::kCoaching || o.design == Design::kLessonStudy) {
    if (rng_.Chance(changed ? 0.5 : 0.15)) {
      const int day = o.year * kYearDays + 350;
      Emit(kAssessment, "StudentOutcomeMeasured", day,
           Fields().Int("school_year", FiscalYear(o.year)).Str("person_id", p.id),
           Fields()
               .Str("student_growth_measure_identifier", "spring-growth")
               .Str("student_growth_type", "ScaleScoreGrowth")
               .Date("fact_as_of_date", day)
               .Int("student_growth_target_score", 50)
               .Int("student_growth_actual_score", changed ? Between(46, 68) : Between(35, 54))
               .Int("student_growth_n_count", Between(18, 30)));
    }
  }
}

// An unchanged teacher is rated as before or a little lower (most teachers
// do not improve in a given year: TNTP, 2015); a changed one clearly higher.
void Generator::Observe(const Person& p, int day, bool before, bool practice,
                        const std::string& element) {
  const int milli = practice ? std::min(3900, p.practice_milli + Between(600, 1200))
                    : before ? p.practice_milli
                             : p.practice_milli - 100 * Between(0, 3);
  const char* type = rng_.Chance(0.7) ? "Walkthrough" : "FormalObs";
  auto body = [=, reviewer = "e-reviewer-" + sites_[p.site].id.substr(2)](int64_t rating) {
    Fields element_rating;
    element_rating.Str("evaluation_element_title", element).Num("rating", rating / 1000.0, 1);
    return Fields()
        .Str("performance_evaluation_type", type)
        .Date("evaluation_date", day)
        .Str("reviewer_person_id", reviewer)
        .Raw("element_ratings", "[{" + element_rating.text() + "}]")
        .Bool("targeted_practice_observed", practice);
  };
  const Fields subject = Fields().Str("person_id", p.id);
  const std::string id = Emit(kEvaluation, "ObservationRecorded", day, subject, body(milli));
  observations_.push_back({id, "ObservationRecorded", kEvaluation, subject, day, milli, body});
}

}  // namespace evident::demo::internal
