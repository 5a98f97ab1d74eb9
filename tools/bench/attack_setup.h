#pragma once

// The attack harness's ledger and server: a fresh ledger made as `evident
// init` makes it, with the keys the attacks use registered, served by
// `evident serve` over loopback TLS in a child process, so that its memory
// can be read and its death seen.

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "ledger/keys.h"
#include "ledger/status.h"
#include "server/client.h"

namespace evident::bench {

// The keys the harness signs and logs in with. `lms` is the well-behaved
// integration, `hr` the spare one (both Integration, allowed
// AttendanceRecorded, ReactionSurveySubmitted and CostIncurred).
struct AttackKeys {
  PrivateKey admin, lms, hr, auditor, board;
};

// The principal ids the keys are registered under.
constexpr char kLms[] = "lms";
constexpr char kHr[] = "hr";

// An event as JSON: the envelope of district "attack-usd", dated in January
// 2026, around `subject` and `body` (the inside of their objects).
std::string EnvelopeJson(const std::string& id_hex, const std::string& type,
                         const std::string& source_system, const std::string& subject,
                         const std::string& body);
// A KeyRegistered event as JSON. `principal_json` is the principal id as it
// appears inside a JSON string (escapes and all); `allowed` a JSON array.
std::string RegistrationJson(const std::string& id_hex, const std::string& principal_json,
                             const char* role, const PrivateKey& key, const char* allowed);

// Makes `dir`/ledger afresh with `evident` (the CLI's path) init, saves new
// keys to `dir`/keys, and appends their registrations and about 12 MiB of
// large entries (more than a loopback socket buffers, for subscribers that
// reset mid-stream). The ledger is closed on return.
StatusOr<AttackKeys> MakeAttackLedger(const std::string& evident, const std::string& dir);

// An `evident serve` child process on 127.0.0.1 at a port of its choosing.
// Its log goes to log_path(). Not thread-safe except Alive() and RssMiB(),
// which any thread may call.
class ServerProcess {
 public:
  // Starts the server on the ledger in `dir`/ledger and waits (at most 30 s)
  // for it to say its port.
  static StatusOr<std::unique_ptr<ServerProcess>> Start(const std::string& evident,
                                                        const std::string& dir);
  ~ServerProcess();  // stops it if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }
  // TLS options for a client of this server (host "localhost", its
  // certificate trusted).
  const server::ClientOptions& client_options() const { return client_; }
  // Whether the process still runs (it has not exited, nor become a zombie).
  bool Alive() const;
  // Its resident set (VmRSS) in MiB; 0 once it is gone.
  double RssMiB() const;
  // SIGTERM, then waits at most 20 s (then SIGKILL). OK when it exited 0.
  Status Stop();

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string log_path_;
  server::ClientOptions client_;
  std::FILE* output_ = nullptr;  // its standard output
};

}  // namespace evident::bench
