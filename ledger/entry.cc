#include "ledger/entry.h"

namespace evident {

std::string BuildEntry(uint64_t sequence, int64_t recorded_at_micros, const SignedEvent& event) {
  flatbuffers::FlatBufferBuilder fbb(event.event.size() + 256);
  auto as_bytes = [&fbb](std::string_view s) {
    return fbb.CreateVector(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  auto event_bytes = as_bytes(event.event);
  auto key_id = as_bytes(event.signer_key_id);
  auto signature = as_bytes(event.signature);
  fbb.Finish(schema::CreateEntry(fbb, sequence, recorded_at_micros, event_bytes, key_id, signature),
             schema::EntryIdentifier());
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

StatusOr<const schema::Entry*> ParseEntry(std::string_view bytes) {
  if (bytes.size() > kMaxEntryBytes) {
    return Status::Corruption("entry is " + std::to_string(bytes.size()) +
                              " bytes, over the limit of " + std::to_string(kMaxEntryBytes));
  }
  auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!schema::VerifyEntryBuffer(verifier)) {
    return Status::Corruption("entry bytes are not a valid Entry FlatBuffer");
  }
  const schema::Entry* entry = schema::GetEntry(data);
  if (entry->signer_key_id()->size() != kKeyIdSize) {
    return Status::Corruption("entry signer_key_id is not " + std::to_string(kKeyIdSize) +
                              " bytes");
  }
  if (entry->signature()->size() != kEd25519SignatureSize) {
    return Status::Corruption("entry signature is not " + std::to_string(kEd25519SignatureSize) +
                              " bytes");
  }
  return entry;
}

SignedEvent SignedEventOf(const schema::Entry* entry) {
  return SignedEvent{std::string(AsView(entry->event())),
                     std::string(AsView(entry->signer_key_id())),
                     std::string(AsView(entry->signature()))};
}

}  // namespace evident
