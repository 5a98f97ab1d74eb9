#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>  // before asio (Boost 1.74 under C++20)

#include "ledger/status.h"

// A small asynchronous HTTP/1.1 client on Boost.Beast, one request per
// connection: https (TLS 1.2 or 1.3, the server's certificate verified
// against the CA file given or the system's default CAs, and its name
// against the URL's host), or plain http.
//
//   url = ("https" | "http") "://" host [":" port] [path-prefix]
//   host is a name, an IPv4 address or a bracketed IPv6 address ("[::1]")
//
// Threads: a request's callback runs on a thread that runs the io_context
// given; several requests may be in flight at once.
namespace evident::server::http {

struct Url {
  bool tls = true;
  std::string host;  // without brackets
  std::string port;  // "443" when the URL gives none (https), "80" (http)
  std::string path;  // "" or "/prefix", no trailing '/'
};

// InvalidArgument naming what is wrong with `url`.
StatusOr<Url> ParseUrl(std::string_view url);

struct ClientOptions {
  std::string ca_file;  // PEM certificates to trust; empty: the system's default CAs
  std::chrono::milliseconds timeout{10000};  // for the whole request
};

struct ClientReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

class Client {
 public:
  // InvalidArgument if the CA file does not load.
  static StatusOr<std::unique_ptr<Client>> Create(ClientOptions options);
  ~Client();

  using Callback = std::function<void(StatusOr<ClientReply>)>;
  // Sends `method` `url.path + path` with `body` (when not empty, as
  // `content_type`) and calls `done` once with the reply, or with IOError
  // (connect, TLS, write, read or timeout; the message says which). The
  // client may be destroyed while requests are in flight.
  void Fetch(boost::asio::io_context& io, const Url& url, const std::string& method,
             const std::string& path, std::string body, const std::string& content_type,
             Callback done);

  // Fetch on an io_context of its own, waiting for the reply.
  StatusOr<ClientReply> FetchBlocking(const Url& url, const std::string& method,
                                      const std::string& path, std::string body,
                                      const std::string& content_type);

  class Impl;

 private:
  explicit Client(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace evident::server::http
