#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event.h"
#include "ledger/keys.h"
#include "ledger/status.h"
#include "schemas/event_generated.h"

// Who may sign what, at each position of the log. The registry is a fold over
// the log's KeyRegistered and KeyRevoked events; the appender and `verify`
// both run it, so the rules below are checked at append and again on audit.
//
// Rules (DESIGN.md invariant 4, docs/format.md "Key rules"):
//  * position 0 registers the first admin, signed by that admin's own key;
//  * every later entry is signed by a key registered before it and not
//    revoked before it;
//  * Admin keys may sign any event; only Admin keys sign KeyRegistered and
//    KeyRevoked; Integration keys sign only the event types listed at their
//    registration; Auditor keys sign only AuditAttested; Board and Ledger keys
//    sign no events (the ledger key signs checkpoints);
//  * a key id is registered at most once, revoked at most once, and the last
//    active admin key cannot be revoked; a principal id is a code of 1 to 128
//    printable ASCII characters without spaces;
//  * an Integration key signs only events whose source_system is its own
//    principal_id;
//  * a correction or void names an event an earlier entry holds, and an
//    Integration key corrects or voids only an earlier event of its own
//    principal (CheckAmendment: it needs the earlier events that hold the
//    id, which the key events alone do not give).
//
// Not thread-safe: the owner serialises access (the appender's leader, or the
// single verifying thread). Copyable, so a group commit can stage changes.
namespace evident {

class KeyRegistry {
 public:
  struct KeyInfo {
    PublicKey key;
    std::string principal_id;
    schema::Role role = schema::Role::Unspecified;
    std::vector<std::string> allowed_event_types;
    uint64_t registered_at = 0;
    std::optional<uint64_t> revoked_at;
  };

  // Checks every rule above for `event`, signed by `signer_key_id`, placed at
  // position `sequence` of a log whose earlier entries have all been applied.
  // OK: returns the public key the signature must verify against.
  // PermissionDenied: the signer may not sign this event here.
  // Conflict / NotFound / FailedPrecondition: the key event itself cannot apply.
  StatusOr<PublicKey> Check(std::string_view signer_key_id, const schema::Event& event,
                            uint64_t sequence) const;

  // The signer's part of Check alone: may this key sign this kind of event
  // at `sequence`? (Whether a key event applies is not considered.)
  Status CheckSigner(std::string_view signer_key_id, const schema::Event& event,
                     uint64_t sequence) const;

  // Every event an earlier entry holds with this id, one per principal (an
  // id names one event of one principal); an error when they cannot be read.
  using HolderLookup = std::function<StatusOr<std::vector<IdHolder>>(std::string_view event_id)>;

  // The amendment rules above, for an event that passed Check at the same
  // position. OK for every event that is not a RecordCorrected or
  // RecordVoided. The amended event is the one ResolveAmendedEvent names.
  // NotFound: an Admin's amendment names no earlier event. InvalidArgument:
  // several principals hold the id and the amendment does not say whose.
  // PermissionDenied: an Integration key's amendment names no earlier event
  // of its own principal -- the same words whether the event is absent or
  // another system's.
  Status CheckAmendment(std::string_view signer_key_id, const schema::Event& event,
                        const HolderLookup& holders_of) const;

  // The principal whose event `event` is when `signer_key_id` signs it: the
  // key's principal, or, for the first entry (whose key this registry does
  // not know yet), the principal it registers. Empty for an unknown key.
  std::string PrincipalOf(std::string_view signer_key_id, const schema::Event& event) const;

  // Records a KeyRegistered or KeyRevoked event; other events change nothing.
  // Must follow an OK Check of the same event at the same position.
  void Apply(const schema::Event& event, uint64_t sequence);

  // Any key ever registered, revoked or not.
  const KeyInfo* Find(std::string_view key_id) const;
  bool empty() const { return keys_.empty(); }
  const std::map<std::string, KeyInfo, std::less<>>& keys() const { return keys_; }

  static bool IsKeyEvent(schema::Body type) {
    return type == schema::Body::KeyRegistered || type == schema::Body::KeyRevoked;
  }

 private:
  Status CheckGenesis(std::string_view signer_key_id, const schema::Event& event) const;
  Status CheckRole(const KeyInfo& signer, const schema::Event& event) const;
  Status CheckKeyEvent(const schema::Event& event) const;
  size_t ActiveAdmins() const;

  std::map<std::string, KeyInfo, std::less<>> keys_;  // by key id
};

// "ab12cd34": the first 4 bytes of a key id in hex, for messages.
std::string ShortKeyId(std::string_view key_id);

}  // namespace evident
