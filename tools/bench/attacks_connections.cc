// The attacks on the server's connections: resets, floods, held places,
// stalled frames and bad logins (attacks.h).

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "server/frame.h"
#include "server/server.h"
#include "tools/bench/attacks.h"
#include "tools/bench/stats.h"

namespace evident::bench {
namespace {

using std::chrono::milliseconds;

std::string N(size_t n) { return std::to_string(n); }

// The server's log from byte `from` on.
std::string LogSince(const std::string& path, std::streamoff from) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(from);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::streamoff LogSize(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? std::streamoff(in.tellg()) : 0;
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

Outcome ResettingSubscribers(AttackContext& c) {
  constexpr int kPerRound = 12, kMostRounds = 40;
  size_t reset = 0, failed = 0;
  int rounds = 0;
  for (; rounds < kMostRounds && AttackClock::now() + milliseconds(500) < c.deadline; ++rounds) {
    std::vector<std::unique_ptr<server::Client>> subscribers;
    for (int i = 0; i < kPerRound; ++i) {
      auto client = server::Client::Connect(*c.client, c.keys->auditor);
      if (!client.ok()) {
        ++failed;
        continue;
      }
      const int small = 4096;
      ::setsockopt(client.value()->NativeSocket(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
      if (client.value()->SendRaw(SubscribeFrame(0, 1000000)).ok()) {
        subscribers.push_back(std::move(client.value()));
      }
    }
    std::this_thread::sleep_for(milliseconds(200));  // the server's writes fill the buffers
    for (auto& s : subscribers) {
      linger hard{1, 0};  // the close is a reset
      ::setsockopt(s->NativeSocket(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      s.reset();
      ++reset;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  const bool alive = c.server_alive();
  return {alive, N(reset) + " subscribers reset mid-stream in " + N(size_t(rounds)) + " rounds" +
                     (failed > 0 ? " (" + N(failed) + " could not log in)" : "") +
                     (alive ? "; server alive" : "; SERVER DIED")};
}

Outcome SilentFloodBesideSlowLogins(AttackContext& c) {
  constexpr int kMostFlood = 400, kMostSlowLogins = 8;
  std::atomic<bool> done{false};
  std::atomic<int> opened{0}, shed{0};
  std::thread flooder([&] {
    std::vector<int> open;
    for (int i = 0; i < kMostFlood && !done && c.TimeLeft(); ++i) {
      const int fd = RawConnect("127.0.0.2", c.client->port);
      if (fd >= 0) {
        open.push_back(fd);
        ++opened;
      }
      if (i % 20 == 19) {  // the connections the server closed: our ends too
        auto gone =
            std::partition(open.begin(), open.end(), [](int f) { return !ClosedByPeer(f); });
        shed += int(open.end() - gone);
        for (auto it = gone; it != open.end(); ++it) ::close(*it);
        open.erase(gone, open.end());
      }
      std::this_thread::sleep_for(milliseconds(2));
    }
    while (!done) std::this_thread::sleep_for(milliseconds(10));
    for (int fd : open) {
      if (ClosedByPeer(fd)) ++shed;
      ::close(fd);
    }
  });
  while (opened < 20 && c.TimeLeft()) std::this_thread::sleep_for(milliseconds(5));
  int tried = 0, logged_in = 0;
  std::string failure;
  const server::ClientOptions slow = c.From("127.0.0.3");
  for (; tried < kMostSlowLogins && AttackClock::now() + milliseconds(500) < c.deadline; ++tried) {
    auto client = server::Client::Open(slow);
    Status login = client.ok() ? Status::OK() : client.status();
    if (login.ok()) {
      std::this_thread::sleep_for(milliseconds(200));  // slow to answer the challenge
      login = client.value()->Authenticate(c.keys->auditor);
    }
    if (login.ok()) login = client.value()->Checkpoint().status();
    if (login.ok()) {
      ++logged_in;
    } else {
      failure = login.ToString();
    }
  }
  done = true;
  flooder.join();
  const bool held = tried > 0 && logged_in == tried;
  return {held, "slow logins from 127.0.0.3: " + N(logged_in) + "/" + N(tried) +
                    "; silent connections from 127.0.0.2: " + N(opened) + ", " + N(shed) +
                    " closed by the server" + (failure.empty() ? "" : "; " + Short(failure, 60))};
}

Outcome OneKeysIdleSubscriptions(AttackContext& c) {
  constexpr int kMostTries = 64;
  std::vector<std::unique_ptr<server::Client>> held;
  std::string refusal;
  for (int i = 0; i < kMostTries && refusal.empty() && c.TimeLeft(); ++i) {
    auto client = server::Client::Connect(*c.client, c.keys->hr);
    if (!client.ok()) {
      refusal = client.status().ToString();
      break;
    }
    const uint64_t tip = client.value()->welcome().tree_size;
    if (client.value()->SendRaw(SubscribeFrame(tip, 100)).ok()) {
      held.push_back(std::move(client.value()));
    }
  }
  auto admin = server::Client::Connect(*c.client, c.keys->admin);
  Status admin_in = admin.ok() ? admin.value()->Checkpoint().status() : admin.status();
  while (c.TimeLeft()) std::this_thread::sleep_for(milliseconds(50));  // idle, holding the places
  const bool ok = !refusal.empty() && admin_in.ok();
  return {ok,
          "one key held " + N(held.size()) + " idle subscriptions" +
              (refusal.empty() ? ", never refused" : "; the next: " + Short(refusal, 70)) +
              (admin_in.ok() ? "; admin logged in" : "; ADMIN REFUSED: " + admin_in.ToString())};
}

Outcome StalledLargeFrames(AttackContext& c) {
  constexpr int kPerKey = 8;
  const std::string prefix("\x01\x40\x00\x00", 4);  // 20 MiB announced
  std::vector<std::unique_ptr<server::Client>> stalled;
  for (const PrivateKey* key : {&c.keys->hr, &c.keys->auditor, &c.keys->board}) {
    for (int i = 0; i < kPerKey; ++i) {
      auto client = server::Client::Connect(*c.client, *key);
      if (client.ok() && client.value()->SendRaw(prefix).ok()) {
        stalled.push_back(std::move(client.value()));
      }
    }
  }
  std::this_thread::sleep_for(milliseconds(300));  // the prefixes are read
  std::vector<SignedEvent> batch;
  for (size_t i = 0; i < server::kMaxBatchEvents; ++i) {
    auto e = SignJson(c.codec, c.keys->lms, AttendanceEventJson(c.NextEventId(), kLms));
    if (!e.ok()) return {false, "the harness could not make its batch: " + e.status().ToString()};
    batch.push_back(std::move(e.value()));
  }
  const size_t bytes = server::AppendRequestFrame(1, batch).size();
  auto honest = server::Client::Connect(*c.client, c.keys->lms);
  const auto start = AttackClock::now();
  Status appended = honest.ok() ? honest.value()->Append(batch).status() : honest.status();
  const double ms = std::chrono::duration<double, std::milli>(AttackClock::now() - start).count();
  while (c.TimeLeft()) std::this_thread::sleep_for(milliseconds(50));
  return {appended.ok(), N(stalled.size()) +
                             " connections of 3 keys announced 20 MiB and stopped; a " +
                             N(bytes >> 10) + " KiB append of another key " +
                             (appended.ok() ? "answered in " + Fmt("%.0f", ms) + " ms"
                                            : "FAILED: " + Short(appended.ToString(), 60))};
}

Outcome BadSignatureLogins(AttackContext& c) {
  constexpr int kMostLogins = 400;
  auto stranger = PrivateKey::Generate();
  if (!stranger.ok()) return {false, stranger.status().ToString()};
  const std::streamoff log_start = LogSize(c.log_path);
  const auto start = AttackClock::now();
  int tried = 0, refused = 0;
  std::set<std::string> answers;
  for (; tried < kMostLogins && AttackClock::now() + milliseconds(1500) < c.deadline; ++tried) {
    auto client = server::Client::Open(*c.client);
    if (!client.ok()) continue;
    server::Client& cl = *client.value();
    // Half name a registered key, half a stranger's; the stranger signs.
    const PrivateKey& named = tried % 2 == 0 ? c.keys->lms : stranger.value();
    const std::string signature =
        stranger.value().Sign(server::AuthMessage(cl.origin(), cl.nonce(), cl.tls_binding()));
    if (!cl.SendRaw(AuthenticateFrame(named.public_key().key_id(), signature)).ok()) continue;
    const std::string answer = DescribeAnswer(cl.ReceiveRaw());
    if (answer.rfind("Error Unauthenticated", 0) == 0) ++refused;
    answers.insert(answer);
  }
  const double seconds = std::chrono::duration<double>(AttackClock::now() - start).count();
  std::this_thread::sleep_for(milliseconds(1100));  // the second ends; a line brings the summary
  auto auditor = server::Client::Connect(*c.client, c.keys->auditor);
  if (auditor.ok()) (void)auditor.value()->Checkpoint();
  std::this_thread::sleep_for(milliseconds(200));
  const std::string log = LogSince(c.log_path, log_start);
  const size_t lines = Occurrences(log, "login refused");
  const bool summed = log.find("suppressed") != std::string::npos;
  // 20 a second (max_refusal_log_lines_per_second), with a second either side.
  const size_t bound = size_t(20 * (seconds + 3));
  const bool held = tried > 0 && refused == tried && answers.size() == 1 && lines <= bound &&
                    (summed || lines == size_t(tried));
  return {held, "refused " + N(refused) + "/" + N(tried) + ", " + N(answers.size()) +
                    " distinct answer(s); " + N(lines) + " refusal lines in the log" +
                    (summed ? " + a summary" : "") + " (bound " + N(bound) + ")"};
}

}  // namespace evident::bench
