#pragma once

#include <cstdint>
#include <string>
#include <vector>

// The demo district's programmes: a catalogue of designs, each offered once
// or several times a year. A design fixes what the published studies say
// about such learning (docs/demo-data.md): how long it runs, what it costs
// and from which fund, and how likely it is to change a participant's
// practice.
namespace evident::demo {

enum class Design {
  kWorkshop,        // one day, stand-alone
  kSeries,          // a few workshops on one topic
  kConference,      // off site, registration and travel
  kCoaching,        // coaching cycles in classrooms
  kCommunity,       // a school's professional learning community
  kMentoring,       // induction of new teachers
  kLessonStudy,     // teams planning, teaching and studying one lesson
  kOnboarding,      // orientation for every new employee
  kParentWorkshop,  // district-sponsored learning for families
};

struct Offering {
  std::string id, title;
  Design design;
  int year = 0;          // 0: fiscal 2025, 1: fiscal 2026
  std::string audience;  // participant group it is for
  std::string activity;  // ActivityType
  std::string element;   // the rubric element it targets ("" for none)
  bool required = false;
  bool six_flags = false;  // sustained, intensive, collaborative, job-embedded, ...
  int sessions = 1, minutes = 360;
  int first_day = 0, spacing = 7;  // days from the start of the fiscal year
  std::vector<int> sites;          // sites it is offered at; empty: all
  double enrol = 0.1;              // chance an eligible person enrols
  double effect = 0;               // chance a participant's practice changes
  // Its costs: a fixed amount and an amount per participant, one category
  // and fund.
  std::string category, fund_code, funding_source;
  int64_t fixed_cents = 0, per_person_cents = 0;
  bool release_time = false;  // teachers are covered by substitutes
};

// The offerings of both years for a district of `sites` sites, of which the
// sites in `underserved` are passed over by the site-based designs.
// Deterministic for `seed`.
std::vector<Offering> Catalogue(uint64_t seed, int sites, const std::vector<int>& underserved);

}  // namespace evident::demo
