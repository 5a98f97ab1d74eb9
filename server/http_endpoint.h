#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "ledger/status.h"

// A very small HTTP/1.1 server for operators' tools: GET of a fixed set of
// paths, each answered by a function, one request per connection. It
// serves the metrics (`/metrics`, Prometheus text) and the health check
// (`/healthz`) on a port of their own, in plain HTTP: bind it to loopback or
// a management network. Requests are read to at most 8 KiB, under a 5 s
// deadline.
//
// Threads: one of its own, for all its connections; the handlers run on it.
namespace evident::server {

struct HttpReply {
  int status = 200;  // 200, or 503 for an unhealthy health check
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class HttpEndpoint {
 public:
  using Handler = std::function<HttpReply()>;

  // Binds host:port (0: any free port) and serves `handlers` by path.
  // IOError if the address is taken.
  static StatusOr<std::unique_ptr<HttpEndpoint>> Start(const std::string& host, uint16_t port,
                                                       std::map<std::string, Handler> handlers);
  ~HttpEndpoint();  // stops: connections in progress are closed
  uint16_t port() const;

  class Impl;

 private:
  explicit HttpEndpoint(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evident::server
