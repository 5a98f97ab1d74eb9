// crash_writer: appends events to a ledger until it is killed, printing an
// acknowledgement line for every event once Append has returned:
//   ACK <event id hex> <position>
// Events are numbered from START (tests/tools/crash_events.h), so a later run
// that starts below the last acknowledged number re-sends events that may or
// may not have been stored (the ones in flight at the kill).
//
// usage: crash_writer LEDGER_DIR KEY.pem START BATCH

#include <unistd.h>

#include <cstdio>
#include <string>

#include "ledger/coding.h"
#include "ledger/event_json.h"
#include "ledger/ledger.h"
#include "tests/tools/crash_events.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: crash_writer LEDGER_DIR KEY.pem START BATCH\n");
    return 2;
  }
  auto ledger = evident::Ledger::Open(argv[1]);
  auto key = evident::PrivateKey::LoadFile(argv[2]);
  auto codec = evident::EventJsonCodec::Create();
  if (!ledger.ok() || !key.ok() || !codec.ok()) {
    std::fprintf(stderr, "crash_writer: cannot start\n");
    return 1;
  }
  uint64_t next = std::strtoull(argv[3], nullptr, 10);
  const uint64_t batch = std::strtoull(argv[4], nullptr, 10);
  for (;;) {
    std::vector<evident::SignedEvent> events;
    std::vector<std::string> ids;
    for (uint64_t i = 0; i < batch; ++i, ++next) {
      ids.push_back(evident::crash::EventIdHex(next));
      const std::string json = evident::crash::EventJson(next);
      auto bytes = codec.value()->FromJson(json);
      if (!bytes.ok()) return 1;
      events.push_back(evident::SignEvent(key.value(), std::move(bytes.value())));
    }
    auto results = ledger.value()->Append(std::move(events));
    if (!results.ok()) {
      std::fprintf(stderr, "crash_writer: %s\n", results.status().ToString().c_str());
      return 1;
    }
    std::string acks;
    for (size_t i = 0; i < ids.size(); ++i) {
      acks += "ACK " + ids[i] + " " + std::to_string(results.value()[i].sequence) + "\n";
    }
    // One write(2) per batch, unbuffered: what the parent reads was acknowledged.
    if (::write(STDOUT_FILENO, acks.data(), acks.size()) != ssize_t(acks.size())) return 1;
  }
}
