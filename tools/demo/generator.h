#pragma once

// The demo district's generator, shared by its two source files:
// district.cc (sites, people, programmes), participation.cc (enrolment,
// attendance, evidence) and year_end.cc (costs, budgets, ratings,
// amendments). Internal to tools/demo.

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tools/bench/gen_util.h"
#include "tools/demo/catalogue.h"
#include "tools/demo/district.h"
#include "tools/demo/fields.h"

namespace evident::demo::internal {

constexpr char kHr[] = "hr-system", kPd[] = "pd-system", kFinance[] = "finance-system",
               kEvaluation[] = "evaluation-system", kAssessment[] = "assessment-system";

struct Site {
  std::string id;
  const char* category;
  int enrollment;
  double poverty;
  bool underserved = false;
};

struct Person {
  std::string id;
  std::string group[2];  // in each fiscal year ("" before they joined)
  int site;
  int start_day;  // hired or first registered
  bool enrolled[2] = {false, false};
  bool changed[2] = {false, false};
  int practice_milli = 0;  // observed practice before any change, 2.0-2.9
  int rating_level = 0;    // 0 Developing, 1 Effective, 2 Highly effective
};

// An event kept so that a later one can amend it: `remake` gives its body
// with another amount (minutes, cents or thousandths of a rating point).
struct Kept {
  std::string id, type;
  const char* source;
  Fields subject;
  int day;
  int64_t amount;
  std::function<Fields(int64_t amount)> remake;
};

inline bool Teaches(const std::string& group) {
  return group == "Certificated" || group == "NewEmployeeOnboarding";
}

class Generator {
 public:
  explicit Generator(const DistrictOptions& options);
  District Run();

 private:
  // Adds one event dated `day`; returns its id.
  std::string Emit(const char* source, const char* type, int day, const Fields& subject,
                   const Fields& body);
  int Between(int lo, int hi);

  // district.cc
  void Sites();
  void People();
  void Register(const char* source, const std::string& group, int site, int day, int year,
                int64_t rate_cents, const char* position);
  void Define(const Offering& o);
  std::vector<int> Underserved() const;

  bool Eligible(const Offering& o, const Person& p) const;
  double EnrolChance(const Offering& o, const Person& p) const;

  // participation.cc
  void Offer(const Offering& o);
  void Enrol(const Offering& o, Person& p);
  // Records each session; returns the minutes attended.
  int Attend(const Offering& o, const Person& p, bool no_show);
  void Evidence(const Offering& o, Person& p, int attended_minutes);
  // `before` a programme; `practice`: the targeted practice is seen.
  void Observe(const Person& p, int day, bool before, bool practice, const std::string& element);

  // year_end.cc
  void Costs(const Offering& o, int participants);
  void Budgets(int year);
  void YearEnd(int year);
  void Amend();
  District Finish();

  struct Pending {
    int day;
    DemoEvent event;
  };

  uint64_t seed_;
  gen::Rng rng_;
  int site_count_;
  uint64_t next_ = 0;
  std::vector<Site> sites_;
  std::vector<Person> people_;
  std::vector<Offering> offerings_;
  std::vector<Pending> pending_;
  std::map<std::pair<std::string, std::string>, int64_t> spent_[2];  // (fund, source) -> cents
  std::vector<Kept> costs_, attendance_, observations_;
  int substitute_days_ = 0;  // for the offering being run
  DistrictFacts facts_;
};

std::string SessionId(const Offering& o, int session);
int SessionDay(const Offering& o, int session);  // day of the two years

}  // namespace evident::demo::internal
