#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/appender.h"
#include "ledger/event.h"
#include "ledger/status.h"
#include "schemas/wire_generated.h"

// Frames on the wire: a 4-byte big-endian length, then one Frame FlatBuffer
// (schemas/wire.fbs). Nothing of a frame is read before its length passed the
// limit and its bytes passed the FlatBuffers verifier.
namespace evident::server {

// The largest frame either side accepts: a batch of up to kMaxBatchEvents
// events of the largest size, with room to spare.
constexpr size_t kMaxBatchEvents = 256;
constexpr size_t kMaxFrameBytes = 24u << 20;
// Entries in one ReadResponse or EntryBatch, at most.
constexpr uint64_t kMaxReadEntries = 1024;
// Bytes of entries in one EntryBatch before its last entry, at most: a
// subscriber's batch, held until a slow client has read it, stays small
// whatever the size of the events in it.
constexpr size_t kMaxBatchEntryBytes = 1u << 20;
// Bytes of entries in one ReadResponse before its last entry, at most: with
// the last (at most an entry's size) and the frame's own bytes, well inside
// kMaxFrameBytes, however large the events in the range are.
constexpr size_t kMaxReadBytes = 8u << 20;

// The length prefix and the bytes of a finished builder, ready to write.
std::string Framed(const flatbuffers::FlatBufferBuilder& fbb);

// Finishes `fbb` as a Frame of `message` and returns it framed.
std::string FrameOf(flatbuffers::FlatBufferBuilder& fbb, uint64_t request_id, wire::Message type,
                    flatbuffers::Offset<void> message);

// An AppendRequest of `events`, framed: what a client sends to append.
std::string AppendRequestFrame(uint64_t request_id, const std::vector<SignedEvent>& events);

// The body length a 4-byte prefix announces.
uint32_t FrameLength(const unsigned char prefix[4]);

// Verifies a received body (which must start 8-byte aligned, as a
// std::string's buffer does). InvalidArgument with a reason a person can
// act on: "frame of N bytes is not a valid Frame", "frame carries no
// message". On OK, frame->message() is not null.
StatusOr<const wire::Frame*> ParseFrame(std::string_view body, size_t limit = kMaxFrameBytes);

// A finished Error frame.
std::string ErrorFrame(uint64_t request_id, wire::ErrorCode code, const std::string& message,
                       int index = -1);

// The server's other frames, finished (docs/protocol.md gives their fields).
// Entries travel as (position, stored bytes).
using EntryList = std::vector<std::pair<uint64_t, std::string>>;
std::string ChallengeFrame(std::string_view nonce, const std::string& origin);
std::string WelcomeFrame(const std::string& principal, schema::Role role,
                         const std::vector<std::string>& allowed_event_types, uint64_t tree_size);
std::string AppendResponseFrame(uint64_t request_id, const std::vector<AppendResult>& results,
                                const std::string& checkpoint);
std::string ReadResponseFrame(uint64_t request_id, const EntryList& entries, uint64_t tree_size,
                              uint64_t scanned_to);
std::string EntryBatchFrame(uint64_t request_id, const EntryList& entries);
std::string CheckpointResponseFrame(uint64_t request_id, const std::string& note);
std::string ProofResponseFrame(uint64_t request_id, const std::vector<std::string>& hashes,
                               const std::string& checkpoint);
std::string QueryResponseFrame(uint64_t request_id, const std::string& json);
std::string BackupResponseFrame(uint64_t request_id, uint64_t tree_size,
                                const std::string& checkpoint);

// "AppendRequest" etc., for messages and logs.
const char* MessageName(wire::Message type);

}  // namespace evident::server
