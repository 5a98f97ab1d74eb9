#include "server/frame.h"

namespace evident::server {

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
  auto bytes = [&](const std::string& s) {
    return fbb.CreateVector(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  std::vector<flatbuffers::Offset<wire::SignedEvent>> list;
  for (const SignedEvent& e : events) {
    list.push_back(
        wire::CreateSignedEvent(fbb, bytes(e.event), bytes(e.signer_key_id), bytes(e.signature)));
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

const char* MessageName(wire::Message type) { return wire::EnumNameMessage(type); }

}  // namespace evident::server
