#include "ledger/subject_owners.h"

#include "ledger/coding.h"

namespace evident {
namespace {

bool IsRegistration(schema::Body type) {
  return type == schema::Body::PersonRegistered || type == schema::Body::SiteRegistered ||
         type == schema::Body::ProgramDefined || type == schema::Body::SessionScheduled;
}

void AppendPart(std::string* out, const flatbuffers::String* id) {
  const std::string_view text = id != nullptr ? id->string_view() : std::string_view();
  const uint32_t n = static_cast<uint32_t>(text.size());
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(n >> shift));
  out->append(text);
}

std::string Subject(const char* kind, std::initializer_list<const flatbuffers::String*> ids) {
  std::string out(kind);
  out.push_back('\0');
  for (const flatbuffers::String* id : ids) AppendPart(&out, id);
  return out;
}

// The subject a registration of `type` names within `subject`.
std::optional<std::string> SubjectOf(schema::Body type, const schema::Subject* subject) {
  if (subject == nullptr) return std::nullopt;
  switch (type) {
    case schema::Body::PersonRegistered:
      return Subject("person", {subject->person_id()});
    case schema::Body::SiteRegistered:
      return Subject("site", {subject->site_id()});
    case schema::Body::ProgramDefined:
      return Subject("program", {subject->program_id()});
    case schema::Body::SessionScheduled:
      return Subject("session", {subject->program_id(), subject->session_id()});
    default:
      return std::nullopt;
  }
}

std::string OwnerKey(std::string_view subject) { return "s" + std::string(subject); }
std::string RegistrationKey(uint64_t position) { return "p" + EncodeKey64(position); }

struct Owner {
  uint32_t standing = 0;  // the owner's registrations that stand
  std::string principal_id;
};

std::string EncodeOwner(const Owner& owner) {
  if (owner.standing == 0) return {};
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(owner.standing >> shift));
  }
  return out + owner.principal_id;
}

StatusOr<std::optional<Owner>> OwnerOf(std::string_view subject, const SubjectRowLookup& row) {
  auto value = row(OwnerKey(subject));
  if (!value.ok()) return value.status();
  if (!value.value() || value.value()->empty()) return std::optional<Owner>();
  const std::string& v = *value.value();
  if (v.size() <= 4) {
    return Status::Corruption("the subjects index row of " + SubjectName(subject) +
                              " is malformed");
  }
  Owner owner;
  for (int i = 0; i < 4; ++i) owner.standing = owner.standing << 8 | static_cast<uint8_t>(v[i]);
  owner.principal_id = v.substr(4);
  return std::optional<Owner>(std::move(owner));
}

// The subject the registration at `position` owns; nullopt when it owns
// none (another's, an admin's, a voided one, or not a registration).
StatusOr<std::optional<std::string>> OwnedBy(uint64_t position, const SubjectRowLookup& row) {
  auto owned = row(RegistrationKey(position));
  if (!owned.ok()) return owned.status();
  if (!owned.value() || owned.value()->empty()) return std::optional<std::string>();
  return owned;
}

Status Refuse(const SubjectEvent& e, const std::string& what) {
  if (e.before_rule) return Status::OK();
  return Status::PermissionDenied(e.principal_id + " " + what);
}

// A registration (not a correction) of `subject` by `e`.
StatusOr<SubjectRows> Register(const SubjectEvent& e, const std::string& subject,
                               const SubjectRowLookup& row) {
  SubjectRows rows;
  if (e.admin) return rows;
  auto owner = OwnerOf(subject, row);
  if (!owner.ok()) return owner.status();
  if (owner.value() && owner.value()->principal_id != e.principal_id) {
    EVIDENT_RETURN_IF_ERROR(Refuse(
        e, "registers only what no other system has registered, and " + SubjectName(subject) +
               " is another system's; only that system, or an admin, registers it again (an "
               "admin may void the other system's registrations to free it)"));
    return rows;
  }
  if (e.event->body_type() == schema::Body::SessionScheduled) {
    const std::optional<std::string> program =
        SubjectOf(schema::Body::ProgramDefined, e.event->subject());
    auto program_owner = OwnerOf(*program, row);
    if (!program_owner.ok()) return program_owner.status();
    if (program_owner.value() && program_owner.value()->principal_id != e.principal_id) {
      EVIDENT_RETURN_IF_ERROR(Refuse(e, "schedules sessions only of its own programmes, and " +
                                            SubjectName(*program) + " is another system's"));
      return rows;
    }
  }
  Owner next = owner.value().value_or(Owner{0, e.principal_id});
  ++next.standing;
  rows.emplace_back(OwnerKey(subject), EncodeOwner(next));
  rows.emplace_back(RegistrationKey(e.position), subject);
  return rows;
}

