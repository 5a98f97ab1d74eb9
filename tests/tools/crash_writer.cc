// crash_writer: appends events to a ledger until it is killed, printing an
// acknowledgement line for every event once Append has returned:
//   ACK <event id hex> <position>
// Events are numbered from START; event n has a fixed id and content, so a
// later run that starts below the last acknowledged number re-sends events
// that may or may not have been stored (the ones in flight at the kill).
//
// usage: crash_writer LEDGER_DIR KEY.pem START BATCH

#include <unistd.h>

#include <cstdio>
#include <string>

#include "ledger/coding.h"
#include "ledger/event_json.h"
#include "ledger/ledger.h"

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
      std::string id(8, '\0');
      id += evident::EncodeKey64(next);
      ids.push_back(evident::HexEncode(id));
      std::string json =
          "{\"event_id\":\"" + ids.back() +
          "\",\"event_type\":\"AttendanceRecorded\",\"occurred_at\":\"2025-01-15T16:00:00Z\","
          "\"district_id\":\"d\",\"source_system\":\"crash\",\"subject\":{\"person_id\":\"p-" +
          std::to_string(next % 97) +
          "\",\"program_id\":\"pd\",\"session_id\":\"s\"},\"body\":{\"attendance_date\":"
          "\"2025-01-15\",\"attendance_event_category\":\"InAttendance\",\"credited_minutes\":" +
          std::to_string(next % 600) + "}}";
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
