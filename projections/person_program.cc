// One person-and-programme row of the figures: what the district invested,
// what changed, and the status (projections/figures.h, docs/metrics.md).

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "projections/figures.h"

namespace evident::projections {
namespace {

using Counts = std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>>;

// Attended minutes per programme and fiscal year, and per session: the
// wholes that programme and session costs are shared over.
struct Totals {
  Counts program_year, session;
};

Totals ComputeTotals(const FactState& state) {
  Totals t;
  for (const auto& [key, row] : state.attendance.rows()) {
    std::string_view program = SplitKey(key).second;
    for (const SessionDay& d : row.days) {
      t.program_year[JoinKey(program, YearKey(FiscalYearOf(d.day)))] += d.minutes;
      t.session[JoinKey(program, d.session)] += d.minutes;
    }
  }
  return t;
}

int64_t Get(const Counts& c, const std::string& key) {
  auto it = c.find(key);
  return it == c.end() ? 0 : it->second;
}

std::map<std::string, rules::RatingStats> ElementStats(const FactState& state) {
  std::map<std::string, rules::RatingStats> stats;
  for (const auto& [person, list] : state.observation.rows()) {
    for (const Observation& o : list.items) {
      for (const ElementRating& r : o.ratings) stats[r.element].Add(r.milli);
    }
  }
  return stats;
}

bool Targets(const ProgramVersion* program, const std::string& element) {
  if (program == nullptr || program->targeted_elements.empty()) return true;
  const auto& t = program->targeted_elements;
  return std::find(t.begin(), t.end(), element) != t.end();
}

// Computes one person-and-programme row. `allocated` collects what was
// shared out of each pool line, to find what stayed unallocated.
class PairBuilder {
 public:
  PairBuilder(const FactState& state, const Totals& totals,
              const std::map<std::string, rules::RatingStats>& element_stats, int32_t as_of,
              Counts* allocated)
      : state_(state),
        totals_(totals),
        stats_(element_stats),
        as_of_(as_of),
        allocated_(allocated) {}

  void Build(const PersonContext& who, PersonProgram& p) {
    const ProgramVersion* program = ProgramOf(state_, p.program);
    Participation(p);
    Costs(who, p);
    Dates(program, p);
    Evidence(who, program, p);
    Decide(p);
  }

 private:
  void Participation(PersonProgram& p) {
    const Attendance* att = state_.attendance.Find(JoinKey(p.person, p.program));
    if (att != nullptr) {
      for (const SessionDay& d : att->days) {
        const int32_t fy = FiscalYearOf(d.day);
        auto it = std::find_if(p.minutes_by_year.begin(), p.minutes_by_year.end(),
                               [&](const auto& m) { return m.first == fy; });
        if (it == p.minutes_by_year.end()) {
          p.minutes_by_year.emplace_back(fy, 0);
          it = p.minutes_by_year.end() - 1;
        }
        it->second += d.minutes;
        p.minutes += d.minutes;
        if (d.minutes > 0) {
          if (p.first_day == kNoDay) p.first_day = d.day;
          p.end_day = d.day;
        }
      }
      std::sort(p.minutes_by_year.begin(), p.minutes_by_year.end());
      p.records = att->records;
      p.present = att->present;
      p.registered = att->registrations > 0;
    }
    // Coaching for the programme counts as taking part in it, on its days.
    if (const auto* coaching = state_.coaching.Find(p.person)) {
      for (const Coaching& c : coaching->items) {
        if (c.program != p.program || c.minutes <= 0) continue;
        p.coaching_minutes += c.minutes;
        p.first_day = p.first_day == kNoDay ? c.day : std::min(p.first_day, c.day);
        p.end_day = std::max(p.end_day, c.day);
      }
    }
    if (const auto* done = state_.completion.Find(JoinKey(p.person, p.program))) {
      // The latest completion date, whichever was recorded last.
      p.completed = true;
      for (const DayItem& d : done->items) p.end_day = std::max(p.end_day, d.day);
    }
  }

  void AddPoolLines(const std::string& pool_key, int64_t part, int64_t whole_for_session,
                    bool by_year, const PersonProgram& p, std::vector<CostShare>& out) {
    const CostLines* pool = state_.pool.Find(pool_key);
    if (pool == nullptr) return;
    for (size_t i = 0; i < pool->lines.size(); ++i) {
      CostLine line = pool->lines[i];
      line.source = FundingSourceOf(state_, line);
      int64_t mine = part, whole = whole_for_session;
      if (by_year) {
        mine = 0;
        for (const auto& [fy, m] : p.minutes_by_year) {
          if (fy == line.fiscal_year) mine = m;
        }
        whole = Get(totals_.program_year, JoinKey(p.program, YearKey(line.fiscal_year)));
      }
      line.cents = rules::ShareOf(line.cents, mine, whole);
      if (line.cents == 0) continue;
      (*allocated_)[JoinKey(pool_key, std::to_string(i))] += line.cents;
      out.push_back({"programme_share", line});
    }
  }

