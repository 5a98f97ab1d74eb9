// The HTTP server library (server/http): routing, the answers it gives by
// itself, keep-alive, TLS with the client library, and its limits.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <mutex>
#include <vector>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <thread>
#include <utility>  // before asio (Boost 1.74 under C++20)

#include "ledger/file_util.h"
#include "server/http/client.h"
#include "server/http/server.h"
#include "server/tls.h"
#include "tests/testutil/test_util.h"

namespace evident::testing {
namespace {

using server::http::Request;
using server::http::Response;
using server::http::Router;

Router TestRouter() {
  Router router;
  router.Exact("GET", "/hello",
               [](const Request&) { return server::http::TextResponse(200, "hello"); });
  router.Exact("POST", "/echo", [](const Request& r) {
    return server::http::TextResponse(200, r.method + " " + r.target + " " + r.body);
  });
  router.Prefix("GET", "/tile/", [](const Request& r) {
    return server::http::TextResponse(200, "tile " + r.Path().substr(6));
  });
  router.Prefix("GET", "/tile/entries/", [](const Request& r) {
    return server::http::TextResponse(200, "entries " + r.Path().substr(14));
  });
  return router;
}

Request Req(std::string method, std::string target, std::string body) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  return r;
}

std::string Answer(const Response& r) { return std::to_string(r.status) + " " + r.body; }

TEST(RouterTest, RoutesByMethodAndExactPathOrLongestPrefix) {
  const Router router = TestRouter();
  EXPECT_EQ(Answer(router.Route(Req("GET", "/hello?x=1", ""))), "200 hello\n");
  EXPECT_EQ(Answer(router.Route(Req("POST", "/echo", "body"))), "200 POST /echo body\n");
  EXPECT_EQ(Answer(router.Route(Req("GET", "/tile/0/x001/234", ""))), "200 tile 0/x001/234\n");
  EXPECT_EQ(Answer(router.Route(Req("GET", "/tile/entries/000", ""))), "200 entries 000\n");
}

TEST(RouterTest, AnUnknownPathIsNotFound) {
  EXPECT_EQ(Answer(TestRouter().Route(Req("GET", "/hello/more", ""))), "404 not found: /hello/more\n");
  EXPECT_EQ(Answer(TestRouter().Route(Req("GET", "/til", ""))), "404 not found: /til\n");
}

TEST(RouterTest, AnotherMethodIsNotAllowedAndSaysWhichIs) {
  const Response r = TestRouter().Route(Req("GET", "/echo", ""));
  EXPECT_EQ(Answer(r), "405 GET is not allowed on /echo; use POST\n");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>("Allow", "POST")));
  EXPECT_EQ(TestRouter().Route(Req("DELETE", "/tile/1", "")).status, 405);
}

// A server on 127.0.0.1:0 on an io_context of its own thread.
class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(bool plaintext, size_t body_limit = 64 << 10, size_t max_connections = 256,
                   size_t max_per_address = 32) {
    server::http::ServerOptions options;
    options.plaintext = plaintext;
    options.body_limit = body_limit;
    options.max_connections = max_connections;
    options.max_connections_per_address = max_per_address;
    options.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_.push_back(line);
    };
    if (!plaintext) {
      auto pair = Must(server::MakeSelfSignedCertificate("localhost"));
      options.cert_pem = pair.cert_pem;
      options.key_pem = pair.key_pem;
      ca_file_ = dir_.path() + "/ca.pem";
      ASSERT_OK(WriteFile(ca_file_, pair.cert_pem));
    }
    server_ = Must(server::http::Server::Start(io_, TestRouter(), options));
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  std::string Url(bool tls) const {
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(server_->port());
  }

  // `request` sent as it is over plain TCP; everything read until close.
  std::string RawExchange(const std::string& request) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
    size_t sent = 0;
    while (sent < request.size()) {
      const ssize_t n = write(fd, request.data() + sent, request.size() - sent);
      if (n <= 0) break;
      sent += size_t(n);
    }
    std::string response;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) response.append(buf, size_t(n));
    close(fd);
    return response;
  }

  std::mutex log_mu_;
  std::vector<std::string> log_;
  TempDir dir_;
  std::string ca_file_;
  boost::asio::io_context io_;
  std::unique_ptr<server::http::Server> server_;
  std::thread thread_;
};

