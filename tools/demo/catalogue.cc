// The demo district's catalogue. docs/demo-data.md explains the figures.
//
// Each year offers about 56 programmes: 22 one-day workshops, 6 series, 5
// conferences, 4 coaching programmes, a learning community at about a
// quarter of the sites, induction, two lesson-study groups, an orientation,
// a leadership academy and 5 family workshops.

#include "tools/demo/catalogue.h"

#include <algorithm>
#include <numeric>

#include "tools/bench/gen_util.h"
#include "tools/demo/fields.h"

namespace evident::demo {
namespace {

using gen::Rng;

struct Topic {
  const char* slug;
  const char* title;
  const char* audience;
  const char* element;
  const char* fund_code;
  const char* source;
};

// One-day workshops. Funds follow what each topic may be paid from.
constexpr Topic kWorkshops[] = {
    {"assessment", "Assessment for learning", "Certificated", "3d", "4035", "TitleIIA"},
    {"questioning", "Questioning and discussion", "Certificated", "3b", "4035", "TitleIIA"},
    {"trauma", "Trauma-informed classrooms", "Certificated", "2a", "0000", "LocalGeneral"},
    {"digital", "Digital tools for instruction", "Certificated", "3c", "0000", "LocalGeneral"},
    {"udl", "Universal design for learning", "Certificated", "1e", "3310", "IDEA"},
    {"responsive", "Culturally responsive teaching", "Certificated", "2a", "3010", "TitleIA"},
    {"engagement", "Student engagement strategies", "Certificated", "3c", "0000", "LocalGeneral"},
    {"writing", "Writing across the curriculum", "Certificated", "3c", "3010", "TitleIA"},
    {"vocabulary", "Academic vocabulary", "Certificated", "3a", "4203", "TitleIIIA"},
    {"formative", "Formative data in the classroom", "Certificated", "3d", "4035", "TitleIIA"},
    {"restorative", "Restorative practices", "Certificated", "2d", "0000", "LocalGeneral"},
    {"small-groups", "Differentiated small groups", "Certificated", "3c", "3010", "TitleIA"},
    {"science", "Science and engineering practices", "Certificated", "3c", "0000", "LocalGeneral"},
    {"math-talk", "Mathematical discourse", "Certificated", "3b", "4035", "TitleIIA"},
    {"reading", "Reading intervention basics", "Certificated", "1e", "3310", "IDEA"},
    {"routines", "Classroom routines and procedures", "Certificated", "2c", "0000", "LocalGeneral"},
    {"safety", "Safety and mandated reporting", "Classified", "", "0000", "LocalGeneral"},
    {"para", "Paraeducator instructional support", "Classified", "", "3010", "TitleIA"},
    {"deescalation", "Supervision and de-escalation", "Classified", "", "0000", "LocalGeneral"},
    {"front-office", "Serving families at the front office", "Classified", "", "0000",
     "LocalGeneral"},
    {"calibration", "Evaluator calibration", "Administrator", "", "4035", "TitleIIA"},
    {"title-i", "School budgeting under Title I", "Administrator", "", "3010", "TitleIA"},
};

constexpr Topic kSeries[] = {
    {"early-literacy", "Early literacy foundations", "Certificated", "1e", "3010", "TitleIA"},
    {"el-strategies", "English learner strategies", "Certificated", "3a", "4203", "TitleIIIA"},
    {"inclusion", "Inclusive practices", "Certificated", "1e", "3310", "IDEA"},
    {"behaviour", "Positive classroom behaviour", "Certificated", "2d", "0000", "LocalGeneral"},
    {"math-content", "Mathematics content institute", "Certificated", "3b", "4035", "TitleIIA"},
    {"sel", "Social-emotional learning", "Certificated", "2a", "4127", "TitleIVA"},
};

constexpr Topic kConferences[] = {
    {"reading-conf", "State reading conference", "Certificated", "1e", "4035", "TitleIIA"},
    {"math-conf", "Mathematics teachers' conference", "Certificated", "3b", "4035", "TitleIIA"},
    {"edtech-conf", "Educational technology conference", "Certificated", "3c", "0000",
     "LocalGeneral"},
    {"sped-conf", "Special education law conference", "Certificated", "", "3310", "IDEA"},
    {"leaders-conf", "School leaders' conference", "Administrator", "", "4035", "TitleIIA"},
};

constexpr Topic kCoaching[] = {
    {"math-coaching", "Math coaching cycles", "Certificated", "3b", "4035", "TitleIIA"},
    {"literacy-coaching", "Literacy coaching cycles", "Certificated", "3c", "3010", "TitleIA"},
    {"science-coaching", "Science coaching cycles", "Certificated", "3c", "4035", "TitleIIA"},
    {"el-coaching", "English learner coaching cycles", "Certificated", "3a", "4203", "TitleIIIA"},
};

constexpr Topic kFamily[] = {
    {"family-math", "Family math nights", "ParentCaregiver", "", "3010", "TitleIA"},
    {"family-literacy", "Family literacy evenings", "ParentCaregiver", "", "3010", "TitleIA"},
    {"family-el", "Supporting English learners at home", "ParentCaregiver", "", "4203",
     "TitleIIIA"},
    {"family-college", "College and career for families", "ParentCaregiver", "", "4127",
     "TitleIVA"},
    {"community-safety", "Digital safety for families and neighbours", "CommunityMember", "",
     "4127", "TitleIVA"},
};

class Builder {
 public:
  Builder(uint64_t seed, int sites, const std::vector<int>& underserved)
      : rng_{seed ^ 0x636174616c6f67ULL}, sites_(sites), underserved_(underserved) {}

