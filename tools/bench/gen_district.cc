// evident-gen-district: one school year (fiscal 2025) of a sample district
// as JSON Lines, deterministic for a seed: 24 sites of differing need, about
// 900 staff and parents, ten programmes with their costs and funds, and the
// evidence Guskey's five levels ask for. The shape follows the published
// figures in the project's domain notes: most enrolments are short (under 14
// hours) with a tail of sustained programmes near 49 hours; coaching changes
// practice far more often than one-off workshops; about three in ten teachers
// show changed practice. It is a sample for the board report and its
// pictures, not data about any real district.
//
// usage: evident-gen-district [--seed S]

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "tools/bench/gen_util.h"

namespace {

using evident::gen::Rng;

struct Programme {
  const char* id;
  const char* title;
  const char* activity;
  const char* audience;  // the participant group it is for
  bool all_six_flags;
  bool required;
  int sessions, minutes_per_session;
  int first_month;       // of the school year: 0 = August
  const char* category;  // of its pooled cost
  int64_t cost_cents;
  const char* fund;
  const char* source;
  double practice_after;         // chance an observation after it shows the practice
  double enrol_low, enrol_high;  // chance of enrolling, at the least and most needy site
};

constexpr Programme kProgrammes[] = {
    {"pd-math-coaching", "Math coaching cycles", "CoachingCycle", "Certificated", true, false, 10,
     300, 1, "VendorContract", 26000000, "4035", "TitleIIA", 0.55, 0.10, 0.45},
    {"pd-literacy", "Early literacy institute", "Workshop", "Certificated", false, false, 5, 300, 1,
     "VendorContract", 14500000, "3010", "TitleIA", 0.30, 0.05, 0.40},
    {"pd-induction", "New teacher induction", "Mentoring", "NewEmployeeOnboarding", true, false, 12,
     260, 0, "Stipend", 9600000, "6266", "StateGrant", 0.45, 0.9, 0.9},
    {"pd-behaviour", "Positive classroom behaviour", "Workshop", "Certificated", false, false, 2,
     180, 2, "VendorContract", 4800000, "0000", "LocalGeneral", 0.15, 0.25, 0.35},
    {"pd-el-strategies", "English learner strategies", "LearningCommunity", "Certificated", true,
     false, 8, 150, 2, "Registration", 6200000, "4203", "TitleIIIA", 0.40, 0.05, 0.30},
    {"pd-inclusion", "Inclusive practices", "Workshop", "Certificated", false, false, 4, 180, 3,
     "VendorContract", 5100000, "3310", "IDEA", 0.25, 0.12, 0.18},
    {"pd-leadership", "Instructional leadership academy", "LearningCommunity", "Administrator",
     true, false, 8, 270, 1, "VendorContract", 7400000, "4035", "TitleIIA", 0.35, 0.8, 0.8},
    {"pd-safety", "Safety and mandated reporting", "Workshop", "Classified", false, true, 1, 120, 0,
     "Materials", 900000, "0000", "LocalGeneral", 0.0, 0.9, 0.9},
    {"pd-family-math", "Family math nights", "ParentCommunityWorkshop", "ParentCaregiver", false,
     false, 3, 90, 4, "Materials", 1100000, "4127", "TitleIVA", 0.0, 0.2, 0.7},
    {"pd-lesson-study", "Lesson study teams", "LessonStudy", "Certificated", true, false, 6, 240, 4,
     "Substitute", 3900000, "9010", "PrivateGrant", 0.50, 0.04, 0.10},
};

constexpr const char* kElement = "3b";  // the rubric element the programmes target

std::string Date(int day) {  // day 0 = 2024-08-01; the school year ends 2025-06-30
  static const int kMonthDays[] = {31, 30, 31, 30, 31, 31, 28, 31, 30, 31, 30};
  static const int kMonths[] = {8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6};
  day = std::clamp(day, 0, 333);
  int m = 0;
  while (day >= kMonthDays[m]) day -= kMonthDays[m++];
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", kMonths[m] >= 8 ? 2024 : 2025, kMonths[m],
                day + 1);
  return buf;
}

