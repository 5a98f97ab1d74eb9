// The listener: accepts on a strand, and starts a Session (session.h) on a
// strand of its own for each connection.

#include "server/http/server.h"

#include <atomic>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <utility>  // before asio (Boost 1.74 under C++20)

#include "server/http/session.h"
#include "server/tls.h"

namespace evident::server::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Server::Listener : public std::enable_shared_from_this<Server::Listener> {
 public:
  Listener(asio::io_context& io, Router router, ServerOptions options)
      : io_(io),
        acceptor_(asio::make_strand(io)),
        router_(std::make_shared<const Router>(std::move(router))),
        options_(std::make_shared<const ServerOptions>(std::move(options))) {}

  Status Open() {
    const ServerOptions& o = *options_;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(o.host, ec);
    if (ec) return Status::InvalidArgument("listen address \"" + o.host + "\": " + ec.message());
    if (o.plaintext && !o.plaintext_anywhere && !address.is_loopback()) {
      return Status::InvalidArgument("plaintext HTTP is allowed on a loopback address only, not " +
                                     o.host);
    }
    if (!o.plaintext) EVIDENT_RETURN_IF_ERROR(MakeTlsContext());
    const tcp::endpoint endpoint(address, o.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::IOError("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " +
                             ec.message());
    }
    return Status::OK();
  }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void Accept() {
    acceptor_.async_accept(
        asio::make_strand(io_),
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
          if (!ec) self->StartSession(std::move(socket));
          self->Accept();
        });
  }

  void Stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      boost::system::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  Status MakeTlsContext() {
    tls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    boost::system::error_code ec;
    tls_->use_certificate_chain(asio::buffer(options_->cert_pem), ec);
    if (ec) return Status::InvalidArgument("the TLS certificate does not load: " + ec.message());
    tls_->use_private_key(asio::buffer(options_->key_pem), asio::ssl::context::pem, ec);
    if (ec) return Status::InvalidArgument("the TLS private key does not load: " + ec.message());
    return RestrictServerTls(tls_->native_handle());
  }

  void StartSession(tcp::socket socket) {
    if (open_->load() >= options_->max_connections) {
      // Full: the newcomer is closed at once; those already served go on.
      boost::system::error_code ec;
      socket.close(ec);
      if (options_->log) {
        options_->log("refused a connection: " + std::to_string(options_->max_connections) +
                      " are open (the limit)");
      }
      return;
    }
    ++*open_;
    std::shared_ptr<void> ticket(nullptr, [open = open_](void*) { --*open; });
    if (options_->plaintext) {
      std::make_shared<Session<PlainStream>>(PlainStream(std::move(socket)), router_, options_,
                                             std::move(ticket))
          ->Run();
    } else {
      std::make_shared<Session<TlsStream>>(TlsStream(std::move(socket), *tls_), router_, options_,
                                           std::move(ticket))
          ->Run();
    }
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  std::shared_ptr<const Router> router_;
  std::shared_ptr<const ServerOptions> options_;
  std::unique_ptr<asio::ssl::context> tls_;  // null in plaintext
  // Connections open now; each session's ticket gives its place back.
  std::shared_ptr<std::atomic<size_t>> open_ = std::make_shared<std::atomic<size_t>>(0);
};

StatusOr<std::unique_ptr<Server>> Server::Start(asio::io_context& io, Router router,
                                                ServerOptions options) {
  auto listener = std::make_shared<Listener>(io, std::move(router), std::move(options));
  EVIDENT_RETURN_IF_ERROR(listener->Open());
  listener->Accept();
  const uint16_t port = listener->port();
  return std::unique_ptr<Server>(new Server(std::move(listener), port));
}

Server::~Server() { Stop(); }

void Server::Stop() { listener_->Stop(); }

}  // namespace evident::server::http
