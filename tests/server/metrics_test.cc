// The metrics endpoint, scraped as Prometheus would while clients append.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <sstream>
#include <thread>

#include "tests/server/server_fixture.h"

namespace evident::testing {
namespace {

// `request` sent to 127.0.0.1:port as it is; the whole response.
std::string HttpExchange(uint16_t port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "";
  }
  if (write(fd, request.data(), request.size()) != ssize_t(request.size())) {
    close(fd);
    return "";
  }
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) response.append(buf, size_t(n));
  close(fd);
  return response;
}

// One HTTP GET to 127.0.0.1:port; the whole response, head and body.
std::string HttpGet(uint16_t port, const std::string& path) {
  return HttpExchange(port,
                      "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
}

// The samples of an exposition, by their name and labels.
std::map<std::string, double> Samples(const std::string& response) {
  std::map<std::string, double> samples;
  std::istringstream in(response.substr(response.find("\r\n\r\n") + 4));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.rfind(' ');
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

class MetricsTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    server::ServerOptions options = DefaultOptions();
    options.metrics = true;
    Restart(options);
    ASSERT_NE(server_->metrics_port(), 0);
  }
  std::map<std::string, double> Scrape() {
    return Samples(HttpGet(server_->metrics_port(), "/metrics"));
  }
};

