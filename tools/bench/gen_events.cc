// evident-gen-events: N synthetic events as JSON Lines, deterministic for a
// seed (the same seed gives the same event ids, so re-appending the output is
// a test of idempotency). A mix of the event types an integration appends
// most: sites, people, programmes and sessions first, then attendance,
// costs, observations and coaching. Each person takes part in a few
// programmes, as in a district. Not the demo district (that generator shapes
// a district on published figures); this one exercises volume.
//
// With --amend K, about K events in 1,000 are corrections (a cost with a new
// amount, an attendance with new minutes) or voids (an observation or an
// attendance withdrawn) of earlier events.
//
// usage: evident-gen-events --count N [--seed S] [--amend K] [--source NAME]

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "tools/bench/gen_util.h"

namespace {

using evident::gen::EventId;
using evident::gen::Rng;

std::string Date(uint64_t day) {  // day 0 = 2024-08-01, within one school year
  static const int kMonthDays[] = {31, 30, 31, 30, 31, 31, 28, 31, 30, 31, 30};  // Aug..Jun
  static const int kMonths[] = {8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6};
  day %= 300;
  int m = 0;
  while (day >= uint64_t(kMonthDays[m])) day -= kMonthDays[m++];
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", kMonths[m] >= 8 ? 2024 : 2025, kMonths[m],
                int(day) + 1);
  return buf;
}

// The events' source_system (--source): the principal of the key that will
// sign them, when that is an integration's (key rule 6).
std::string g_source = "gen-events";

void Emit(uint64_t seed, uint64_t index, const char* type, const std::string& date,
          const std::string& subject, const std::string& body) {
  evident::gen::Emit(seed, index, type, date, subject, body, "lea-0640001", g_source.c_str());
}

std::string Id(const char* prefix, uint64_t n) { return std::string(prefix) + std::to_string(n); }

// An earlier event a later one may amend.
struct Earlier {
  uint64_t index;
};

