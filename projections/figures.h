#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "projections/rules.h"
#include "projections/state.h"

// The figures every view is drawn from, computed from the projection state
// as of a reporting date: one row per person and programme, one per person
// and school year, and the open obligations on both sides. A pure function
// (ComputeFigures); the rules it applies are in projections/rules.h.
namespace evident::projections {

// One component of what the district invested in a person.
struct CostShare {
  // programme_share, direct, stipend, substitute, coach_time, participant_time
  std::string component;
  CostLine line;
};

// The component a direct cost of `category` (schema::CostCategory) counts as.
const char* CostComponentName(int32_t category);

// Who a person is now: their latest assignment, else their registration.
struct PersonContext {
  std::string site;  // empty: no assignment recorded
  int32_t group = 0;
  int64_t hourly_rate_cents = -1;
};

struct PersonProgram {
  std::string person, program;
  // District's side.
  std::vector<CostShare> costs;
  int64_t invested_cents = 0;
  std::vector<std::pair<int32_t, int64_t>> minutes_by_year;  // fiscal year, minutes
  int64_t minutes = 0;
  int64_t records = 0, present = 0;
  bool registered = false, completed = false;
  int32_t first_day = kNoDay, end_day = kNoDay, due_day = kNoDay;
  int64_t support_events = 0;
  int64_t coaching_minutes = 0;
  // Person's side.
  int reactions = 0;
  int64_t reaction_bp = 0;  // mean reaction, basis points of the maximum
  bool learning_shown = false;
  bool learning_gain_known = false;
  int64_t learning_gain_bp = 0;  // post - pre, basis points of the maximum
  int pre_observations = 0, post_observations = 0, post_practice_observed = 0;
  rules::Change change;
  rules::PerThousand per_thousand;
  int goals_set = 0, goals_completed = 0;
  bool rating_change_known = false;
  int rating_change = 0;
  int outcomes = 0, outcomes_met = 0;
  int64_t outcome_students = 0;
  int highest_level = 0;  // Guskey level 1-5 with evidence; 0 none
  uint32_t levels = 0;    // bit L-1 set when level L has evidence
  bool evidence_of_change = false;
  rules::Standing standing = rules::Standing::kNoInvestment;
};

// An expectation without support (district's side) or an investment
// without change (person's side).
struct Obligation {
  std::string side;  // "district" or "person"
  std::string person, program;
  std::string kind;  // goal, low rating, investment
  std::string detail;
  int32_t day = 0, due_day = 0;
  int32_t school_year = 0;
  bool overdue = false;
};

struct PersonYear {
  std::string person;
  int32_t school_year = 0;
  std::vector<CostShare> costs;
  int64_t invested_cents = 0;
  int64_t minutes = 0, coaching_minutes = 0;
  int observations = 0, practice_observed = 0;
  int rating_level = 0;  // 0: none that year
  bool rating_change_known = false;
  int rating_change = 0;
  int goals_set = 0, goals_completed = 0;
  int outcomes = 0, outcomes_met = 0;
  int person_obligations = 0, district_obligations = 0;
  rules::Standing standing = rules::Standing::kNoInvestment;
};

struct Figures {
  int32_t as_of_day = 0;
  std::map<std::string, PersonContext> people;
  std::vector<PersonProgram> pairs;  // by person, then programme
  std::vector<PersonYear> years;     // by person, then year
  std::vector<Obligation> obligations;
  // Programme costs no attendance could carry (program, line).
  std::vector<std::pair<std::string, CostLine>> unallocated;
};

Figures ComputeFigures(const FactState& state, int32_t as_of_day);

// A step of ComputeFigures (projections/person_program.cc): fills in each
// row of `pairs` (person and program set) from the state as of `as_of_day`,
// and lists the programme costs no one's hours carried in `unallocated`.
// Every person of `pairs` must be in `people`.
void BuildPairs(const FactState& state, const std::map<std::string, PersonContext>& people,
                int32_t as_of_day, std::vector<PersonProgram>* pairs,
                std::vector<std::pair<std::string, CostLine>>* unallocated);

// The last step of ComputeFigures (projections/person_year.cc): the person-
// and-year rows and the obligations, from the state and `f->pairs`.
void AddYearsAndObligations(const FactState& state, Figures* f);

// The programme's definition in force, or nullptr.
const ProgramVersion* ProgramOf(const FactState& state, const std::string& program);

}  // namespace evident::projections
