// Fuzzes the JSON event reader of `evident append` (ledger/event_json.h).
// Whatever the line, FromJson gives event bytes or an error; bytes it gives
// must pass the event verifier, print back as JSON, and read back from that
// JSON to the same bytes (the bytes do not depend on how the JSON was written).

#include "ledger/event.h"
#include "ledger/event_json.h"
#include "tests/fuzz/fuzz_util.h"

using namespace evident;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static EventJsonCodec* codec = EventJsonCodec::Create().value().release();
  auto bytes = codec->FromJson(fuzz::Input(data, size));
  if (!bytes.ok()) return 0;
  if (!ParseEvent(bytes.value()).ok()) __builtin_trap();
  auto json = codec->ToJson(bytes.value());
  if (!json.ok()) __builtin_trap();
  auto again = codec->FromJson(json.value());
  if (!again.ok() || again.value() != bytes.value()) __builtin_trap();
  return 0;
}