  void Costs(const PersonContext& who, PersonProgram& p) {
    AddPoolLines(JoinKey(p.program, ""), 0, 0, /*by_year=*/true, p, p.costs);
    if (const Attendance* att = state_.attendance.Find(JoinKey(p.person, p.program))) {
      std::map<std::string, int64_t> by_session;
      for (const SessionDay& d : att->days) by_session[d.session] += d.minutes;
      for (const auto& [session, minutes] : by_session) {
        if (session.empty()) continue;
        const std::string key = JoinKey(p.program, session);
        AddPoolLines(key, minutes, Get(totals_.session, key), /*by_year=*/false, p, p.costs);
      }
    }
    if (const CostLines* direct = state_.direct.Find(JoinKey(p.person, p.program))) {
      for (CostLine line : direct->lines) {
        line.source = FundingSourceOf(state_, line);
        p.costs.push_back({CostComponentName(line.category), line});
      }
    }
    for (const auto& [fy, minutes] : p.minutes_by_year) {
      CostLine time{static_cast<int32_t>(schema::CostCategory::ParticipantTime), "", 0, fy,
                    rules::TimeValue(minutes, who.hourly_rate_cents)};
      if (time.cents != 0) p.costs.push_back({"participant_time", time});
    }
    for (const CostShare& c : p.costs) p.invested_cents += c.line.cents;
  }

  void Dates(const ProgramVersion* program, PersonProgram& p) {
    if (p.end_day == kNoDay) {  // costs with no attendance: the end of their latest year
      int32_t last_year = 0;
      for (const CostShare& c : p.costs) last_year = std::max(last_year, c.line.fiscal_year);
      if (last_year > 0) p.end_day = DayOf(std::to_string(last_year) + "-06-30");
    }
    if (p.first_day == kNoDay) p.first_day = p.end_day;
    const int32_t window = program != nullptr && program->window_days >= 0
                               ? program->window_days
                               : rules::kDefaultWindowDays;
    if (p.end_day != kNoDay) p.due_day = p.end_day + window;
  }

  void Evidence(const PersonContext& who, const ProgramVersion* program, PersonProgram& p);
  void Decide(PersonProgram& p);

