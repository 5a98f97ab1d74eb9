#include "ledger/key_registry.h"

#include <algorithm>

#include "ledger/coding.h"
#include "ledger/event.h"

namespace evident {
std::string ShortKeyId(std::string_view key_id) { return HexEncode(key_id.substr(0, 4)); }

const KeyRegistry::KeyInfo* KeyRegistry::Find(std::string_view key_id) const {
  auto it = keys_.find(key_id);
  return it == keys_.end() ? nullptr : &it->second;
}

size_t KeyRegistry::ActiveAdmins() const {
  return std::count_if(keys_.begin(), keys_.end(), [](const auto& kv) {
    return kv.second.role == schema::Role::Admin && !kv.second.revoked_at;
  });
}

Status KeyRegistry::CheckGenesis(std::string_view signer_key_id, const schema::Event& event) const {
  const auto* reg = event.body_as_KeyRegistered();
  if (reg == nullptr || reg->role() != schema::Role::Admin) {
    return Status::PermissionDenied(
        "the first entry of a ledger must be a KeyRegistered event for an Admin key");
  }
  auto key = PublicKey::FromRaw(AsView(reg->public_key()));
  if (!key.ok()) return key.status();
  if (key->key_id() != signer_key_id) {
    return Status::PermissionDenied("the first entry must be signed by the admin key it registers");
  }
  return Status::OK();
}

Status KeyRegistry::CheckRole(const KeyInfo& signer, const schema::Event& event) const {
  const std::string_view type = event.event_type()->string_view();
  const std::string who = "key " + ShortKeyId(signer.key.key_id()) + " (" + signer.principal_id +
                          ", " + schema::EnumNameRole(signer.role) + ")";
  switch (signer.role) {
    case schema::Role::Admin:
      return Status::OK();
    case schema::Role::Integration: {
      if (IsKeyEvent(event.body_type())) break;
      const auto& allowed = signer.allowed_event_types;
      if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
        return Status::PermissionDenied(who + " is not registered to append " + std::string(type) +
                                        " events");
      }
      // A system speaks for itself only: the envelope's source_system is the
      // signer's principal, so no system's records can claim another's name.
      if (event.source_system()->string_view() != signer.principal_id) {
        return Status::PermissionDenied(who + " signs only events whose source_system is \"" +
                                        signer.principal_id + "\"; this one says \"" +
                                        event.source_system()->str() + "\"");
      }
      return Status::OK();
    }
    case schema::Role::Auditor:
      if (event.body_type() == schema::Body::AuditAttested) return Status::OK();
      break;
    default:
      break;
  }
  return Status::PermissionDenied(who + " may not sign " + std::string(type) + " events");
}

Status KeyRegistry::CheckKeyEvent(const schema::Event& event) const {
  if (const auto* reg = event.body_as_KeyRegistered()) {
    if (reg->role() == schema::Role::Unspecified) {
      return Status::InvalidArgument("KeyRegistered needs a role");
    }
    // A principal id is a code that every log line, metric and source_system
    // shows as it is: printable ASCII, no spaces, at most 128 characters.
    const std::string_view principal = reg->principal_id()->string_view();
    const bool code = !principal.empty() && principal.size() <= 128 &&
                      std::all_of(principal.begin(), principal.end(),
                                  [](char c) { return c > ' ' && c < 0x7f; });
    if (!code) {
      return Status::InvalidArgument(
          "a principal id is a code of 1 to 128 printable ASCII characters without spaces, such "
          "as \"hr-system\"");
    }
    auto key = PublicKey::FromRaw(AsView(reg->public_key()));
    if (!key.ok()) return key.status();
    if (const KeyInfo* existing = Find(key->key_id())) {
      return Status::Conflict("key " + ShortKeyId(key->key_id()) +
                              " was registered already, at position " +
                              std::to_string(existing->registered_at));
    }
  }
  if (const auto* rev = event.body_as_KeyRevoked()) {
    const KeyInfo* target = Find(AsView(rev->key_id()));
    std::string name = "key " + ShortKeyId(AsView(rev->key_id()));
    if (target == nullptr) return Status::NotFound(name + " is not registered");
    if (target->revoked_at) {
      return Status::Conflict(name + " was revoked already, at position " +
                              std::to_string(*target->revoked_at));
    }
    if (target->role == schema::Role::Admin && ActiveAdmins() == 1) {
      return Status::FailedPrecondition(
          name + " is the last active admin key; register another admin before revoking it");
    }
  }
  return Status::OK();
}

