#pragma once

#include <cstdint>
#include <string>

#include "projections/rows.h"

// Every rule the views apply, in one place. docs/metrics.md says the same in
// words a board member can follow; change both together.
namespace evident::projections::rules {

// Follow-up window: how long after a person's programme ends change is
// expected, when the programme does not set its own (follow_up_window_days).
constexpr int32_t kDefaultWindowDays = 120;
// Fewer observations after the programme than this is too few to tell.
constexpr int kMinPostObservations = 2;
// Dose thresholds (Yoon et al. 2007: 5-14 hours showed no effect; 49 hours
// averaged a 21-percentile-point gain).
constexpr int64_t kDoseLowMinutes = 14 * 60;
constexpr int64_t kDoseHighMinutes = 49 * 60;
// A summative rating at or below this level (Developing) is an expectation
// the district must support.
constexpr int32_t kLowRatingLevel = 3;
// A time-and-effort certification is timely if signed after the last day of
// its period (not on it) and at most this many days later.
constexpr int32_t kTimelyCertificationDays = 60;
// The two-sided 95% normal quantile, for uncertainty bands.
constexpr double kZ95 = 1.96;

// A cost shared in proportion to hours: cents * part / whole, rounded down
// to the cent (the pennies left over stay unallocated). 0 if whole is 0.
int64_t ShareOf(int64_t cents, int64_t part, int64_t whole);

// Participant time: hours attended at the person's hourly rate, to the
// nearest cent.
int64_t TimeValue(int64_t minutes, int64_t hourly_rate_cents);

// Count, sum and sum of squares of ratings in thousandths. Integer sums:
// exact, so the figures do not depend on the order ratings are added in.
struct RatingStats {
  int64_t n = 0;
  __int128 sum = 0, sum_squares = 0;
  void Add(int64_t milli) {
    ++n;
    sum += milli;
    sum_squares += static_cast<__int128>(milli) * milli;
  }
  void Add(const RatingStats& o) {
    n += o.n;
    sum += o.sum;
    sum_squares += o.sum_squares;
  }
  double Mean() const { return n == 0 ? 0 : double(sum) / double(n) / 1000.0; }
  // Population variance in rating points squared; 0 if n == 0.
  double Variance() const;
  // Sample variance (n - 1); the population variance when n < 2.
  double SampleVariance() const;
};

// Change on the targeted rubric elements, standardised by the district's
// spread: (mean after - mean before) / district SD, with its standard error
// sqrt(s_before^2/n_before + s_after^2/n_after) / district SD, each side's
// s^2 its own sample variance, or the district's when it has one rating.
struct Change {
  bool known = false;  // false: too few observations, never shown as zero
  double value = 0;
  double standard_error = 0;
};
Change StandardisedChange(const RatingStats& before, int before_observations,
                          const RatingStats& after, int after_observations,
                          const RatingStats& district);

// Change per $1,000 invested, with a 95% band: change / (cents / 100000).
struct PerThousand {
  bool known = false;
  double value = 0, low = 0, high = 0;
};
PerThousand ChangePerThousand(const Change& change, int64_t invested_cents);

enum class Standing {
  kNoInvestment,         // nothing invested and nothing expected
  kReciprocated,         // evidence of change after the investment
  kPending,              // inside the follow-up window
  kOwedByPerson,         // window passed; the district looked and found no change
  kOwedByDistrict,       // an expectation with no matching investment or support
  kInsufficientEvidence  // window passed, too few observations to tell
};
const char* StandingName(Standing s);

struct StandingInputs {
  bool invested = false;
  // An expectation (a goal naming this programme) with no investment: past
  // its window (unsupported) or still inside it (pending).
  bool expectation_unsupported = false;
  bool expectation_pending = false;
  bool evidence_of_change = false;  // level 4 or 5 evidence after the end day
  int32_t due_day = 0;              // end day + window
  int32_t as_of_day = 0;
  int post_observations = 0;
};
Standing DecideStanding(const StandingInputs& in);

// 2 CFR 200.430(i): a federal salary charge on `charge.day` must be covered
// by a certification whose period includes that day, that names the fund
// charged, and that was signed after the period ended (after the fact) and
// within kTimelyCertificationDays of its end. Returns "" when one does, else
// what the last certification in log order covering the day lacks (or that
// none covers it), in words an auditor can act on, naming the signing date
// and where it came from. `certifications` may be null.
std::string TimeAndEffortGap(const Charge& charge,
                             const PositionList<Certification>* certifications);

}  // namespace evident::projections::rules
