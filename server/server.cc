#include "server/server.h"

#include <iostream>

#include "projections/query.h"
#include "projections/report/board_query.h"
#include "server/server_impl.h"
#include "server/tls.h"

namespace evident::server {

std::string AuthMessage(std::string_view origin, std::string_view nonce) {
  std::string m = "evident-auth/1\n";
  m.append(origin);
  m += '\n';
  m.append(nonce);
  return m;
}

Server::Impl::Impl(Ledger* ledger, ServerOptions options)
    : ledger_(ledger),
      options_(std::move(options)),
      pool_(size_t(std::max(1, options_.worker_threads))) {}

void Server::Impl::Log(const std::string& line) {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << "evident serve: " << line << "\n";
  }
}

namespace {

// The listening address, if the options may serve on it.
StatusOr<asio::ip::address> ListenAddress(const ServerOptions& options) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) return Status::InvalidArgument("--listen: \"" + options.host + "\" is not an IP address");
  if (options.plaintext && !address.is_loopback()) {
    return Status::InvalidArgument(
        "plaintext is allowed on a loopback address only; give a "
        "certificate and key to serve " +
        options.host);
  }
  return address;
}

// The metrics address, if the options may serve the metrics on it.
StatusOr<asio::ip::address> MetricsAddress(const ServerOptions& options) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.metrics_host, ec);
  if (ec) {
    return Status::InvalidArgument("--metrics: \"" + options.metrics_host +
                                   "\" is not an IP address");
  }
  if (!address.is_loopback() && !options.metrics_public) {
    return Status::InvalidArgument(
        "--metrics: " + options.metrics_host +
        " is not a loopback address, and the metrics name the principals that connect, in "
        "plain HTTP to anyone who asks; serve them on 127.0.0.1 (or ::1) for a local scraper, "
        "or give --metrics-public to serve them on " +
        options.metrics_host + " all the same");
  }
  return address;
}

// Loads the options' certificate and key into `tls` (nothing for plaintext).
Status LoadTls(const ServerOptions& options, asio::ssl::context* tls) {
  if (options.plaintext) return Status::OK();
  if (options.cert_pem.empty() || options.key_pem.empty()) {
    return Status::InvalidArgument("TLS needs a certificate and its key (--cert, --key)");
  }
  boost::system::error_code ec;
  tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  EVIDENT_RETURN_IF_ERROR(RestrictServerTls(tls->native_handle()));
  tls->use_certificate_chain(asio::buffer(options.cert_pem), ec);
  if (ec) return Status::InvalidArgument("TLS certificate: " + ec.message());
  tls->use_private_key(asio::buffer(options.key_pem), asio::ssl::context::pem, ec);
  if (ec) return Status::InvalidArgument("TLS key: " + ec.message());
  return Status::OK();
}

}  // namespace

Status CheckOptions(const ServerOptions& options) {
  auto address = ListenAddress(options);
  if (!address.ok()) return address.status();
  asio::ssl::context tls(asio::ssl::context::tls_server);
  EVIDENT_RETURN_IF_ERROR(LoadTls(options, &tls));
  if (options.metrics) {
    auto metrics = MetricsAddress(options);
    if (!metrics.ok()) return metrics.status();
  }
  return Status::OK();
}

