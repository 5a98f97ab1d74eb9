#include "ledger/entry.h"

#include "ledger/coding.h"

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

StatusOr<uint64_t> FindIndexedPosition(Storage* storage, std::string_view event_id) {
  std::string value;
  EVIDENT_RETURN_IF_ERROR(storage->Get(Column::kEventIds, event_id, &value));
  if (value.size() != 8) {
    return Status::Corruption("the event_ids index value for event " + EventIdHex(event_id) +
                              " is not 8 bytes");
  }
  return DecodeFixed64BE(value.data());
}

StatusOr<IndexedEntry> ReadIndexedEntry(Storage* storage, std::string_view event_id) {
  auto position = FindIndexedPosition(storage, event_id);
  if (!position.ok()) return position.status();
  IndexedEntry out;
  out.sequence = position.value();
  EVIDENT_RETURN_IF_ERROR(storage->Get(Column::kEntries, EncodeKey64(out.sequence), &out.bytes)
                              .WithContext("entry " + std::to_string(out.sequence)));
  return out;
}

StatusOr<std::optional<std::string>> StoredSignerOf(Storage* storage, std::string_view event_id,
                                                    uint64_t before) {
  using Signer = std::optional<std::string>;
  auto indexed = ReadIndexedEntry(storage, event_id);
  if (!indexed.ok() && indexed.status().code() == Status::Code::kNotFound) return Signer();
  if (!indexed.ok()) return indexed.status();
  if (indexed->sequence >= before) return Signer();
  auto entry = ParseEntry(indexed->bytes);
  if (!entry.ok()) return entry.status().WithContext("entry " + std::to_string(indexed->sequence));
  auto event = ParseEvent(AsView(entry.value()->event()));
  if (!event.ok() || EventIdOf(event.value()) != event_id) {
    return Status::Corruption("the event_ids index maps event " + EventIdHex(event_id) +
                              " to position " + std::to_string(indexed->sequence) +
                              ", which holds another event");
  }
  return Signer(std::string(AsView(entry.value()->signer_key_id())));
}

}  // namespace evident
