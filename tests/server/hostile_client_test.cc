// Clients that try to wear the server down: connections that never log in,
// a subscriber that stops reading, and clients that flood it with large
// appends. Each time the server sheds or refuses them, says why, and goes on
// serving a well-behaved client.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "ledger/coding.h"
#include "server/frame.h"
#include "tests/server/server_fixture.h"

namespace evident::testing {
namespace {

namespace wire = evident::wire;

class HostileClientTest : public ServerFixture {
 protected:
  // A plain TCP connection to the server that will say nothing more than
  // `first_bytes`; -1 if it cannot connect.
  int RawConnect(const std::string& first_bytes) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server_->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      close(fd);
      return -1;
    }
    if (!first_bytes.empty()) (void)!write(fd, first_bytes.data(), first_bytes.size());
    return fd;
  }

  // Whether the server has closed `fd` (a read sees the end, or a reset).
  static bool ClosedByServer(int fd) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) return false;
    char c;
    return read(fd, &c, 1) <= 0;
  }

  // Waits up to `seconds` for the server's log to say `what`.
  bool LogSays(const std::string& what, int seconds = 10) {
    for (int i = 0; i < seconds * 100; ++i) {
      if (Log().find(what) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
};

// Forty connections stall before logging in, half of them silent and half
// dribbling the first byte of a TLS handshake (slowloris), with a handshake
// timeout far longer than the test. The server keeps 8 logging in at once
// and 32 in all: it closes the oldest stalled ones to make room, so a client
// that logs in promptly gets in and appends.
TEST_F(HostileClientTest, ConnectionsThatNeverLogInAreShedAndOthersAreServed) {
  server::ServerOptions options = DefaultOptions();
  options.max_pending_logins = 8;
  options.max_connections = 32;
  options.handshake_timeout = std::chrono::milliseconds(120000);
  Restart(options);
  std::vector<int> stalled;
  for (int i = 0; i < 40; ++i) {
    const int fd = RawConnect(i % 2 == 0 ? "" : std::string(1, '\x16'));
    ASSERT_GE(fd, 0);
    stalled.push_back(fd);
  }
  auto client = Connect(*integration_);
  ASSERT_NE(client, nullptr) << Log();
  auto appended = client->Append({Attendance(*integration_, 700001)});
  EXPECT_TRUE(appended.ok()) << appended.status().ToString();

  // At most 8 of the stalled connections are still open (fewer once the
  // client's own login took a place), each closed one by the server.
  size_t closed = 0;
  for (int i = 0; i < 500 && closed < stalled.size() - 8; ++i) {
    closed = 0;
    for (int fd : stalled) closed += ClosedByServer(fd) ? 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(closed, stalled.size() - 8);
  EXPECT_NE(Log().find("still logging in, the oldest, to make room"), std::string::npos) << Log();
  for (int fd : stalled) close(fd);
  ExpectServing();
}

// Before login no frame may be larger than a login needs: a client without
// a key cannot make the server hold its bytes.
TEST_F(HostileClientTest, ALargeFrameBeforeLoginIsRefused) {
  auto c = Must(Client::Open(Options()));
  ASSERT_TRUE(c->SendRaw(std::string("\x00\x10\x00\x00", 4)).ok());  // 1 MiB announced
  const std::string body = Must(c->ReceiveRaw());
  auto reply = Must(server::ParseFrame(body));
  ASSERT_EQ(reply->message_type(), wire::Message::Error);
  EXPECT_EQ(reply->message_as_Error()->code(), wire::ErrorCode::BadRequest);
  EXPECT_NE(reply->message_as_Error()->message()->str().find("before login"), std::string::npos)
      << reply->message_as_Error()->message()->str();
  EXPECT_FALSE(c->ReceiveRaw().ok()) << "the connection ends";
  ExpectServing();
}

// A subscriber grants a large credit and then never reads. Once the
// socket's buffers are full the server's write cannot finish; at the write
// timeout the server closes the connection rather than wait on it for ever,
// and appends go on all the while.
TEST_F(HostileClientTest, ASubscriberThatStopsReadingIsClosedAtTheWriteTimeout) {
  server::ServerOptions options = DefaultOptions();
  options.write_timeout = std::chrono::milliseconds(300);
  Restart(options);
  AppendLargeEntries(800000);
  auto reader = Must(Client::Connect(Options(), *auditor_));
  flatbuffers::FlatBufferBuilder fbb;
  auto subscribe = wire::CreateSubscribeRequest(fbb, uint64_t{0}, 1000000u);
  ASSERT_TRUE(reader->SendRaw(server::FrameOf(fbb, 5, wire::Message::SubscribeRequest,
                                              subscribe.Union()))
                  .ok());
  EXPECT_TRUE(LogSays("closed after the write timeout")) << Log();
  auto writer = Connect(*integration_);
  ASSERT_NE(writer, nullptr);
  EXPECT_TRUE(writer->Append({Attendance(*integration_, 800999)}).ok());
}

// Six clients each send twenty appends of 256 events (about 85 KB a frame)
// at once, without waiting for the answers, against a request budget of
// 128 KiB: one such request fits, a second held at the same time does not.
// Requests past the budget are read past unkept and refused as Unavailable,
// with the reason; every request gets its answer, and a client making small
// appends is served throughout.
TEST_F(HostileClientTest, AppendFloodsPastTheBudgetAreRefusedAndSmallRequestsGoOn) {
  server::ServerOptions options = DefaultOptions();
  options.request_budget_bytes = 128 << 10;
  Restart(options);
  constexpr int kFlooders = 6, kFrames = 20;
  std::vector<std::string> frames;  // signed up front: the codec is not shared between threads
  for (int f = 0; f < kFlooders; ++f) {
    std::vector<SignedEvent> events;
    for (uint64_t i = 0; i < server::kMaxBatchEvents; ++i) {
      events.push_back(Attendance(*integration_, 900000 + f * 1000 + i));
    }
    frames.push_back(server::AppendRequestFrame(1, events));
    ASSERT_GT(frames.back().size(), server::kSmallRequestBytes);
  }
  std::vector<SignedEvent> small;
  for (uint64_t i = 0; i < 20; ++i) small.push_back(Attendance(*other_integration_, 950000 + i));

  std::atomic<int> answered{0}, busy{0}, connected{0}, failed{0};
  std::vector<std::thread> flooders;
  for (int f = 0; f < kFlooders; ++f) {
    flooders.emplace_back([&, f] {
      auto c = Client::Connect(Options(), *integration_);
      ++connected;
      while (connected < kFlooders) std::this_thread::yield();  // all send at once
      if (!c.ok()) {
        ++failed;
        return;
      }
      std::string all;
      for (int i = 0; i < kFrames; ++i) all += frames[f];
      if (!c.value()->SendRaw(all).ok()) {
        ++failed;
        return;
      }
      for (int i = 0; i < kFrames; ++i) {
        auto body = c.value()->ReceiveRaw();
        if (!body.ok()) {
          ++failed;
          return;
        }
        auto frame = server::ParseFrame(body.value());
        if (!frame.ok()) return;
        if (frame.value()->message_type() == wire::Message::AppendResponse) ++answered;
        if (const auto* error = frame.value()->message_as_Error()) {
          if (error->code() == wire::ErrorCode::Unavailable &&
              error->message()->str().find("the server is busy") != std::string::npos) {
            ++busy;
          }
        }
      }
    });
  }
  auto polite = Connect(*other_integration_);
  ASSERT_NE(polite, nullptr);
  for (const SignedEvent& e : small) {
    auto reply = polite->Append({e});
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
  }
  for (auto& t : flooders) t.join();
  EXPECT_GT(busy.load(), 0) << "no request went past the budget; the test tested nothing ("
                            << answered << " answered, " << failed << " flooders failed)\n"
                            << Log();
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(answered + busy, kFlooders * kFrames) << "every request is answered";
  EXPECT_NE(Log().find("does not fit; it was not kept"), std::string::npos);
  ExpectServing();
}

}  // namespace
}  // namespace evident::testing
