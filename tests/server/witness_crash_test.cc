// A witness never cosigns two inconsistent checkpoints of one log, nor a
// smaller tree than one it cosigned, across crashes (DESIGN.md invariant 9).
//
// The real `evident witness` serves two logs. For each log, clients submit
// checkpoints of two trees signed by the log's one key: the same leaves up
// to a split, different ones after it (a split view). Clients run
// concurrently, from several threads, and the witness is killed with SIGKILL
// at random moments, a few hundred times, and restarted on the same
// directory. Every cosignature it returned is recorded, then:
//   - every one verifies with the witness's vkey (from `evident keygen`);
//   - per log, all cosigned checkpoints lie on one of the two trees: none
//     from one side of the split beside one from the other;
//   - per log, sizes never go back: a cosignature received before another
//     request was sent is for a size no larger than that request's.
//     (Replies to requests in flight at the same time have no order.)
//
// EVIDENT_CRASH_KILLS sets the number of kills (default 300).

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "ledger/cosignature.h"
#include "ledger/file_util.h"
#include "server/witness/client.h"
#include "tests/server/witness_util.h"
#include "tests/testutil/child_process.h"

namespace evident::testing {
namespace {

constexpr char kWitnessName[] = "state.example/witness";
constexpr uint64_t kLeaves = 12000;

struct Cosigned {
  uint64_t size;
  int tree;                 // 0 the main tree, 1 the fork
  uint64_t sent, received;  // tickets of one counter
};

// One log's two trees: equal up to `split`, different after.
struct SplitLog {
  SplitLog(const std::string& origin, uint64_t split)
      : key(Must(PrivateKey::Generate())), trees{{origin, key}, {origin, key}}, split(split) {
    trees[0].Grow(split, "common");
    trees[1].Grow(split, "common");
    trees[0].Grow(kLeaves - split, "main");
    trees[1].Grow(kLeaves - split, "fork");
  }
  PrivateKey key;
  TestLog trees[2];
  uint64_t split;
  std::mutex mu;
  std::vector<Cosigned> cosigned;
};

// The first line the child writes, or "" if none comes within a minute.
std::string ReadLine(int fd) {
  std::string line;
  char c;
  while (line.empty() || line.back() != '\n') {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 60000) <= 0 || read(fd, &c, 1) != 1) return "";
    line += c;
  }
  return line;
}

std::string RunForStdout(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[512];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  pclose(pipe);
  return out;
}

// Named so that the ctest regex ^CrashTest selects it with the other crash tests.
class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    logs_.push_back(std::make_unique<SplitLog>("district-1.example/log", 30));
    logs_.push_back(std::make_unique<SplitLog>("district-2.example/log", 75));
    const std::string key = dir_.path() + "/witness.pem";
    std::string vkey = RunForStdout(std::string(EVIDENT_BIN) + " keygen --cosigner " +
                                    kWitnessName + " --out " + key + " 2>/dev/null");
    ASSERT_FALSE(vkey.empty() || vkey.back() != '\n') << "keygen printed \"" << vkey << "\"";
    vkey.pop_back();
    ASSERT_EQ(vkey.find('\n'), std::string::npos) << "keygen printed more than one line";
    verifier_.emplace(Must(CosignatureVerifier::FromVkey(vkey)));
    args_ = {EVIDENT_BIN,  "witness", "--dir", dir_.path() + "/w", "--name",
             kWitnessName, "--key",   key,     "--listen",         "127.0.0.1:0"};
    for (const auto& log : logs_) {
      args_.push_back("--log");
      args_.push_back(log->trees[0].Vkey());
    }
  }

  // Starts the witness; its port, or 0 if it did not print its line.
  uint16_t Start(SpawnedChild* child) {
    *child = SpawnWithStdoutPipe(args_, dir_.path() + "/witness.err");
    const std::string line = ReadLine(child->out);
    const std::string expect =
        std::string("witnessing 2 logs as ") + kWitnessName + " on https://127.0.0.1:";
    if (line.rfind(expect, 0) != 0) {
      ADD_FAILURE() << "the witness printed \"" << line << "\"";
      return 0;
    }
    return uint16_t(std::stoul(line.substr(expect.size())));
  }

  // Submits checkpoints until `stop`, to whatever witness `port_` names.
  void Submit(int seed) {
    std::mt19937_64 rng(seed);
    uint64_t known[2] = {0, 0};  // the size each log's witness state was last seen at
    std::unique_ptr<server::witness::WitnessClient> client;
    uint16_t client_port = 0;
    while (!stop_) {
      const uint16_t port = port_;
      if (port == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      if (port != client_port) {
        client = Must(server::witness::WitnessClient::Create(
            {"https://127.0.0.1:" + std::to_string(port), dir_.path() + "/w/tls-cert.pem",
             std::chrono::milliseconds(5000)}));
        client_port = port;
      }
      const int l = int(rng() % 2);
      SplitLog& log = *logs_[l];
      const int tree = rng() % 3 == 0 ? 1 : 0;  // a third of the requests for the fork
      uint64_t size = std::min(kLeaves, known[l] + rng() % 8);
      if (rng() % 10 == 0 && size > 3) size -= rng() % 4;  // now and then a smaller tree
      const uint64_t old = known[l];
      const TestLog& t = log.trees[tree];
      const std::string body = server::witness::AddCheckpointBody(
          old, old <= size ? t.Proof(old, size) : std::vector<std::string>{}, t.Note(size));
      const uint64_t sent = ticket_++;
      auto reply = client->SubmitBlocking(body);
      const uint64_t received = ticket_++;
      if (!reply.ok()) continue;  // killed: no answer
      if (reply->status == 409 && reply->content_type == "text/x.tlog.size") {
        known[l] = std::stoull(reply->body);
      } else if (reply->status == 200) {
        auto note = ParseNote(AddSignatureLines(t.Note(size), {reply->body}));
        if (!note.ok() || !verifier_->VerifyNote(note.value()).ok()) {
          ADD_FAILURE() << "a 200 without a valid cosignature: " << reply->body;
        }
        known[l] = size;
        std::lock_guard lock(log.mu);
        log.cosigned.push_back({size, tree, sent, received});
      }
    }
  }

  TempDir dir_;
  std::vector<std::unique_ptr<SplitLog>> logs_;
  std::optional<CosignatureVerifier> verifier_;
  std::vector<std::string> args_;
  std::atomic<uint16_t> port_{0};
  std::atomic<uint64_t> ticket_{0};
  std::atomic<bool> stop_{false};
};

