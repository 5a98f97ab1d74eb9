#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ledger/ledger.h"
#include "ledger/status.h"

// `evident serve`: the ledger's one network face (docs/protocol.md).
//
// Every connection is TLS unless plaintext is asked for, and plaintext is
// allowed on loopback only. A client proves it holds the private key of a
// principal registered in the log (challenge-response with the same Ed25519
// keys that sign events); what it may then do follows the key's role:
//
//   Admin        everything: append any event the key rules allow (key
//                registrations and revocations among them, and events other
//                keys signed, passed on), read, subscribe,
//                checkpoints, proofs, every view
//   Integration  append events it signed itself, of the types its
//                registration lists; read and subscribe to its own appends;
//                checkpoints and proofs; no views (they hold every system's
//                records)
//   Auditor      read and subscribe to everything, checkpoints, proofs, every
//                view; append only what its key may sign (AuditAttested)
//   Board        checkpoints and the summary views (accountability, equity);
//                never raw events or per-person rows
//
// Everything else is refused with an Error frame naming the reason, and
// logged. Network I/O runs on one thread; appends, reads and proofs run on a
// small pool, so a slow disk or a slow client never holds up the others.
namespace evident::server {

// Requests this small are never refused for want of memory (256 connections
// of them hold 16 MiB).
constexpr size_t kSmallRequestBytes = 64 << 10;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port (see Server::port)
  std::string cert_pem, key_pem;
  bool plaintext = false;  // refused unless `host` is a loopback address
  size_t max_connections = 256;
  // Connections still in their TLS handshake or login, at most. Past it, or
  // at max_connections, the oldest of them is closed to make room: clients
  // that log in promptly are served however many others stall.
  size_t max_pending_logins = 64;
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds idle_timeout{300000};
  // A reply or entry batch the client has not read within this ends its
  // connection (a subscriber that stops reading, say).
  std::chrono::milliseconds write_timeout{30000};
  // Bytes of requests held at once across every connection. A request of
  // up to kSmallRequestBytes always fits; a larger one past the budget is
  // read past without being kept and answered Unavailable, to be sent again.
  size_t request_budget_bytes = size_t{256} << 20;
  int worker_threads = 4;
  // The projection store Query answers from (ProjectionStore::PathFor the
  // ledger's folder); empty: Query is refused.
  std::string projection_dir;
  // The metrics endpoint (docs/operations.md): Prometheus text at
  // http://metrics_host:metrics_port/metrics and a health check at
  // /healthz, in plain HTTP on a port of their own. Off unless asked for;
  // port 0 takes any free port (see Server::metrics_port).
  bool metrics = false;
  std::string metrics_host = "127.0.0.1";
  uint16_t metrics_port = 0;
  // The metrics name principals and are served without a login, so
  // metrics_host must be a loopback address unless this is set
  // (`--metrics-public`).
  bool metrics_public = false;
  // Where a line about each refusal and each connection goes (stderr when
  // empty). Every line about a connection starts "conn=cN peer=ADDR": N
  // numbers the connections since the server started.
  std::function<void(const std::string&)> log;
};

class Server {
 public:
  // Binds and starts serving `ledger` (opened read-write; it must outlive
  // the server). InvalidArgument for options that cannot work or are not
  // allowed (plaintext off loopback, TLS without a certificate, metrics off
  // loopback without metrics_public); IOError if the address is taken.
  static StatusOr<std::unique_ptr<Server>> Start(Ledger* ledger, ServerOptions options);
  ~Server();

  uint16_t port() const;
  // The metrics endpoint's port; 0 when it is off.
  uint16_t metrics_port() const;
  // Stops accepting, lets every request in flight finish and be answered,
  // then closes every connection. Idempotent; the destructor calls it.
  void Shutdown();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Checks `options` as Server::Start does before it binds: the listening
// and metrics addresses, plaintext and metrics only on loopback (metrics
// elsewhere with metrics_public), and that the TLS
// certificate and key load. Binds nothing (`evident serve --check-config`).
Status CheckOptions(const ServerOptions& options);

// The message a client signs to authenticate: "evident-auth/1\n" + origin +
// "\n" + nonce.
std::string AuthMessage(std::string_view origin, std::string_view nonce);

}  // namespace evident::server
