#include "ledger/subject_owners.h"

#include "ledger/coding.h"

namespace evident {
namespace {

std::string Subject(const char* kind, const flatbuffers::String* id) {
  std::string out(kind);
  out.push_back('\0');
  if (id != nullptr) out.append(id->string_view());
  return out;
}

// The subject a registration of `type` names within `subject`.
std::optional<std::string> SubjectOf(schema::Body type, const schema::Subject* subject) {
  if (subject == nullptr) return std::nullopt;
  switch (type) {
    case schema::Body::PersonRegistered:
      return Subject("person", subject->person_id());
    case schema::Body::SiteRegistered:
      return Subject("site", subject->site_id());
    case schema::Body::ProgramDefined:
      return Subject("program", subject->program_id());
    case schema::Body::SessionScheduled:
      return Subject("session", subject->program_id()) + '\0' +
             (subject->session_id() != nullptr ? subject->session_id()->str() : "");
    default:
      return std::nullopt;
  }
}

std::string OwnerKey(std::string_view subject) { return "s" + std::string(subject); }
std::string RegistrationKey(uint64_t position) { return "p" + EncodeKey64(position); }

struct Owner {
  uint64_t position = 0;
  std::string principal_id;
};

StatusOr<std::optional<Owner>> OwnerOf(std::string_view subject, const SubjectRowLookup& row) {
  auto value = row(OwnerKey(subject));
  if (!value.ok()) return value.status();
  if (!value.value() || value.value()->empty()) return std::optional<Owner>();
  const std::string& v = *value.value();
  if (v.size() <= 8) {
    return Status::Corruption("the subjects index row of " + SubjectName(subject) +
                              " is malformed");
  }
  return std::optional<Owner>(Owner{DecodeFixed64BE(v.data()), v.substr(8)});
}

}  // namespace

std::optional<std::string> RegisteredSubject(const schema::Event& event) {
  if (const auto* c = event.body_as_RecordCorrected()) {
    return SubjectOf(c->body_type(), c->subject());
  }
  return SubjectOf(event.body_type(), event.subject());
}

std::string SubjectName(std::string_view subject) {
  std::string out(subject);
  const size_t kind_end = out.find('\0');
  if (kind_end != std::string::npos) out[kind_end] = ' ';
  const size_t session = out.find('\0');
  if (session != std::string::npos) out[session] = '/';
  return out;
}

StatusOr<SubjectRows> ApplySubjectRule(const SubjectEvent& e, const SubjectRowLookup& row) {
  SubjectRows rows;
  if (e.voided_position) {
    // Voiding the registration that owns a subject frees the subject.
    auto owned = row(RegistrationKey(*e.voided_position));
    if (!owned.ok()) return owned.status();
    if (!owned.value()) return rows;
    const std::string& subject = *owned.value();
    auto owner = OwnerOf(subject, row);
    if (!owner.ok()) return owner.status();
    if (owner.value() && owner.value()->position == *e.voided_position) {
      rows.emplace_back(OwnerKey(subject), "");
    }
    return rows;
  }
  const std::optional<std::string> subject = RegisteredSubject(*e.event);
  if (!subject) return rows;
  auto owner = OwnerOf(*subject, row);
  if (!owner.ok()) return owner.status();
  if (owner.value()) {
    if (e.admin || owner.value()->principal_id == e.principal_id || e.before_rule) return rows;
    return Status::PermissionDenied(
        e.principal_id + " registers only what no other system has registered, and " +
        SubjectName(*subject) +
        " is another system's; only that system, or an admin, registers it again (an admin "
        "may void the other system's registration to free it)");
  }
  // A correction moving a registration, and an admin's registration, take
  // no subject: the first system to register it owns it.
  if (e.admin || e.event->body_type() == schema::Body::RecordCorrected) return rows;
  std::string value = EncodeKey64(e.position);
  value += e.principal_id;
  rows.emplace_back(OwnerKey(*subject), std::move(value));
  rows.emplace_back(RegistrationKey(e.position), *subject);
  return rows;
}

}  // namespace evident