Status Server::Impl::Listen() {
  auto listen_address = ListenAddress(options_);
  if (!listen_address.ok()) return listen_address.status();
  const auto address = listen_address.value();
  EVIDENT_RETURN_IF_ERROR(LoadTls(options_, &tls_));
  boost::system::error_code ec;
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IOError("cannot listen on " + options_.host + ":" +
                           std::to_string(options_.port) + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  return Status::OK();
}

void Server::Impl::Run() {
  asio::co_spawn(io_, Accept(), asio::detached);
  network_ = std::thread([this] { io_.run(); });
}

asio::awaitable<void> Server::Impl::Accept() {
  while (!stopping()) {
    tcp::socket socket(io_);
    try {
      socket = co_await acceptor_.async_accept(asio::use_awaitable);
    } catch (const boost::system::system_error& e) {
      if (stopping()) break;
      Log(std::string("accept failed: ") + e.what());
      continue;
    }
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    const std::string peer =
        ec ? "unknown peer" : remote.address().to_string() + ":" + std::to_string(remote.port());
    if (sessions_ >= options_.max_connections) {
      if (pending_logins_.empty()) {
        Log("refused " + peer + ": " + std::to_string(sessions_) +
            " connections already (the limit)");
        socket.close(ec);
        continue;
      }
      ShedOldestLogin("the connection limit of " + std::to_string(options_.max_connections));
    }
    socket.set_option(tcp::no_delay(true), ec);
    ++sessions_;
    if (options_.plaintext) {
      asio::co_spawn(io_, RunSession(this, std::move(socket), peer), asio::detached);
    } else {
      asio::co_spawn(
          io_, RunSession(this, asio::ssl::stream<tcp::socket>(std::move(socket), tls_), peer),
          asio::detached);
    }
  }
}

void Server::Impl::LoginStarted(tcp::socket* socket) {
  if (!pending_logins_.empty() && pending_logins_.size() >= options_.max_pending_logins) {
    ShedOldestLogin("the limit of " + std::to_string(options_.max_pending_logins) +
                    " connections logging in at once");
  }
  pending_logins_.push_back(socket);
}

void Server::Impl::LoginEnded(tcp::socket* socket) { pending_logins_.remove(socket); }

// Its session then ends as for any closed connection.
void Server::Impl::ShedOldestLogin(const std::string& why) {
  tcp::socket* oldest = pending_logins_.front();
  pending_logins_.pop_front();
  boost::system::error_code ec;
  const auto remote = oldest->remote_endpoint(ec);
  Log("closed " + (ec ? std::string("a connection") : remote.address().to_string() + ":" +
                                                          std::to_string(remote.port())) +
      " still logging in, the oldest, to make room within " + why);
  oldest->close(ec);
}

bool Server::Impl::Reserve(size_t bytes) {
  size_t held = reserved_.load();
  do {
    if (held + bytes > options_.request_budget_bytes) return false;
  } while (!reserved_.compare_exchange_weak(held, held + bytes));
  return true;
}

void Server::Impl::LogGrew() {
  for (asio::steady_timer* t : growth_waiters_) t->cancel();
}

void Server::Impl::SessionEnded() {
  --sessions_;
  if (stopping() && sessions_ == 0) {
    std::lock_guard<std::mutex> lock(done_mu_);
    all_done_ = true;
    done_cv_.notify_all();
  }
}

void Server::Impl::Shutdown() {
  if (shut_down_.exchange(true)) return;
  asio::post(io_, [this] {
    stopping_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    for (tcp::socket* s : sockets_) s->cancel(ec);  // reads end; requests in flight finish
    LogGrew();
    if (sessions_ == 0) {
      std::lock_guard<std::mutex> lock(done_mu_);
      all_done_ = true;
      done_cv_.notify_all();
    }
  });
  {
    std::unique_lock<std::mutex> lock(done_mu_);
    if (!done_cv_.wait_for(lock, std::chrono::seconds(30), [this] { return all_done_; })) {
      Log("shutdown: connections still open after 30 s; closing them");
    }
  }
  io_.stop();
  if (network_.joinable()) network_.join();
  pool_.join();
}

StatusOr<std::string> Server::Impl::Query(schema::Role role, const std::string& view,
                                          const std::string& filters_json,
                                          const std::string& as_of) {
  projections::QuerySpec spec;
  spec.view = view;
  // Auditors and admins see every figure; a board member never one from
  // which a group of 1 to 9 people can be worked out (docs/protocol.md).
  if (role != schema::Role::Admin && role != schema::Role::Auditor) {
    spec.redact = projections::report::ForBoard;
  }
  if (!filters_json.empty()) {
    const projections::Json filters = projections::Json::parse(filters_json, nullptr, false);
    if (filters.is_discarded() || !filters.is_object()) {
      return Status::InvalidArgument("filters_json must be a JSON object of strings");
    }
    for (auto it = filters.begin(); it != filters.end(); ++it) {
      if (!it.value().is_string()) {
        return Status::InvalidArgument("filter \"" + it.key() + "\" must be a string");
      }
      spec.filters[it.key()] = it.value().get<std::string>();
    }
  }
  if (!as_of.empty()) {
    spec.as_of_day = projections::DayOf(as_of);
    if (spec.as_of_day == projections::kNoDay || as_of.size() != 10) {
      return Status::InvalidArgument("as_of must be a date, YYYY-MM-DD; got \"" + as_of + "\"");
    }
  }
  std::lock_guard<std::mutex> lock(query_mu_);
  if (options_.projection_dir.empty()) {
    return Status::FailedPrecondition("this server answers no queries (no projection store)");
  }
  if (!store_) {
    auto store = projections::ProjectionStore::Open(options_.projection_dir);
    if (!store.ok()) return store.status();
    store_ = std::move(store.value());
  }
  auto answer = projections::QueryStore(store_.get(), ledger_, spec);
  if (!answer.ok()) return answer.status();
  return projections::QueryText(view, answer.value());
}

Status Server::Impl::ServeMetrics() {
  if (!options_.metrics) return Status::OK();
  auto address = MetricsAddress(options_);
  if (!address.ok()) return address.status();
  std::map<std::string, HttpEndpoint::Handler> handlers;
  handlers["/metrics"] = [this] {
    return HttpReply{200, "text/plain; version=0.0.4; charset=utf-8",
                     metrics_.Render(ledger_->size())};
  };
  // Healthy: serving, and the newest checkpoint reads back from disk.
  handlers["/healthz"] = [this] {
    if (stopping()) return HttpReply{503, "text/plain; charset=utf-8", "stopping\n"};
    const uint64_t size = ledger_->size();
    if (size > 0) {
      auto note = ledger_->LatestCheckpointNote();
      if (!note.ok()) {
        return HttpReply{503, "text/plain; charset=utf-8",
                         "cannot read the latest checkpoint: " + note.status().message() + "\n"};
      }
    }
    return HttpReply{200, "text/plain; charset=utf-8", "ok: tree size " + std::to_string(size) + "\n"};
  };
  auto http = HttpEndpoint::Start(options_.metrics_host, options_.metrics_port, std::move(handlers));
  if (!http.ok()) return http.status();
  http_ = std::move(http.value());
  return Status::OK();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Shutdown(); }
uint16_t Server::port() const { return impl_->port(); }
uint16_t Server::metrics_port() const { return impl_->metrics_port(); }
void Server::Shutdown() { impl_->Shutdown(); }

StatusOr<std::unique_ptr<Server>> Server::Start(Ledger* ledger, ServerOptions options) {
  auto impl = std::make_unique<Impl>(ledger, std::move(options));
  EVIDENT_RETURN_IF_ERROR(impl->Listen());
  EVIDENT_RETURN_IF_ERROR(impl->ServeMetrics());
  impl->Run();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

}  // namespace evident::server
