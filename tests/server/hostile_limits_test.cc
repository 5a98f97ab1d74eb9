// Clients that try to take more than their share (issue 23): subscribers
// that reset their connections mid-stream, floods of logins from one
// address, one key holding every place, queries that stall appends, and
// bytes made to forge log lines. Each time the server ends or refuses what
// is too much, says why, and goes on serving a well-behaved client.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ledger/coding.h"
#include "ledger/event.h"
#include "server/frame.h"
#include "tests/server/server_fixture.h"

namespace evident::testing {
namespace {

namespace wire = evident::wire;

class HostileLimitsTest : public ServerFixture {
 protected:
  // A plain TCP connection to the server from `source` (any 127.0.0.x: each
  // acts as another client address), with a receive buffer of `rcvbuf`
  // bytes if not 0. -1 if it cannot connect.
  int RawConnect(const char* source = "127.0.0.1", int rcvbuf = 0) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source, &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(server_->port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      close(fd);
      return -1;
    }
    return fd;
  }

  static bool SendAll(int fd, const std::string& bytes) {
    for (size_t done = 0; done < bytes.size();) {
      const ssize_t n = send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += size_t(n);
    }
    return true;
  }

  // The next frame's body from `fd`; empty when the connection ends first.
  static std::string ReceiveFrame(int fd) {
    unsigned char prefix[4];
    std::string body;
    if (!ReceiveAll(fd, prefix, 4)) return body;
    body.resize(server::FrameLength(prefix));
    if (!ReceiveAll(fd, body.data(), body.size())) body.clear();
    return body;
  }
  static bool ReceiveAll(int fd, void* out, size_t n) {
    for (size_t done = 0; done < n;) {
      const ssize_t got = recv(fd, static_cast<char*>(out) + done, n - done, 0);
      if (got <= 0) return false;
      done += size_t(got);
    }
    return true;
  }

  // Logs `key` in over a plaintext connection `fd`; the reply's frame body.
  std::string RawLogin(int fd, const PrivateKey& key) {
    const std::string hello = ReceiveFrame(fd);
    auto frame = server::ParseFrame(hello);
    if (!frame.ok() || frame.value()->message_as_Challenge() == nullptr) return "";
    const auto* challenge = frame.value()->message_as_Challenge();
    const std::string nonce(AsView(challenge->nonce()));
    const std::string signature = key.Sign(server::AuthMessage(challenge->origin()->str(), nonce));
    if (!SendAll(fd, AuthenticateFrame(key.public_key().key_id(), signature))) return "";
    return ReceiveFrame(fd);
  }

  static std::string AuthenticateFrame(const std::string& key_id, const std::string& signature) {
    flatbuffers::FlatBufferBuilder fbb;
    auto auth = wire::CreateAuthenticate(
        fbb, fbb.CreateVector(reinterpret_cast<const uint8_t*>(key_id.data()), key_id.size()),
        fbb.CreateVector(reinterpret_cast<const uint8_t*>(signature.data()), signature.size()));
    return server::FrameOf(fbb, 0, wire::Message::Authenticate, auth.Union());
  }

  static std::string SubscribeFrame(uint64_t from, uint32_t credit) {
    flatbuffers::FlatBufferBuilder fbb;
    auto subscribe = wire::CreateSubscribeRequest(fbb, from, credit);
    return server::FrameOf(fbb, 7, wire::Message::SubscribeRequest, subscribe.Union());
  }

  // The message type of a frame body, or NONE when it is not a frame.
  static wire::Message TypeOf(const std::string& body) {
    auto frame = server::ParseFrame(body);
    return frame.ok() ? frame.value()->message_type() : wire::Message::NONE;
  }

