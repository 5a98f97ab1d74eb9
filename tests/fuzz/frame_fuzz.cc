// Fuzzes what the server reads from a connection (server/frame.h): the input
// is a byte stream, read as a session reads it — a 4-byte length within the
// limit, that many bytes, the FlatBuffers verifier — then every field of
// every message that passed is read (the object API unpacks them all), and
// the events of an append pass the event verifier and print as JSON, as they
// would on their way into the log and out of `evident log`.

#include "ledger/event.h"
#include "ledger/event_json.h"
#include "server/frame.h"
#include "tests/fuzz/fuzz_util.h"

using namespace evident;

namespace {

void ReadAppend(const wire::AppendRequest& request, EventJsonCodec& codec) {
  if (request.events() == nullptr) return;
  for (const wire::SignedEvent* e : *request.events()) {
    if (e->event() == nullptr) continue;
    const std::string bytes(reinterpret_cast<const char*>(e->event()->data()), e->event()->size());
    if (ParseEvent(bytes).ok()) (void)codec.ToJson(bytes);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static EventJsonCodec* codec = EventJsonCodec::Create().value().release();
  size_t at = 0;
  while (size - at >= 4) {
    const uint32_t n = server::FrameLength(data + at);
    at += 4;
    if (n == 0 || n > server::kMaxFrameBytes || n > size - at) return 0;
    const std::string body = fuzz::Input(data + at, n);
    at += n;
    auto frame = server::ParseFrame(body);
    if (!frame.ok()) continue;
    if (frame.value()->message() == nullptr) __builtin_trap();  // ParseFrame's promise
    wire::FrameT unpacked;
    frame.value()->UnPackTo(&unpacked);
    (void)server::MessageName(frame.value()->message_type());
    if (const auto* append = frame.value()->message_as_AppendRequest()) {
      ReadAppend(*append, *codec);
    }
  }
  return 0;
}
