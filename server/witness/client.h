#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>  // before asio (Boost 1.74 under C++20)

#include "ledger/status.h"
#include "server/http/client.h"

// The log's side of C2SP tlog-witness: POSTs an add-checkpoint body
// (server/witness/request.h, AddCheckpointBody) to a witness and returns its
// answer as it came, status and body: 200 with cosignature lines, 409 with
// the witness's size, and so on. What to do with each is the caller's.
//
//   witness URL = "https://" host [":" port] [prefix]  (http:// for a
//                 plaintext witness on loopback)
//   request     = POST <prefix>/add-checkpoint
//
// Threads: Submit's callback runs on a thread running the io_context given;
// one client may have many submissions in flight.
namespace evident::server::witness {

struct WitnessReply {
  int status = 0;            // the HTTP status
  std::string content_type;  // text/x.tlog.size with a 409
  std::string body;
};

struct WitnessClientOptions {
  std::string url;      // the witness, as above
  std::string ca_file;  // PEM certificates to trust; empty: the system's default CAs
  std::chrono::milliseconds timeout{10000};
};

class WitnessClient {
 public:
  // InvalidArgument for a bad URL or a CA file that does not load.
  static StatusOr<std::unique_ptr<WitnessClient>> Create(WitnessClientOptions options);

  using Callback = std::function<void(StatusOr<WitnessReply>)>;
  // Sends `body` and calls `done` once: with the witness's reply whatever
  // its status, or IOError when there is none (connect, TLS, timeout).
  void Submit(boost::asio::io_context& io, std::string body, Callback done);

  // Submit on an io_context of its own, waiting for the reply.
  StatusOr<WitnessReply> SubmitBlocking(std::string body);

  const http::Url& url() const { return url_; }

 private:
  WitnessClient(http::Url url, std::unique_ptr<http::Client> client)
      : url_(std::move(url)), client_(std::move(client)) {}
  http::Url url_;
  std::unique_ptr<http::Client> client_;
};

}  // namespace evident::server::witness