std::string Fetch(const std::string& url, const std::string& ca_file, const std::string& method,
                  const std::string& path, const std::string& body = "") {
  auto client = Must(server::http::Client::Create({ca_file}));
  auto reply =
      client->FetchBlocking(Must(server::http::ParseUrl(url)), method, path, body, "text/plain");
  if (!reply.ok()) return reply.status().message();
  return std::to_string(reply->status) + " " + reply->body;
}

TEST_F(HttpServerTest, AnswersOverTlsWithAVerifiedCertificate) {
  StartServer(false);
  EXPECT_EQ(Fetch(Url(true), ca_file_, "GET", "/hello"), "200 hello\n");
  EXPECT_EQ(Fetch(Url(true) + "/", ca_file_, "POST", "/echo", "abc"), "200 POST /echo abc\n");
  EXPECT_EQ(Fetch(Url(true), ca_file_, "GET", "/nothing"), "404 not found: /nothing\n");
  EXPECT_EQ(Fetch(Url(true), ca_file_, "GET", "/echo"),
            "405 GET is not allowed on /echo; use POST\n");
}

TEST_F(HttpServerTest, AClientRefusesACertificateItDoesNotTrust) {
  StartServer(false);
  const std::string other = dir_.path() + "/other.pem";
  ASSERT_OK(WriteFile(other, Must(server::MakeSelfSignedCertificate("localhost")).cert_pem));
  const std::string answer = Fetch(Url(true), other, "GET", "/hello");
  EXPECT_EQ(answer.rfind("TLS with 127.0.0.1:", 0), 0u) << answer;
}

TEST_F(HttpServerTest, ABodyOverTheLimitIsTooLarge) {
  StartServer(true, 100);
  EXPECT_EQ(Fetch(Url(false), "", "POST", "/echo", std::string(100, 'x')),
            "200 POST /echo " + std::string(100, 'x') + "\n");
  EXPECT_EQ(Fetch(Url(false), "", "POST", "/echo", std::string(101, 'x')),
            "413 the body is over 100 bytes\n");
}

