#include "server/server.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "ledger/tiles.h"
#include "projections/query.h"
#include "projections/report/board_query.h"
#include "server/server_impl.h"
#include "server/tls.h"

namespace evident::server {

std::string AuthMessage(std::string_view origin, std::string_view nonce,
                        std::string_view tls_binding) {
  std::string m = tls_binding.empty() ? "evident-auth/1\n" : "evident-auth-tls/1\n";
  m.append(origin);
  m += '\n';
  m.append(nonce);
  m.append(tls_binding);
  return m;
}

Server::Impl::Impl(Ledger* ledger, ServerOptions options)
    : ledger_(ledger),
      options_(std::move(options)),
      pool_(size_t(std::max(1, options_.worker_threads))),
      query_pool_(size_t(std::max(1, options_.query_threads))) {}

namespace {

// `line` with every control character escaped: \n, \r, \t, or \xNN.
std::string Escaped(const std::string& line) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(line.size());
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace

void Server::Impl::WriteLog(const std::string& line) {
  if (options_.log) {
    options_.log(Escaped(line));
  } else {
    std::cerr << "evident serve: " << Escaped(line) << "\n";
  }
}

void Server::Impl::Log(const std::string& line) {
  std::lock_guard<std::mutex> lock(log_mu_);
  FlushSuppressed(std::chrono::steady_clock::now());
  WriteLog(line);
}

void Server::Impl::LogRefusal(const std::string& line) {
  std::lock_guard<std::mutex> lock(log_mu_);
  FlushSuppressed(std::chrono::steady_clock::now());
  if (log_lines_ < options_.max_refusal_log_lines_per_second) {
    ++log_lines_;
    WriteLog(line);
  } else {
    ++log_suppressed_;
  }
}

// A second after the current one began, says how many lines it suppressed
// and begins another.
void Server::Impl::FlushSuppressed(std::chrono::steady_clock::time_point now) {
  if (now - log_second_ < std::chrono::seconds(1)) return;
  if (log_suppressed_ > 0) {
    WriteLog("suppressed " + std::to_string(log_suppressed_) +
             " similar lines (refusals, shed connections, timeouts) past the limit of " +
             std::to_string(options_.max_refusal_log_lines_per_second) + " a second");
  }
  log_second_ = now;
  log_lines_ = 0;
  log_suppressed_ = 0;
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

// Limits that let a client in at all.
Status CheckLimits(const ServerOptions& options) {
  if (options.max_connections == 0 || options.max_pending_logins == 0 ||
      options.max_pending_logins_per_address == 0 || options.max_connections_per_address == 0 ||
      options.max_connections_per_principal == 0) {
    return Status::InvalidArgument("every connection limit must be at least 1");
  }
  return Status::OK();
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
  EVIDENT_RETURN_IF_ERROR(CheckLimits(options));
  asio::ssl::context tls(asio::ssl::context::tls_server);
  EVIDENT_RETURN_IF_ERROR(LoadTls(options, &tls));
  if (options.metrics) {
    auto metrics = MetricsAddress(options);
    if (!metrics.ok()) return metrics.status();
  }
  if (options.pages && options.plaintext) {
    return Status::InvalidArgument(
        "the pages are served over HTTPS only: give the server a certificate and key");
  }
  return Status::OK();
}

Status Server::Impl::Listen() {
  auto listen_address = ListenAddress(options_);
  if (!listen_address.ok()) return listen_address.status();
  const auto address = listen_address.value();
  EVIDENT_RETURN_IF_ERROR(CheckLimits(options_));
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
    const std::string address = ec ? "unknown" : remote.address().to_string();
    const std::string peer = ec ? "unknown peer" : address + ":" + std::to_string(remote.port());
    if (!MakeRoom(address, peer)) {
      socket.close(ec);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    ++sessions_;
    ++per_address_[address];
    if (options_.plaintext) {
      asio::co_spawn(io_, RunSession(this, std::move(socket), peer), asio::detached);
    } else {
      asio::co_spawn(
          io_, RunSession(this, asio::ssl::stream<tcp::socket>(std::move(socket), tls_), peer),
          asio::detached);
    }
  }
}

void Server::Impl::LogGrew() {
  for (asio::steady_timer* t : growth_waiters_) t->cancel();
  if (witnessing_) witnessing_->Notify();
}

void Server::Impl::SessionEnded(const std::string& address) {
  --sessions_;
  const auto held = per_address_.find(address);
  if (held != per_address_.end() && --held->second == 0) per_address_.erase(held);
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
  query_pool_.join();
  pages_pool_.join();
  witnessing_.reset();
  std::lock_guard<std::mutex> lock(log_mu_);  // the count of the last second's suppressed lines
  FlushSuppressed(std::chrono::steady_clock::now() + std::chrono::seconds(1));
}

StatusOr<std::string> Server::Impl::Query(schema::Role role, const std::string& view,
                                          const std::string& filters_json,
                                          const std::string& as_of) {
  projections::QuerySpec spec;
  spec.view = view;
  EVIDENT_RETURN_IF_ERROR(CheckFiltersJson(filters_json));
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
  http::Router router;
  router.Exact("GET", "/metrics", [this](const http::Request&) {
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics_.Render(ledger_->size()) +
             (witnessing_ ? witnessing_->RenderMetrics() : std::string());
    return r;
  });
  // Healthy: serving, and the newest checkpoint reads back from disk.
  router.Exact("GET", "/healthz", [this](const http::Request&) {
    if (stopping()) return http::TextResponse(503, "stopping");
    const uint64_t size = ledger_->size();
    if (size > 0) {
      auto note = ledger_->LatestCheckpointNote();
      if (!note.ok()) {
        return http::TextResponse(503, "cannot read the latest checkpoint: " +
                                           note.status().message());
      }
    }
    return http::TextResponse(200, "ok: tree size " + std::to_string(size));
  });
  http::ServerOptions http_options;
  http_options.host = options_.metrics_host;
  http_options.port = options_.metrics_port;
  http_options.plaintext = true;  // MetricsAddress allowed this address
  http_options.plaintext_anywhere = options_.metrics_public;
  http_options.body_limit = 0;
  http_options.read_timeout = std::chrono::seconds(5);
  auto http = http::Server::Start(io_, std::move(router), std::move(http_options));
  if (!http.ok()) return http.status().WithContext("metrics");
  metrics_http_ = std::move(http.value());
  return Status::OK();
}

Status Server::Impl::Publish() {
  if (!options_.publish) return Status::OK();
  http::Router router;
  // The newest checkpoint the witnesses' quorum cosigned (without
  // witnesses: the newest), with every cosignature stored for it.
  router.Exact("GET", "/checkpoint", [this](const http::Request&) {
    auto note = witnessing_ ? witnessing_->TrustedCheckpoint()
                            : ledger_->CosignedCheckpointNote(ledger_->size());
    if (!note.ok()) return http::TextResponse(404, "the log has no checkpoint yet");
    http::Response r;
    r.body = note.value();
    r.headers.push_back({"Cache-Control", "no-cache"});
    return r;
  });
  router.Prefix("GET", "/tile/", [this](const http::Request& request) {
    auto tile = ParseTilePath(request.Path().substr(1));
    if (!tile.ok()) {
      return http::TextResponse(404, tile.status().code() == Status::Code::kPermissionDenied
                                         ? "entries are not published, only hash tiles"
                                         : tile.status().message());
    }
    // A tile is the same bytes in every tree that holds it: served once
    // the log has the hashes it covers, whichever checkpoint the reader has.
    auto data = TileWithin(ledger_->storage(), tile.value(), ledger_->size());
    if (!data.ok()) return http::TextResponse(404, data.status().message());
    http::Response r;
    r.content_type = "application/octet-stream";
    r.body = std::move(data.value());
    r.headers.push_back({"Cache-Control", tile->full() ? "public, max-age=31536000, immutable"
                                                       : "public, max-age=3600"});
    return r;
  });
  http::ServerOptions http_options;
  http_options.host = options_.publish_host;
  http_options.port = options_.publish_port;
  http_options.plaintext = options_.plaintext;  // only on loopback (the server refuses otherwise)
  http_options.cert_pem = options_.cert_pem;
  http_options.key_pem = options_.key_pem;
  http_options.body_limit = 0;
  auto http = http::Server::Start(io_, std::move(router), std::move(http_options));
  if (!http.ok()) return http.status().WithContext("publishing the hash tiles");
  publish_http_ = std::move(http.value());
  return Status::OK();
}

Status Server::Impl::BackupDirectory(const std::string& backup_dir) {
  using projections::directory::Directory;
  const std::string to = Directory::PathFor(backup_dir);
  if (directory_) return directory_->Checkpoint(to);
  const std::string path = Directory::PathFor(ledger_->dir());
  if (ledger_->dir().empty() || !std::filesystem::exists(path)) return Status::OK();
  auto directory = Directory::Open(path, /*create=*/false);
  if (!directory.ok()) return directory.status().WithContext("backing up the directory");
  return directory.value()->Checkpoint(to);
}

Status Server::Impl::ServePages() {
  if (!options_.pages) return Status::OK();
  if (options_.plaintext) {
    return Status::InvalidArgument(
        "the pages are served over HTTPS only: give the server a certificate and key");
  }
  auto directory = projections::directory::Directory::Open(options_.directory_dir, true);
  if (!directory.ok()) return directory.status().WithContext("the pages' directory");
  directory_ = std::move(directory.value());
  pages::PagesOptions pages_options;
  pages_options.reports_dir = options_.reports_dir;
  pages_options.log = [this](const std::string& line) { LogRefusal(line); };
  auto pages = pages::Pages::Create(ledger_, directory_.get(), std::move(pages_options));
  if (!pages.ok()) return pages.status();
  pages_ = std::move(pages.value());
  http::ServerOptions http_options;
  http_options.host = options_.pages_host;
  http_options.port = options_.pages_port;
  http_options.cert_pem = options_.cert_pem;
  http_options.key_pem = options_.key_pem;
  http_options.handler_pool = &pages_pool_;
  http_options.log = [this](const std::string& line) { LogRefusal("pages: " + line); };
  auto http = http::Server::Start(io_, pages_->Routes(), std::move(http_options));
  if (!http.ok()) return http.status().WithContext("the pages");
  pages_http_ = std::move(http.value());
  return Status::OK();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Shutdown(); }
uint16_t Server::port() const { return impl_->port(); }
uint16_t Server::metrics_port() const { return impl_->metrics_port(); }
uint16_t Server::publish_port() const { return impl_->publish_port(); }
uint16_t Server::pages_port() const { return impl_->pages_port(); }
const Witnessing* Server::witnessing() const { return impl_->witnessing_.get(); }
void Server::Shutdown() { impl_->Shutdown(); }

StatusOr<std::unique_ptr<Server>> Server::Start(Ledger* ledger, ServerOptions options) {
  auto impl = std::make_unique<Impl>(ledger, std::move(options));
  EVIDENT_RETURN_IF_ERROR(impl->Listen());
  EVIDENT_RETURN_IF_ERROR(impl->ServeMetrics());
  if (!impl->options().witnesses.empty()) {
    WitnessingOptions witnessing;
    witnessing.witnesses = impl->options().witnesses;
    witnessing.quorum = impl->options().witness_quorum;
    Impl* raw = impl.get();
    witnessing.log = [raw](const std::string& line) { raw->LogRefusal(line); };
    WitnessPoster post = impl->options().witness_poster ? impl->options().witness_poster
                                                        : HttpsWitnessPoster();
    auto started = Witnessing::Start(ledger, std::move(witnessing), std::move(post));
    if (!started.ok()) return started.status();
    impl->witnessing_ = std::move(started.value());
  }
  EVIDENT_RETURN_IF_ERROR(impl->Publish());
  EVIDENT_RETURN_IF_ERROR(impl->ServePages());
  impl->Run();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

}  // namespace evident::server