int MonthStart(int month) {
  static const int kStarts[] = {0, 31, 61, 92, 122, 153, 184, 212, 243, 273, 304};
  return kStarts[std::clamp(month, 0, 10)];
}

std::string Q(const std::string& key, const std::string& value) {
  return "\"" + key + "\":\"" + value + "\"";
}
std::string N(const std::string& key, int64_t value) {
  return "\"" + key + "\":" + std::to_string(value);
}
std::string Share(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", x);
  return buf;
}

struct Person {
  std::string id, group;
  int site;
  bool in_any = false;
};

class District {
 public:
  explicit District(uint64_t seed) : seed_(seed), rng_{seed} {}

  void Generate() {
    Sites();
    People();
    for (const Programme& p : kProgrammes) Define(p);
    Budgets();
    for (const Programme& p : kProgrammes) Run(p);
    Obligations();
  }

 private:
  void Emit(const char* type, int day, const std::string& subject, const std::string& body) {
    evident::gen::Emit(seed_, next_++, type, Date(day), subject, body, "lea-0640099",
                       "sample-district");
  }

  void Sites() {
    static const char* kCategories[] = {"Elementary", "Elementary", "Elementary", "Middle", "High"};
    for (int s = 0; s < kSites; ++s) {
      poverty_[s] = 0.12 + 0.78 * double(s) / (kSites - 1);  // site 0 least, 23 most
      const double el = 0.04 + 0.35 * poverty_[s] * (0.7 + 0.6 * double(rng_.Below(100)) / 100);
      Emit("SiteRegistered", 0, Q("site_id", SiteId(s)),
           Q("school_category", kCategories[s % 5]) + "," + N("enrollment", 350 + rng_.Below(900)) +
               ",\"students_in_poverty_share\":" + Share(poverty_[s]) +
               ",\"english_learner_share\":" + Share(el) + ",\"foster_youth_share\":" +
               Share(0.002 + 0.02 * poverty_[s]) + ",\"students_with_disabilities_share\":" +
               Share(0.09 + 0.06 * double(rng_.Below(100)) / 100));
    }
  }

  void People() {
    struct Mix {
      const char* group;
      int per_site;
      int64_t rate_cents;
    };
    static const Mix kMix[] = {{"Certificated", 24, 5800},
                               {"Classified", 7, 2900},
                               {"Administrator", 2, 7400},
                               {"NewEmployeeOnboarding", 2, 4600},
                               {"ParentCaregiver", 3, 0}};
    int n = 0;
    for (int s = 0; s < kSites; ++s) {
      for (const Mix& m : kMix) {
        const int count = m.per_site + int(rng_.Below(3)) - 1;
        for (int i = 0; i < count; ++i) {
          Person p{"e-" + std::to_string(10000 + n++), m.group, s};
          std::string body = Q("participant_group", m.group);
          if (m.rate_cents > 0) body += "," + N("hourly_cost_rate_cents", m.rate_cents);
          Emit("PersonRegistered", 0, Q("person_id", p.id), body);
          Emit("AssignmentChanged", 0, Q("person_id", p.id) + "," + Q("site_id", SiteId(s)),
               Q("participant_group", m.group) + ",\"begin_date\":\"2024-07-01\"");
          people_.push_back(p);
        }
      }
    }
  }

  void Define(const Programme& p) {
    std::string body =
        Q("professional_development_title", p.title) + "," +
        Q("offered_by", std::string(p.category) == "VendorContract" ? "Vendor" : "District") + "," +
        Q("delivery_method", "Onsite") + "," +
        N("total_hours", p.sessions * p.minutes_per_session / 60) + "," +
        Q("activity_type", p.activity) + ",\"targeted_rubric_elements\":[\"" + kElement + "\"]";
    if (p.required) body += ",\"required\":true";
    if (p.all_six_flags) {
      body +=
          ",\"sustained\":true,\"intensive\":true,\"collaborative\":true,"
          "\"job_embedded\":true,\"data_driven\":true,\"classroom_focused\":true";
    }
    Emit("ProgramDefined", 0, Q("program_id", p.id), body);
  }

