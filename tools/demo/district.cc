// The demo district's generator. docs/demo-data.md gives the figures it is
// shaped on; tools/demo/catalogue.cc holds its programmes.

#include "tools/demo/district.h"

#include <algorithm>
#include <cmath>

#include "tools/demo/generator.h"

namespace evident::demo {

const std::vector<SourceSystem>& SourceSystems() {
  static const std::vector<SourceSystem> kSystems = {
      {"hr-system",
       "human resources: sites, staff, assignments, substitute cover",
       {"SiteRegistered", "PersonRegistered", "AssignmentChanged", "SubstituteCoverageRecorded"}},
      {"pd-system",
       "professional-learning management: programmes, attendance, surveys",
       {"PersonRegistered", "AssignmentChanged", "ProgramDefined", "SessionScheduled",
        "ParticipantRegistered", "AttendanceRecorded", "ParticipationCompleted",
        "ReactionSurveySubmitted", "LearningAssessed", "OrganizationalSupportRecorded",
        "RecordCorrected", "RecordVoided"}},
      {"finance-system",
       "finance: budgets and costs by fund",
       {"BudgetAllocated", "CostIncurred", "RecordCorrected", "RecordVoided"}},
      {"evaluation-system",
       "educator evaluation: observations, goals, ratings",
       {"ObservationRecorded", "GoalSet", "GoalCompleted", "EvaluationRatingFinalized",
        "RecordCorrected", "RecordVoided"}},
      {"assessment-system",
       "student assessment: growth of each teacher's students",
       {"StudentOutcomeMeasured"}},
  };
  return kSystems;
}

namespace internal {

Generator::Generator(const DistrictOptions& options)
    : seed_(options.seed), rng_{options.seed}, site_count_(std::max(2, options.sites)) {}

District Generator::Run() {
  Sites();
  People();
  offerings_ = Catalogue(seed_, site_count_, Underserved());
  for (const Offering& o : offerings_) Define(o);
  for (const Offering& o : offerings_) Offer(o);
  for (int year = 0; year < 2; ++year) {
    Budgets(year);
    YearEnd(year);
  }
  Amend();
  return Finish();
}

std::string Generator::Emit(const char* source, const char* type, int day, const Fields& subject,
                            const Fields& body) {
  day = std::clamp(day, 0, kDays - 1);
  const std::string id = gen::EventId(seed_, next_++);
  const std::string date = DateOf(day);
  std::string json = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type +
                     "\",\"occurred_at\":\"" + date + "T16:00:00Z\",\"effective_date\":\"" + date +
                     "\",\"district_id\":\"" + kDistrictId + "\",\"source_system\":\"" + source +
                     "\",\"subject\":{" + subject.text() + "},\"body\":{" + body.text() + "}}";
  pending_.push_back({day, {source, type, date + "T16:00:00Z", std::move(json)}});
  return id;
}

int Generator::Between(int lo, int hi) {
  return lo + int(rng_.Below(uint64_t(std::max(1, hi - lo + 1))));
}

std::vector<int> Generator::Underserved() const {
  std::vector<int> out;
  for (int s = 0; s < site_count_; ++s) {
    if (sites_[s].underserved) out.push_back(s);
  }
  return out;
}

// Sites: two thirds elementary, then middle, high and one alternative
// school. Need is drawn for each; a few of the neediest are passed over by
// the site-based programmes (the under-served schools the report finds).
void Generator::Sites() {
  for (int s = 0; s < site_count_; ++s) {
    const double at = double(s) / site_count_;
    Site site;
    site.id = "s-" + std::to_string(101 + s);
    site.category = at < 0.65    ? "Elementary"
                    : at < 0.85  ? "Middle"
                    : at < 0.975 ? "High"
                                 : "Alternative";
    const int base = at < 0.65 ? 420 : at < 0.85 ? 850 : at < 0.975 ? 1500 : 180;
    site.enrollment = base + Between(-80, 160);
    site.poverty = 0.12 + 0.8 * double(rng_.Below(1000)) / 1000;
    sites_.push_back(site);
  }
  std::vector<int> by_need(site_count_);
  for (int s = 0; s < site_count_; ++s) by_need[s] = s;
  std::sort(by_need.begin(), by_need.end(),
            [&](int a, int b) { return sites_[a].poverty > sites_[b].poverty; });
  const int passed_over = std::max(1, site_count_ / 13);
  for (int i = 0; i < passed_over; ++i) sites_[by_need[1 + 2 * i]].underserved = true;
  for (const Site& site : sites_) {
    const double p = site.poverty;
    Emit(kHr, "SiteRegistered", 0, Fields().Str("site_id", site.id),
         Fields()
             .Str("school_category", site.category)
             .Int("enrollment", site.enrollment)
             .Num("students_in_poverty_share", p, 3)
             .Num("english_learner_share", 0.03 + 0.35 * p * (0.6 + 0.8 * rng_.Chance(0.5)), 3)
             .Num("foster_youth_share", 0.002 + 0.02 * p, 3)
             .Num("students_with_disabilities_share", 0.09 + 0.05 * rng_.Chance(0.5), 3));
  }
}

void Generator::Register(const char* source, const std::string& group, int site, int day, int year,
                         int64_t rate_cents, const char* position) {
  Person p;
  p.id = (Teaches(group) || group == "Classified" || group == "Administrator" ? "e-" : "f-") +
         std::to_string(10001 + people_.size());
  p.group[0] = year == 0 ? group : "";
  p.group[1] = year == 0 && group == "NewEmployeeOnboarding" ? "Certificated" : group;
  p.site = site;
  p.start_day = day;
  p.practice_milli = Between(2000, 2900);
  const uint64_t roll = rng_.Below(100);
  p.rating_level = roll < 15 ? 0 : roll < 85 ? 1 : 2;
  Fields body;
  body.Str("participant_group", group);
  if (position != nullptr) body.Str("position_title", position);
  if (rate_cents > 0) {
    body.Date("hire_date", year == 0 && day == 0 ? -1 - Between(0, 5000) : day);
    body.Int("hourly_cost_rate_cents", rate_cents);
  }
  Emit(source, "PersonRegistered", day, Fields().Str("person_id", p.id), body);
  Emit(source, "AssignmentChanged", day,
       Fields().Str("person_id", p.id).Str("site_id", sites_[site].id),
       Fields().Str("participant_group", group).Date("begin_date", day));
  people_.push_back(std::move(p));
}

// Staff in proportion to each site's students: a teacher for about 21, a
// classified employee for about 32, two to four administrators; new
// teachers in each year; families and neighbours the district invites.
void Generator::People() {
  for (int s = 0; s < site_count_; ++s) {
    const Site& site = sites_[s];
    const int teachers = site.enrollment / 21, classified = site.enrollment / 32;
    const int admins = 2 + (site.enrollment > 700) + (site.enrollment > 1300);
    for (int i = 0; i < teachers; ++i) {
      Register(kHr, "Certificated", s, 0, 0, 5200 + Between(0, 1800), "TCH");
    }
    for (int i = 0; i < classified; ++i) {
      Register(kHr, "Classified", s, 0, 0, 2400 + Between(0, 1000), "CLS");
    }
    for (int i = 0; i < admins; ++i) {
      Register(kHr, "Administrator", s, 0, 0, 7000 + Between(0, 1500), "ADM");
    }
    for (int year = 0; year < 2; ++year) {
      for (int i = 0, n = std::max(1, teachers * 7 / 100); i < n; ++i) {
        Register(kHr, "NewEmployeeOnboarding", s, year * kYearDays + Between(20, 40), year,
                 4600 + Between(0, 400), "TCH");
      }
    }
    for (int i = 0; i < 7; ++i) Register(kPd, "ParentCaregiver", s, 30, 0, 0, nullptr);
    Register(kPd, "CommunityMember", s, 30, 0, 0, nullptr);
  }
  for (Person& p : people_) {  // last year's new teachers are teachers now
    if (p.group[0] == "NewEmployeeOnboarding") {
      Emit(kHr, "AssignmentChanged", kYearDays,
           Fields().Str("person_id", p.id).Str("site_id", sites_[p.site].id),
           Fields().Str("participant_group", "Certificated").Date("begin_date", kYearDays));
    }
  }
}

void Generator::Define(const Offering& o) {
  Fields body;
  body.Str("professional_development_title", o.title)
      .Str("offered_by", o.category == "VendorContract" ? "Vendor" : "District")
      .Str("delivery_method", o.design == Design::kConference ? "Conference" : "Onsite")
      .Num("total_hours", o.sessions * o.minutes / 60.0, 1)
      .Str("activity_type", o.activity);
  if (!o.element.empty()) body.Raw("targeted_rubric_elements", "[\"" + o.element + "\"]");
  if (o.required) body.Bool("required", true);
  if (o.six_flags) {
    for (const char* flag : {"sustained", "intensive", "collaborative", "job_embedded",
                             "data_driven", "classroom_focused"}) {
      body.Bool(flag, true);
    }
  }
  const int start = o.year * kYearDays;
  Emit(kPd, "ProgramDefined", start + o.first_day - 30, Fields().Str("program_id", o.id), body);
  for (int s = 0; s < o.sessions; ++s) {
    Emit(kPd, "SessionScheduled", start + o.first_day - 25,
         Fields().Str("program_id", o.id).Str("session_id", SessionId(o, s)),
         Fields().Date("start_date", SessionDay(o, s)).Int("scheduled_minutes", o.minutes));
  }
}

std::string SessionId(const Offering& o, int s) { return o.id + "-" + std::to_string(s + 1); }
int SessionDay(const Offering& o, int s) {
  return o.year * kYearDays + o.first_day + s * o.spacing;
}

bool Generator::Eligible(const Offering& o, const Person& p) const {
  if (p.group[o.year] != o.audience) return false;
  if (p.start_day > SessionDay(o, 0) - 5) return false;
  return o.sites.empty() || std::find(o.sites.begin(), o.sites.end(), p.site) != o.sites.end();
}

double Generator::EnrolChance(const Offering& o, const Person& p) const {
  const Site& site = sites_[p.site];
  double chance = o.enrol;
  if (o.funding_source == "TitleIA") chance *= 0.4 + 1.2 * site.poverty;  // Title I follows need
  if (site.underserved) chance *= 0.35;
  return std::min(1.0, chance);
}

}  // namespace internal

District GenerateDistrict(const DistrictOptions& options) {
  return internal::Generator(options).Run();
}

}  // namespace evident::demo

namespace evident::demo {
namespace {

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string JsonLines(const District& district) {
  std::string text;
  for (const DemoEvent& e : district.events) text += e.json + "\n";
  return text;
}

std::string DescribeFacts(const DistrictFacts& f) {
  auto people = [&](const char* group) {
    auto it = f.people.find(group);
    return it == f.people.end() ? 0 : it->second;
  };
  const int staff = people("Certificated") + people("NewEmployeeOnboarding") +
                    people("Classified") + people("Administrator");
  return Thousands(f.sites) + " sites (" + Thousands(f.underserved_sites) + " under-served), " +
         Thousands(staff) + " staff (" + Thousands(people("Certificated")) + " teachers, " +
         Thousands(people("NewEmployeeOnboarding")) + " new teachers, " +
         Thousands(people("Classified")) + " classified, " + Thousands(people("Administrator")) +
         " administrators), " + Thousands(people("ParentCaregiver") + people("CommunityMember")) +
         " parents and community members, " + Thousands(f.programmes) + " programmes, " +
         Thousands(f.enrolments) + " enrolments (" + Thousands(f.no_shows) + " no-shows), " +
         Thousands(f.corrections) + " corrections and " + Thousands(f.voids) + " voids";
}

}  // namespace evident::demo
