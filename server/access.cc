#include "server/access.h"

#include "ledger/entry.h"
#include "ledger/key_registry.h"

namespace evident::server {

wire::ErrorCode CodeOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
    case Status::Code::kNotFound:
      return wire::ErrorCode::InvalidArgument;
    case Status::Code::kPermissionDenied:
      return wire::ErrorCode::PermissionDenied;
    case Status::Code::kVerificationFailed:
      return wire::ErrorCode::BadRequest;
    case Status::Code::kConflict:
      return wire::ErrorCode::Conflict;
    case Status::Code::kIOError:
    case Status::Code::kFailedPrecondition:
      return wire::ErrorCode::Unavailable;
    default:
      return wire::ErrorCode::Internal;
  }
}

bool MayLogIn(schema::Role role) {
  switch (role) {
    case schema::Role::Admin:
    case schema::Role::Integration:
    case schema::Role::Auditor:
    case schema::Role::Board:
      return true;
    default:
      return false;
  }
}

std::string RequestRefusal(schema::Role role, wire::Message request) {
  using wire::Message;
  if (!MayLogIn(role)) {
    return "a key of role " + std::to_string(int(role)) + " may make no request";
  }
  const bool reads = request == Message::ReadRequest || request == Message::SubscribeRequest;
  const bool proofs =
      request == Message::InclusionProofRequest || request == Message::ConsistencyProofRequest;
  if (role == schema::Role::Board && (reads || proofs || request == Message::AppendRequest)) {
    return "board keys receive report summaries and checkpoints only, never raw events";
  }
  if (role != schema::Role::Admin && request == Message::BackupRequest) {
    return "only admin keys may take backups";
  }
  if (role == schema::Role::Integration && request == Message::QueryRequest) {
    return "integration keys may not query the views: they hold every system's records";
  }
  return "";
}

std::string ViewRefusal(schema::Role role, const std::string& view) {
  if (role != schema::Role::Admin && role != schema::Role::Auditor && role != schema::Role::Board) {
    return "a key of role " + std::to_string(int(role)) + " sees no view";
  }
  if (role == schema::Role::Board && view != "accountability" && view != "equity") {
    return "board keys see the summary views (accountability, equity), not " + view +
           ", which has per-person rows";
  }
  return "";
}

std::string RelayRefusal(schema::Role role, std::string_view session_key_id,
                         std::string_view signer_key_id, size_t index) {
  if (role == schema::Role::Admin || signer_key_id == session_key_id) return "";
  return "event " + std::to_string(index) + " is signed by key " + ShortKeyId(signer_key_id) +
         "; only an admin may pass on events other keys signed";
}

bool SeesEntry(schema::Role role, std::string_view session_key_id, std::string_view entry_bytes) {
  if (role == schema::Role::Admin || role == schema::Role::Auditor) return true;
  if (role != schema::Role::Integration) return false;
  const std::string copy(entry_bytes);  // aligned for the verifier
  auto entry = ParseEntry(copy);
  return entry.ok() && AsView(entry.value()->signer_key_id()) == session_key_id;
}

}  // namespace evident::server