  // Closes `fd` with a reset rather than an orderly end.
  static void Reset(int fd) {
    linger hard{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    close(fd);
  }

  // Waits up to `seconds` for the server's log to say `what`.
  bool LogSays(const std::string& what, int seconds = 10) {
    for (int i = 0; i < seconds * 100; ++i) {
      if (Log().find(what) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  ClientOptions PlainOptions() const {
    ClientOptions o = Options();
    o.host = "127.0.0.1";
    o.plaintext = true;
    return o;
  }
};

// Subscribers from 0 with a large credit and a small receive buffer reset
// their connections while the server is writing to them. Each session ends
// only after its credit reader has finished, so nothing reads a freed
// connection: the server survives every round and serves a client after.
TEST_F(HostileLimitsTest, SubscribersThatResetMidStreamDoNotCrashTheServer) {
  AppendLargeEntries(600000);
  for (int round = 0; round < 4; ++round) {
    std::vector<std::unique_ptr<Client>> subscribers;
    for (int i = 0; i < 12; ++i) {
      auto c = Must(Client::Connect(Options(), *auditor_));
      const int small = 4096;
      setsockopt(c->NativeSocket(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
      ASSERT_TRUE(c->SendRaw(SubscribeFrame(0, 1000000)).ok());
      subscribers.push_back(std::move(c));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the writes fill the buffers
    for (auto& c : subscribers) {
      linger hard{1, 0};  // the close is a reset
      setsockopt(c->NativeSocket(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      c.reset();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto client = Connect(*integration_);
  ASSERT_NE(client, nullptr);
  EXPECT_TRUE(client->Append({Attendance(*integration_, 610001)}).ok());
}

// A subscription's batches are bounded in bytes as well as in entries: a
// batch of 1,024 entries of up to 64 KiB each would pass the frame limit and
// be held whole for a slow subscriber. With 300 entries of about 40 KB, the
// subscriber still receives every entry, in order, in batches of at most
// kMaxBatchEntryBytes before their last entry.
TEST_F(HostileLimitsTest, ASubscriptionsBatchesAreBoundedInBytes) {
  AppendLargeEntries(600000);
  const uint64_t size = ledger_->size();
  auto c = Must(Client::Connect(Options(), *auditor_));
  ASSERT_TRUE(c->SendRaw(SubscribeFrame(0, 1000000)).ok());
  uint64_t next = 0;
  int batches = 0;
  while (next < size) {
    const std::string body = Must(c->ReceiveRaw());
    auto frame = Must(server::ParseFrame(body));
    const wire::EntryBatch* batch = frame->message_as_EntryBatch();
    ASSERT_NE(batch, nullptr);
    size_t bytes = 0, last = 0;
    for (const auto* e : *batch->entries()) {
      ASSERT_EQ(e->position(), next);
      ++next;
      last = e->bytes()->size();
      bytes += last;
    }
    EXPECT_LE(bytes - last, server::kMaxBatchEntryBytes);  // the last entry crossed the bound
    ++batches;
  }
  EXPECT_GE(batches, int(size * 40000 / server::kMaxBatchEntryBytes));
}

// Board connections loop queries (as_of re-renders every view) while an
// integration appends. Queries run on an executor of their own with a bound
// on those in flight: every append is answered (within a bound far above
// any append's time, not a speed target), and a query past the bound is
// refused at once with Unavailable.
TEST_F(HostileLimitsTest, QueriesCannotStallAppendsAndAnExcessQueryIsRefused) {
  server::ServerOptions options = DefaultOptions();
  options.max_queries_per_principal = 1;
  Restart(options);
  constexpr int kBoards = 4;
  std::atomic<bool> appending{true};
  std::atomic<int> answered{0}, busy{0}, other{0};
  std::vector<std::thread> boards;
  for (int b = 0; b < kBoards; ++b) {
    boards.emplace_back([&] {
      auto c = Client::Connect(Options(), *board_);
      if (!c.ok()) {
        ++other;
        return;
      }
      for (int i = 0; i < 400 && (appending || (busy == 0 && i < 100)); ++i) {
        auto rows = c.value()->Query("accountability", {}, "2026-06-30");
        if (rows.ok()) {
          ++answered;
        } else if (rows.status().message().find("queries") != std::string::npos) {
          ++busy;
        } else {
          ++other;
        }
      }
    });
  }
  auto writer = Connect(*integration_);
  ASSERT_NE(writer, nullptr);
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto reply = writer->Append({Attendance(*integration_, 620000 + i)});
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5)) << "append " << i;
  }
  appending = false;
  for (auto& t : boards) t.join();
  EXPECT_GT(answered.load(), 0);
  EXPECT_GT(busy.load(), 0) << "no query was refused; the bound was never reached\n" << Log();
  EXPECT_EQ(other.load(), 0) << Log();
  EXPECT_NE(Log().find("send it again shortly"), std::string::npos);
}

// The threads that answer queries yield to every other thread: after a
// board's query, a thread of this process (the server runs in it) runs
// under SCHED_IDLE, and none did before (policy 5 in field 41 of
// /proc/self/task/<tid>/stat).
TEST_F(HostileLimitsTest, QueryThreadsRunUnderSchedIdle) {
  auto idle_threads = [] {
    int idle = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
      std::ifstream in(task.path() / "stat");
      std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const size_t name_end = stat.rfind(')');  // the thread's name may hold spaces
      if (name_end == std::string::npos) continue;
      std::istringstream fields(stat.substr(name_end + 2));
      std::string field;
      for (int i = 3; i <= 41 && fields >> field; ++i) {
        if (i == 41 && field == "5") ++idle;
      }
    }
    return idle;
  };
  EXPECT_EQ(idle_threads(), 0);
  auto board = Connect(*board_);
  ASSERT_NE(board, nullptr);
  ASSERT_OK(board->Query("accountability", {}).status());
  EXPECT_GE(idle_threads(), 1);
}

// The admin revokes a key while it follows the log: its subscription ends
// with Unauthenticated ("revoked") as soon as the log grows with the
// revocation, not at a request it will never send.
TEST_F(HostileLimitsTest, ARevokedKeysSubscriptionEnds) {
  ClientOptions slow = Options();
  slow.timeout = std::chrono::milliseconds(8000);
  auto follower = Must(Client::Connect(slow, *auditor_));
  std::atomic<bool> caught_up{false};
  Status ended;
  std::thread subscriber([&] {
    ended = follower->Subscribe(0, 100, [&](uint64_t position, std::string_view) {
      if (position + 1 >= kGenesisSize + 4) caught_up = true;
      return true;
    });
  });
  for (int i = 0; i < 500 && !caught_up; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(caught_up);
  auto admin = Connect(*admin_);
  ASSERT_NE(admin, nullptr);
  std::string json = EventJson(IdHex(next_id_++), "KeyRevoked", "",
                               "\"key_id\":\"" + HexEncode(auditor_->public_key().key_id()) +
                                   "\",\"reason_code\":\"Compromised\"");
  ASSERT_TRUE(admin->Append({Sign(*admin_, json)}).ok());
  subscriber.join();
  EXPECT_EQ(ended.code(), Status::Code::kPermissionDenied) << ended.ToString();
  EXPECT_NE(ended.message().find("revoked"), std::string::npos) << ended.ToString();
  EXPECT_TRUE(LogSays("subscription ended")) << Log();
}

// Item 3 over the wire: hr appends first under the id lms will use, and under
// one lms has used. lms's own event still goes in, its re-send is its
// duplicate, and hr's answers are the same for lms's id and a fresh one:
// acceptances at hr's own positions, which tell nothing of lms's events.
TEST_F(HostileLimitsTest, AnotherSystemsIdNeitherBlocksAnAppendNorTellsOfIt) {
  auto lms = Connect(*integration_);
  auto hr = Connect(*other_integration_);
  ASSERT_NE(lms, nullptr);
  ASSERT_NE(hr, nullptr);
  const uint64_t used = next_id_++, future = next_id_++, fresh = next_id_++;
  const uint64_t lms_at = Must(lms->Append({Attendance(*integration_, used)})).results[0].sequence;
  auto on_used = Must(hr->Append({Attendance(*other_integration_, used)}));
  auto on_fresh = Must(hr->Append({Attendance(*other_integration_, fresh)}));
  EXPECT_FALSE(on_used.results[0].duplicate);
  EXPECT_FALSE(on_fresh.results[0].duplicate);
  EXPECT_NE(on_used.results[0].sequence, lms_at);
  ASSERT_OK(hr->Append({Attendance(*other_integration_, future)}).status());
  auto own = Must(lms->Append({Attendance(*integration_, future)}));
  EXPECT_FALSE(own.results[0].duplicate);
  auto again = Must(lms->Append({Attendance(*integration_, future)}));
  EXPECT_TRUE(again.results[0].duplicate);
  EXPECT_EQ(again.results[0].sequence, own.results[0].sequence);
}

// 28 MB of admin-signed large events (any key allowed to append large
// events could do it): a read of the whole range once made one reply past the
// frame limit, which every reader refused, so no `import --server` could scan
// the log again. Each reply now stops at kMaxReadBytes and says where.
TEST_F(HostileLimitsTest, ReadsOfLargeEventsStayInsideTheFrameLimit) {
  AppendLargeEntries(900000, 7);
  const uint64_t size = ledger_->size();
  auto auditor = Connect(*auditor_);
  ASSERT_NE(auditor, nullptr);
  uint64_t from = 0, replies = 0, entries = 0;
  while (from < size) {
    uint64_t scanned = 0;
    auto got = auditor->Read(from, size, &scanned);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_GT(scanned, from);
    for (const auto& [position, bytes] : got.value()) EXPECT_EQ(position, entries++);
    from = scanned;
    ++replies;
  }
  EXPECT_EQ(entries, size);
  EXPECT_GT(replies, 3u);  // 28 MB in replies of about 8 MiB
}

// One address opens connection after connection and says nothing, while a
// client from another address takes 0.2 s to answer its challenge. Pending
// logins are bounded per address and the flood only ever displaces its own:
// the slow client logs in.
TEST_F(HostileLimitsTest, AFloodFromOneAddressDoesNotShedAnotherAddresssLogin) {
  server::ServerOptions options = DefaultOptions();
  options.max_pending_logins = 8;
  options.max_pending_logins_per_address = 4;
  options.handshake_timeout = std::chrono::milliseconds(60000);
  Restart(options);
  std::atomic<bool> done{false};
  std::atomic<int> opened{0};
  std::vector<int> flood;
  std::thread flooder([&] {
    for (int i = 0; i < 400 && !done; ++i) {
      const int fd = RawConnect("127.0.0.2");
      if (fd >= 0) {
        flood.push_back(fd);
        ++opened;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  while (opened < 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto slow = Client::Open(Options());
  ASSERT_TRUE(slow.ok()) << slow.status().ToString();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const Status login = slow.value()->Authenticate(*integration_);
  done = true;
  flooder.join();
  EXPECT_TRUE(login.ok()) << login.ToString() << "\n" << Log();
  EXPECT_GT(opened.load(), 8) << "the flood was too small to shed anything";
  EXPECT_NE(Log().find("from one address"), std::string::npos) << Log();
  for (int fd : flood) close(fd);
  ExpectServing();
}

// One address logs in as many connections as it may: the next from that
// address is closed at once, and a client from another address is served.
TEST_F(HostileLimitsTest, OneAddressHoldsAtMostItsConnections) {
  server::ServerOptions options = DefaultOptions();
  options.plaintext = true;
  options.max_connections_per_address = 3;
  Restart(options);
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) {
    const int fd = RawConnect("127.0.0.2");
    ASSERT_GE(fd, 0);
    ASSERT_EQ(TypeOf(RawLogin(fd, *auditor_)), wire::Message::Welcome) << Log();
    held.push_back(fd);
  }
  const int extra = RawConnect("127.0.0.2");
  ASSERT_GE(extra, 0);
  EXPECT_EQ(ReceiveFrame(extra), "") << "the server closes it without a challenge";
  close(extra);
  EXPECT_NE(Log().find("connections from its address already"), std::string::npos) << Log();
  auto other = Client::Connect(PlainOptions(), *integration_);
  EXPECT_TRUE(other.ok()) << other.status().ToString();
  for (int fd : held) close(fd);
}

// One key opens connection after connection and subscribes, idle, and two
// others fill what is left: each key holds at most its share of the
// places, and the places kept for admin keys let the admin log in.
TEST_F(HostileLimitsTest, OneKeyCannotHoldEveryPlaceAndAnAdminAlwaysGetsIn) {
  server::ServerOptions options = DefaultOptions();
  options.max_connections = 12;
  options.max_connections_per_principal = 4;
  options.admin_reserved_connections = 2;
  Restart(options);
  std::vector<std::unique_ptr<Client>> held;
  auto fill = [&](const PrivateKey& key, int tries) {
    int refused = 0;
    for (int i = 0; i < tries; ++i) {
      auto c = Client::Connect(Options(), key);
      if (!c.ok()) {
        EXPECT_NE(c.status().message().find("connection"), std::string::npos)
            << c.status().ToString();
        ++refused;
        continue;
      }
      EXPECT_TRUE(c.value()->SendRaw(SubscribeFrame(ledger_->size(), 100)).ok());
      held.push_back(std::move(c.value()));
    }
    return refused;
  };
  EXPECT_EQ(fill(*integration_, 6), 2) << "a key holds 4 places at most\n" << Log();
  EXPECT_EQ(fill(*other_integration_, 4), 0);
  EXPECT_EQ(fill(*auditor_, 4), 2) << "2 of the 12 places are kept for admins\n" << Log();
  for (int i = 0; i < 2; ++i) {
    auto admin = Client::Connect(Options(), *admin_);
    ASSERT_TRUE(admin.ok()) << admin.status().ToString() << "\n" << Log();
    EXPECT_TRUE(admin.value()->Checkpoint().ok());
    held.push_back(std::move(admin.value()));
  }
}

// Two subscribers (an auditor and an admin) send the length of a large
// frame and stop, and five connections of one key each send the length of
// a large request and stop. A subscription's reader takes small frames
// only and holds none of the budget, and one key holds at most its share
// (512 KiB of 1 MiB): another key's large append still fits. Without
// either bound the stalled frames would hold the budget.
TEST_F(HostileLimitsTest, StalledLargeFramesCannotHoldTheWholeRequestBudget) {
  server::ServerOptions options = DefaultOptions();
  options.request_budget_bytes = 1 << 20;
  options.request_budget_per_principal_bytes = 512 << 10;
  Restart(options);
  std::vector<std::unique_ptr<Client>> stalled;
  for (const PrivateKey* key : {&*auditor_, &*admin_}) {
    auto c = Must(Client::Connect(Options(), *key));
    ASSERT_TRUE(c->SendRaw(SubscribeFrame(0, 1000)).ok());
    ASSERT_TRUE(c->SendRaw(std::string("\x00\x06\x40\x00", 4)).ok());  // 400 KiB announced
    stalled.push_back(std::move(c));
  }
  for (int i = 0; i < 5; ++i) {
    auto c = Must(Client::Connect(Options(), *integration_));
    ASSERT_TRUE(c->SendRaw(std::string("\x00\x03\x20\x00", 4)).ok());  // 200 KiB announced
    stalled.push_back(std::move(c));
  }
  EXPECT_TRUE(LogSays("takes Credit frames of 1 to")) << Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the prefixes are read
  std::vector<SignedEvent> events;
  for (uint64_t i = 0; i < server::kMaxBatchEvents; ++i) {
    events.push_back(Attendance(*other_integration_, 630000 + i));
  }
  ASSERT_GT(server::AppendRequestFrame(1, events).size(), server::kSmallRequestBytes);
  auto honest = Connect(*other_integration_);
  ASSERT_NE(honest, nullptr);
  auto reply = honest->Append(events);
  EXPECT_TRUE(reply.ok()) << reply.status().ToString() << "\n" << Log();
}

// A board query whose filters_json is large, or small and deeply nested, is
// refused with InvalidArgument before it is parsed.
TEST_F(HostileLimitsTest, LargeOrDeeplyNestedFiltersAreRefusedBeforeParsing) {
  auto board = Must(Client::Connect(Options(), *board_));
  const std::string large = std::string(1 << 20, '[') + std::string(1 << 20, ']');
  const std::string deep = "{\"site\":" + std::string(1000, '[') + std::string(1000, ']') + "}";
  for (const auto& [filters, says] :
       {std::pair<std::string, std::string>{large, "bytes"}, {deep, "deeper"}}) {
    flatbuffers::FlatBufferBuilder fbb;
    auto query = wire::CreateQueryRequest(fbb, fbb.CreateString("accountability"),
                                          fbb.CreateString(filters), fbb.CreateString(""));
    ASSERT_TRUE(
        board->SendRaw(server::FrameOf(fbb, 3, wire::Message::QueryRequest, query.Union())).ok());
    const std::string body = Must(board->ReceiveRaw());
    auto reply = Must(server::ParseFrame(body));
    ASSERT_EQ(reply->message_type(), wire::Message::Error);
    EXPECT_EQ(reply->message_as_Error()->code(), wire::ErrorCode::InvalidArgument);
    const std::string message = reply->message_as_Error()->message()->str();
    EXPECT_NE(message.find("filters_json"), std::string::npos) << message;
    EXPECT_NE(message.find(says), std::string::npos) << message;
  }
  EXPECT_TRUE(board->Query("accountability", {{"fy", "2026"}}).ok());
}

// A string from a client that holds a newline cannot start a line of the
// server's log: control characters are escaped.
TEST_F(HostileLimitsTest, ControlCharactersCannotForgeLogLines) {
  auto board = Must(Client::Connect(Options(), *board_));
  const std::string forged = "x\nconn=c999 peer=10.0.0.1:1: authenticated as root (Admin)\r\x1b[2J";
  EXPECT_FALSE(board->Query(forged, {}).ok());
  const std::string log = Log();
  EXPECT_EQ(log.find("\nconn=c999"), std::string::npos) << log;
  EXPECT_EQ(log.find('\r'), std::string::npos);
  EXPECT_EQ(log.find('\x1b'), std::string::npos);
  EXPECT_NE(log.find("x\\nconn=c999"), std::string::npos) << log;
}

// A flood of logins with a key the log does not know writes at most the
// configured refusal lines a second, then one line saying how many were
// suppressed.
TEST_F(HostileLimitsTest, RefusalLinesAreRateLimitedWithASummary) {
  server::ServerOptions options = DefaultOptions();
  options.max_refusal_log_lines_per_second = 5;
  Restart(options);
  PrivateKey stranger = Must(PrivateKey::Generate());
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 60; ++i) EXPECT_FALSE(Client::Connect(Options(), stranger).ok());
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ExpectServing();  // a line after the second ends brings the summary
  const std::string log = Log();
  size_t refusals = 0;
  for (size_t at = log.find("login refused"); at != std::string::npos;
       at = log.find("login refused", at + 1)) {
    ++refusals;
  }
  EXPECT_GT(refusals, 0u);
  EXPECT_LE(refusals, size_t(5 * (seconds.count() + 2))) << log;
  EXPECT_NE(log.find("suppressed"), std::string::npos) << log;
}

// An unknown key, a revoked key with a wrong or right signature, and a
// known key with a wrong signature all get the one same answer: a client
// learns nothing about a key it cannot sign for. The log says which it was.
TEST_F(HostileLimitsTest, EveryRefusedLoginGetsTheSameAnswer) {
  PrivateKey stranger = Must(PrivateKey::Generate());
  PrivateKey revoked = RegisterKey("old-lms", "Integration", "[\"AttendanceRecorded\"]");
  ASSERT_OK(RevokeKey(revoked, "retired"));
  auto answer = [&](const PrivateKey& named, const PrivateKey& signer) {
    auto c = Must(Client::Open(Options()));
    const std::string signature =
        signer.Sign(server::AuthMessage(c->origin(), c->nonce(), c->tls_binding()));
    EXPECT_TRUE(c->SendRaw(AuthenticateFrame(named.public_key().key_id(), signature)).ok());
    const std::string body = Must(c->ReceiveRaw());
    auto frame = Must(server::ParseFrame(body));
    EXPECT_EQ(frame->message_type(), wire::Message::Error);
    if (frame->message_as_Error() == nullptr) return std::string("not an error");
    EXPECT_EQ(frame->message_as_Error()->code(), wire::ErrorCode::Unauthenticated);
    return frame->message_as_Error()->message()->str();
  };
  const std::string unknown = answer(stranger, stranger);
  EXPECT_EQ(answer(revoked, stranger), unknown);
  EXPECT_EQ(answer(revoked, revoked), unknown);
  EXPECT_EQ(answer(*integration_, stranger), unknown);
  EXPECT_EQ(unknown.find("position"), std::string::npos) << unknown;
  const std::string log = Log();
  EXPECT_NE(log.find("is not registered"), std::string::npos) << log;
  EXPECT_NE(log.find("was revoked at position"), std::string::npos) << log;
  EXPECT_NE(log.find("does not verify"), std::string::npos) << log;
}

// A key registered with a role this server does not know (99) signs its
// challenge correctly and is still refused: only Admin, Integration,
// Auditor and Board keys log in.
TEST_F(HostileLimitsTest, AKeyOfAnUnknownRoleIsNeverRegisteredSoNeverLogsIn) {
  PrivateKey odd = Must(PrivateKey::Generate());
  std::string json =
      EventJson(IdHex(next_id_++), "KeyRegistered", "",
                "\"principal_id\":\"odd\",\"role\":\"Board\",\"public_key\":\"" +
                    HexEncode(odd.public_key().raw()) + "\",\"allowed_event_types\":[]");
  SignedEvent event = Sign(*admin_, json);
  // Role 99 in place of Board: the bytes are then signed again.
  const auto* registration = Must(ParseEvent(event.event))->body_as_KeyRegistered();
  ASSERT_NE(registration, nullptr);
  const auto* table = reinterpret_cast<const flatbuffers::Table*>(registration);
  const auto offset = table->GetOptionalFieldOffset(schema::KeyRegistered::VT_ROLE);
  ASSERT_NE(offset, 0);
  const size_t at = reinterpret_cast<const char*>(registration) + offset - event.event.data();
  ASSERT_EQ(uint8_t(event.event[at]), uint8_t(schema::Role::Board));
  std::string bytes = event.event;
  bytes[at] = char(99);
  // The appender's rules refuse an enum value the schema lacks, so no log
  // written by this build holds such a key (the session and the access rules
  // refuse one all the same, for logs written before: AccessTest).
  auto refused = ledger_->Append({SignEvent(*admin_, bytes)});
  EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("\"body.role\""), std::string::npos)
      << refused.status().ToString();
  EXPECT_FALSE(ledger_->FindKey(odd.public_key().key_id()).has_value());
  auto c = Client::Connect(Options(), odd);
  EXPECT_FALSE(c.ok()) << "an unregistered key logged in";
}

// A signature made for another TLS session (a relay: the client that signs
// talks to someone else, who passes on the server's challenge) is refused,
// since the signed message holds the session's exporter value; the same
// key signing for its own session logs in.
TEST_F(HostileLimitsTest, ALoginSignedForAnotherTlsSessionIsRefused) {
  auto relay = Must(Client::Open(Options()));
  auto victim = Must(Client::Open(Options()));
  ASSERT_EQ(relay->tls_binding().size(), 32u);
  ASSERT_NE(relay->tls_binding(), victim->tls_binding());
  // The victim signs the relay's challenge, bound to its own session.
  const std::string relayed = integration_->Sign(
      server::AuthMessage(relay->origin(), relay->nonce(), victim->tls_binding()));
  ASSERT_TRUE(relay->SendRaw(AuthenticateFrame(integration_->public_key().key_id(), relayed)).ok());
  const std::string body = Must(relay->ReceiveRaw());
  auto reply = Must(server::ParseFrame(body));
  ASSERT_EQ(reply->message_type(), wire::Message::Error);
  EXPECT_EQ(reply->message_as_Error()->code(), wire::ErrorCode::Unauthenticated);
  EXPECT_TRUE(victim->Authenticate(*integration_).ok());
}

}  // namespace
}  // namespace evident::testing
