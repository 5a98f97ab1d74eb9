// Collecting the rows of the figures; each person-and-programme row itself is
// built in projections/person_program.cc, the year rows and obligations in
// projections/person_year.cc.

#include "projections/figures.h"

#include <algorithm>

namespace evident::projections {

const char* CostComponentName(int32_t category) {
  switch (static_cast<schema::CostCategory>(category)) {
    case schema::CostCategory::Stipend:
      return "stipend";
    case schema::CostCategory::Substitute:
      return "substitute";
    case schema::CostCategory::CoachTime:
      return "coach_time";
    case schema::CostCategory::ParticipantTime:
      return "participant_time";
    default:
      return "direct";
  }
}

namespace {

PersonContext ContextOf(const FactState& state, const std::string& person) {
  PersonContext c;
  if (const auto* reg = state.person.Find(person)) {
    c.group = reg->Last()->group;
    c.hourly_rate_cents = reg->Last()->hourly_rate_cents;
  }
  if (const auto* assignments = state.assignment.Find(person)) {
    // The assignment that began last (the latest recorded on a tie).
    const AssignmentVersion* a = &assignments->items.front();
    for (const AssignmentVersion& v : assignments->items) {
      if (v.begin_day >= a->begin_day) a = &v;
    }
    c.site = a->site;
    if (a->group != 0) c.group = a->group;
    if (a->hourly_rate_cents >= 0) c.hourly_rate_cents = a->hourly_rate_cents;
  }
  return c;
}

// Every person-and-programme pair the state mentions.
std::map<std::pair<std::string, std::string>, PersonProgram> CollectPairs(const FactState& state) {
  std::map<std::pair<std::string, std::string>, PersonProgram> pairs;
  auto add = [&](std::string_view key) {
    auto [person, program] = SplitKey(key);
    if (program.empty()) return;
    auto& p = pairs[{std::string(person), std::string(program)}];
    p.person = person;
    p.program = program;
  };
  auto add_all = [&](const auto& table) {
    for (const auto& [key, row] : table.rows()) {
      if (!row.empty()) add(key);
    }
  };
  add_all(state.attendance);
  add_all(state.direct);
  add_all(state.completion);
  add_all(state.learning);
  add_all(state.reaction);
  for (const auto& [person, goals] : state.goal.rows()) {
    for (const Goal& g : goals.items) {
      if (!g.program.empty()) add(JoinKey(person, g.program));
    }
  }
  for (const auto& [person, sessions] : state.coaching.rows()) {
    for (const Coaching& c : sessions.items) {
      if (!c.program.empty()) add(JoinKey(person, c.program));
    }
  }
  return pairs;
}
}  // namespace

Figures ComputeFigures(const FactState& state, int32_t as_of_day) {
  Figures f;
  f.as_of_day = as_of_day;
  auto note_person = [&](std::string_view person) {
    if (!person.empty() && f.people.count(std::string(person)) == 0) {
      f.people.emplace(std::string(person), ContextOf(state, std::string(person)));
    }
  };
  // A row whose every record was voided names nobody as staff.
  for (const auto& [person, row] : state.person.rows()) {
    if (!row.empty()) note_person(person);
  }
  for (const auto& [person, row] : state.assignment.rows()) {
    if (!row.empty()) note_person(person);
  }
  auto pairs = CollectPairs(state);
  for (const auto& [key, p] : pairs) note_person(key.first);

  f.pairs.reserve(pairs.size());
  for (auto& [key, p] : pairs) f.pairs.push_back(std::move(p));
  BuildPairs(state, f.people, as_of_day, &f.pairs, &f.unallocated);
  AddYearsAndObligations(state, &f);
  return f;
}

const ProgramVersion* ProgramOf(const FactState& state, const std::string& program) {
  const auto* versions = state.program.Find(program);
  return versions == nullptr ? nullptr : versions->Last();
}

}  // namespace evident::projections