// A correction of a registration by `e`: only of one that owns its subject,
// and onto no other subject.
StatusOr<SubjectRows> Correct(const SubjectEvent& e, const schema::RecordCorrected& c,
                              const SubjectRowLookup& row) {
  SubjectRows rows;
  if (e.admin || !IsRegistration(c.body_type())) return rows;
  std::optional<std::string> owned;
  if (e.amended_position) {
    auto found = OwnedBy(*e.amended_position, row);
    if (!found.ok()) return found.status();
    owned = found.value();
  }
  if (!owned) {
    EVIDENT_RETURN_IF_ERROR(Refuse(
        e, "corrects only registrations of its own that stand for their subject; this one "
           "names none (register the subject instead)"));
    return rows;
  }
  const std::optional<std::string> given = SubjectOf(c.body_type(), c.subject());
  if (given && *given != *owned) {
    EVIDENT_RETURN_IF_ERROR(Refuse(
        e, "does not move a registration of " + SubjectName(*owned) + " to " +
               SubjectName(*given) + "; void it and register the other subject instead"));
  }
  return rows;
}

// A void of the registration at `position`, if it owns: one fewer of the
// owner's registrations stands, and with none left the subject is free.
StatusOr<SubjectRows> Void(uint64_t position, const SubjectRowLookup& row) {
  SubjectRows rows;
  auto owned = OwnedBy(position, row);
  if (!owned.ok()) return owned.status();
  if (!owned.value()) return rows;
  const std::string& subject = *owned.value();
  auto owner = OwnerOf(subject, row);
  if (!owner.ok()) return owner.status();
  if (!owner.value()) {
    return Status::Corruption("the subjects index says the registration at position " +
                              std::to_string(position) + " owns " + SubjectName(subject) +
                              ", which has no owner");
  }
  Owner next = *owner.value();
  --next.standing;
  rows.emplace_back(OwnerKey(subject), EncodeOwner(next));
  rows.emplace_back(RegistrationKey(position), "");
  return rows;
}

}  // namespace

std::optional<std::string> RegisteredSubject(const schema::Event& event) {
  if (const auto* c = event.body_as_RecordCorrected()) {
    return SubjectOf(c->body_type(), c->subject());
  }
  return SubjectOf(event.body_type(), event.subject());
}

std::string SubjectName(std::string_view subject) {
  const size_t kind_end = subject.find('\0');
  if (kind_end == std::string_view::npos) return std::string(subject);
  std::string out(subject.substr(0, kind_end));
  out += ' ';
  size_t at = kind_end + 1;
  for (bool first = true; at + 4 <= subject.size(); first = false) {
    uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n = n << 8 | static_cast<uint8_t>(subject[at + i]);
    at += 4;
    if (!first) out += '/';
    out.append(subject.substr(at, n));
    at += n;
  }
  return out;
}

StatusOr<SubjectRows> ApplySubjectRule(const SubjectEvent& e, const SubjectRowLookup& row) {
  switch (e.event->body_type()) {
    case schema::Body::RecordVoided:
      if (!e.amended_position) return SubjectRows();
      return Void(*e.amended_position, row);
    case schema::Body::RecordCorrected:
      return Correct(e, *e.event->body_as_RecordCorrected(), row);
    default:
      break;
  }
  const std::optional<std::string> subject = RegisteredSubject(*e.event);
  if (!subject) return SubjectRows();
  return Register(e, *subject, row);
}

}  // namespace evident
