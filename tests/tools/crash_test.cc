// Acknowledged means durable (DESIGN.md invariant 2): a writer process is
// killed with SIGKILL at random moments, again and again; after each kill the
// ledger is reopened and every acknowledged event must be at the position it
// was acknowledged with, and the whole log must verify. The next writer
// starts a little before the last acknowledged event, so events in flight at
// the kill are sent again and must converge to exactly one copy each.
//
// EVIDENT_CRASH_KILLS sets the number of kills (default 40; the long run in
// tools/run.sh crash uses more).

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "ledger/coding.h"
#include "ledger/verify.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

struct Writer {
  pid_t pid;
  int out;  // read end of its stdout
};

Writer Spawn(const std::string& ledger, const std::string& key, uint64_t start) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::string start_text = std::to_string(start);
    execl(CRASH_WRITER_BIN, CRASH_WRITER_BIN, ledger.c_str(), key.c_str(), start_text.c_str(), "25",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

std::string ReadAllFrom(int fd) {
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;) out.append(buf, n);
  close(fd);
  return out;
}

// Milliseconds from a writer's start to its first acknowledgement, here and
// now: a sanitizer build, or a machine busy with other tests, starts writers
// several times slower, and kills timed for a quiet release build would all
// land before the first append.
int64_t MillisToFirstAck(const std::string& ledger, const std::string& key) {
  const auto start = std::chrono::steady_clock::now();
  Writer w = Spawn(ledger, key, 0);
  pollfd p{w.out, POLLIN, 0};
  poll(&p, 1, 60000);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  kill(w.pid, SIGKILL);
  ReadAllFrom(w.out);
  waitpid(w.pid, nullptr, 0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
}

TEST(CrashTest, KilledWritersLoseNoAcknowledgedEvent) {
  testing::TempDir dir;
  const std::string ledger_dir = dir.path() + "/ledger";
  const std::string init =
      std::string(EVIDENT_BIN) + " init --ledger " + ledger_dir + " >/dev/null";
  ASSERT_EQ(std::system(init.c_str()), 0);
  const std::string key = ledger_dir + "/keys/admin.pem";

  int kills = 40;
  if (const char* env = std::getenv("EVIDENT_CRASH_KILLS")) kills = std::atoi(env);
  std::mt19937_64 rng(2026);
  const int64_t startup = MillisToFirstAck(ledger_dir, key);
  std::map<std::string, uint64_t> acked;  // event id -> acknowledged position
  uint64_t highest = 0;                   // highest event number acknowledged
  int killed_mid_run = 0;

  for (int round = 0; round < kills; ++round) {
    // Re-send from a little before the last acknowledged event.
    uint64_t start = highest > 60 ? highest - rng() % 60 : 0;
    Writer w = Spawn(ledger_dir, key, start);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(startup + int64_t(rng() % (2 * startup + 120))));
    kill(w.pid, SIGKILL);
    std::string out = ReadAllFrom(w.out);
    int status = 0;
    waitpid(w.pid, &status, 0);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      ++killed_mid_run;
    else
      ADD_FAILURE() << "the writer ended by itself (status " << status << ")";

    std::istringstream lines(out);
    std::string word, id;
    uint64_t position = 0;
    while (lines >> word >> id >> position) {
      ASSERT_EQ(word, "ACK");
      auto [it, fresh] = acked.emplace(id, position);
      EXPECT_EQ(it->second, position) << "event " << id << " acknowledged at two positions";
      highest = std::max(highest, DecodeFixed64BE(testing::Must(HexDecode(id)).data() + 8) + 1);
    }

    // Every acknowledged event is where it was acknowledged.
    auto ledger = testing::Must(Ledger::Open(ledger_dir, OpenMode::kReadOnly));
    for (const auto& [event_id, pos] : acked) {
      std::string stored;
      ASSERT_OK(
          ledger->storage()->Get(Column::kEventIds, testing::Must(HexDecode(event_id)), &stored));
      ASSERT_EQ(DecodeFixed64BE(stored.data()), pos) << "event " << event_id;
    }
    if (round % 10 == 9 || round + 1 == kills) {
      VerifyReport r = testing::Must(VerifyLog(ledger->storage()));
      ASSERT_TRUE(r.ok()) << "after kill " << round + 1 << ": " << r.problem;
    }
  }
  std::printf("%d kills, %zu events acknowledged, all present where acknowledged\n", kills,
              acked.size());
  EXPECT_EQ(killed_mid_run, kills);
  EXPECT_GT(acked.size(), 100u) << "the writers barely ran; the kills tested little";
}

}  // namespace
}  // namespace evident
