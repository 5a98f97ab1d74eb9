#pragma once

// One connection of server/http/server.h, plain or TLS: one request read and
// one reply written at a time, on the connection's strand. Internal to the
// server; included by server.cc alone.

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cctype>
#include <memory>
#include <optional>
#include <utility>  // before asio (Boost 1.74 under C++20)

#include "server/http/router.h"
#include "server/http/server.h"

namespace evident::server::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  // `router` and `options` are shared with the listener and outlive every
  // session through the shared_ptr.
  // `ticket` is released (destroyed) with the session: the listener counts
  // open connections with it.
  Session(Stream stream, std::shared_ptr<const Router> router,
          std::shared_ptr<const ServerOptions> options, std::shared_ptr<void> ticket)
      : stream_(std::move(stream)),
        router_(std::move(router)),
        options_(std::move(options)),
        ticket_(std::move(ticket)) {}

  void Run() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(stream_).expires_after(options_->read_timeout);
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Log("TLS handshake failed: " + ec.message());
                                self->Read();
                              });
    } else {
      Read();
    }
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(options_->body_limit);
    parser_->header_limit(static_cast<uint32_t>(options_->header_limit));
    beast::get_lowest_layer(stream_).expires_after(options_->read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream) return Close();
    if (ec == bhttp::error::body_limit) {
      return Reply(
          TextResponse(413, "the body is over " + std::to_string(options_->body_limit) + " bytes"),
          false);
    }
    if (ec == beast::error::timeout || ec == boost::asio::error::operation_aborted ||
        ec == boost::asio::error::connection_reset || ec == boost::asio::error::eof ||
        ec == boost::asio::ssl::error::stream_truncated) {
      return;  // the peer left or stalled: nothing to answer
    }
    if (ec) return Reply(TextResponse(400, "bad request: " + ec.message()), false);
    bhttp::request<bhttp::string_body> message = parser_->release();
    if (message.find(bhttp::field::transfer_encoding) != message.end() && !message.chunked()) {
      // RFC 9112 6.3: a request whose final transfer coding is not chunked
      // has no length the server can know; what follows it cannot be read
      // as the next request.
      return Reply(TextResponse(400, "bad request: a transfer coding other than chunked"), false);
    }
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.body = std::move(message.body());
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string& value = request.headers[name];
      if (!value.empty()) value += name == "cookie" ? "; " : ", ";
      value += std::string(field.value());
    }
    beast::error_code peer_error;
    const auto peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(peer_error);
    if (!peer_error) request.peer = peer.address().to_string();
    const bool keep_alive = message.keep_alive();
    if (options_->handler_pool == nullptr) return Reply(router_->Route(request), keep_alive);
    // The handler runs on the pool; its reply is written back on the
    // connection's strand, where every other step of the connection runs.
    boost::asio::post(*options_->handler_pool, [self = this->shared_from_this(),
                                                request = std::move(request), keep_alive] {
      Response response = self->router_->Route(request);
      boost::asio::post(self->stream_.get_executor(),
                        [self, response = std::move(response), keep_alive] {
                          self->Reply(response, keep_alive);
                        });
    });
  }

  void Reply(const Response& response, bool keep_alive) {
    reply_ = {};
    reply_.version(11);
    reply_.result(static_cast<unsigned>(response.status));
    reply_.reason(ReasonPhrase(response.status));
    reply_.set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) reply_.set(name, value);
    reply_.body() = response.body;
    reply_.keep_alive(keep_alive);
    reply_.prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(options_->write_timeout);
    bhttp::async_write(stream_, reply_,
                       [self = this->shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                         if (ec) return;
                         if (keep_alive) return self->Read();
                         self->Close();
                       });
  }

  void Close() {
    beast::error_code ec;
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(stream_).expires_after(options_->write_timeout);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
    }
  }

  void Log(const std::string& line) {
    if (options_->log) options_->log(line);
  }

  Stream stream_;
  std::shared_ptr<const Router> router_;
  std::shared_ptr<const ServerOptions> options_;
  std::shared_ptr<void> ticket_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> reply_;
};

}  // namespace evident::server::http