void EmitAmendment(uint64_t seed, uint64_t i, Rng& rng, const std::string& date,
                   const std::vector<Earlier>& costs, const std::vector<Earlier>& attendance,
                   const std::vector<Earlier>& observations) {
  const uint64_t kind = rng.Below(4);
  const std::vector<Earlier>& pool = kind == 0                ? costs
                                     : kind == 1 || kind == 2 ? attendance
                                                              : observations;
  if (pool.empty())
    return Emit(
        seed, i, "RecordVoided", date, "",
        "\"amends_event_id\":\"" + EventId(seed, i + 1) + "\",\"reason_code\":\"no-such-event\"");
  const Earlier& target = pool[rng.Below(pool.size())];
  std::string head = "\"amends_event_id\":\"" + EventId(seed, target.index) + "\",";
  if (kind == 0) {
    Emit(seed, i, "RecordCorrected", date, "",
         head +
             "\"reason_code\":\"amount-keyed-wrong\",\"body_type\":\"CostIncurred\","
             "\"body\":{\"category\":\"VendorContract\",\"amount_cents\":" +
             std::to_string(50000 + rng.Below(2000000)) +
             ",\"allocation\":\"PerParticipant\",\"fund_code\":\"4035\","
             "\"funding_source\":\"TitleIIA\",\"invoice_number\":\"INV-C" +
             std::to_string(i) + "\"}");
  } else if (kind == 1) {
    Emit(seed, i, "RecordCorrected", date, "",
         head +
             "\"reason_code\":\"minutes-corrected\",\"body_type\":\"AttendanceRecorded\","
             "\"body\":{\"attendance_date\":\"" +
             date + "\",\"attendance_event_category\":\"Partial\",\"credited_minutes\":" +
             std::to_string(30 + rng.Below(150)) + "}");
  } else {
    Emit(seed, i, "RecordVoided", date, "", head + "\"reason_code\":\"entered-in-error\"");
  }
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t count = 0, seed = 1, amend = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--count") == 0) count = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--amend") == 0) amend = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--source") == 0) g_source = argv[i + 1];
  }
  if (count == 0) {
    std::cerr << "usage: evident-gen-events --count N [--seed S] [--amend K] [--source NAME]\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  Rng rng{seed};
  const uint64_t sites = 40, people = 2500, programs = 120, per_person = 4;
  std::vector<Earlier> costs, attendance, observations;  // the latest of each, to amend
  auto remember = [](std::vector<Earlier>& v, uint64_t index) {
    if (v.size() < 4096) {
      v.push_back({index});
    } else {
      v[index % v.size()] = {index};
    }
  };
  static const char* kGroups[] = {"Certificated", "Certificated",  "Certificated",
                                  "Classified",   "Administrator", "NewEmployeeOnboarding"};
  static const char* kActivities[] = {"Workshop",          "Conference", "CoachingCycle",
                                      "LearningCommunity", "Mentoring",  "LessonStudy"};
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t day = rng.Below(300);
    const std::string date = Date(day);
    const uint64_t person_index = rng.Below(people);
    const std::string person = Id("p-", person_index);
    const std::string program = Id("pd-", rng.Below(programs));
    // The programmes a person takes part in: a few of their own.
    const std::string own_program =
        Id("pd-", (person_index * 7 + rng.Below(per_person) * 31) % programs);
    const std::string site = Id("s-", rng.Below(sites));
    const std::string who = "\"person_id\":\"" + person + "\"";
    const std::string what = "\"program_id\":\"" + program + "\"";
    if (i < sites) {
      Emit(seed, i, "SiteRegistered", date, "\"site_id\":\"" + Id("s-", i) + "\"",
           "\"school_category\":\"Elementary\",\"enrollment\":" +
               std::to_string(300 + rng.Below(900)) + ",\"students_in_poverty_share\":0." +
               std::to_string(10 + rng.Below(85)) + ",\"english_learner_share\":0." +
               std::to_string(10 + rng.Below(40)) +
               ",\"foster_youth_share\":0.01,\"students_with_disabilities_share\":0.12");
      continue;
    }
    if (amend > 0 && i > sites + 100 && rng.Below(1000) < amend) {
      EmitAmendment(seed, i, rng, date, costs, attendance, observations);
      continue;
    }
    switch (rng.Below(10)) {
      case 0:
        Emit(seed, i, "PersonRegistered", date, who,
             std::string("\"participant_group\":\"") + kGroups[rng.Below(6)] +
                 "\",\"hourly_cost_rate_cents\":" + std::to_string(4000 + rng.Below(4000)));
        break;
      case 1:
        Emit(seed, i, "ProgramDefined", date, what,
             "\"professional_development_title\":\"PD " + program +
                 "\",\"offered_by\":\"District\",\"delivery_method\":\"Onsite\",\"total_hours\":" +
                 std::to_string(3 + rng.Below(50)) + ",\"activity_type\":\"" +
                 kActivities[rng.Below(6)] +
                 "\",\"sustained\":" + (rng.Below(2) ? "true" : "false"));
        break;
      case 2:
        remember(costs, i);
        Emit(seed, i, "CostIncurred", date, what + ",\"fiscal_year\":2025",
             "\"category\":\"VendorContract\",\"amount_cents\":" +
                 std::to_string(50000 + rng.Below(2000000)) +
                 ",\"allocation\":\"PerParticipant\",\"fund_code\":\"4035\","
                 "\"funding_source\":\"TitleIIA\",\"invoice_number\":\"INV-" +
                 std::to_string(i) + "\"");
        break;
      case 3:
        remember(observations, i);
        Emit(seed, i, "ObservationRecorded", date, who,
             "\"performance_evaluation_type\":\"Walkthrough\",\"evaluation_date\":\"" + date +
                 "\",\"reviewer_person_id\":\"" + Id("p-", rng.Below(people)) +
                 "\",\"element_ratings\":[{\"evaluation_element_title\":\"3b\",\"rating\":" +
                 std::to_string(1 + rng.Below(4)) +
                 "}],\"targeted_practice_observed\":" + (rng.Below(3) ? "true" : "false"));
        break;
      case 4:
        Emit(seed, i, "CoachingSessionLogged", date, who,
             "\"coaching_cycle_id\":\"cc-" + person + "\",\"coach_person_id\":\"" +
                 Id("p-", rng.Below(50)) + "\",\"session_date\":\"" + date +
                 "\",\"coaching_minutes\":" + std::to_string(20 + rng.Below(40)));
        break;
      default:
        remember(attendance, i);
        Emit(seed, i, "AttendanceRecorded", date,
             who + ",\"program_id\":\"" + own_program + "\",\"session_id\":\"" + own_program + "-" +
                 std::to_string(rng.Below(8)) + "\"",
             "\"attendance_date\":\"" + date + "\",\"attendance_event_category\":\"" +
                 (rng.Below(10) ? "InAttendance" : "UnexcusedAbsence") +
                 "\",\"credited_minutes\":" + std::to_string(rng.Below(10) ? 180 : 0));
        break;
    }
  }
  return 0;
}