  void Budgets() {
    std::vector<std::pair<std::string, std::string>> funds;
    for (const Programme& p : kProgrammes) {
      if (std::find(funds.begin(), funds.end(),
                    std::make_pair(std::string(p.fund), std::string(p.source))) == funds.end()) {
        funds.emplace_back(p.fund, p.source);
      }
    }
    for (const auto& [fund, source] : funds) {
      int64_t planned = 0;
      for (const Programme& p : kProgrammes) {
        if (fund == p.fund) planned += p.cost_cents;
      }
      planned = planned / 100 * (95 + int64_t(rng_.Below(15)));  // a budget near the spend
      Emit("BudgetAllocated", 0, N("fiscal_year", 2025),
           Q("fund_code", fund) + "," + Q("funding_source", source) + "," +
               N("amount_cents", planned));
    }
  }

  // Enrolment, attendance, completion and the evidence at each level.
  void Run(const Programme& p) {
    const int first = MonthStart(p.first_month) + 5;
    const int spacing = std::max(7, 120 / std::max(1, p.sessions));
    const int last = first + (p.sessions - 1) * spacing;
    int enrolled = 0;
    std::vector<bool> site_support(kSites, false);
    for (Person& person : people_) {
      if (person.group != p.audience) continue;
      const double need =
          (poverty_[person.site] - poverty_[0]) / (poverty_[kSites - 1] - poverty_[0]);
      if (!rng_.Chance(p.enrol_low + (p.enrol_high - p.enrol_low) * need)) continue;
      ++enrolled;
      person.in_any = true;
      const std::string who = Q("person_id", person.id) + "," + Q("program_id", p.id);
      const bool teacher =
          person.group == "Certificated" || person.group == "NewEmployeeOnboarding";
      if (teacher) Observe(person, first - 20 - int(rng_.Below(15)), false);
      int attended = 0;
      for (int s = 0; s < p.sessions; ++s) {
        const bool present = rng_.Chance(0.9);
        const int minutes = present ? p.minutes_per_session : 0;
        attended += minutes;
        Emit("AttendanceRecorded", first + s * spacing,
             who + "," + Q("session_id", std::string(p.id) + "-" + std::to_string(s + 1)),
             "\"attendance_date\":\"" + Date(first + s * spacing) + "\"," +
                 Q("attendance_event_category", present ? "InAttendance" : "ExcusedAbsence") + "," +
                 N("credited_minutes", minutes));
      }
      if (attended * 10 >= p.sessions * p.minutes_per_session * 8) {
        Emit("ParticipationCompleted", last + 1, who,
             "\"activity_completion_date\":\"" + Date(last + 1) + "\"");
      }
      if (rng_.Chance(0.8)) {
        Emit("ReactionSurveySubmitted", last + 2, who,
             Q("survey_identifier", std::string(p.id) + "-exit") + ",\"response_date\":\"" +
                 Date(last + 2) + "\"," + N("evaluation_score", 3 + int64_t(rng_.Below(3))) + "," +
                 N("max_score", 5));
      }
      if (p.practice_after > 0 && rng_.Chance(0.55)) {
        const int64_t pre = 40 + int64_t(rng_.Below(30));
        for (int phase = 0; phase < 2; ++phase) {
          const int day = phase == 0 ? first - 2 : last + 3;
          Emit("LearningAssessed", day, who,
               Q("assessment_identifier", std::string(p.id) + "-check") + "," +
                   Q("phase", phase == 0 ? "Pre" : "Post") + ",\"assessed_date\":\"" + Date(day) +
                   "\"," + N("score", phase == 0 ? pre : pre + int64_t(rng_.Below(35))) + "," +
                   N("max_score", 100));
        }
      }
      site_support[person.site] = site_support[person.site] || rng_.Chance(0.4);
      if (teacher && p.practice_after > 0) {
        const int observations = int(rng_.Below(4));  // 0 to 3 after the programme
        const bool changed = rng_.Chance(p.practice_after);
        for (int o = 0; o < observations; ++o) {
          Observe(person, last + 10 + int(rng_.Below(std::max(1, 320 - last - 10))),
                  changed && (o > 0 || rng_.Chance(0.6)));
        }
        if (changed && std::string(p.activity) == "CoachingCycle" && rng_.Chance(0.5)) {
          Emit("StudentOutcomeMeasured", 318,
               N("school_year", 2025) + "," + Q("person_id", person.id),
               Q("student_growth_measure_identifier", "math-growth") + "," +
                   Q("student_growth_type", "ScaleScoreGrowth") +
                   ",\"fact_as_of_date\":\"2025-06-15\",\"student_growth_target_score\":50,"
                   "\"student_growth_actual_score\":" +
                   std::to_string(45 + rng_.Below(20)) +
                   ",\"student_growth_n_count\":" + std::to_string(18 + rng_.Below(12)));
        }
      }
    }
    for (int s = 0; s < kSites; ++s) {
      if (!site_support[s]) continue;
      Emit("OrganizationalSupportRecorded", first + 10,
           Q("program_id", p.id) + "," + Q("site_id", SiteId(s)),
           Q("support_type", "CollaborationTime") + ",\"recorded_date\":\"" + Date(first + 10) +
               "\"," + N("minutes", 90));
    }
    if (enrolled > 0) {
      Emit("CostIncurred", last, Q("program_id", p.id) + "," + N("fiscal_year", 2025),
           Q("category", p.category) + "," + N("amount_cents", p.cost_cents) +
               ",\"allocation\":\"PerParticipant\"," + Q("fund_code", p.fund) + "," +
               Q("funding_source", p.source) + "," +
               Q("invoice_number", std::string("INV-") + p.id) + "," +
               Q("purchase_order_number", std::string("PO-") + p.id));
    }
  }

