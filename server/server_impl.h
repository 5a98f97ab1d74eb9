#pragma once

// Inside the server: what its sessions share. Not part of the API.

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <condition_variable>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>  // before asio: Boost 1.74's awaitable.hpp needs std::exchange
#include <vector>

#include "projections/directory/directory.h"
#include "projections/store.h"
#include "server/pages/pages.h"
#include "schemas/event_generated.h"
#include "server/http/server.h"
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
  // Starts publishing the hash tiles and the checkpoint if asked for.
  Status Publish();
  // Serves the pages for people when asked for (docs/pages.md).
  Status ServePages();
  void Run();
  void Shutdown();
  uint16_t port() const { return port_; }

  // What sessions use. Called on the network thread.
  Ledger* ledger() { return ledger_; }
  // Copies the directory of people into a backup at `backup_dir`: the one
  // the pages hold open, else the one beside the ledger, if there is one.
  // Any thread.
  Status BackupDirectory(const std::string& backup_dir);
  const ServerOptions& options() const { return options_; }
  asio::thread_pool& pool() { return pool_; }
  asio::thread_pool& query_pool() { return query_pool_; }
  bool stopping() const { return stopping_.load(); }
  // One line of the log, its control characters escaped (a string from a
  // client cannot start a line of its own). Any thread.
  void Log(const std::string& line);
  // A line about a refusal, a shed connection or a timeout: at most
  // max_refusal_log_lines_per_second of them a second, the rest counted
  // and summed up in one line after the second. Any thread.
  void LogRefusal(const std::string& line);
  Metrics& metrics() { return metrics_; }
  uint16_t metrics_port() const { return metrics_http_ ? metrics_http_->port() : 0; }
  uint16_t publish_port() const { return publish_http_ ? publish_http_->port() : 0; }
  uint16_t pages_port() const { return pages_http_ ? pages_http_->port() : 0; }
  // Numbers each connection, for its log lines and metrics.
  uint64_t NextConnectionId() { return ++connections_; }

  // A session registers what to cancel on shutdown, and subscribers the
  // timer to wake when the log grows.
  void Track(tcp::socket* socket) { sockets_.insert(socket); }
  void Untrack(tcp::socket* socket) { sockets_.erase(socket); }
  void WatchGrowth(asio::steady_timer* timer) { growth_waiters_.insert(timer); }
  void UnwatchGrowth(asio::steady_timer* timer) { growth_waiters_.erase(timer); }
  void LogGrew();  // after an append: wake the subscribers

  // A connection from `address` ends (Accept counted it).
  void SessionEnded(const std::string& address);

  // Connections still logging in, oldest first: LoginStarted may close one
  // (the oldest of `address` past max_pending_logins_per_address, else the
  // oldest of the address with the most past max_pending_logins);
  // LoginEnded (after login, or when the connection ends) forgets one.
  void LoginStarted(tcp::socket* socket, const std::string& address);
  void LoginEnded(tcp::socket* socket);

  // Admits a logged-in connection of `principal` and counts it: empty, or
  // why there is no place for it (the principal's limit, or the places
  // kept for admins). LoggedOut forgets an admitted one.
  std::string AdmitLogin(const std::string& principal, schema::Role role);
  void LoggedOut(const std::string& principal, schema::Role role);

  // Holds `bytes` of the request budget for `principal`: empty, or why
  // they do not fit (the budget, or the principal's share of it), holding
  // nothing. Release gives them back. Any thread.
  std::string Reserve(size_t bytes, const std::string& principal);
  void Release(size_t bytes, const std::string& principal);

  // Admits a query of `principal`: empty, or why it must wait (too many in
  // flight, in all or of this principal). QueryDone forgets an admitted one.
  std::string AdmitQuery(const std::string& principal);
  void QueryDone(const std::string& principal);

  // Answers a query from the projection store (opened on first use) as
  // `role` may see it: a board key gets the view with the board report's
  // small-group suppression (projections/report/board_query.h). On the
  // query pool, one query at a time.
  StatusOr<std::string> Query(schema::Role role, const std::string& view,
                              const std::string& filters_json, const std::string& as_of);

 private:
  asio::awaitable<void> Accept();
  // Closes the oldest connection still logging in from `address`; false if
  // it has none.
  bool ShedOldestLogin(const std::string& address, const std::string& why);
  // The address with the most connections logging in (the oldest's on a tie).
  std::string BusiestPendingAddress() const;
  size_t PendingFrom(const std::string& address) const;
  // Whether a new connection from `address` may be served, after closing a
  // connection still logging in where a limit asks for it.
  bool MakeRoom(const std::string& address, const std::string& peer);
  void WriteLog(const std::string& line);
  void FlushSuppressed(std::chrono::steady_clock::time_point now);  // log_mu_ held

  struct PendingLogin {
    tcp::socket* socket;
    std::string address;
  };

  Ledger* ledger_;
  ServerOptions options_;
  asio::io_context io_;
  asio::thread_pool pool_;
  asio::thread_pool query_pool_;
  asio::ssl::context tls_{asio::ssl::context::tls_server};
  tcp::acceptor acceptor_{io_};
  uint16_t port_ = 0;
  std::thread network_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> shut_down_{false};
  // Network thread only: connections, in all and per address; those logging
  // in; those logged in per principal, and of roles other than Admin;
  // queries in flight, in all and per principal.
  size_t sessions_ = 0;
  std::map<std::string, size_t> per_address_;
  std::set<tcp::socket*> sockets_;
  std::list<PendingLogin> pending_logins_;
  std::map<std::string, size_t> per_principal_;
  size_t logged_in_others_ = 0;
  size_t queries_ = 0;
  std::map<std::string, size_t> queries_per_principal_;
  // The request budget held, in all and per principal.
  std::mutex budget_mu_;
  size_t reserved_ = 0;
  std::map<std::string, size_t> reserved_per_principal_;
  std::set<asio::steady_timer*> growth_waiters_;
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  bool all_done_ = false;
  std::mutex query_mu_;
  std::unique_ptr<projections::ProjectionStore> store_;
  Metrics metrics_;
  std::atomic<uint64_t> connections_{0};
  // On io_, when on: the metrics endpoint, and the published hash tiles.
  std::unique_ptr<http::Server> metrics_http_, publish_http_;
  // The pages: their handlers run on a pool of their own (a password hash
  // or a district's figures never hold up the network thread).
  asio::thread_pool pages_pool_{2};
  std::unique_ptr<projections::directory::Directory> directory_;
  std::unique_ptr<pages::Pages> pages_;
  std::unique_ptr<http::Server> pages_http_;
 public:
  // Checkpoints offered to the witnesses, when any are set. Started after
  // Listen, stopped by Shutdown.
  std::unique_ptr<Witnessing> witnessing_;

 private:
  // Refusal lines of the current second, and those suppressed.
  std::mutex log_mu_;
  std::chrono::steady_clock::time_point log_second_;
  size_t log_lines_ = 0, log_suppressed_ = 0;
};

// Checks a query's filters before they are parsed: at most
// kMaxFiltersJsonBytes, brackets nested at most kMaxFiltersDepth deep.
// InvalidArgument says which.
constexpr size_t kMaxFiltersJsonBytes = 4096;
constexpr int kMaxFiltersDepth = 4;
Status CheckFiltersJson(std::string_view filters_json);

// Runs one connection to its end (session.cc).
template <typename Stream>
asio::awaitable<void> RunSession(Server::Impl* server, Stream stream, std::string peer);

// The socket under a stream.
inline tcp::socket& Socket(tcp::socket& s) { return s; }
inline tcp::socket& Socket(asio::ssl::stream<tcp::socket>& s) { return s.next_layer(); }

}  // namespace evident::server