  const FactState& state_;
  const Totals& totals_;
  const std::map<std::string, rules::RatingStats>& stats_;
  int32_t as_of_;
  Counts* allocated_;
};

void PairBuilder::Evidence(const PersonContext& who, const ProgramVersion* program,
                           PersonProgram& p) {
  const std::string pair_key = JoinKey(p.person, p.program);
  if (const Sums* r = state_.reaction.Find(pair_key)) {
    p.reactions = static_cast<int>(r->count);
    p.reaction_bp = r->count > 0 ? r->total / r->count : 0;
  }
  if (const auto* learning = state_.learning.Find(pair_key)) {
    const Learning *pre = nullptr, *post = nullptr;
    for (const Learning& l : learning->items) {
      const Learning*& slot = l.phase == int32_t(schema::AssessmentPhase::Pre) ? pre : post;
      if (slot == nullptr || l.day >= slot->day) slot = &l;
    }
    p.learning_shown = post != nullptr && (pre == nullptr || post->score_bp > pre->score_bp);
    p.learning_gain_known = pre != nullptr && post != nullptr;
    if (p.learning_gain_known) p.learning_gain_bp = post->score_bp - pre->score_bp;
  }
  if (const Sums* s = state_.support.Find(JoinKey(p.program, who.site))) {
    p.support_events = s->count;
  }
  rules::RatingStats before, after, district;
  int before_obs = 0, after_obs = 0;
  for (const auto& [element, s] : stats_) {
    if (!Targets(program, element)) continue;
    district.Add(s);
  }
  if (const auto* observations = state_.observation.Find(p.person)) {
    for (const Observation& o : observations->items) {
      const bool pre = o.day < p.first_day, post = p.end_day != kNoDay && o.day > p.end_day;
      if (!pre && !post) continue;
      rules::RatingStats& side = pre ? before : after;
      int64_t targeted = 0;
      for (const ElementRating& r : o.ratings) {
        if (Targets(program, r.element)) {
          side.Add(r.milli);
          ++targeted;
        }
      }
      if (post) {
        ++p.post_observations;
        if (o.practice_observed) ++p.post_practice_observed;
      }
      if (targeted > 0) ++(pre ? before_obs : after_obs);
    }
  }
  p.pre_observations = before_obs;
  p.change = rules::StandardisedChange(before, before_obs, after, after_obs, district);

  if (const auto* goals = state_.goal.Find(p.person)) {
    const auto* done = state_.goal_done.Find(p.person);
    for (const Goal& g : goals->items) {
      if (g.program != p.program) continue;
      ++p.goals_set;
      if (done == nullptr) continue;
      for (const GoalDone& d : done->items) {
        if (d.title == g.title && d.completed) {
          ++p.goals_completed;
          break;
        }
      }
    }
  }
  if (const auto* ratings = state_.rating.Find(p.person)) {
    const Rating *before_rating = nullptr, *after_rating = nullptr;
    for (const Rating& r : ratings->items) {
      if (r.day <= p.first_day && (before_rating == nullptr || r.day >= before_rating->day)) {
        before_rating = &r;
      }
      if (p.end_day != kNoDay && r.day > p.end_day &&
          (after_rating == nullptr || r.day >= after_rating->day)) {
        after_rating = &r;
      }
    }
    p.rating_change_known = before_rating != nullptr && after_rating != nullptr;
    if (p.rating_change_known) p.rating_change = after_rating->level - before_rating->level;
  }
  if (const auto* outcomes = state_.outcome.Find(p.person)) {
    for (const Outcome& o : outcomes->items) {
      if (p.end_day == kNoDay || o.day <= p.end_day) continue;
      ++p.outcomes;
      p.outcome_students += o.students;
      if (o.met == 1 || (o.has_target && o.actual_milli >= o.target_milli)) ++p.outcomes_met;
    }
  }
}

void PairBuilder::Decide(PersonProgram& p) {
  const bool level4 = p.post_practice_observed > 0 || (p.change.known && p.change.value > 0) ||
                      (p.rating_change_known && p.rating_change > 0);
  const bool level5 = p.outcomes_met > 0;
  p.highest_level = level5                 ? 5
                    : level4               ? 4
                    : p.support_events > 0 ? 3
                    : p.learning_shown     ? 2
                    : p.reactions > 0      ? 1
                                           : 0;
  p.levels = (p.reactions > 0 ? 1u : 0u) | (p.learning_shown ? 2u : 0u) |
             (p.support_events > 0 ? 4u : 0u) | (level4 ? 8u : 0u) | (level5 ? 16u : 0u);
  p.evidence_of_change = level4 || level5;
  rules::StandingInputs in;
  in.invested = p.invested_cents > 0 || p.minutes > 0 || p.coaching_minutes > 0;
  if (!in.invested && p.goals_set > 0) {
    int32_t earliest = INT32_MAX;
    for (const Goal& g : state_.goal.Find(p.person)->items) {
      if (g.program == p.program) earliest = std::min(earliest, g.assigned_day);
    }
    p.due_day = earliest + rules::kDefaultWindowDays;
    in.expectation_unsupported = as_of_ > p.due_day;
    in.expectation_pending = !in.expectation_unsupported;
  }
  in.evidence_of_change = p.evidence_of_change;
  in.due_day = p.due_day;
  in.as_of_day = as_of_;
  in.post_observations = p.post_observations;
  p.standing = rules::DecideStanding(in);
  p.per_thousand = rules::ChangePerThousand(p.change, p.invested_cents);
}

// What each pool line kept after the shares were taken out.
void CollectUnallocated(const FactState& state, const Counts& allocated,
                        std::vector<std::pair<std::string, CostLine>>* unallocated) {
  for (const auto& [key, pool] : state.pool.rows()) {
    for (size_t i = 0; i < pool.lines.size(); ++i) {
      CostLine rest = pool.lines[i];
      rest.cents -= Get(allocated, JoinKey(key, std::to_string(i)));
      rest.source = FundingSourceOf(state, rest);
      if (rest.cents != 0) unallocated->emplace_back(std::string(SplitKey(key).first), rest);
    }
  }
  std::sort(unallocated->begin(), unallocated->end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.fiscal_year, a.second.fund, a.second.category,
                    a.second.source, a.second.cents) < std::tie(b.first, b.second.fiscal_year,
                                                                b.second.fund, b.second.category,
                                                                b.second.source, b.second.cents);
  });
}
}  // namespace

void BuildPairs(const FactState& state, const std::map<std::string, PersonContext>& people,
                int32_t as_of_day, std::vector<PersonProgram>* pairs,
                std::vector<std::pair<std::string, CostLine>>* unallocated) {
  const Totals totals = ComputeTotals(state);
  const auto element_stats = ElementStats(state);
  Counts allocated;
  PairBuilder builder(state, totals, element_stats, as_of_day, &allocated);
  for (PersonProgram& p : *pairs) builder.Build(people.at(p.person), p);
  CollectUnallocated(state, allocated, unallocated);
}

}  // namespace evident::projections
