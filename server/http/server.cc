// The listener: accepts on a strand, and starts a Session (session.h) on a
// strand of its own for each connection.

#include "server/http/server.h"

#include <chrono>
#include <map>
#include <mutex>

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
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    const std::string address = ec ? std::string() : peer.address().to_string();
    std::string refused;
    {
      std::lock_guard<std::mutex> lock(counts_->mu);
      if (counts_->open >= options_->max_connections) {
        refused = std::to_string(options_->max_connections) + " are open (the limit)";
      } else if (counts_->per_address[address] >= options_->max_connections_per_address) {
        refused = std::to_string(options_->max_connections_per_address) + " are open from " +
                  address + " (the limit for one address)";
      } else {
        ++counts_->open;
        ++counts_->per_address[address];
      }
    }
    if (!refused.empty()) {
      // Full: the newcomer is closed at once; those already served go on.
      socket.close(ec);
      if (options_->log) options_->log("refused a connection: " + refused);
      return;
    }
    std::shared_ptr<void> ticket(nullptr, [counts = counts_, address](void*) {
      std::lock_guard<std::mutex> lock(counts->mu);
      --counts->open;
      if (--counts->per_address[address] == 0) counts->per_address.erase(address);
    });
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
  // Connections open now, in all and per address; each session's ticket
  // gives its places back.
  struct Counts {
    std::mutex mu;
    size_t open = 0;
    std::map<std::string, size_t> per_address;
  };
  std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
};

namespace {

// `log`, at most `per_second` lines a second; the lines past that are
// counted and said in one line when the next second's first line comes.
std::function<void(const std::string&)> RateLimited(std::function<void(const std::string&)> log,
                                                    size_t per_second) {
  if (!log) return log;
  struct Window {
    std::mutex mu;
    std::chrono::steady_clock::time_point start;
    size_t lines = 0, suppressed = 0;
  };
  auto window = std::make_shared<Window>();
  return [log = std::move(log), window, per_second](const std::string& line) {
    std::string summary;
    {
      std::lock_guard<std::mutex> lock(window->mu);
      const auto now = std::chrono::steady_clock::now();
      if (now - window->start >= std::chrono::seconds(1)) {
        if (window->suppressed > 0) {
          summary = "suppressed " + std::to_string(window->suppressed) + " similar lines";
        }
        window->start = now;
        window->lines = window->suppressed = 0;
      }
      if (window->lines >= per_second) {
        ++window->suppressed;
        return;
      }
      ++window->lines;
    }
    if (!summary.empty()) log(summary);
    log(line);
  };
}

}  // namespace

StatusOr<std::unique_ptr<Server>> Server::Start(asio::io_context& io, Router router,
                                                ServerOptions options) {
  options.log = RateLimited(std::move(options.log), 20);
  auto listener = std::make_shared<Listener>(io, std::move(router), std::move(options));
  EVIDENT_RETURN_IF_ERROR(listener->Open());
  listener->Accept();
  const uint16_t port = listener->port();
  return std::unique_ptr<Server>(new Server(std::move(listener), port));
}

Server::~Server() { Stop(); }

void Server::Stop() { listener_->Stop(); }

}  // namespace evident::server::http
