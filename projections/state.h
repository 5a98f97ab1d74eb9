#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "projections/fact.h"
#include "projections/rows.h"
#include "projections/table.h"

// The projection state: every fact the views need, in tables keyed by the ids
// the views group by. It is a pure fold: Apply(fact, +1) adds what an event
// says, Apply(fact, -1) takes exactly that back (how corrections and voids
// are applied), and nothing else changes it. The views (projections/views.h)
// are functions of this state and a reporting date.
//
// Keys: "person" is a person id, "person+program" is JoinKey(person, program),
// and so on (projections/codec.h). docs/format.md lists every table.
//
// Not thread-safe; owned by one Projector.
namespace evident::projections {

class FactState {
 public:
  FactState();
  FactState(const FactState&) = delete;
  FactState& operator=(const FactState&) = delete;

  // Adds (sign +1) or retracts (sign -1) one fact. Facts of types no view
  // reads (sessions, key events) are ignored here.
  void Apply(const Fact& fact, int sign);

  // Every table, in a fixed order (persistence and digests walk them).
  const std::vector<TableBase*>& tables() const { return tables_; }
  TableBase* FindTable(std::string_view name) const;

  // SHA-256 over every non-empty row of every table, in (table, key) order:
  // equal states have equal digests, whatever order they were built in.
  std::string Digest() const;

  // Context.
  Table<PositionList<PersonVersion>> person{"person"};              // person
  Table<PositionList<AssignmentVersion>> assignment{"assignment"};  // person
  Table<PositionList<SiteVersion>> site{"site"};                    // site
  Table<PositionList<ProgramVersion>> program{"program"};           // program
  // Investment.
  Table<CostLines> budget{"budget"};  // fiscal year (decimal)
  Table<CostLines> pool{"pool"};      // program+session ("" for programme-wide costs)
  Table<CostLines> direct{"direct"};  // person+program (program may be "")
  Table<PositionList<Coaching>> coaching{"coaching"};  // person
  // Participation.
  Table<Attendance> attendance{"attendance"};             // person+program
  Table<PositionList<DayItem>> completion{"completion"};  // person+program
  // Evidence.
  Table<Sums> reaction{"reaction"};                             // person+program (L1)
  Table<PositionList<Learning>> learning{"learning"};           // person+program (L2)
  Table<Sums> support{"support"};                               // program+site (L3)
  Table<PositionList<Observation>> observation{"observation"};  // person (L4)
  Table<PositionList<Goal>> goal{"goal"};                       // person
  Table<PositionList<GoalDone>> goal_done{"goal_done"};         // person
  Table<PositionList<Rating>> rating{"rating"};                 // person
  Table<PositionList<Outcome>> outcome{"outcome"};  // person ("" if not attributable) (L5)
  // Improvement.
  Table<PositionList<Decision>> decision{"decision"};  // program
  // Compliance.
  Table<PositionList<Certification>> certification{"certification"};  // person
  Table<PositionList<Charge>> salary{"salary"};  // person: salary-type charges to the person
  Table<Charge> undocumented{"undocumented"};    // position: costs without invoice or PO
  // Governance (written by the Projector, not by Apply).
  Table<Amendment> amendment{"amendment"};  // position of the correction or void
  Table<AmendedState> amended{"amended"};   // PositionKey of the amended event
  Table<Principal> principal{"principal"};  // signer key id
  Table<Sums> counter{"counter"};           // "skipped": events left out, by reason

 private:
  void ApplyContext(const Fact& fact, int sign);
  void ApplyInvestment(const Fact& fact, int sign);
  void ApplyParticipation(const Fact& fact, int sign);
  void ApplyEvidence(const Fact& fact, int sign);
  void ApplyOutcomes(const Fact& fact, int sign);
  // A salary-type cost of `line.cents` > 0 on `day`, charged to the fact's person.
  void AddSalaryCharge(const Fact& fact, int32_t day, const CostLine& line, int sign);

  std::vector<TableBase*> tables_;
};

// Fixed-width decimal keys sort in number order.
std::string PositionKey(uint64_t position);
std::string YearKey(int32_t year);

// True for the federal funding sources (ESEA titles, IDEA).
bool IsFederal(int32_t funding_source);

// The funding source a cost is charged to (docs/metrics.md): the line's own,
// else, for a line naming a fund, the one source the budget rows of that fund
// and fiscal year name; 0 (not recorded) when they name none or several.
int32_t FundingSourceOf(const FactState& state, const CostLine& line);

}  // namespace evident::projections
