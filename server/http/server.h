#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>  // before asio (Boost 1.74 under C++20)

#include "ledger/status.h"
#include "server/http/router.h"

// An HTTP/1.1 server on Boost.Beast: over TLS (1.2 and 1.3, with the suites
// of server/tls.h), or in plaintext on a loopback address only. It answers
// each request with its router, keeps connections alive when the client
// asks, and answers for itself:
//   400  a request that does not parse (the connection is then closed)
//   404  a path no route serves; 405 a method the path does not take
//   413  a body over `body_limit` (the connection is then closed)
// A connection that does not send a whole request within `read_timeout`,
// or take a reply within `write_timeout`, is closed.
//
// Threads: the server runs on the io_context it is given, on every thread
// that runs it; each connection is on a strand of its own, so handlers of
// different connections may run at once.
namespace evident::server::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port
  bool plaintext = false;
  // Plaintext on an address that is not loopback, which the server refuses
  // unless this is set: for an operator who chose it (`--metrics-public`).
  bool plaintext_anywhere = false;
  std::string cert_pem;  // TLS certificate chain, PEM (unless plaintext)
  std::string key_pem;   // its private key, PEM
  size_t body_limit = 64 << 10;
  // Connections open at once, at most; past it a new one is closed as soon
  // as it is accepted. Each closes within read_timeout unless it sends
  // whole requests, so a client holding connections open to starve others
  // holds each for that long at most.
  size_t max_connections = 256;
  // Of them, from one client address, at most; past it a new one from that
  // address is closed as soon as it is accepted, so one client cannot hold
  // every place. (Behind a proxy every client has the proxy's address: let
  // the proxy limit its clients, and raise this.)
  size_t max_connections_per_address = 32;
  size_t header_limit = 8 << 10;
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  // Where handlers run: on the connection's strand when null (for handlers
  // that answer at once), else on this pool, which must outlive the server
  // (for handlers that may take a while: a password hash, a page), so the
  // io_context's threads never wait on them.
  boost::asio::thread_pool* handler_pool = nullptr;
  // One line per refused connection or failed handshake, at most 20 a
  // second (the rest counted in one line, "suppressed N similar lines");
  // may be empty.
  std::function<void(const std::string&)> log;
};

class Server {
 public:
  // Binds and starts accepting on `io`, which must outlive the server and
  // be run by the caller. InvalidArgument for a bad address, plaintext off
  // loopback, or TLS material OpenSSL refuses; IOError if the address is taken.
  static StatusOr<std::unique_ptr<Server>> Start(boost::asio::io_context& io, Router router,
                                                 ServerOptions options);
  ~Server();  // stops accepting; connections end with the io_context
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const { return port_; }
  // Stops accepting new connections. Connections in progress keep their
  // strand and end when their peer leaves or the io_context stops.
  void Stop();

  class Listener;

 private:
  Server(std::shared_ptr<Listener> listener, uint16_t port)
      : listener_(std::move(listener)), port_(port) {}
  std::shared_ptr<Listener> listener_;
  uint16_t port_;
};

}  // namespace evident::server::http
