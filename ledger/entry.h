#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/event.h"
#include "ledger/status.h"
#include "ledger/storage.h"
#include "schemas/entry_generated.h"

// The stored log entry (schemas/entry.fbs): the exact bytes a Merkle leaf
// hashes. Built once by the appender and never re-serialised.
namespace evident {

// An entry is at most this large: the event limit plus room for the rest.
constexpr size_t kMaxEntryBytes = kMaxEventBytes + 1024;

std::string BuildEntry(uint64_t sequence, int64_t recorded_at_micros, const SignedEvent& event);

// `bytes` must start at an address aligned for FlatBuffers (8 bytes; a
// std::string's own buffer is), so values read from RocksDB are copied first.
// Runs the FlatBuffers verifier ("EVEN" identifier, size limit) and checks the
// key-id and signature lengths. Returns the entry, pointing into `bytes`;
// Corruption if the bytes are not a well-formed entry (they came from disk).
StatusOr<const schema::Entry*> ParseEntry(std::string_view bytes);

// The signed event inside a parsed entry (copies its bytes).
SignedEvent SignedEventOf(const schema::Entry* entry);

// The event_ids index key of `principal_id`'s event `event_id`: the 16 id
// bytes, then the principal id (docs/format.md). Format 1 keyed by the id
// alone; such 16-byte keys, left by the migration, are never read.
std::string EventIndexKey(std::string_view event_id, std::string_view principal_id);
constexpr size_t kEventIdBytes = 16;

// The position the event_ids index maps `principal_id`'s event `event_id`
// to. NotFound when the index does not hold it; Corruption when its value is
// malformed.
StatusOr<uint64_t> FindIndexedPosition(Storage* storage, std::string_view event_id,
                                       std::string_view principal_id);

// The stored entry that the event_ids index maps an event to.
struct IndexedEntry {
  uint64_t sequence = 0;
  std::string bytes;
};
// FindIndexedPosition's errors, or the entry's read error when it cannot be
// read.
StatusOr<IndexedEntry> ReadIndexedEntry(Storage* storage, std::string_view event_id,
                                        std::string_view principal_id);

// KeyRegistry::HolderLookup over a stored log: every event with id
// `event_id` at a position before `before`, one per principal, from the
// index. Corruption when the index maps the id to an entry that holds
// another event.
StatusOr<std::vector<IdHolder>> StoredHoldersOf(Storage* storage, std::string_view event_id,
                                                uint64_t before);

}  // namespace evident
