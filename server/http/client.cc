// One request per connection: resolve, connect, (TLS handshake,) write, read,
// close. A timer on the request's strand bounds the whole of it.

#include "server/http/client.h"

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <utility>  // before asio (Boost 1.74 under C++20)

namespace evident::server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kReplyLimit = 1 << 20;

bool IsIpAddress(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

StatusOr<Url> ParseUrl(std::string_view text) {
  Url url;
  const std::string original(text);
  if (text.substr(0, 8) == "https://") {
    text.remove_prefix(8);
  } else if (text.substr(0, 7) == "http://") {
    url.tls = false;
    text.remove_prefix(7);
  } else {
    return Status::InvalidArgument("URL \"" + original + "\" must start with https:// or http://");
  }
  const size_t slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  url.path = slash == std::string_view::npos ? "" : std::string(text.substr(slash));
  while (!url.path.empty() && url.path.back() == '/') url.path.pop_back();
  if (url.path.find_first_of("?# ") != std::string::npos) {
    return Status::InvalidArgument("URL \"" + original +
                                   "\": a path prefix has no query, "
                                   "fragment or space");
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("URL \"" + original + "\": unclosed '[' in the host");
    }
    url.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') {
      return Status::InvalidArgument("URL \"" + original + "\": junk after the IPv6 address");
    }
    if (!authority.empty()) port = authority.substr(1);
  } else {
    const size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty() || url.host.find_first_of("@ ") != std::string::npos) {
    return Status::InvalidArgument("URL \"" + original + "\" has no usable host");
  }
  if (port.empty()) {
    url.port = url.tls ? "443" : "80";
  } else if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
             std::stoul(std::string(port)) == 0 || std::stoul(std::string(port)) > 65535) {
    return Status::InvalidArgument("URL \"" + original + "\": port must be 1 to 65535");
  } else {
    url.port = std::string(port);
  }
  return url;
}

class Client::Impl {
 public:
  ClientOptions options;
  asio::ssl::context tls{asio::ssl::context::tls_client};
};

namespace {

using Callback = Client::Callback;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One request. Keeps itself alive through its handlers; holds the client's
// Impl so that the TLS context outlives it.
template <typename Stream>
class FetchOp : public std::enable_shared_from_this<FetchOp<Stream>> {
 public:
  FetchOp(asio::strand<asio::io_context::executor_type> strand, std::shared_ptr<Client::Impl> impl,
          Url url, Callback done)
      : impl_(std::move(impl)),
        url_(std::move(url)),
        done_(std::move(done)),
        resolver_(strand),
        timer_(strand),
        stream_(MakeStream(strand)) {}

