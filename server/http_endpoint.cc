// One request per connection: read the head (to the blank line), answer the
// GET, close. Anything else is 400, 404 or 405.

#include "server/http_endpoint.h"

#include <utility>  // before asio (Boost 1.74 under C++20)

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <thread>

namespace evident::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class HttpEndpoint::Impl {
 public:
  explicit Impl(std::map<std::string, Handler> handlers) : handlers_(std::move(handlers)) {}

  Status Listen(const std::string& host, uint16_t port) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) return Status::InvalidArgument("metrics address \"" + host + "\": " + ec.message());
    tcp::endpoint endpoint(address, port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::IOError("cannot listen for metrics on " + host + ":" +
                             std::to_string(port) + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
    return Status::OK();
  }

  void Stop() {
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  uint16_t port() const { return port_; }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(io_, Serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> Serve(tcp::socket socket) {
    asio::steady_timer deadline(io_);
    deadline.expires_after(std::chrono::seconds(5));
    deadline.async_wait([&socket](boost::system::error_code ec) {
      if (!ec) socket.close(ec);
    });
    boost::system::error_code ec;
    asio::streambuf head(8 << 10);
    co_await asio::async_read_until(socket, head, "\r\n\r\n",
                                    asio::redirect_error(asio::use_awaitable, ec));
    HttpReply reply;
    if (ec) {
      reply = {400, "text/plain; charset=utf-8", "bad request\n"};
    } else {
      std::string request(asio::buffers_begin(head.data()), asio::buffers_end(head.data()));
      reply = Answer(request.substr(0, request.find("\r\n")));
    }
    const char* reason = reply.status == 200   ? "OK"
                         : reply.status == 404 ? "Not Found"
                         : reply.status == 405 ? "Method Not Allowed"
                         : reply.status == 503 ? "Service Unavailable"
                                               : "Bad Request";
    std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason +
                      "\r\nContent-Type: " + reply.content_type +
                      "\r\nContent-Length: " + std::to_string(reply.body.size()) +
                      "\r\nConnection: close\r\n\r\n" + reply.body;
    co_await asio::async_write(socket, asio::buffer(out),
                               asio::redirect_error(asio::use_awaitable, ec));
    socket.shutdown(tcp::socket::shutdown_both, ec);
    deadline.cancel();
  }

  // "GET /path HTTP/1.1" -> the handler's reply.
  HttpReply Answer(const std::string& line) {
    size_t sp1 = line.find(' '), sp2 = line.find(' ', sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos) {
      return {400, "text/plain; charset=utf-8", "bad request\n"};
    }
    if (line.substr(0, sp1) != "GET") return {405, "text/plain; charset=utf-8", "GET only\n"};
    std::string path = line.substr(sp1 + 1, sp2 - sp1 - 1);
    path = path.substr(0, path.find('?'));
    auto it = handlers_.find(path);
    if (it == handlers_.end()) return {404, "text/plain; charset=utf-8", "not found\n"};
    return it->second();
  }

  std::map<std::string, Handler> handlers_;
  asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  uint16_t port_ = 0;
  std::thread thread_;
};

HttpEndpoint::HttpEndpoint(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpEndpoint::~HttpEndpoint() { impl_->Stop(); }
uint16_t HttpEndpoint::port() const { return impl_->port(); }

StatusOr<std::unique_ptr<HttpEndpoint>> HttpEndpoint::Start(const std::string& host, uint16_t port,
                                                            std::map<std::string, Handler> handlers) {
  auto impl = std::make_unique<Impl>(std::move(handlers));
  EVIDENT_RETURN_IF_ERROR(impl->Listen(host, port));
  return std::unique_ptr<HttpEndpoint>(new HttpEndpoint(std::move(impl)));
}

}  // namespace evident::server