  void Observe(const Person& person, int day, bool practice) {
    const int64_t milli =
        practice ? 3000 + int64_t(rng_.Below(1000)) : 2000 + int64_t(rng_.Below(900));
    Emit("ObservationRecorded", day, Q("person_id", person.id),
         Q("performance_evaluation_type", "InformalObs") + ",\"evaluation_date\":\"" + Date(day) +
             "\",\"reviewer_person_id\":\"e-reviewer\",\"element_ratings\":[{" +
             Q("evaluation_element_title", kElement) + ",\"rating\":" +
             std::to_string(milli / 1000) + "." + std::to_string(milli % 1000 / 100) + "}]," +
             "\"targeted_practice_observed\":" + (practice ? "true" : "false"));
  }

  // Expectations without support: goals and low ratings for teachers the
  // district invested nothing in this year.
  void Obligations() {
    for (const Person& person : people_) {
      if (person.group != "Certificated" || person.in_any) continue;
      if (rng_.Chance(0.25)) {
        Emit("GoalSet", 40, Q("person_id", person.id),
             Q("goal_title", "G-3B-QUESTIONING") + ",\"assignment_date\":\"" + Date(40) + "\"");
      }
      if (rng_.Chance(0.12)) {
        Emit("EvaluationRatingFinalized", 300,
             Q("person_id", person.id) + "," + N("school_year", 2025),
             Q("performance_evaluation_title", "Annual summative") + ",\"actual_date\":\"" +
                 Date(300) + "\"," + Q("performance_evaluation_rating_level", "Developing"));
      }
    }
    // The year's last record: the report's as-of date is June 30, 2025.
    Emit("BudgetAllocated", 333, N("fiscal_year", 2026),
         Q("fund_code", "4035") + "," + Q("funding_source", "TitleIIA") + "," +
             N("amount_cents", 30000000) + "," + Q("plan_reference", "LCAP-2.3"));
  }

  static std::string SiteId(int s) { return "s-" + std::to_string(101 + s); }

  static constexpr int kSites = 24;
  uint64_t seed_;
  Rng rng_;
  uint64_t next_ = 0;
  double poverty_[kSites] = {};
  std::vector<Person> people_;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 2025;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  std::ios::sync_with_stdio(false);
  District(seed).Generate();
  return 0;
}
