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
// session -- belongs to the district system that registered it first, and
// stays its own while any registration of it by that system stands.
//  * Only the owner registers it again (an hourly rate, a position); another
//    system's registration of it is refused. A session is its programme's:
//    only the programme's owner schedules sessions of it.
//  * A system corrects only registrations that own their subject, and a
//    correction does not move a registration to another subject (void it and
//    register anew).
//  * A void of a registration that owns (the owner, or an admin, may void
//    it) takes it out; when none of the owner's registrations stands, the
//    subject is free for the next system that registers it, so a system that
//    took another's subject first is undone by an admin's voids.
//  * Admin keys register, correct and void any subject and own none.
//
// The `subjects` column holds who owns what:
//   "s" subject           -> u32be how many of the owner's registrations
//                            stand || the owner's principal id; empty once free
//   "p" u64be position    -> the subject that registration owns; empty once
//                            it is voided
// The appender, `verify` and the format-1 migration fold the log through the
// one function below, so the rule at append and on audit is the same code.
namespace evident {

// The meta key holding, as a u64be position, where rule 7 starts: the size of
// a format-1 ledger when it was migrated. Absent: from position 0.
constexpr std::string_view kMetaSubjectsFrom = "subjects_from";

// The subject a registration event names, or for a RecordCorrected of a
// registration that gives a subject, the subject it gives; nullopt for every
// other event. Kind, 0x00, then each id with a u32be length before it.
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
  // For a RecordCorrected or RecordVoided: the position of the event it
  // names (ResolveAmendedEvent), when the log holds one.
  std::optional<uint64_t> amended_position;
  // Appended before the rule existed (a format-1 ledger's entries): what the
  // rule would refuse is passed over, owning nothing.
  bool before_rule = false;
};

// Checks rule 7 for `e` and returns the rows it writes to the subjects
// column (none for most events). PermissionDenied when an integration
// registers another system's subject, schedules a session of another
// system's programme, corrects a registration that owns nothing, or moves a
// registration; Corruption when a stored row is malformed.
StatusOr<SubjectRows> ApplySubjectRule(const SubjectEvent& e, const SubjectRowLookup& row);

}  // namespace evident
