#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "server/witnessing.h"

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
// small pool, so a slow disk or a slow client never holds up the others;
// queries run on a bounded pool of their own, so no role can slow appends.
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
  // Connections from one client address, at most; past it the address's
  // oldest connection still logging in is closed, or, if it has none, the
  // new one.
  size_t max_connections_per_address = 128;
  // Connections still in their TLS handshake or login, at most. Past it, or
  // at max_connections, the oldest of them from the address with the most
  // is closed to make room: clients that log in promptly are served however
  // many others stall, and a flood from one address only displaces itself.
  size_t max_pending_logins = 64;
  // Connections logging in from one address, at most; past it that
  // address's oldest is closed.
  size_t max_pending_logins_per_address = 16;
  // Logged-in connections of one principal, at most; past it the login is
  // refused (Unavailable).
  size_t max_connections_per_principal = 32;
  // Of max_connections, places only admin keys may log into: the other
  // roles together hold at most max_connections - admin_reserved_connections
  // logged-in connections (and always at least one: the reserve is at most
  // max_connections - 1).
  size_t admin_reserved_connections = 8;
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds idle_timeout{300000};
  // A reply or entry batch the client has not read within this ends its
  // connection (a subscriber that stops reading, say).
  std::chrono::milliseconds write_timeout{30000};
  // Bytes of requests held at once across every connection. A request of
  // up to kSmallRequestBytes always fits; a larger one past the budget is
  // read past without being kept and answered Unavailable, to be sent again.
  size_t request_budget_bytes = size_t{256} << 20;
  // Of that budget, what the requests of one principal hold at once, at
  // most; a larger one past it is read past and answered Unavailable too.
  size_t request_budget_per_principal_bytes = size_t{64} << 20;
  int worker_threads = 4;
  // Queries run on threads of their own, never on the workers that append,
  // read and prove. At most max_queries are in flight (running or waiting)
  // at once, and max_queries_per_principal of one principal; past either a
  // query is answered Unavailable at once.
  int query_threads = 1;
  size_t max_queries = 4;
  size_t max_queries_per_principal = 2;
  // Lines about refusals, shed connections and timeouts, at most this many
  // a second; the rest are counted and summed up in one line ("suppressed N
  // similar lines") once the second is over.
  size_t max_refusal_log_lines_per_second = 20;
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
  // Publishes the log's hash tiles (C2SP tlog-tiles, `/tile/L/N[.p/W]`) and
  // its newest cosigned checkpoint (`/checkpoint`) over HTTPS with the same
  // certificate, on a port of their own (docs/protocol.md). Never entries.
  // Off unless asked for; port 0 takes any free port (Server::publish_port).
  bool publish = false;
  std::string publish_host = "127.0.0.1";
  uint16_t publish_port = 0;
  // The pages for people (server/pages/pages.h, docs/pages.md): HTML over
  // HTTPS with the same certificate, on a port of their own, never over
  // plain HTTP (Start refuses pages with `plaintext`). Accounts, names and
  // the access log come from the directory at `directory_dir`; board
  // reports from the subfolders of `reports_dir` (may be empty). Off unless
  // asked for; port 0 takes any free port (Server::pages_port).
  bool pages = false;
  std::string pages_host = "127.0.0.1";
  uint16_t pages_port = 0;
  std::string directory_dir;
  std::string reports_dir;
  // The witnesses the ledger's checkpoints are offered to, and how many of
  // them make a checkpoint trusted (0: all); server/witnessing.h. Empty: no
  // witnessing. `witness_poster` sends the requests (empty: HTTPS).
  std::vector<WitnessEndpoint> witnesses;
  size_t witness_quorum = 0;
  WitnessPoster witness_poster;
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
  // loopback without metrics_public, a connection limit of 0); IOError if
  // the address is taken.
  static StatusOr<std::unique_ptr<Server>> Start(Ledger* ledger, ServerOptions options);
  ~Server();

  uint16_t port() const;
  // The metrics endpoint's port; 0 when it is off.
  uint16_t metrics_port() const;
  // The hash tiles' port; 0 when they are not published.
  uint16_t publish_port() const;
  // The pages' port; 0 when they are off.
  uint16_t pages_port() const;
  // The witnessing behind the appends; nullptr when no witness is set.
  const Witnessing* witnessing() const;
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

// The message a client signs to authenticate. Over TLS, `tls_binding` is the
// session's exporter value (TlsLoginBinding, 32 bytes) and the message is
// "evident-auth-tls/1\n" + origin + "\n" + nonce + tls_binding, so a
// signature is good for that one TLS session only. Over plaintext
// (loopback only), `tls_binding` is empty and the message is
// "evident-auth/1\n" + origin + "\n" + nonce.
std::string AuthMessage(std::string_view origin, std::string_view nonce,
                        std::string_view tls_binding = {});

}  // namespace evident::server
