#include "server/frame.h"

namespace evident::server {

namespace {

flatbuffers::Offset<flatbuffers::Vector<uint8_t>> BytesOf(flatbuffers::FlatBufferBuilder& fbb,
                                                          std::string_view s) {
  return fbb.CreateVector(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::Entry>>> EntryVector(
    flatbuffers::FlatBufferBuilder& fbb, const EntryList& entries) {
  std::vector<flatbuffers::Offset<wire::Entry>> out;
  for (const auto& [position, bytes] : entries) {
    out.push_back(wire::CreateEntry(fbb, position, BytesOf(fbb, bytes)));
  }
  return fbb.CreateVector(out);
}

}  // namespace

std::string Framed(const flatbuffers::FlatBufferBuilder& fbb) {
  const uint32_t n = fbb.GetSize();
  std::string out(4 + n, '\0');
  out[0] = char(n >> 24);
  out[1] = char(n >> 16);
  out[2] = char(n >> 8);
  out[3] = char(n);
  std::copy_n(reinterpret_cast<const char*>(fbb.GetBufferPointer()), n, out.begin() + 4);
  return out;
}

std::string FrameOf(flatbuffers::FlatBufferBuilder& fbb, uint64_t request_id, wire::Message type,
                    flatbuffers::Offset<void> message) {
  fbb.Finish(wire::CreateFrame(fbb, request_id, type, message), wire::FrameIdentifier());
  return Framed(fbb);
}

std::string AppendRequestFrame(uint64_t request_id, const std::vector<SignedEvent>& events) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<wire::SignedEvent>> list;
  for (const SignedEvent& e : events) {
    list.push_back(wire::CreateSignedEvent(fbb, BytesOf(fbb, e.event),
                                           BytesOf(fbb, e.signer_key_id), BytesOf(fbb, e.signature)));
  }
  auto request = wire::CreateAppendRequest(fbb, fbb.CreateVector(list));
  return FrameOf(fbb, request_id, wire::Message::AppendRequest, request.Union());
}

uint32_t FrameLength(const unsigned char p[4]) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

StatusOr<const wire::Frame*> ParseFrame(std::string_view body, size_t limit) {
  if (body.size() > limit) {
    return Status::InvalidArgument("frame of " + std::to_string(body.size()) +
                                   " bytes is over the limit of " + std::to_string(limit));
  }
  const auto* data = reinterpret_cast<const uint8_t*>(body.data());
  flatbuffers::Verifier verifier(data, body.size(),
                                 flatbuffers::Verifier::Options{64, 1000000, true, true});
  if (body.size() < 8 || !wire::FrameBufferHasIdentifier(data) ||
      !wire::VerifyFrameBuffer(verifier)) {
    return Status::InvalidArgument("frame of " + std::to_string(body.size()) +
                                   " bytes is not a valid Frame (schemas/wire.fbs)");
  }
  const wire::Frame* frame = wire::GetFrame(data);
  if (frame->message_type() == wire::Message::NONE) {
    return Status::InvalidArgument("frame carries no message");
  }
  // The verifier accepts a union whose type is set and whose value is
  // absent; every reader of a frame may rely on the message being there.
  if (frame->message() == nullptr) {
    return Status::InvalidArgument(std::string("frame names a ") +
                                   MessageName(frame->message_type()) +
                                   " but carries no message");
  }
  return frame;
}

std::string ErrorFrame(uint64_t request_id, wire::ErrorCode code, const std::string& message,
                       int index) {
  flatbuffers::FlatBufferBuilder fbb;
  auto error = wire::CreateErrorDirect(fbb, code, message.c_str(), index);
  return FrameOf(fbb, request_id, wire::Message::Error, error.Union());
}


std::string ChallengeFrame(std::string_view nonce, const std::string& origin) {
  flatbuffers::FlatBufferBuilder fbb;
  auto nv = BytesOf(fbb, nonce);
  auto challenge = wire::CreateChallenge(fbb, nv, fbb.CreateString(origin), 1);
  return FrameOf(fbb, 0, wire::Message::Challenge, challenge.Union());
}

std::string WelcomeFrame(const std::string& principal, schema::Role role,
                         const std::vector<std::string>& allowed_event_types, uint64_t tree_size) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<flatbuffers::String>> types;
  for (const auto& t : allowed_event_types) types.push_back(fbb.CreateString(t));
  auto welcome =
      wire::CreateWelcome(fbb, fbb.CreateString(principal),
                          fbb.CreateString(schema::EnumNameRole(role)), fbb.CreateVector(types),
                          tree_size);
  return FrameOf(fbb, 0, wire::Message::Welcome, welcome.Union());
}

std::string AppendResponseFrame(uint64_t request_id, const std::vector<AppendResult>& results,
                                const std::string& checkpoint) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<wire::Appended> appended;
  for (const AppendResult& r : results) appended.emplace_back(r.sequence, r.duplicate);
  auto response = wire::CreateAppendResponse(fbb, fbb.CreateVectorOfStructs(appended),
                                             fbb.CreateString(checkpoint));
  return FrameOf(fbb, request_id, wire::Message::AppendResponse, response.Union());
}

std::string ReadResponseFrame(uint64_t request_id, const EntryList& entries, uint64_t tree_size,
                              uint64_t scanned_to) {
  flatbuffers::FlatBufferBuilder fbb;
  auto response = wire::CreateReadResponse(fbb, EntryVector(fbb, entries), tree_size, scanned_to);
  return FrameOf(fbb, request_id, wire::Message::ReadResponse, response.Union());
}

std::string EntryBatchFrame(uint64_t request_id, const EntryList& entries) {
  flatbuffers::FlatBufferBuilder fbb;
  auto batch = wire::CreateEntryBatch(fbb, EntryVector(fbb, entries));
  return FrameOf(fbb, request_id, wire::Message::EntryBatch, batch.Union());
}

std::string CheckpointResponseFrame(uint64_t request_id, const std::string& note) {
  flatbuffers::FlatBufferBuilder fbb;
  auto response = wire::CreateCheckpointResponse(fbb, fbb.CreateString(note));
  return FrameOf(fbb, request_id, wire::Message::CheckpointResponse, response.Union());
}

std::string ProofResponseFrame(uint64_t request_id, const std::vector<std::string>& hashes,
                               const std::string& checkpoint) {
  std::string joined;
  for (const std::string& h : hashes) joined += h;
  flatbuffers::FlatBufferBuilder fbb;
  auto response =
      wire::CreateProofResponse(fbb, BytesOf(fbb, joined), fbb.CreateString(checkpoint));
  return FrameOf(fbb, request_id, wire::Message::ProofResponse, response.Union());
}

std::string QueryResponseFrame(uint64_t request_id, const std::string& json) {
  flatbuffers::FlatBufferBuilder fbb;
  auto response = wire::CreateQueryResponse(fbb, fbb.CreateString(json));
  return FrameOf(fbb, request_id, wire::Message::QueryResponse, response.Union());
}

std::string BackupResponseFrame(uint64_t request_id, uint64_t tree_size,
                                const std::string& checkpoint) {
  flatbuffers::FlatBufferBuilder fbb;
  auto response = wire::CreateBackupResponse(fbb, tree_size, fbb.CreateString(checkpoint));
  return FrameOf(fbb, request_id, wire::Message::BackupResponse, response.Union());
}

const char* MessageName(wire::Message type) { return wire::EnumNameMessage(type); }

}  // namespace evident::server