TEST_F(HttpServerTest, ARequestThatDoesNotParseIsBadRequest) {
  StartServer(true);
  const std::string answer = RawExchange("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << answer;
}

TEST_F(HttpServerTest, KeepsAConnectionAliveForSeveralRequests) {
  StartServer(true);
  const std::string answer = RawExchange(
      "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
      "GET /tile/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(answer.find("\r\n\r\nhello\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\r\n\r\nPOST /echo hi\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\r\n\r\ntile 7\n"), std::string::npos) << answer;
}

int ConnectTo(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Connections past the limit (in all, or from one address: every test
// client is 127.0.0.1) are closed at once; a place freed is taken again,
// and those already open are served.
class HttpLimitTest : public HttpServerTest, public ::testing::WithParamInterface<bool> {};

TEST_P(HttpLimitTest, ConnectionsPastTheLimitAreClosedAndThoseOpenAreServed) {
  const bool per_address = GetParam();
  if (per_address) {
    StartServer(true, 64 << 10, 256, 2);
  } else {
    StartServer(true, 64 << 10, 2, 32);
  }
  const int first = ConnectTo(server_->port()), second = ConnectTo(server_->port());
  ASSERT_GE(first, 0);
  ASSERT_GE(second, 0);
  // Each is served once (so the listener has counted both) before the
  // third comes; they stay open (keep-alive).
  const std::string hello = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
  char buf[4096];
  auto served = [&](int fd) {
    if (write(fd, hello.data(), hello.size()) != ssize_t(hello.size())) return std::string();
    const ssize_t n = read(fd, buf, sizeof buf);
    return n > 0 ? std::string(buf, size_t(n)) : std::string();
  };
  EXPECT_EQ(served(first).rfind("HTTP/1.1 200 OK", 0), 0u);
  EXPECT_EQ(served(second).rfind("HTTP/1.1 200 OK", 0), 0u);
  EXPECT_EQ(RawExchange(hello), "");  // the third: closed at once
  EXPECT_EQ(served(second).rfind("HTTP/1.1 200 OK", 0), 0u);
  close(first);
  close(second);
  // Both places come back once the server has seen the two close.
  std::string answer;
  for (int i = 0; i < 500 && answer.empty(); ++i) {
    answer = RawExchange("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    if (answer.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK", 0), 0u) << answer;
  // The refusal is logged after the refused socket is closed: wait for it.
  for (int i = 0; i < 1000; ++i) {
    {
      std::lock_guard<std::mutex> lock(log_mu_);
      if (!log_.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::lock_guard<std::mutex> lock(log_mu_);
  ASSERT_FALSE(log_.empty());
  EXPECT_NE(log_.front().find(per_address ? "open from 127.0.0.1 (the limit for one address)"
                                          : "2 are open (the limit)"),
            std::string::npos)
      << log_.front();
}

INSTANTIATE_TEST_SUITE_P(InAllAndPerAddress, HttpLimitTest, ::testing::Bool());

// A flood of refused connections writes at most 20 lines a second, and says
// how many it left out.
TEST_F(HttpServerTest, RefusalLinesAreLimitedToTwentyASecond) {
  StartServer(true, 64 << 10, 1, 1);
  const int held = ConnectTo(server_->port());
  const std::string hello = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
  char buf[4096];
  ASSERT_EQ(write(held, hello.data(), hello.size()), ssize_t(hello.size()));
  ASSERT_GT(read(held, buf, sizeof buf), 0);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(RawExchange(hello), "");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(RawExchange(hello), "");  // the next second's first line brings the count
  close(held);
  // The server logs a refusal after it has closed the socket: wait for the
  // line (a condition, not a timing).
  auto summed = [&] {
    std::lock_guard<std::mutex> lock(log_mu_);
    for (const std::string& line : log_) {
      if (line.rfind("suppressed ", 0) == 0) return true;
    }
    return false;
  };
  for (int i = 0; i < 1000 && !summed(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(summed());
  std::lock_guard<std::mutex> lock(log_mu_);
  // 201 refusals: at most 20 lines in each second they spanned, and a count.
  EXPECT_LT(log_.size(), 201u / 2);
}

// RFC 9112 6.3: a transfer coding other than chunked gives a request no
// length; what follows must not be read as another request.
TEST_F(HttpServerTest, ATransferCodingOtherThanChunkedIsBadRequestAndNothingFollows) {
  StartServer(true);
  const std::string answer = RawExchange(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
      "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << answer;
  EXPECT_EQ(answer.find("hello\n"), std::string::npos) << answer;
}

TEST_F(HttpServerTest, PlaintextIsRefusedOffLoopback) {
  server::http::ServerOptions options;
  options.plaintext = true;
  options.host = "0.0.0.0";
  EXPECT_EQ(server::http::Server::Start(io_, TestRouter(), options).status().message(),
            "plaintext HTTP is allowed on a loopback address only, not 0.0.0.0");
}

TEST_F(HttpServerTest, AClientGivesUpOnAServerThatNeverAnswers) {
  namespace asio = boost::asio;
  asio::ip::tcp::acceptor silent(io_, {asio::ip::make_address("127.0.0.1"), 0});
  auto client = Must(server::http::Client::Create({"", std::chrono::milliseconds(300)}));
  const std::string url = "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  auto reply = client->FetchBlocking(Must(server::http::ParseUrl(url)), "GET", "/", "", "");
  EXPECT_EQ(
      reply.status().message(),
      "no reply from 127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + ": timed out");
}

TEST(UrlTest, ParsesWitnessUrls) {
  auto url = Must(server::http::ParseUrl("https://witness.example:8443/w1/"));
  EXPECT_TRUE(url.tls);
  EXPECT_EQ(url.host + " " + url.port + " " + url.path, "witness.example 8443 /w1");
  url = Must(server::http::ParseUrl("http://[::1]:7480"));
  EXPECT_EQ(url.host + " " + url.port + " " + url.path, "::1 7480 ");
  EXPECT_EQ(Must(server::http::ParseUrl("https://w.example")).port, "443");
  for (const char* bad : {"ftp://x", "https://", "https://x:0", "https://x:99999", "https://[::1",
                          "https://x/a?b", "https://u@x"}) {
    EXPECT_FALSE(server::http::ParseUrl(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace evident::testing