  std::vector<Offering> Build() {
    for (int year = 0; year < 2; ++year) {
      for (const Topic& t : kWorkshops) Workshop(year, t);
      for (const Topic& t : kSeries) Series(year, t);
      for (const Topic& t : kConferences) Conference(year, t);
      for (size_t i = 0; i < std::size(kCoaching); ++i) Coaching(year, kCoaching[i], i == 0);
      Communities(year);
      Induction(year);
      LessonStudy(year);
      Academy(year);
      for (const Topic& t : kFamily) Family(year, t);
    }
    return std::move(offerings_);
  }

 private:
  Offering& Add(int year, const Topic& t, Design design, const char* activity) {
    Offering o;
    o.id = "pd-" + std::to_string(FiscalYear(year) % 100) + "-" + t.slug;
    o.title = t.title;
    o.design = design;
    o.year = year;
    o.audience = t.audience;
    o.activity = activity;
    o.element = t.element;
    o.fund_code = t.fund_code;
    o.funding_source = t.source;
    offerings_.push_back(std::move(o));
    return offerings_.back();
  }

  int Between(int lo, int hi) { return lo + int(rng_.Below(uint64_t(hi - lo + 1))); }

  // `count` sites drawn at random, none of them under-served.
  std::vector<int> SomeSites(int count) {
    std::vector<int> pool;
    for (int s = 0; s < sites_; ++s) {
      if (std::find(underserved_.begin(), underserved_.end(), s) == underserved_.end()) {
        pool.push_back(s);
      }
    }
    for (size_t i = 0; i + 1 < pool.size(); ++i) {  // Fisher-Yates, the first `count`
      std::swap(pool[i], pool[i + rng_.Below(pool.size() - i)]);
    }
    pool.resize(std::min<size_t>(pool.size(), size_t(std::max(1, count))));
    std::sort(pool.begin(), pool.end());
    return pool;
  }

  int Scaled(double share) { return int(sites_ * share + 0.5); }

  void Workshop(int year, const Topic& t) {
    const bool vendor = rng_.Chance(0.5);
    Offering& o = Add(year, t, Design::kWorkshop, "Workshop");
    o.sessions = 1;
    o.minutes = Between(10, 13) * 30;
    o.first_day = Between(35, 300);
    o.required = std::string(t.slug) == "safety";
    o.enrol = o.required ? 0.92 : t.audience == std::string("Certificated") ? 0.13 : 0.3;
    o.effect = 0.05;
    o.category = vendor ? "VendorContract" : "Materials";
    o.fixed_cents = vendor ? int64_t(Between(40, 150)) * 10000 : int64_t(Between(6, 20)) * 10000;
    o.release_time = t.audience == std::string("Certificated") && rng_.Chance(0.5);
  }

  void Series(int year, const Topic& t) {
    Offering& o = Add(year, t, Design::kSeries, "Workshop");
    o.sessions = Between(3, 5);
    o.minutes = 300;
    o.first_day = Between(60, 180);
    o.spacing = 21;
    o.enrol = 0.11;
    o.effect = 0.15;
    o.category = "VendorContract";
    o.fixed_cents = int64_t(Between(20, 45)) * 100000;
    o.release_time = rng_.Chance(0.5);
  }

  void Conference(int year, const Topic& t) {
    Offering& o = Add(year, t, Design::kConference, "Conference");
    o.sessions = 2;
    o.minutes = 390;
    o.first_day = Between(90, 280);
    o.spacing = 1;
    o.enrol = t.audience == std::string("Administrator") ? 0.2 : 0.015;
    o.effect = 0.05;
    o.category = "Registration";
    o.per_person_cents = int64_t(Between(35, 55)) * 1000 + 65000;  // registration and travel
    o.release_time = true;
  }

