#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

// Requests and replies as plain data, and the router that picks a handler
// for a request by method and path. No I/O: the server (server/http/server.h)
// reads and writes, the router decides.
//
//   path  = the request target up to its first '?'
//   route = method and exact path, or method and path prefix ("/tile/")
//
// A path no route serves is 404; a path some route serves under another
// method is 405 with an Allow header. Exact routes win over prefix routes,
// and a longer prefix over a shorter one.
namespace evident::server::http {

struct Request {
  std::string method;  // "GET", "POST", as sent
  std::string target;  // "/add-checkpoint?x=1", as sent
  std::string body;
  // Every header field as sent, names in lower case; a field sent more than
  // once holds its values joined by ", " (RFC 9110 5.3), except Cookie,
  // joined by "; ".
  std::map<std::string, std::string> headers;
  std::string peer;  // the client's address, e.g. "127.0.0.1"

  // The target up to its first '?'.
  std::string Path() const { return target.substr(0, target.find('?')); }
  // The target after its first '?' ("" when it has none).
  std::string Query() const {
    const size_t q = target.find('?');
    return q == std::string::npos ? std::string() : target.substr(q + 1);
  }
  // A header's value, or "" (`name` in lower case).
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type and -Length
};

// A plain-text reply: `status` with `message` and a newline as its body.
Response TextResponse(int status, const std::string& message);

// The reason phrase of an HTTP status code ("Not Found"); "Unknown" for one
// this library does not use.
const char* ReasonPhrase(int status);

// Handlers run on the server's threads, possibly several at once, and must
// be safe to call so. They may block briefly (a synced write) but hold up
// their connection's thread while they do.
using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  // Serves `method` at exactly `path`. A later route for the same method
  // and path replaces the earlier.
  void Exact(const std::string& method, const std::string& path, Handler handler);
  // Serves `method` at every path that starts with `prefix`.
  void Prefix(const std::string& method, const std::string& prefix, Handler handler);

  // The reply of the handler the request's method and path select, or 404
  // or 405 (with Allow) when none does.
  Response Route(const Request& request) const;

 private:
  struct PrefixRoute {
    std::string method;
    std::string prefix;
    Handler handler;
  };
  std::map<std::pair<std::string, std::string>, Handler> exact_;  // (path, method)
  std::vector<PrefixRoute> prefixes_;                             // longest prefix first
};

}  // namespace evident::server::http
