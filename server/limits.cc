// The server's limits: places for connections (per address, per principal,
// those kept for admins), connections still logging in, queries in flight,
// the request budget, and the size of a query's filters. What each protects
// and its default: docs/operations.md, "Limits". Not part of the API.

#include <algorithm>
#include <utility>  // before asio: Boost 1.74's awaitable.hpp needs std::exchange

#include "server/server_impl.h"

namespace evident::server {

bool Server::Impl::MakeRoom(const std::string& address, const std::string& peer) {
  const auto held = per_address_.find(address);
  if (held != per_address_.end() && held->second >= options_.max_connections_per_address &&
      !ShedOldestLogin(address, "the limit of " +
                                    std::to_string(options_.max_connections_per_address) +
                                    " connections from one address")) {
    LogRefusal("refused " + peer + ": " + std::to_string(held->second) +
               " connections from its address already (the limit)");
    return false;
  }
  if (sessions_ >= options_.max_connections &&
      (pending_logins_.empty() ||
       !ShedOldestLogin(BusiestPendingAddress(),
                        "the connection limit of " + std::to_string(options_.max_connections)))) {
    LogRefusal("refused " + peer + ": " + std::to_string(sessions_) +
               " connections already (the limit)");
    return false;
  }
  return true;
}

void Server::Impl::LoginStarted(tcp::socket* socket, const std::string& address) {
  if (PendingFrom(address) >= options_.max_pending_logins_per_address) {
    ShedOldestLogin(address, "the limit of " +
                                 std::to_string(options_.max_pending_logins_per_address) +
                                 " connections logging in at once from one address");
  } else if (!pending_logins_.empty() && pending_logins_.size() >= options_.max_pending_logins) {
    ShedOldestLogin(BusiestPendingAddress(), "the limit of " +
                                                 std::to_string(options_.max_pending_logins) +
                                                 " connections logging in at once");
  }
  pending_logins_.push_back({socket, address});
}

void Server::Impl::LoginEnded(tcp::socket* socket) {
  pending_logins_.remove_if([socket](const PendingLogin& p) { return p.socket == socket; });
}

size_t Server::Impl::PendingFrom(const std::string& address) const {
  return std::count_if(pending_logins_.begin(), pending_logins_.end(),
                       [&](const PendingLogin& p) { return p.address == address; });
}

std::string Server::Impl::BusiestPendingAddress() const {
  std::map<std::string, size_t> counts;
  for (const PendingLogin& p : pending_logins_) ++counts[p.address];
  std::string busiest;
  size_t most = 0;
  for (const PendingLogin& p : pending_logins_) {  // oldest first: ties go to the oldest
    if (counts[p.address] > most) {
      most = counts[p.address];
      busiest = p.address;
    }
  }
  return busiest;
}

// Its session then ends as for any closed connection.
bool Server::Impl::ShedOldestLogin(const std::string& address, const std::string& why) {
  const auto oldest = std::find_if(pending_logins_.begin(), pending_logins_.end(),
                                   [&](const PendingLogin& p) { return p.address == address; });
  if (oldest == pending_logins_.end()) return false;
  tcp::socket* socket = oldest->socket;
  pending_logins_.erase(oldest);
  boost::system::error_code ec;
  const auto remote = socket->remote_endpoint(ec);
  LogRefusal("closed " +
             (ec ? std::string("a connection")
                 : remote.address().to_string() + ":" + std::to_string(remote.port())) +
             " still logging in, the oldest, to make room within " + why);
  socket->close(ec);
  return true;
}

std::string Server::Impl::AdmitLogin(const std::string& principal, schema::Role role) {
  const size_t others_limit =
      options_.max_connections -
      std::min(options_.admin_reserved_connections, options_.max_connections - 1);
  size_t& held = per_principal_[principal];
  if (held >= options_.max_connections_per_principal) {
    return principal + " holds " + std::to_string(held) +
           " connections already, the limit for one key's principal; close one first";
  }
  if (role != schema::Role::Admin && logged_in_others_ >= others_limit) {
    return "every connection place but those kept for admin keys is taken (" +
           std::to_string(logged_in_others_) + " of " + std::to_string(others_limit) +
           "); try again shortly";
  }
  ++held;
  if (role != schema::Role::Admin) ++logged_in_others_;
  return "";
}

void Server::Impl::LoggedOut(const std::string& principal, schema::Role role) {
  const auto held = per_principal_.find(principal);
  if (held != per_principal_.end() && --held->second == 0) per_principal_.erase(held);
  if (role != schema::Role::Admin) --logged_in_others_;
}

std::string Server::Impl::AdmitQuery(const std::string& principal) {
  size_t& mine = queries_per_principal_[principal];
  std::string refusal;
  if (queries_ >= options_.max_queries) {
    refusal = "the server is answering " + std::to_string(queries_) + " queries already, its limit";
  } else if (mine >= options_.max_queries_per_principal) {
    refusal = principal + " has " + std::to_string(mine) +
              " queries in flight already, the limit for one principal";
  }
  if (!refusal.empty()) {
    if (mine == 0) queries_per_principal_.erase(principal);
    return refusal + "; send it again shortly";
  }
  ++mine;
  ++queries_;
  return "";
}

void Server::Impl::QueryDone(const std::string& principal) {
  --queries_;
  const auto mine = queries_per_principal_.find(principal);
  if (mine != queries_per_principal_.end() && --mine->second == 0) {
    queries_per_principal_.erase(mine);
  }
}

std::string Server::Impl::Reserve(size_t bytes, const std::string& principal) {
  std::lock_guard<std::mutex> lock(budget_mu_);
  size_t& mine = reserved_per_principal_[principal];
  std::string refusal;
  if (reserved_ + bytes > options_.request_budget_bytes) {
    refusal = "it holds " + std::to_string(reserved_ >> 20) + " MiB of other requests";
  } else if (mine + bytes > options_.request_budget_per_principal_bytes) {
    refusal = "it holds " + std::to_string(mine >> 10) + " KiB of " + principal +
              "'s requests, and one principal may hold " +
              std::to_string(options_.request_budget_per_principal_bytes >> 10) + " KiB";
  }
  if (!refusal.empty()) {
    if (mine == 0) reserved_per_principal_.erase(principal);
    return refusal;
  }
  mine += bytes;
  reserved_ += bytes;
  return "";
}

void Server::Impl::Release(size_t bytes, const std::string& principal) {
  std::lock_guard<std::mutex> lock(budget_mu_);
  reserved_ -= bytes;
  const auto mine = reserved_per_principal_.find(principal);
  if (mine != reserved_per_principal_.end() && (mine->second -= bytes) == 0) {
    reserved_per_principal_.erase(mine);
  }
}

Status CheckFiltersJson(std::string_view filters_json) {
  if (filters_json.size() > kMaxFiltersJsonBytes) {
    return Status::InvalidArgument("filters_json of " + std::to_string(filters_json.size()) +
                                   " bytes; at most " + std::to_string(kMaxFiltersJsonBytes) +
                                   " bytes are read");
  }
  int depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : filters_json) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxFiltersDepth) {
        return Status::InvalidArgument("filters_json nests brackets deeper than " +
                                       std::to_string(kMaxFiltersDepth) +
                                       "; it must be a JSON object of strings");
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return Status::OK();
}

}  // namespace evident::server
