#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/status.h"
#include "schemas/event_generated.h"

// Key rule 7 (docs/format.md): a subject -- a person, a site, a programme, a
// session -- belongs to the district system that registered it first. Only
// that system registers it again (an hourly rate, a position); another
// system's registration of it is refused, and so is a correction that would
// move a registration onto it. Admins register any subject and own none.
// Voiding the owning registration (the owner, or an admin, may) frees the
// subject for the next system that registers it, so a system that took
// another's subject first can be undone.
//
// The `subjects` column holds who owns what:
//   "s" subject              -> u64be position of the owning registration ||
//                               its principal id; empty once released
//   "p" u64be position       -> the subject that registration owns
// The appender, `verify` and the format-1 migration fold the log through the
// one function below, so the rule at append and on audit is the same code.
namespace evident {

// The meta key holding, as a u64be position, where rule 7 starts: the size of
// a format-1 ledger when it was migrated. Absent: from position 0.
constexpr std::string_view kMetaSubjectsFrom = "subjects_from";

// The subject a registration event names: "person\0<id>", "site\0<id>",
// "program\0<id>" or "session\0<program>\0<session>"; for a RecordCorrected
// of a registration that gives a subject, the subject it moves to; nullopt
// for every other event.
std::optional<std::string> RegisteredSubject(const schema::Event& event);

// "person e-10017", "session pd-1/s1", for messages.
std::string SubjectName(std::string_view subject);

// A row of the subjects column as it stands (staged or stored); nullopt when
// absent.
using SubjectRowLookup =
    std::function<StatusOr<std::optional<std::string>>(const std::string& key)>;
using SubjectRows = std::vector<std::pair<std::string, std::string>>;

struct SubjectEvent {
  const schema::Event* event = nullptr;
  uint64_t position = 0;
  std::string principal_id;
  bool admin = false;
  // For a RecordVoided: the position of the event it voids.
  std::optional<uint64_t> voided_position;
  // Appended before the rule existed (a format-1 ledger's entries): a
  // registration the rule would refuse is passed over, owning nothing.
  bool before_rule = false;
};

// Checks rule 7 for `e` and returns the rows it adds to the subjects column
// (none for most events). PermissionDenied when an integration registers, or
// moves a registration onto, another system's subject; Corruption when a
// stored row is malformed.
StatusOr<SubjectRows> ApplySubjectRule(const SubjectEvent& e, const SubjectRowLookup& row);

}  // namespace evident