StatusOr<PublicKey> KeyRegistry::Check(std::string_view signer_key_id, const schema::Event& event,
                                       uint64_t sequence) const {
  EVIDENT_RETURN_IF_ERROR(CheckSigner(signer_key_id, event, sequence));
  EVIDENT_RETURN_IF_ERROR(CheckKeyEvent(event));
  if (sequence == 0) {
    return PublicKey::FromRaw(AsView(event.body_as_KeyRegistered()->public_key()));
  }
  return Find(signer_key_id)->key;
}

Status KeyRegistry::CheckSigner(std::string_view signer_key_id, const schema::Event& event,
                                uint64_t sequence) const {
  if (sequence == 0) return CheckGenesis(signer_key_id, event);
  const KeyInfo* signer = Find(signer_key_id);
  if (signer == nullptr) {
    return Status::PermissionDenied("signing key " + ShortKeyId(signer_key_id) +
                                    " is not registered in this ledger");
  }
  if (signer->revoked_at) {
    return Status::PermissionDenied("signing key " + ShortKeyId(signer_key_id) + " (" +
                                    signer->principal_id + ") was revoked at position " +
                                    std::to_string(*signer->revoked_at));
  }
  return CheckRole(*signer, event);
}

Status KeyRegistry::CheckAmendment(std::string_view signer_key_id, const schema::Event& event,
                                   const HolderLookup& holders_of) const {
  const std::string_view target = AmendedEventIdOf(&event);
  if (target.empty()) return Status::OK();
  const KeyInfo* signer = Find(signer_key_id);
  if (signer == nullptr) return Status::OK();  // Check has refused it already
  const std::string context = "finding event " + EventIdHex(target) + ", which this event amends";
  auto holders = holders_of(target);
  if (!holders.ok()) return holders.status().WithContext(context);
  if (signer->role != schema::Role::Integration) {
    // An admin may amend any principal's event, but only one the log holds:
    // an amendment of nothing would stand in the log for ever, applying to
    // nothing.
    auto found = ResolveAmendedEvent(&event, signer->principal_id, holders.value());
    if (!found.ok()) return found.status();
    if (found.value()) return Status::OK();
    const std::string_view whose = AmendedPrincipalOf(&event);
    return Status::NotFound("no earlier entry holds event " + EventIdHex(target) +
                            (whose.empty() ? "" : " of " + std::string(whose)) +
                            ", which this event amends");
  }
  // An integration amends its own events only, so it is answered from its
  // own events only: the same words whether the event is absent or another
  // system's, and another system's events are never named.
  std::vector<IdHolder> own;
  for (const IdHolder& h : holders.value()) {
    if (h.principal_id == signer->principal_id) own.push_back(h);
  }
  const std::string_view whose = AmendedPrincipalOf(&event);
  auto found = ResolveAmendedEvent(&event, signer->principal_id, own);
  if (whose.empty() || whose == signer->principal_id) {
    if (found.ok() && found.value()) return Status::OK();
  }
  return Status::PermissionDenied(
      "key " + ShortKeyId(signer_key_id) + " (" + signer->principal_id +
      ", Integration) amends only earlier events of " + signer->principal_id +
      ", and none of them holds event " + EventIdHex(target) +
      "; an Admin key can amend another system's event");
}

std::string KeyRegistry::PrincipalOf(std::string_view signer_key_id,
                                     const schema::Event& event) const {
  if (const KeyInfo* info = Find(signer_key_id)) return info->principal_id;
  if (empty()) {
    if (const auto* reg = event.body_as_KeyRegistered()) return reg->principal_id()->str();
  }
  return {};
}

void KeyRegistry::Apply(const schema::Event& event, uint64_t sequence) {
  if (const auto* reg = event.body_as_KeyRegistered()) {
    auto key = PublicKey::FromRaw(AsView(reg->public_key()));
    KeyInfo info{key.value(), reg->principal_id()->str(), reg->role(), {}, sequence, {}};
    if (reg->allowed_event_types() != nullptr) {
      for (const auto* type : *reg->allowed_event_types()) {
        info.allowed_event_types.push_back(type->str());
      }
    }
    keys_.emplace(key->key_id(), std::move(info));
  } else if (const auto* rev = event.body_as_KeyRevoked()) {
    keys_.find(AsView(rev->key_id()))->second.revoked_at = sequence;
  }
}

}  // namespace evident
