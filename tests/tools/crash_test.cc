// Acknowledged means durable (DESIGN.md invariant 2). The process that
// writes the ledger is killed with SIGKILL at random moments, again and
// again, while appends are flowing:
//   - in process: a writer (crash_writer) that appends through Ledger;
//   - over TCP: `evident serve`, while this test appends to it over TLS.
// After each kill the ledger is reopened and every acknowledged event must be
// at the position it was acknowledged with; every tenth kill, and the last,
// the whole log must verify (signatures, the Merkle tree, every checkpoint,
// the indexes). The next writer starts a little before the last acknowledged
// event, so the events in flight at the kill are sent again; at the end each
// event must be in the log exactly once.
//
// EVIDENT_CRASH_KILLS sets the kills of each test (defaults: 100 in process
// and 120 over TCP, 220 in all; tools/run.sh crash runs more).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "ledger/entry.h"
#include "ledger/file_util.h"
#include "ledger/verify.h"
#include "server/client.h"
#include "tests/testutil/child_process.h"
#include "tests/testutil/test_util.h"
#include "tests/tools/crash_events.h"

namespace evident {
namespace {

using testing::Must;

constexpr uint64_t kBatch = 25;

using Child = testing::SpawnedChild;

std::string ReadAllFrom(int fd) {
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) out.append(buf, n);
  close(fd);
  return out;
}

// Kills `child` with SIGKILL and reaps it; true if the kill is what ended it.
bool KillAndReap(Child& child) {
  kill(child.pid, SIGKILL);
  int status = 0;
  waitpid(child.pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

// What the writers acknowledged, checked against the ledger after each kill.
class AckBook {
 public:
  // Records that event `id_hex` was acknowledged at `position`; fails the
  // test if it was acknowledged before at another.
  void Ack(const std::string& id_hex, uint64_t position) {
    std::lock_guard lock(mu_);
    auto [it, fresh] = acked_.emplace(id_hex, position);
    EXPECT_EQ(it->second, position) << "event " << id_hex << " acknowledged at two positions";
    highest_ = std::max(highest_, crash::NumberOf(Must(HexDecode(id_hex))) + 1);
  }
  // Where the next writer starts: a little before the highest acknowledged.
  uint64_t NextStart(std::mt19937_64& rng) const {
    std::lock_guard lock(mu_);
    return highest_ > 60 ? highest_ - rng() % 60 : 0;
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return acked_.size();
  }

  // Every acknowledged event is where it was acknowledged, and, when `full`,
  // the whole log verifies.
  void Check(const std::string& ledger_dir, int kill_number, bool full) const {
    std::lock_guard lock(mu_);
    auto ledger = Must(Ledger::Open(ledger_dir, OpenMode::kReadOnly));
    // The writers sign with the admin key: its principal's event ids.
    const PrivateKey admin = Must(PrivateKey::LoadFile(ledger_dir + "/keys/admin.pem"));
    const std::string principal = ledger->FindKey(admin.public_key().key_id())->principal_id;
    for (const auto& [event_id, pos] : acked_) {
      ASSERT_EQ(Must(FindIndexedPosition(ledger->storage(), Must(HexDecode(event_id)), principal)),
                pos)
          << "event " << event_id;
    }
    if (full) {
      VerifyReport r = Must(VerifyLog(ledger->storage()));
      ASSERT_TRUE(r.ok()) << "after kill " << kill_number << ": " << r.problem;
    }
  }

  // The figures of the run: acknowledged, found where acknowledged, lost,
  // and entries whose event id appeared earlier in the log.
  struct Census {
    size_t acked = 0, found = 0, lost = 0, duplicates = 0;
  };
  Census Count(const std::string& ledger_dir) const {
    std::lock_guard lock(mu_);
    auto ledger = Must(Ledger::Open(ledger_dir, OpenMode::kReadOnly));
    std::map<std::string, uint64_t> first_seen;  // event id hex -> position
    Census c;
    EXPECT_OK(ledger->Scan(0, ledger->size(), [&](uint64_t seq, std::string_view bytes) {
      const schema::Entry* entry = Must(ParseEntry(bytes));
      const SignedEvent signed_event = SignedEventOf(entry);  // owns the event's bytes
      const schema::Event* event = Must(ParseEvent(signed_event.event));
      if (!first_seen.emplace(EventIdHex(EventIdOf(event)), seq).second) ++c.duplicates;
      return true;
    }));
    c.acked = acked_.size();
    for (const auto& [id, pos] : acked_) {
      auto it = first_seen.find(id);
      (it != first_seen.end() && it->second == pos ? c.found : c.lost) += 1;
    }
    return c;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> acked_;  // event id -> acknowledged position
  uint64_t highest_ = 0;                   // one past the highest event number acknowledged
};

void ExpectNothingLost(const AckBook& book, const std::string& ledger_dir, int kills,
                       const char* how) {
  const AckBook::Census c = book.Count(ledger_dir);
  std::printf("%s: %d kills, %zu events acknowledged, %zu found where acknowledged, %zu lost, "
              "%zu duplicates\n",
              how, kills, c.acked, c.found, c.lost, c.duplicates);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_EQ(c.duplicates, 0u);
  EXPECT_EQ(c.found, c.acked);
  EXPECT_GT(c.acked, 100u) << "the writers barely ran; the kills tested little";
}

std::string InitLedger(const testing::TempDir& dir) {
  const std::string ledger_dir = dir.path() + "/ledger";
  const std::string init =
      std::string(EVIDENT_BIN) + " init --ledger " + ledger_dir + " >/dev/null";
  if (std::system(init.c_str()) != 0) std::abort();
  return ledger_dir;
}

Child SpawnWriter(const std::string& ledger, const std::string& key, uint64_t start,
                  const std::string& err) {
  return testing::SpawnWithStdoutPipe({CRASH_WRITER_BIN, ledger, key, std::to_string(start), std::to_string(kBatch)},
               err);
}

// Milliseconds from a writer's start to its first acknowledgement, here and
// now: a sanitizer build, or a machine busy with other tests, starts writers
// several times slower, and kills timed for a quiet release build would all
// land before the first append.
int64_t MillisToFirstAck(const std::string& ledger, const std::string& key,
                         const std::string& err) {
  const auto start = std::chrono::steady_clock::now();
  Child w = SpawnWriter(ledger, key, 0, err);
  pollfd p{w.out, POLLIN, 0};
  poll(&p, 1, 60000);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  KillAndReap(w);
  ReadAllFrom(w.out);
  return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
}

TEST(CrashTest, KilledWritersLoseNoAcknowledgedEvent) {
  testing::TempDir dir;
  const std::string ledger_dir = InitLedger(dir);
  const std::string key = ledger_dir + "/keys/admin.pem", err = dir.path() + "/writer.err";
  const int kills = testing::CrashKills(100);
  std::mt19937_64 rng(2026);
  const int64_t startup = MillisToFirstAck(ledger_dir, key, err);
  AckBook book;
  int killed_mid_run = 0;

  for (int round = 0; round < kills; ++round) {
    Child w = SpawnWriter(ledger_dir, key, book.NextStart(rng), err);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(startup + int64_t(rng() % (2 * startup + 120))));
    killed_mid_run += KillAndReap(w);
    std::istringstream lines(ReadAllFrom(w.out));
    std::string word, id;
    uint64_t position = 0;
    while (lines >> word >> id >> position) {
      ASSERT_EQ(word, "ACK");
      book.Ack(id, position);
    }
    book.Check(ledger_dir, round + 1, round % 10 == 9 || round + 1 == kills);
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(killed_mid_run, kills) << "writers ended by themselves: " << Must(ReadFile(err, ""));
  ExpectNothingLost(book, ledger_dir, kills, "in process");
}

// `evident serve` on any free port; returns the port it names, or 0.
uint16_t StartServer(const std::string& ledger_dir, const std::string& err, Child* server) {
  *server = testing::SpawnWithStdoutPipe({EVIDENT_BIN, "serve", "--ledger", ledger_dir, "--listen", "127.0.0.1:0"}, err);
  std::string text;
  char buf[4096];
  while (text.find(" over TLS") == std::string::npos) {
    pollfd p{server->out, POLLIN, 0};
    if (poll(&p, 1, 30000) <= 0) return 0;
    const ssize_t n = read(server->out, buf, sizeof(buf));
    if (n <= 0) return 0;
    text.append(buf, n);
  }
  const size_t at = text.find(" over TLS"), colon = text.rfind(':', at);
  return uint16_t(std::stoul(text.substr(colon + 1, at - colon - 1)));
}

// Appends batches from `start` on until the connection fails (the server was
// killed) or `*stop`; `*acks` counts the acknowledged batches.
void AppendUntilKilled(const server::ClientOptions& options, const PrivateKey& key,
                       uint64_t start, AckBook* book, std::atomic<int>* acks,
                       const std::atomic<bool>* stop) {
  auto codec = Must(EventJsonCodec::Create());
  auto client = server::Client::Connect(options, key);
  if (!client.ok()) return;
  for (uint64_t next = start; !*stop; next += kBatch) {
    std::vector<SignedEvent> events;
    for (uint64_t n = next; n < next + kBatch; ++n) {
      events.push_back(SignEvent(key, Must(codec->FromJson(crash::EventJson(n)))));
    }
    auto reply = client.value()->Append(events);
    if (!reply.ok()) return;
    for (uint64_t i = 0; i < kBatch; ++i) {
      book->Ack(crash::EventIdHex(next + i), reply.value().results[i].sequence);
    }
    ++*acks;
  }
}

TEST(CrashTest, KilledServersLoseNoAcknowledgedEvent) {
  testing::TempDir dir;
  const std::string ledger_dir = InitLedger(dir);
  const std::string err = dir.path() + "/server.err";
  const PrivateKey key = Must(PrivateKey::LoadFile(ledger_dir + "/keys/admin.pem"));
  server::ClientOptions options;
  options.host = "localhost";
  options.trusted_cert_pem = Must(ReadFile(ledger_dir + "/keys/tls-cert.pem", ""));
  options.timeout = std::chrono::milliseconds(20000);
  const int kills = testing::CrashKills(120);
  std::mt19937_64 rng(2027);
  AckBook book;
  int killed_mid_run = 0;

  for (int round = 0; round < kills; ++round) {
    Child server;
    options.port = StartServer(ledger_dir, err, &server);
    ASSERT_NE(options.port, 0) << "the server did not start: " << Must(ReadFile(err, ""));
    std::atomic<int> acks{0};
    std::atomic<bool> stop{false};
    std::thread client(AppendUntilKilled, std::cref(options), std::cref(key),
                       book.NextStart(rng), &book, &acks, &stop);
    // Kill once appends flow, at a random moment of the next few batches.
    for (int i = 0; i < 3000 && acks == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 60000));
    killed_mid_run += KillAndReap(server);
    stop = true;
    client.join();
    ReadAllFrom(server.out);
    book.Check(ledger_dir, round + 1, round % 10 == 9 || round + 1 == kills);
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(killed_mid_run, kills) << "servers ended by themselves: " << Must(ReadFile(err, ""));
  ExpectNothingLost(book, ledger_dir, kills, "over TCP");
}

}  // namespace
}  // namespace evident
