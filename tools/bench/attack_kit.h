#pragma once

// What every attack of the harness (attacks.h) is given, and the hostile
// client's tools: raw loopback sockets from any 127.0.0.x, frames built by
// hand, and events signed as the integrations sign theirs.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ledger/event.h"
#include "ledger/event_json.h"
#include "ledger/status.h"
#include "server/client.h"
#include "tools/bench/attack_setup.h"

namespace evident::bench {

using AttackClock = std::chrono::steady_clock;

// What an attack found. `held` says whether the server did what
// docs/protocol.md promises; `text` is the table's cell.
struct Outcome {
  bool held = false;
  std::string text;
};

// One attack's view of the harness. An attack runs on the harness's main
// thread (it may start threads of its own, joined before it returns) and
// returns by `deadline`, give or take one client timeout.
struct AttackContext {
  const server::ClientOptions* client = nullptr;  // TLS to the server under attack
  const AttackKeys* keys = nullptr;
  std::string log_path;       // the server's log
  std::string used_event_id;  // an event id (hex) lms has appended
  AttackClock::time_point deadline;
  EventJsonCodec* codec = nullptr;  // this thread's
  std::function<bool()> server_alive;

  // A fresh event id (hex), never used by the harness before.
  std::string NextEventId();
  // Whether the phase has time left.
  bool TimeLeft() const { return AttackClock::now() < deadline; }
  // Client options from `source` (another 127.0.0.x counts as another
  // client address).
  server::ClientOptions From(const std::string& source) const;
};

// An AttendanceRecorded event of `source_system` with id `id_hex`, as JSON.
std::string AttendanceEventJson(const std::string& id_hex, const std::string& source_system,
                                int minutes = 60);
// The event of `json` signed by `key`; the codec's error if it is not an event.
StatusOr<SignedEvent> SignJson(EventJsonCodec* codec, const PrivateKey& key,
                               const std::string& json);

// A plain TCP connection to 127.0.0.1:`port` from `source`, with a receive
// buffer of `rcvbuf` bytes if not 0 and a 5 s receive timeout; -1 if it
// cannot connect.
int RawConnect(const std::string& source, uint16_t port, int rcvbuf = 0);
// Whether the peer has closed `fd` (a read sees the end or a reset).
bool ClosedByPeer(int fd);
// Closes `fd` with a reset (SO_LINGER 0) rather than an orderly end.
void ResetConnection(int fd);

// Frames a client sends, built by hand.
std::string SubscribeFrame(uint64_t from, uint32_t credit);
std::string QueryFrame(uint64_t request_id, const std::string& view, const std::string& filters,
                       const std::string& as_of);
std::string AuthenticateFrame(const std::string& key_id, const std::string& signature);

// The code and message of an answer frame: "AppendResponse", or
// "Error Conflict (index 0): MESSAGE"; "no answer: ..." when there is none.
std::string DescribeAnswer(const StatusOr<std::string>& body);
// A status as a table cell: its code and message, shortened to `most` bytes.
std::string Short(const std::string& text, size_t most = 90);

}  // namespace evident::bench
