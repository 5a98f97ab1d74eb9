#include "ledger/event.h"

#include "ledger/coding.h"
#include "ledger/sha256.h"

namespace evident {
namespace {

constexpr size_t kMaxRationaleBytes = 500;

Status CheckLength(const flatbuffers::Vector<uint8_t>* bytes, size_t want, const char* what) {
  if (bytes != nullptr && bytes->size() != want) {
    return Status::InvalidArgument(std::string(what) + " must be " + std::to_string(want) +
                                   " bytes, got " + std::to_string(bytes->size()));
  }
  return Status::OK();
}

// A decision names what was decided, on which report, in a few plain words.
Status CheckReview(const schema::ProgramReviewed* body) {
  if (body->decision() == schema::ReviewDecision::Unspecified) {
    return Status::InvalidArgument(
        "ProgramReviewed.decision must be Continue, Revise, Expand, Reduce or Stop");
  }
  const size_t rationale = body->rationale()->size();
  if (rationale == 0 || rationale > kMaxRationaleBytes) {
    return Status::InvalidArgument("ProgramReviewed.rationale must hold 1 to " +
                                   std::to_string(kMaxRationaleBytes) + " bytes, got " +
                                   std::to_string(rationale));
  }
  if (body->report_tree_size() == 0) {
    return Status::InvalidArgument(
        "ProgramReviewed.report_tree_size must be the size of the report's checkpoint (1 or "
        "more)");
  }
  if (body->measures_reviewed() != nullptr) {
    for (const auto* m : *body->measures_reviewed()) {
      if (m->size() == 0 || m->size() > 64) {
        return Status::InvalidArgument(
            "each of ProgramReviewed.measures_reviewed is a measure's key of 1 to 64 bytes");
      }
    }
  }
  return CheckLength(body->report_root_hash(), kSha256Size, "report_root_hash");
}

// What the FlatBuffers verifier cannot know: byte-field lengths, and which
// bodies a correction may carry.
Status CheckBody(const schema::Event* event) {
  switch (event->body_type()) {
    case schema::Body::KeyRegistered:
      return CheckLength(event->body_as_KeyRegistered()->public_key(), kEd25519PublicKeySize,
                         "KeyRegistered.public_key");
    case schema::Body::KeyRevoked:
      return CheckLength(event->body_as_KeyRevoked()->key_id(), kKeyIdSize, "KeyRevoked.key_id");
    case schema::Body::AuditAttested: {
      auto* body = event->body_as_AuditAttested();
      EVIDENT_RETURN_IF_ERROR(CheckLength(body->root_hash(), kSha256Size, "root_hash"));
      return CheckLength(body->findings_sha256(), kSha256Size, "findings_sha256");
    }
    case schema::Body::ProgramReviewed:
      return CheckReview(event->body_as_ProgramReviewed());
    case schema::Body::RecordCorrected:
      switch (event->body_as_RecordCorrected()->body_type()) {
        case schema::Body::NONE:
        case schema::Body::RecordCorrected:
        case schema::Body::RecordVoided:
        case schema::Body::KeyRegistered:
        case schema::Body::KeyRevoked:
          return Status::InvalidArgument(
              "a RecordCorrected body may not be a governance event; register or revoke keys "
              "with new KeyRegistered/KeyRevoked events");
        default:
          return Status::OK();
      }
    default:
      return Status::OK();
  }
}

}  // namespace

std::string EventSigningMessage(std::string_view event_bytes) {
  std::string message;
  message.reserve(kEventSigningDomain.size() + event_bytes.size());
  message.append(kEventSigningDomain);
  message.append(event_bytes);
  return message;
}

SignedEvent SignEvent(const PrivateKey& key, std::string event_bytes) {
  SignedEvent signed_event;
  signed_event.signature = key.Sign(EventSigningMessage(event_bytes));
  signed_event.signer_key_id = key.public_key().key_id();
  signed_event.event = std::move(event_bytes);
  return signed_event;
}

bool VerifyEventSignature(const PublicKey& key, const SignedEvent& event) {
  return event.signer_key_id == key.key_id() &&
         key.Verify(EventSigningMessage(event.event), event.signature);
}

StatusOr<const schema::Event*> ParseEvent(std::string_view bytes) {
  if (bytes.size() > kMaxEventBytes) {
    return Status::InvalidArgument("event is " + std::to_string(bytes.size()) +
                                   " bytes; the limit is " + std::to_string(kMaxEventBytes));
  }
  auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!schema::VerifyEventBuffer(verifier)) {
    return Status::InvalidArgument("event bytes are not a valid Event FlatBuffer");
  }
  const schema::Event* event = schema::GetEvent(data);
  const char* member = schema::EnumNameBody(event->body_type());
  if (*member == '\0') {  // the verifier passes union members it does not know
    return Status::InvalidArgument("body type " + std::to_string(int(event->body_type())) +
                                   " is not an event type this build knows");
  }
  if (event->body_type() == schema::Body::NONE || event->event_type()->string_view() != member) {
    return Status::InvalidArgument("event_type \"" + event->event_type()->str() +
                                   "\" does not match its body (" + member + ")");
  }
  if (event->schema_version() == 0 || event->schema_version() > kCurrentSchemaVersion) {
    return Status::InvalidArgument("schema_version " + std::to_string(event->schema_version()) +
                                   " is not one this build knows (1.." +
                                   std::to_string(kCurrentSchemaVersion) + ")");
  }
  EVIDENT_RETURN_IF_ERROR(CheckBody(event));
  return event;
}

std::string_view EventIdOf(const schema::Event* event) {
  const auto* bytes = event->event_id()->bytes();
  return std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size());
}

std::string_view AmendedEventIdOf(const schema::Event* event) {
  const schema::Id128* id = nullptr;
  if (const auto* c = event->body_as_RecordCorrected()) id = c->amends_event_id();
  if (const auto* v = event->body_as_RecordVoided()) id = v->amends_event_id();
  if (id == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(id->bytes()->data()), id->bytes()->size());
}

std::string_view AmendedPrincipalOf(const schema::Event* event) {
  const flatbuffers::String* principal = nullptr;
  if (const auto* c = event->body_as_RecordCorrected()) principal = c->amends_principal_id();
  if (const auto* v = event->body_as_RecordVoided()) principal = v->amends_principal_id();
  return principal == nullptr ? std::string_view() : principal->string_view();
}

StatusOr<std::optional<IdHolder>> ResolveAmendedEvent(const schema::Event* amendment,
                                                      std::string_view amender_principal,
                                                      const std::vector<IdHolder>& holders) {
  using Found = std::optional<IdHolder>;
  const std::string_view named = AmendedPrincipalOf(amendment);
  const std::string_view whose = named.empty() ? amender_principal : named;
  for (const IdHolder& h : holders) {
    if (h.principal_id == whose) return Found(h);
  }
  if (!named.empty() || holders.empty()) return Found();
  if (holders.size() == 1) return Found(holders.front());
  std::string principals;
  for (const IdHolder& h : holders) principals += (principals.empty() ? "" : ", ") + h.principal_id;
  return Status::InvalidArgument("event id " + EventIdHex(AmendedEventIdOf(amendment)) +
                                 " names an event of each of " + principals +
                                 "; say whose with amends_principal_id");
}

std::string EventIdHex(std::string_view id) { return HexEncode(id); }

}  // namespace evident