  // The first design runs district-wide: at that scale its effect is about
  // half the small programmes' (Kraft, Blazar and Hogan, 2018).
  void Coaching(int year, const Topic& t, bool at_scale) {
    Offering& o = Add(year, t, Design::kCoaching, "CoachingCycle");
    o.six_flags = true;
    o.sessions = 12;
    o.minutes = 120;
    o.first_day = Between(60, 75);
    o.spacing = 14;
    o.sites = SomeSites(at_scale ? Scaled(0.4) : Scaled(0.1));
    o.enrol = 0.45;
    o.effect = at_scale ? 0.26 : 0.52;
    o.category = "CoachTime";
    o.per_person_cents = 240000;
  }

  void Communities(int year) {
    for (int s : SomeSites(Scaled(0.25))) {
      const std::string site = std::to_string(101 + s);
      Topic t{"", "", "Certificated", "3b", "0000", "LocalGeneral"};
      Offering& o = Add(year, t, Design::kCommunity, "LearningCommunity");
      o.id += "plc-s" + site;
      o.title = "Learning community, site s-" + site;
      o.six_flags = true;
      o.sessions = 16;
      o.minutes = 60;
      o.first_day = Between(50, 70);
      o.spacing = 12;
      o.sites = {s};
      o.enrol = 0.6;
      o.effect = 0.25;
      o.category = "Stipend";
      o.per_person_cents = 16 * 4000;  // 16 meetings of an hour, at $40 an hour
    }
  }

  void Induction(int year) {
    Topic induction{"induction", "New teacher induction", "NewEmployeeOnboarding", "2c", "6266",
                    "StateGrant"};
    Offering& o = Add(year, induction, Design::kMentoring, "Mentoring");
    o.six_flags = true;
    o.sessions = 14;
    o.minutes = 210;
    o.first_day = 50;
    o.spacing = 14;
    o.enrol = 0.9;
    o.effect = 0.40;
    o.category = "Stipend";
    o.per_person_cents = 150000;  // the mentor's stipend
    Topic orientation{
        "orientation", "New employee orientation", "NewEmployeeOnboarding", "", "0000",
        "LocalGeneral"};
    Offering& p = Add(year, orientation, Design::kOnboarding, "Onboarding");
    p.required = true;
    p.sessions = 2;
    p.minutes = 240;
    p.first_day = 46;
    p.spacing = 1;
    p.enrol = 0.97;
    p.category = "Materials";
    p.fixed_cents = 300000;
  }

  void LessonStudy(int year) {
    const Topic kTeams[] = {
        {"lesson-study-math", "Lesson study, elementary math", "Certificated", "3b", "9010",
         "PrivateGrant"},
        {"lesson-study-science", "Lesson study, secondary science", "Certificated", "3c", "9010",
         "PrivateGrant"},
    };
    for (const Topic& t : kTeams) {
      Offering& o = Add(year, t, Design::kLessonStudy, "LessonStudy");
      o.six_flags = true;
      o.sessions = 8;
      o.minutes = 390;
      o.first_day = Between(90, 120);
      o.spacing = 18;
      o.sites = SomeSites(Scaled(0.08));
      o.enrol = 0.5;
      o.effect = 0.40;
      o.category = "Substitute";
      o.per_person_cents = 8 * 17500;  // a substitute for each of eight days
    }
  }

  void Academy(int year) {
    Topic t{"leadership", "Instructional leadership academy", "Administrator", "", "4035",
            "TitleIIA"};
    Offering& o = Add(year, t, Design::kCommunity, "LearningCommunity");
    o.six_flags = true;
    o.sessions = 8;
    o.minutes = 270;
    o.first_day = 40;
    o.spacing = 28;
    o.enrol = 0.8;
    o.category = "VendorContract";
    o.fixed_cents = 7400000;
  }

  void Family(int year, const Topic& t) {
    Offering& o = Add(year, t, Design::kParentWorkshop, "ParentCommunityWorkshop");
    o.sessions = 3;
    o.minutes = 90;
    o.first_day = Between(70, 240);
    o.spacing = 14;
    o.sites = SomeSites(Scaled(0.2));
    o.enrol = 0.45;
    o.category = "Materials";
    o.fixed_cents = int64_t(Between(8, 20)) * 10000;
  }

  Rng rng_;
  int sites_;
  std::vector<int> underserved_;
  std::vector<Offering> offerings_;
};

}  // namespace

std::vector<Offering> Catalogue(uint64_t seed, int sites, const std::vector<int>& underserved) {
  return Builder(seed, sites, underserved).Build();
}

}  // namespace evident::demo
