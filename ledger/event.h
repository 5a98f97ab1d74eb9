#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/keys.h"
#include "ledger/status.h"
#include "schemas/event_generated.h"

// Events as bytes: structural validation of an Event FlatBuffer from outside,
// and the domain-separated message its signer signs.
namespace evident {

constexpr std::string_view kEventSigningDomain = "evident/event/v1\n";
constexpr uint16_t kCurrentSchemaVersion = 1;
constexpr size_t kEventIdSize = 16;
// No event may be larger than this; a bigger one is refused before parsing.
constexpr size_t kMaxEventBytes = 64 * 1024;

// An event as it travels to the appender: the FlatBuffer exactly as signed,
// and who signed it.
struct SignedEvent {
  std::string event;          // Event FlatBuffer bytes
  std::string signer_key_id;  // SHA-256 of the signer's public key, 32 bytes
  std::string signature;      // Ed25519, 64 bytes
};

// A FlatBuffers byte vector as a string_view over the same bytes.
inline std::string_view AsView(const flatbuffers::Vector<uint8_t>* v) {
  return std::string_view(reinterpret_cast<const char*>(v->data()), v->size());
}

// "evident/event/v1\n" || event_bytes.
std::string EventSigningMessage(std::string_view event_bytes);

SignedEvent SignEvent(const PrivateKey& key, std::string event_bytes);
bool VerifyEventSignature(const PublicKey& key, const SignedEvent& event);

// Checks bytes from outside before any field is read: size limit, the
// FlatBuffers verifier with the "EVEV" identifier, `event_type` equal to the
// body's member name, a schema version this build knows, and the lengths of
// key and hash fields. Returns the event (pointing into `bytes`, which must
// outlive it) or InvalidArgument saying what is wrong.
StatusOr<const schema::Event*> ParseEvent(std::string_view bytes);

// The 16 event-id bytes of an event that passed ParseEvent.
std::string_view EventIdOf(const schema::Event* event);

// The 16-byte id of the event a RecordCorrected or RecordVoided amends; empty
// for every other event.
std::string_view AmendedEventIdOf(const schema::Event* event);

// The principal a RecordCorrected or RecordVoided names as the amended
// event's holder (`amends_principal_id`); empty when it names none.
std::string_view AmendedPrincipalOf(const schema::Event* event);

// An event id names one event of one principal: each principal chooses its
// own ids, and no other principal's event can take one (DESIGN.md invariant
// 3, per principal). One holder of an id.
struct IdHolder {
  std::string principal_id;
  uint64_t position = 0;
};

// The event an amendment by `amender_principal` names, among `holders` (every
// earlier event with the amended id, one per principal): the holder that
// `amends_principal_id` names when given; else the amender's own; else the
// only holder. nullopt when none is named; InvalidArgument when several
// principals hold the id and the amendment does not say whose.
StatusOr<std::optional<IdHolder>> ResolveAmendedEvent(const schema::Event* amendment,
                                                      std::string_view amender_principal,
                                                      const std::vector<IdHolder>& holders);

// Event ids are shown as 32 lowercase hex digits.
std::string EventIdHex(std::string_view id);

}  // namespace evident
