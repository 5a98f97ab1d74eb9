#include "server/http/router.h"

#include <algorithm>
#include <set>

namespace evident::server::http {

Response TextResponse(int status, const std::string& message) {
  Response response;
  response.status = status;
  response.body = message + "\n";
  return response;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

void Router::Exact(const std::string& method, const std::string& path, Handler handler) {
  exact_[{path, method}] = std::move(handler);
}

void Router::Prefix(const std::string& method, const std::string& prefix, Handler handler) {
  prefixes_.push_back({method, prefix, std::move(handler)});
  // Stable, so that of two equal prefixes the first added is tried first.
  std::stable_sort(
      prefixes_.begin(), prefixes_.end(),
      [](const PrefixRoute& a, const PrefixRoute& b) { return a.prefix.size() > b.prefix.size(); });
}

Response Router::Route(const Request& request) const {
  const std::string path = request.Path();
  std::set<std::string> allowed;
  for (auto it = exact_.lower_bound({path, ""}); it != exact_.end() && it->first.first == path;
       ++it) {
    if (it->first.second == request.method) return it->second(request);
    allowed.insert(it->first.second);
  }
  if (allowed.empty()) {
    for (const PrefixRoute& route : prefixes_) {
      if (path.compare(0, route.prefix.size(), route.prefix) != 0) continue;
      if (route.method == request.method) return route.handler(request);
      allowed.insert(route.method);
    }
  }
  if (allowed.empty()) return TextResponse(404, "not found: " + path);
  std::string allow;
  for (const std::string& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
  Response response =
      TextResponse(405, request.method + " is not allowed on " + path + "; use " + allow);
  response.headers.push_back({"Allow", allow});
  return response;
}

}  // namespace evident::server::http
