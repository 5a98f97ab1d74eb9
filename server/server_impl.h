#pragma once

// Inside the server: what its sessions share. Not part of the API.

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <list>
#include <set>
#include <thread>
#include <utility>  // before asio: Boost 1.74's awaitable.hpp needs std::exchange
#include <vector>

#include "projections/store.h"
#include "schemas/event_generated.h"
#include "server/http_endpoint.h"
#include "server/metrics.h"
#include "server/server.h"

namespace evident::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Server::Impl {
 public:
  Impl(Ledger* ledger, ServerOptions options);
  Status Listen();
  // Starts the metrics endpoint if the options ask for it.
  Status ServeMetrics();
  void Run();
  void Shutdown();
  uint16_t port() const { return port_; }

  // What sessions use. Called on the network thread.
  Ledger* ledger() { return ledger_; }
  const ServerOptions& options() const { return options_; }
  asio::thread_pool& pool() { return pool_; }
  bool stopping() const { return stopping_.load(); }
  void Log(const std::string& line);
  Metrics& metrics() { return metrics_; }
  uint16_t metrics_port() const { return http_ ? http_->port() : 0; }
  // Numbers each connection, for its log lines and metrics.
  uint64_t NextConnectionId() { return ++connections_; }

  // A session registers what to cancel on shutdown, and subscribers the
  // timer to wake when the log grows.
  void Track(tcp::socket* socket) { sockets_.insert(socket); }
  void Untrack(tcp::socket* socket) { sockets_.erase(socket); }
  void WatchGrowth(asio::steady_timer* timer) { growth_waiters_.insert(timer); }
  void UnwatchGrowth(asio::steady_timer* timer) { growth_waiters_.erase(timer); }
  void LogGrew();  // after an append: wake the subscribers

  void SessionEnded();

  // Connections still logging in, oldest first: LoginStarted may close the
  // oldest to keep within max_pending_logins; LoginEnded (after login, or
  // when the connection ends) forgets one.
  void LoginStarted(tcp::socket* socket);
  void LoginEnded(tcp::socket* socket);

  // Holds `bytes` of the request budget; false, holding nothing, when they
  // would not fit. Release gives them back. Any thread.
  bool Reserve(size_t bytes);
  void Release(size_t bytes) { reserved_ -= bytes; }
  size_t reserved() const { return reserved_.load(); }

  // Answers a query from the projection store (opened on first use) as
  // `role` may see it: a board key gets the view with the board report's
  // small-group suppression (projections/report/board_query.h). On the
  // pool, one query at a time.
  StatusOr<std::string> Query(schema::Role role, const std::string& view,
                              const std::string& filters_json, const std::string& as_of);

 private:
  asio::awaitable<void> Accept();
  void ShedOldestLogin(const std::string& why);
  template <typename Stream>
  void StartSession(Stream stream, std::string peer);

  Ledger* ledger_;
  ServerOptions options_;
  asio::io_context io_;
  asio::thread_pool pool_;
  asio::ssl::context tls_{asio::ssl::context::tls_server};
  tcp::acceptor acceptor_{io_};
  uint16_t port_ = 0;
  std::thread network_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> shut_down_{false};
  size_t sessions_ = 0;  // network thread only
  std::set<tcp::socket*> sockets_;
  std::list<tcp::socket*> pending_logins_;  // network thread only
  std::atomic<size_t> reserved_{0};
  std::set<asio::steady_timer*> growth_waiters_;
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  bool all_done_ = false;
  std::mutex query_mu_;
  std::unique_ptr<projections::ProjectionStore> store_;
  Metrics metrics_;
  std::atomic<uint64_t> connections_{0};
  std::unique_ptr<HttpEndpoint> http_;  // the metrics endpoint, when on
};

// Runs one connection to its end (session.cc).
template <typename Stream>
asio::awaitable<void> RunSession(Server::Impl* server, Stream stream, std::string peer);

// The socket under a stream.
inline tcp::socket& Socket(tcp::socket& s) { return s; }
inline tcp::socket& Socket(asio::ssl::stream<tcp::socket>& s) { return s.next_layer(); }

}  // namespace evident::server