  void Start(bhttp::request<bhttp::string_body> request) {
    request_ = std::move(request);
    timer_.expires_after(impl_->options.timeout);
    timer_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
      if (ec) return;
      self->timed_out_ = true;
      self->resolver_.cancel();
      beast::get_lowest_layer(self->stream_).cancel();
    });
    resolver_.async_resolve(url_.host, url_.port,
                            [self = this->shared_from_this()](boost::system::error_code ec,
                                                              tcp::resolver::results_type r) {
                              if (ec) return self->Fail("cannot resolve " + self->url_.host, ec);
                              self->Connect(r);
                            });
  }

 private:
  Stream MakeStream(asio::strand<asio::io_context::executor_type> strand) {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      return Stream(beast::tcp_stream(strand), impl_->tls);
    } else {
      return Stream(strand);
    }
  }

  void Connect(const tcp::resolver::results_type& results) {
    beast::get_lowest_layer(stream_).async_connect(
        results,
        [self = this->shared_from_this()](boost::system::error_code ec, const tcp::endpoint&) {
          if (ec) return self->Fail("cannot connect to " + self->Where(), ec);
          self->Handshake();
        });
  }

  void Handshake() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      if (!IsIpAddress(url_.host))
        SSL_set_tlsext_host_name(stream_.native_handle(), url_.host.c_str());
      stream_.set_verify_mode(asio::ssl::verify_peer);
      stream_.set_verify_callback(asio::ssl::host_name_verification(url_.host));
      stream_.async_handshake(asio::ssl::stream_base::client,
                              [self = this->shared_from_this()](boost::system::error_code ec) {
                                if (ec)
                                  return self->Fail("TLS with " + self->Where() + " failed", ec);
                                self->Write();
                              });
    } else {
      Write();
    }
  }

  void Write() {
    bhttp::async_write(stream_, request_,
                       [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                         if (ec) return self->Fail("cannot send to " + self->Where(), ec);
                         self->Read();
                       });
  }

  void Read() {
    parser_.body_limit(kReplyLimit);
    bhttp::async_read(stream_, buffer_, parser_,
                      [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                        if (ec) return self->Fail("no reply from " + self->Where(), ec);
                        ClientReply reply;
                        reply.status = static_cast<int>(self->parser_.get().result_int());
                        reply.content_type =
                            std::string(self->parser_.get()[bhttp::field::content_type]);
                        reply.body = self->parser_.get().body();
                        self->Finish(std::move(reply));
                        self->Close();
                      });
  }

  void Close() {
    boost::system::error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
  }

  std::string Where() const { return url_.host + ":" + url_.port; }

  void Fail(const std::string& what, boost::system::error_code ec) {
    Finish(Status::IOError(what + ": " + (timed_out_ ? "timed out" : ec.message())));
  }

  void Finish(StatusOr<ClientReply> result) {
    timer_.cancel();
    if (!done_) return;
    Callback done = std::move(done_);
    done_ = nullptr;
    done(std::move(result));
  }

  std::shared_ptr<Client::Impl> impl_;
  Url url_;
  Callback done_;
  tcp::resolver resolver_;
  asio::steady_timer timer_;
  Stream stream_;
  bool timed_out_ = false;
  bhttp::request<bhttp::string_body> request_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
};

}  // namespace

StatusOr<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  auto impl = std::make_shared<Impl>();
  impl->options = std::move(options);
  SSL_CTX_set_min_proto_version(impl->tls.native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (impl->options.ca_file.empty()) {
    impl->tls.set_default_verify_paths(ec);
  } else {
    impl->tls.load_verify_file(impl->options.ca_file, ec);
  }
  if (ec) {
    return Status::InvalidArgument("cannot load the trusted certificates" +
                                   (impl->options.ca_file.empty()
                                        ? std::string(" of the system")
                                        : " from " + impl->options.ca_file) +
                                   ": " + ec.message());
  }
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::~Client() = default;

void Client::Fetch(asio::io_context& io, const Url& url, const std::string& method,
                   const std::string& path, std::string body, const std::string& content_type,
                   Callback done) {
  bhttp::request<bhttp::string_body> request;
  request.version(11);
  request.method_string(method);
  request.target(url.path + path);
  const bool default_port = url.port == (url.tls ? "443" : "80");
  const std::string host =
      url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  request.set(bhttp::field::host, default_port ? host : host + ":" + url.port);
  request.set(bhttp::field::user_agent, "evident");
  if (!body.empty()) request.set(bhttp::field::content_type, content_type);
  request.body() = std::move(body);
  request.keep_alive(false);
  request.prepare_payload();
  auto strand = asio::make_strand(io);
  if (url.tls) {
    std::make_shared<FetchOp<TlsStream>>(strand, impl_, url, std::move(done))
        ->Start(std::move(request));
  } else {
    std::make_shared<FetchOp<beast::tcp_stream>>(strand, impl_, url, std::move(done))
        ->Start(std::move(request));
  }
}

StatusOr<ClientReply> Client::FetchBlocking(const Url& url, const std::string& method,
                                            const std::string& path, std::string body,
                                            const std::string& content_type) {
  asio::io_context io;
  StatusOr<ClientReply> result = Status::IOError("the request did not finish");
  Fetch(io, url, method, path, std::move(body), content_type,
        [&result](StatusOr<ClientReply> reply) { result = std::move(reply); });
  io.run();
  return result;
}

}  // namespace evident::server::http
