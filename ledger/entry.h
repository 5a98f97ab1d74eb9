#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/event.h"
#include "ledger/status.h"
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

}  // namespace evident
