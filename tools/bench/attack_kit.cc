#include "tools/bench/attack_kit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/frame.h"
#include "tools/bench/gen_util.h"

namespace evident::bench {
namespace {

// Event ids of the attacks' own events.
constexpr uint64_t kAttackSeed = 0xa77ac2;

}  // namespace

std::string AttackContext::NextEventId() {
  static std::atomic<uint64_t> next{0};
  return gen::EventId(kAttackSeed, next++);
}

server::ClientOptions AttackContext::From(const std::string& source) const {
  server::ClientOptions o = *client;
  o.source_address = source;
  return o;
}

std::string AttendanceEventJson(const std::string& id_hex, const std::string& source_system,
                                int minutes) {
  return EnvelopeJson(id_hex, "AttendanceRecorded", source_system,
                      "\"person_id\":\"staff-1\",\"program_id\":\"pd-1\",\"session_id\":\"pd-1-a\"",
                      "\"attendance_date\":\"2026-01-15\",\"attendance_event_category\":"
                      "\"InAttendance\",\"credited_minutes\":" +
                          std::to_string(minutes));
}

StatusOr<SignedEvent> SignJson(EventJsonCodec* codec, const PrivateKey& key,
                               const std::string& json) {
  auto bytes = codec->FromJson(json);
  if (!bytes.ok()) return bytes.status();
  return SignEvent(key, std::move(bytes.value()));
}

int RawConnect(const std::string& source, uint16_t port, int rcvbuf) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (rcvbuf > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool ClosedByPeer(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  char c;
  return ::recv(fd, &c, 1, MSG_DONTWAIT) <= 0;
}

void ResetConnection(int fd) {
  linger hard{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  ::close(fd);
}

std::string SubscribeFrame(uint64_t from, uint32_t credit) {
  flatbuffers::FlatBufferBuilder fbb;
  auto subscribe = wire::CreateSubscribeRequest(fbb, from, credit);
  return server::FrameOf(fbb, 7, wire::Message::SubscribeRequest, subscribe.Union());
}

std::string QueryFrame(uint64_t request_id, const std::string& view, const std::string& filters,
                       const std::string& as_of) {
  flatbuffers::FlatBufferBuilder fbb;
  auto query = wire::CreateQueryRequest(fbb, fbb.CreateString(view), fbb.CreateString(filters),
                                        fbb.CreateString(as_of));
  return server::FrameOf(fbb, request_id, wire::Message::QueryRequest, query.Union());
}

std::string AuthenticateFrame(const std::string& key_id, const std::string& signature) {
  flatbuffers::FlatBufferBuilder fbb;
  auto auth = wire::CreateAuthenticate(
      fbb, fbb.CreateVector(reinterpret_cast<const uint8_t*>(key_id.data()), key_id.size()),
      fbb.CreateVector(reinterpret_cast<const uint8_t*>(signature.data()), signature.size()));
  return server::FrameOf(fbb, 0, wire::Message::Authenticate, auth.Union());
}

std::string DescribeAnswer(const StatusOr<std::string>& body) {
  if (!body.ok()) return "no answer: " + body.status().ToString();
  auto frame = server::ParseFrame(body.value());
  if (!frame.ok()) return "not a frame: " + frame.status().ToString();
  const wire::Error* error = frame.value()->message_as_Error();
  if (error == nullptr) return server::MessageName(frame.value()->message_type());
  return std::string("Error ") + wire::EnumNameErrorCode(error->code()) + " (index " +
         std::to_string(error->index()) +
         "): " + (error->message() != nullptr ? error->message()->str() : "");
}

std::string Short(const std::string& text, size_t most) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '|') ? ' ' : c;
  return out.size() <= most ? out : out.substr(0, most) + "…";
}

}  // namespace evident::bench
