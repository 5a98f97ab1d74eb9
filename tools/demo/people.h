#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tools/demo/district.h"

// The demo district's staff as its HR system exports them, with synthetic
// names drawn from the seed (the same seed, the same names): Ed-Fi Staff as
// JSON Lines, the shape of tools/import/samples/staff.jsonl, which the
// directory mapping (tools/import/mappings/edfi-staff-directory.json) reads.
// Families and community members are registered by the PD system, not HR:
// the export leaves them out, so the pages show them by id.
namespace evident::demo {

struct DemoPerson {
  std::string id;     // e-10001
  std::string site;   // their first site
  std::string group;  // participant group when registered
  std::string first, last, email, title;
  int events = 0;  // events about them in the district's records
};

// Every staff member of `district` (from its PersonRegistered and
// AssignmentChanged events), in id order, named from `seed`.
std::vector<DemoPerson> StaffOf(const District& district, uint64_t seed);

// The HR export of `staff`, one JSON object per line.
std::string HrExport(const std::vector<DemoPerson>& staff);

// The demo's accounts, one of each role: a teacher with the most events, a
// leader of that teacher's site, an administrator elsewhere for the
// professional-learning office, and a board member and an auditor who are
// not staff.
struct DemoAccount {
  std::string login, role, person, site;
};
std::vector<DemoAccount> DemoAccounts(const std::vector<DemoPerson>& staff);

}  // namespace evident::demo
