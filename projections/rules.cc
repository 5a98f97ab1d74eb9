#include "projections/rules.h"

#include <algorithm>
#include <cmath>

#include "projections/fact.h"

namespace evident::projections::rules {

int64_t ShareOf(int64_t cents, int64_t part, int64_t whole) {
  if (whole <= 0 || part <= 0) return 0;
  __int128 product = static_cast<__int128>(cents) * part;
  __int128 q = product / whole;
  if (product % whole != 0 && product < 0) --q;  // round toward minus infinity
  return static_cast<int64_t>(q);
}

int64_t TimeValue(int64_t minutes, int64_t hourly_rate_cents) {
  if (minutes <= 0 || hourly_rate_cents <= 0) return 0;
  return (minutes * hourly_rate_cents + 30) / 60;
}

double RatingStats::Variance() const {
  if (n == 0) return 0;
  // n * sum of squares - sum^2 is exact in integers; n^2 * variance.
  const __int128 scaled = static_cast<__int128>(n) * sum_squares - sum * sum;
  if (scaled <= 0) return 0;
  return double(scaled) / (double(n) * double(n)) / 1e6;
}

double RatingStats::SampleVariance() const {
  if (n < 2) return Variance();
  return Variance() * double(n) / double(n - 1);
}

Change StandardisedChange(const RatingStats& before, int before_observations,
                          const RatingStats& after, int after_observations,
                          const RatingStats& district) {
  Change c;
  const double sd = std::sqrt(district.Variance());
  if (before_observations < 1 || after_observations < kMinPostObservations || sd <= 0 ||
      before.n == 0 || after.n == 0) {
    return c;
  }
  auto side_variance = [&](const RatingStats& s) {
    return s.n >= 2 ? s.SampleVariance() : district.Variance();
  };
  c.known = true;
  c.value = (after.Mean() - before.Mean()) / sd;
  c.standard_error =
      std::sqrt(side_variance(before) / double(before.n) + side_variance(after) / double(after.n)) /
      sd;
  return c;
}

PerThousand ChangePerThousand(const Change& change, int64_t invested_cents) {
  PerThousand p;
  if (!change.known || invested_cents <= 0) return p;
  const double thousands = double(invested_cents) / 100000.0;
  p.known = true;
  p.value = change.value / thousands;
  p.low = (change.value - kZ95 * change.standard_error) / thousands;
  p.high = (change.value + kZ95 * change.standard_error) / thousands;
  return p;
}

const char* StandingName(Standing s) {
  switch (s) {
    case Standing::kNoInvestment:
      return "no investment";
    case Standing::kReciprocated:
      return "reciprocated";
    case Standing::kPending:
      return "pending";
    case Standing::kOwedByPerson:
      return "owed by the person";
    case Standing::kOwedByDistrict:
      return "owed by the district";
    case Standing::kInsufficientEvidence:
      return "insufficient evidence";
  }
  return "?";
}

Standing DecideStanding(const StandingInputs& in) {
  if (!in.invested) {
    if (in.expectation_unsupported) return Standing::kOwedByDistrict;
    return in.expectation_pending ? Standing::kPending : Standing::kNoInvestment;
  }
  if (in.evidence_of_change) return Standing::kReciprocated;
  if (in.as_of_day <= in.due_day) return Standing::kPending;
  if (in.post_observations < kMinPostObservations) return Standing::kInsufficientEvidence;
  return Standing::kOwedByPerson;
}

namespace {

// Where a certification's signing date came from, when not its own field.
std::string SignedFrom(const Certification& c) {
  switch (c.certified_from) {
    case Certification::kEffectiveDate:
      return " (no signed_date: the envelope's effective_date)";
    case Certification::kOccurredAt:
      return " (no signed_date: the date of occurred_at)";
    default:
      return "";
  }
}

}  // namespace

std::string TimeAndEffortGap(const Charge& charge,
                             const PositionList<Certification>* certifications) {
  std::string gap = "no certification covers this date";
  if (certifications == nullptr) return gap;
  for (const Certification& c : certifications->items) {
    if (charge.day < c.begin_day || charge.day > c.end_day) continue;
    if (std::find(c.funds.begin(), c.funds.end(), charge.line.fund) == c.funds.end()) {
      gap = "the certification covering this date does not name fund " + charge.line.fund;
    } else if (c.certified_day <= c.end_day) {
      gap = "signed " + DateOf(c.certified_day) + SignedFrom(c) + ", not after its period ended " +
            DateOf(c.end_day) + " (budgeted, not after the fact)";
    } else if (c.certified_day > c.end_day + kTimelyCertificationDays) {
      gap = "signed " + DateOf(c.certified_day) + SignedFrom(c) + ", " +
            std::to_string(c.certified_day - c.end_day) + " days after its period ended " +
            DateOf(c.end_day) + " (more than " + std::to_string(kTimelyCertificationDays) + ")";
    } else {
      return "";
    }
  }
  return gap;
}

}  // namespace evident::projections::rules
