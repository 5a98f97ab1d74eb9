#pragma once

#include <string>
#include <string_view>

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

// Event ids are shown as 32 lowercase hex digits.
std::string EventIdHex(std::string_view id);

}  // namespace evident
