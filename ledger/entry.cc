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

std::string EventIndexKey(std::string_view event_id, std::string_view principal_id) {
  std::string key;
  key.reserve(event_id.size() + principal_id.size());
  key.append(event_id).append(principal_id);
  return key;
}

namespace {

StatusOr<uint64_t> DecodeIndexValue(std::string_view value, std::string_view event_id) {
  if (value.size() != 8) {
    return Status::Corruption("the event_ids index value for event " + EventIdHex(event_id) +
                              " is not 8 bytes");
  }
  return DecodeFixed64BE(value.data());
}

}  // namespace

StatusOr<uint64_t> FindIndexedPosition(Storage* storage, std::string_view event_id,
                                       std::string_view principal_id) {
  std::string value;
  EVIDENT_RETURN_IF_ERROR(
      storage->Get(Column::kEventIds, EventIndexKey(event_id, principal_id), &value));
  return DecodeIndexValue(value, event_id);
}

StatusOr<IndexedEntry> ReadIndexedEntry(Storage* storage, std::string_view event_id,
                                        std::string_view principal_id) {
  auto position = FindIndexedPosition(storage, event_id, principal_id);
  if (!position.ok()) return position.status();
  IndexedEntry out;
  out.sequence = position.value();
  EVIDENT_RETURN_IF_ERROR(storage->Get(Column::kEntries, EncodeKey64(out.sequence), &out.bytes)
                              .WithContext("entry " + std::to_string(out.sequence)));
  return out;
}

StatusOr<std::vector<IdHolder>> StoredHoldersOf(Storage* storage, std::string_view event_id,
                                                uint64_t before) {
  std::vector<IdHolder> holders;
  auto cursor = storage->NewCursor(Column::kEventIds);
  for (cursor->Seek(event_id); cursor->Valid(); cursor->Next()) {
    const std::string_view key = cursor->key();
    if (key.substr(0, event_id.size()) != event_id) break;
    if (key.size() == event_id.size()) continue;  // format 1's key, never read
    auto position = DecodeIndexValue(cursor->value(), event_id);
    if (!position.ok()) return position.status();
    if (position.value() >= before) continue;
    std::string bytes;
    EVIDENT_RETURN_IF_ERROR(storage->Get(Column::kEntries, EncodeKey64(position.value()), &bytes)
                                .WithContext("entry " + std::to_string(position.value())));
    auto entry = ParseEntry(bytes);
    if (!entry.ok()) {
      return entry.status().WithContext("entry " + std::to_string(position.value()));
    }
    auto event = ParseEvent(AsView(entry.value()->event()));
    if (!event.ok() || EventIdOf(event.value()) != event_id) {
      return Status::Corruption("the event_ids index maps event " + EventIdHex(event_id) +
                                " to position " + std::to_string(position.value()) +
                                ", which holds another event");
    }
    holders.push_back({std::string(key.substr(event_id.size())), position.value()});
  }
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  return holders;
}

}  // namespace evident