// Which trees hold a checkpoint: bit 0 the main tree, bit 1 the fork.
int TreesHolding(const SplitLog& log, const Cosigned& c) {
  return c.size <= log.split ? 3 : 1 << c.tree;
}

// "" if no two cosigned checkpoints of `log` are on different sides of the
// split; else the first two that are.
std::string SplitViewCosigned(const SplitLog& log) {
  const Cosigned* side[2] = {nullptr, nullptr};
  for (const Cosigned& c : log.cosigned) {
    const int trees = TreesHolding(log, c);
    if (trees != 3 && side[trees - 1] == nullptr) side[trees - 1] = &c;
  }
  if (side[0] == nullptr || side[1] == nullptr) return "";
  return "cosigned size " + std::to_string(side[0]->size) + " of the main tree and size " +
         std::to_string(side[1]->size) + " of the fork";
}

// "" if every cosignature received before a request was sent is for a size
// no larger than that request's cosigned size; else the first that is not.
std::string SizeWentBack(std::vector<Cosigned> cosigned) {
  std::vector<Cosigned> by_received = cosigned;
  std::sort(by_received.begin(), by_received.end(),
            [](const Cosigned& a, const Cosigned& b) { return a.received < b.received; });
  std::sort(cosigned.begin(), cosigned.end(),
            [](const Cosigned& a, const Cosigned& b) { return a.sent < b.sent; });
  size_t next = 0;
  uint64_t largest = 0;
  for (const Cosigned& c : cosigned) {
    while (next < by_received.size() && by_received[next].received < c.sent) {
      largest = std::max(largest, by_received[next++].size);
    }
    if (c.size < largest) {
      return "size " + std::to_string(c.size) + " cosigned after size " + std::to_string(largest) +
             " was";
    }
  }
  return "";
}

bool KillAndReap(SpawnedChild& child) {
  kill(child.pid, SIGKILL);
  int status = 0;
  waitpid(child.pid, &status, 0);
  close(child.out);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

TEST_F(CrashTest, KilledWitnessesNeverCosignASplitViewOrASmallerTree) {
  const int kills = CrashKills(300);
  std::mt19937_64 rng(2029);
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) clients.emplace_back([this, i] { Submit(100 + i); });
  int killed = 0;
  for (int round = 0; round < kills && !HasFailure(); ++round) {
    SpawnedChild child;
    port_ = Start(&child);
    if (port_ == 0) break;
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 80000));
    port_ = 0;
    killed += KillAndReap(child);
  }
  stop_ = true;
  for (auto& t : clients) t.join();
  ASSERT_FALSE(HasFailure()) << Must(ReadFile(dir_.path() + "/witness.err"));
  EXPECT_EQ(killed, kills);

  // Once more, to read what it holds, and to stop it with SIGTERM.
  SpawnedChild child;
  const uint16_t port = Start(&child);
  ASSERT_NE(port, 0);
  auto client = Must(server::witness::WitnessClient::Create(
      {"https://127.0.0.1:" + std::to_string(port), dir_.path() + "/w/tls-cert.pem"}));
  size_t total = 0;
  for (const auto& log : logs_) {
    uint64_t largest = 0;
    for (const Cosigned& c : log->cosigned) largest = std::max(largest, c.size);
    std::printf("%s: %zu cosignatures, largest size %llu (split at %llu)\n",
                log->trees[0].origin().c_str(), log->cosigned.size(), (unsigned long long)largest,
                (unsigned long long)log->split);
    total += log->cosigned.size();
    EXPECT_EQ(SplitViewCosigned(*log), "") << log->trees[0].origin();
    EXPECT_EQ(SizeWentBack(log->cosigned), "") << log->trees[0].origin();
    EXPECT_GT(largest, log->split) << "the witness never got past the split";
    auto held = client->SubmitBlocking(log->trees[0].Body(0, 0));
    ASSERT_TRUE(held.ok()) << held.status().ToString();
    ASSERT_EQ(held->status, 409);
    EXPECT_GE(std::stoull(held->body), largest) << "the witness holds less than it cosigned";
  }
  std::printf("%d kills, %zu cosignatures\n", kills, total);
  EXPECT_GT(total, size_t(kills)) << "the clients barely ran; the kills tested little";
  kill(child.pid, SIGTERM);
  int status = 0;
  waitpid(child.pid, &status, 0);
  close(child.out);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "SIGTERM: status " << status;
}

}  // namespace
}  // namespace evident::testing