TEST_F(MetricsTest, AnAddressOffLoopbackIsRefusedUnlessTheMetricsAreMadePublic) {
  server::ServerOptions options = DefaultOptions();
  options.metrics = true;
  options.metrics_host = "0.0.0.0";
  const Status refused = server::CheckOptions(options);
  EXPECT_EQ(refused.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(refused.message().find("--metrics-public"), std::string::npos) << refused.ToString();
  server_.reset();
  auto started = server::Server::Start(ledger_.get(), options);
  EXPECT_EQ(started.status().code(), Status::Code::kInvalidArgument);
  options.metrics_public = true;
  EXPECT_OK(server::CheckOptions(options));
  Restart(options);
  EXPECT_NE(HttpGet(server_->metrics_port(), "/healthz").find("200 OK"), std::string::npos);
}

TEST_F(MetricsTest, CountersMoveWhileClientsAppend) {
  const auto before = Scrape();
  ASSERT_EQ(before.at("evident_tree_size"), double(ledger_->size()));
  EXPECT_EQ(before.at("evident_appended_events_total"), 0);

  constexpr int kBatches = 40, kPerBatch = 25;
  std::atomic<bool> done{false};
  std::thread appender([&] {
    auto client = Connect(*integration_);
    for (int b = 0; b < kBatches && client; ++b) {
      std::vector<SignedEvent> batch;
      for (int i = 0; i < kPerBatch; ++i) batch.push_back(Attendance(*integration_, 5000 + b * kPerBatch + i));
      EXPECT_TRUE(client->Append(batch).ok());
    }
    done = true;
  });
  // Scrape during the appends: what the endpoint says never goes back.
  double last = 0;
  int scrapes = 0;
  while (!done) {
    const auto now = Scrape();
    EXPECT_GE(now.at("evident_appended_events_total"), last);
    last = now.at("evident_appended_events_total");
    ++scrapes;
  }
  appender.join();
  EXPECT_GT(scrapes, 0);

  const auto after = Scrape();
  EXPECT_EQ(after.at("evident_appended_events_total"), kBatches * kPerBatch);
  EXPECT_EQ(after.at("evident_append_requests_total"), kBatches);
  EXPECT_EQ(after.at("evident_append_batch_events_count"), kBatches);
  EXPECT_EQ(after.at("evident_append_batch_events_sum"), kBatches * kPerBatch);
  EXPECT_EQ(after.at("evident_append_batch_events_bucket{le=\"32\"}"), kBatches);  // 25 each
  EXPECT_EQ(after.at("evident_append_batch_events_bucket{le=\"16\"}"), 0);
  EXPECT_EQ(after.at("evident_append_seconds_count"), kBatches);
  EXPECT_GT(after.at("evident_append_seconds_sum"), 0);
  EXPECT_EQ(after.at("evident_tree_size"), double(ledger_->size()));
  EXPECT_EQ(after.at("evident_tree_size"), before.at("evident_tree_size") + kBatches * kPerBatch);
  EXPECT_GE(after.at("evident_connections_total"), 1);

  // The same batch again: duplicates, not appends.
  auto client = Connect(*integration_);
  std::vector<SignedEvent> again = {Attendance(*integration_, 5000)};
  ASSERT_TRUE(client->Append(again).ok());
  const auto final_samples = Scrape();
  EXPECT_EQ(final_samples.at("evident_duplicate_events_total"), 1);
  EXPECT_EQ(final_samples.at("evident_signatures_verified_total"), kBatches * kPerBatch + 1);
}

TEST_F(MetricsTest, RefusalsAreCountedByReason) {
  auto board = Connect(*board_);
  ASSERT_NE(board, nullptr);
  EXPECT_FALSE(board->Read(0, 1).ok());  // a board key sees no raw events
  auto client = Connect(*integration_);
  SignedEvent forged = Attendance(*integration_, 9000);
  forged.signature[0] ^= 1;
  EXPECT_FALSE(client->Append({forged}).ok());
  auto samples = Scrape();
  std::string names;
  for (const auto& [name, value] : samples) names += name + " ";
  EXPECT_EQ(samples["evident_refused_requests_total{reason=\"PermissionDenied\"}"], 1) << names;
  // A signature that does not verify is a bad request on the wire.
  EXPECT_EQ(samples["evident_refused_requests_total{reason=\"BadRequest\"}"], 1) << names;
}

TEST_F(MetricsTest, SubscribersAndTheirLagAreShown) {
  auto subscriber = Connect(*auditor_);
  std::atomic<uint64_t> received{0};
  std::thread reader([&] {
    Status s = subscriber->Subscribe(0, 1000, [&](uint64_t sequence, std::string_view) {
      received = sequence + 1;
      return received < ledger_->size();
    });
    (void)s;
  });
  for (int i = 0; i < 200 && received < ledger_->size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto samples = Scrape();
  reader.join();
  EXPECT_EQ(samples.at("evident_subscribers"), 1);
  bool found = false;
  for (const auto& [name, value] : samples) {
    if (name.rfind("evident_subscriber_lag_entries{", 0) == 0) {
      found = true;
      EXPECT_NE(name.find("principal=\"state-auditor\""), std::string::npos) << name;
      EXPECT_EQ(value, 0) << name;  // it has been sent everything
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(MetricsTest, TheHealthCheckAnswersAndUnknownPathsAreNotFound) {
  const std::string health = HttpGet(server_->metrics_port(), "/healthz");
  EXPECT_EQ(health.substr(0, 15), "HTTP/1.1 200 OK") << health;
  EXPECT_NE(health.find("ok: tree size " + std::to_string(ledger_->size())), std::string::npos)
      << health;
  EXPECT_EQ(HttpGet(server_->metrics_port(), "/nothing").substr(0, 12), "HTTP/1.1 404");
  const std::string head = HttpGet(server_->metrics_port(), "/metrics");
  EXPECT_NE(head.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << head;
}

TEST_F(MetricsTest, WhatIsNotAGetOfAKnownPathIsRefusedAndTheServerGoesOn) {
  const uint16_t port = server_->metrics_port();
  EXPECT_EQ(HttpExchange(port, "POST /metrics HTTP/1.1\r\nConnection: close\r\n\r\n").substr(0, 12), "HTTP/1.1 405");
  EXPECT_EQ(HttpExchange(port, "nonsense\r\n\r\n").substr(0, 12), "HTTP/1.1 400");
  // A head that never ends within 8 KiB: a 400, or a reset if the unread rest
  // of the request reaches the closed socket before the client reads.
  const std::string long_head =
      HttpExchange(port, "GET /metrics HTTP/1.1\r\n" + std::string(9000, 'x'));
  EXPECT_TRUE(long_head.empty() || long_head.substr(0, 12) == "HTTP/1.1 400") << long_head;
  EXPECT_EQ(HttpGet(port, "/metrics?x=1").substr(0, 15), "HTTP/1.1 200 OK");
  ExpectServing();
}

}  // namespace
}  // namespace evident::testing
