// A crash leaves the projection store at its old position or its new one,
// never between (projections/store.h): every commit, a rebuild's swap
// included, is one synced WriteBatch. Here the process that grows a ledger
// and brings its store up to date (store_crash_child) is killed with SIGKILL
// again and again:
//   - during incremental applies (`update`), and
//   - during rebuilds, each swapping in a new generation (`rebuild`).
// Two kills in three land at random moments after the child's store is open,
// timed by how long an apply takes here, half of them near the apply's end,
// where its one write (a rebuild's swap) is. Every third kill is made by the
// child itself at a fixed step: just before its Update or Rebuild (the store
// as a kill after the fold and before the swap's write leaves it) or just
// after it returned (the write done, the store not closed). Every tenth
// round of `update` starts from no store.
//
// After each kill the store is reopened as `evident project` and `evident
// query` open it (beside the ledger, then Update), and compared with a fresh
// rebuild into an empty folder from the same log: the position, root, as-of
// date, state digest, each view's digest and row count, every row of every
// view, and the board report's summary.json for fiscal 2025. Any difference
// fails the test naming the view and row. A commit the child reported must
// be found on disk.
//
// EVIDENT_CRASH_KILLS sets the kills of each test (default 55, 110 in all;
// tools/run.sh crash runs more).

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>
#include <thread>

#include "ledger/file_util.h"
#include "projections/report/compute.h"
#include "projections/store.h"
#include "tests/testutil/child_process.h"
#include "tests/testutil/test_util.h"


namespace evident::testing {
namespace {

using projections::ProjectionStore;
using projections::StoreStatus;

constexpr int kFiscalYear = 2025;  // evident-gen-events' year
constexpr size_t kChunk = 20;      // events a child appends before each apply
constexpr size_t kEventsPerKill = 120;

// A child process whose standard output is read line by line; its standard
// error goes to `err_path`. Killed and reaped when destroyed.
class Child {
 public:
  Child(std::vector<std::string> args, const std::string& err_path) {
    const SpawnedChild child = SpawnWithStdoutPipe(std::move(args), err_path);
    pid_ = child.pid;
    out_ = child.out;
  }
  ~Child() {
    if (pid_ > 0) KillAndReap();
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Reads until a line whose first word is `word` has come; false if the child
  // ended or `timeout_ms` passed first.
  bool WaitFor(const std::string& word, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (size_t seen = lines_.size();; seen = lines_.size()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !ReadSome(int(left.count()))) return false;
      for (size_t i = seen; i < lines_.size(); ++i) {
        if (lines_[i].substr(0, lines_[i].find(' ')) == word) return true;
      }
    }
  }
  // Kills it with SIGKILL and reaps it; true if SIGKILL is what ended it.
  bool KillAndReap() {
    kill(pid_, SIGKILL);
    return Reap();
  }
  // Waits for it to end; true if SIGKILL ended it (its own, at KILL_AT).
  bool Reap() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    while (ReadSome(-1)) {
    }
    close(out_);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
  // Every complete line it printed, so far.
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  // One read, waiting at most `timeout_ms` (-1: for ever); false at the end.
  bool ReadSome(int timeout_ms) {
    pollfd p{out_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[4096];
    const ssize_t n = read(out_, buf, sizeof(buf));
    if (n <= 0) return false;
    partial_.append(buf, n);
    for (size_t nl; (nl = partial_.find('\n')) != std::string::npos;) {
      lines_.push_back(partial_.substr(0, nl));
      partial_.erase(0, nl + 1);
    }
    return true;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string partial_;
  std::vector<std::string> lines_;
};

// The words of `line`.
std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The board report's summary.json for kFiscalYear from `store`'s live state,
// or the reason there is none, as text.
std::string SummaryText(ProjectionStore* store, Ledger* ledger) {
  projections::LedgerSource source(ledger);
  auto projector = store->LoadProjector(&source);
  if (!projector.ok()) return projector.status().ToString();
  const uint64_t size = projector.value()->position();
  projections::report::BoardRequest request;
  request.fiscal_year = kFiscalYear;
  request.tree_size = size;
  auto summary = projections::report::SummaryOf(*projector.value(),
                                                projections::LogContextAt(ledger, size), request);
  return summary.ok() ? summary.value().dump() : summary.status().ToString();
}

// Where `a` and `b` first differ, for a message.
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const size_t from = i < 60 ? 0 : i - 60;
  return "at byte " + std::to_string(i) + ": ..." + a.substr(from, 120) + "\n  vs fresh: ..." +
         b.substr(from, 120);
}

// The rows of `view` in `reopened` that differ from `fresh`'s, each named.
std::vector<std::string> ViewDifferences(ProjectionStore* reopened, ProjectionStore* fresh,
                                         const std::string& view) {
  const auto mine = Must(reopened->ReadView(view)), theirs = Must(fresh->ReadView(view));
  std::vector<std::string> out;
  for (size_t i = 0; i < std::max(mine.size(), theirs.size()) && out.size() < 5; ++i) {
    if (i >= mine.size() || i >= theirs.size()) {
      const auto& extra = i < mine.size() ? mine[i] : theirs[i];
      out.push_back("view " + view + " row " + extra.key + ": only in the " +
                    (i < mine.size() ? "reopened" : "fresh") + " store (" +
                    std::to_string(mine.size()) + " rows against " + std::to_string(theirs.size()) +
                    ")");
      continue;
    }
    const std::string a = mine[i].row.dump(), b = theirs[i].row.dump();
    if (mine[i].key != theirs[i].key || a != b) {
      out.push_back("view " + view + " row " + mine[i].key + " (fresh: row " + theirs[i].key +
                    "): " + a + "\n  vs fresh: " + b);
    }
  }
  return out;
}

// Everything `reopened` holds that a fresh rebuild `fresh` of the same log
// does not, each difference named; empty when they agree. Adds 1 to
// `*summaries` when the fresh summary.json was built (the log has records of
// the year), not only its error compared.
std::vector<std::string> Differences(ProjectionStore* reopened, ProjectionStore* fresh,
                                     Ledger* ledger, int* summaries) {
  const StoreStatus a = Must(reopened->GetStatus()), b = Must(fresh->GetStatus());
  std::vector<std::string> out;
  auto field = [&](const char* name, const auto& x, const auto& y) {
    if (x != y) out.push_back(std::string(name) + " differs from a fresh rebuild's");
  };
  field("the position", a.position, b.position);
  field("the root hash", a.root_hash, b.root_hash);
  field("the as-of date", a.as_of, b.as_of);
  field("the state digest", a.state_digest, b.state_digest);
  for (size_t i = 0; i < a.view_digests.size() && i < b.view_digests.size(); ++i) {
    const std::string& view = a.view_digests[i].first;
    field(("view " + view + "'s digest").c_str(), a.view_digests[i], b.view_digests[i]);
    field(("view " + view + "'s row count").c_str(), a.view_rows[i], b.view_rows[i]);
    for (std::string& d : ViewDifferences(reopened, fresh, view)) out.push_back(std::move(d));
  }
  field("the number of views", a.view_digests.size(), b.view_digests.size());
  const std::string mine = SummaryText(reopened, ledger), theirs = SummaryText(fresh, ledger);
  if (mine != theirs) out.push_back("summary.json " + FirstDifference(mine, theirs));
  *summaries += theirs.rfind("{", 0) == 0;
  return out;
}

// Microseconds from the start of a child's Update or Rebuild to its kill,
// given that one takes about `apply_us`: half of them anywhere in that apply
// or the next append, open and apply, half near the apply's end, where its
// write (a rebuild's swap) is.
int64_t KillDelay(int64_t apply_us, std::mt19937_64& rng) {
  const bool anywhere = rng() % 2 == 0;
  std::uniform_real_distribution<double> at(anywhere ? 0.0 : 0.8, anywhere ? 2.0 : 1.1);
  return int64_t(at(rng) * double(apply_us));
}

// What a killed child had said.
struct Killed {
  uint64_t committed = 0;  // the position of its last reported commit
  bool in_apply = false;   // killed in an Update or Rebuild, before it returned
};

// What was found after a kill.
struct Found {
  bool written = false;  // the store was at the log's end before it was updated
  int64_t apply_us = 0;  // how long this process took to apply as the child does
};

// What the kills of one test hit, and what was found after them.
struct Census {
  int kills = 0, before_commit = 0, after_commit = 0, random = 0;
  int in_apply = 0;          // random kills in an Update or Rebuild
  int in_apply_written = 0;  // ... whose write was found on disk nonetheless
  int fresh_stores = 0;      // rounds begun with no store
  int summaries = 0;         // kills after which summary.json was built and compared
  size_t differences = 0;
  uint64_t log_size = 0;
};

class StoreCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_dir_ = dir_.path() + "/ledger";
    const std::string init = std::string(EVIDENT_BIN) + " init --ledger " + ledger_dir_ +
                             " --origin evident.example/crash >/dev/null";
    ASSERT_EQ(std::system(init.c_str()), 0);
    base_ = Must(Ledger::Open(ledger_dir_, OpenMode::kReadOnly))->size();
  }

  // Events enough for `kills` rounds: corrections and voids among them.
  void GenerateEvents(int kills) {
    events_ = dir_.path() + "/events.jsonl";
    const std::string gen = std::string(GEN_EVENTS_BIN) + " --count " +
                            std::to_string(kills * kEventsPerKill) + " --seed 5 --amend 20 > " +
                            events_;
    ASSERT_EQ(std::system(gen.c_str()), 0);
  }

  std::vector<std::string> ChildArgs(const std::string& kill_at) {
    std::vector<std::string> args = {STORE_CRASH_CHILD_BIN,
                                     ledger_dir_,
                                     ledger_dir_ + "/keys/admin.pem",
                                     events_,
                                     std::to_string(base_),
                                     std::to_string(kChunk),
                                     mode_};
    if (!kill_at.empty()) args.push_back(kill_at);
    return args;
  }

  // Runs `kills` rounds of `mode` (update or rebuild), checking the store
  // after each.
  Census RunRounds(const std::string& mode, int kills, uint64_t seed);
  // One child run, killed: by the child itself at `kill_at`, else `delay_us`
  // after its first apply started (when negative, after its first commit).
  void KillOneChild(const std::string& kill_at, int64_t delay_us, Killed* killed);
  // Reopens the store after kill `round`, brings it up to date and compares
  // it with a fresh rebuild.
  Found CheckAfterKill(int round, uint64_t committed, Census* census);

  TempDir dir_;
  std::string ledger_dir_, events_, err_, mode_;
  uint64_t base_ = 0;
};

void StoreCrashTest::KillOneChild(const std::string& kill_at, int64_t delay_us, Killed* killed) {
  Child child(ChildArgs(kill_at), err_);
  bool by_sigkill = false;
  if (!kill_at.empty()) {
    by_sigkill = child.Reap();
  } else {
    ASSERT_TRUE(child.WaitFor("OPENED", 60000))
        << "the child did not open the store: " << Must(ReadFile(err_, ""));
    if (delay_us >= 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
    } else {  // no apply time known yet
      ASSERT_TRUE(child.WaitFor("COMMITTED", 60000))
          << "the child did not commit: " << Must(ReadFile(err_, ""));
    }
    by_sigkill = child.KillAndReap();
  }
  ASSERT_TRUE(by_sigkill) << "the child ended by itself: " << Must(ReadFile(err_, ""));
  for (const std::string& line : child.lines()) {
    const auto words = Words(line);
    if (words.empty()) continue;
    killed->in_apply = words[0] == "OPENED";
    if (words[0] == "COMMITTED") killed->committed = std::stoull(words[1]);
  }
}

Found StoreCrashTest::CheckAfterKill(int round, uint64_t committed, Census* census) {
  Found found;
  auto ledger = Must(Ledger::Open(ledger_dir_, OpenMode::kReadOnly));
  auto reopened = ProjectionStore::Open(ProjectionStore::PathFor(ledger_dir_));
  EXPECT_TRUE(reopened.ok()) << "after kill " << round
                             << " the store did not reopen: " << reopened.status().ToString();
  if (!reopened.ok()) return found;
  ProjectionStore* store = reopened.value().get();
  auto before = store->GetStatus();
  const uint64_t position = before.ok() ? before.value().position : 0;
  EXPECT_GE(position, committed) << "after kill " << round << " a reported commit was lost";
  found.written = before.ok() && position == ledger->size();
  projections::UpdateReport report;
  auto start = std::chrono::steady_clock::now();
  const Status updated = store->Update(ledger.get(), &report);
  EXPECT_TRUE(updated.ok()) << "after kill " << round << ": " << updated.ToString();
  if (!updated.ok()) return found;
  auto took = std::chrono::steady_clock::now() - start;

  const std::string fresh_path = dir_.path() + "/fresh";
  std::filesystem::remove_all(fresh_path);
  auto fresh = Must(ProjectionStore::Open(fresh_path));
  start = std::chrono::steady_clock::now();
  EXPECT_OK(fresh->Rebuild(ledger.get(), &report));
  if (mode_ == "rebuild") took = std::chrono::steady_clock::now() - start;
  found.apply_us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();

  const auto differences = Differences(store, fresh.get(), ledger.get(), &census->summaries);
  for (const std::string& d : differences) ADD_FAILURE() << "after kill " << round << ": " << d;
  census->differences += differences.size();
  census->log_size = ledger->size();
  return found;
}

Census StoreCrashTest::RunRounds(const std::string& mode, int kills, uint64_t seed) {
  mode_ = mode;
  err_ = dir_.path() + "/" + mode + ".err";
  GenerateEvents(kills);
  std::mt19937_64 rng(seed);
  Census census;
  int64_t apply_us = -1;  // how long the last apply here took
  for (int round = 1; round <= kills && !HasFailure(); ++round) {
    std::string kill_at;
    if (round % 3 == 0) kill_at = round % 6 == 0 ? "after-commit" : "before-commit";
    if (mode == "update" && round % 10 == 1) {
      std::filesystem::remove_all(ProjectionStore::PathFor(ledger_dir_));
      ++census.fresh_stores;
    }
    Killed killed;
    KillOneChild(kill_at, apply_us < 0 ? -1 : KillDelay(apply_us, rng), &killed);
    if (HasFatalFailure()) return census;
    const Found found = CheckAfterKill(round, killed.committed, &census);
    apply_us = found.apply_us;
    ++census.kills;
    (kill_at.empty() ? census.random
                     : (kill_at == "after-commit" ? census.after_commit : census.before_commit))++;
    if (kill_at == "after-commit") {
      EXPECT_TRUE(found.written) << "kill " << round << " after a commit: it is not on disk";
    }
    if (kill_at.empty() && killed.in_apply) {
      ++census.in_apply;
      census.in_apply_written += found.written;
    }
  }
  std::printf(
      "%s: %d kills (%d before a commit, %d after one, %d at random: %d in an apply, its "
      "write on disk after %d of them), %d rounds from no store; log of %llu entries; "
      "summary.json compared after %d; %zu differences\n",
      mode.c_str(), census.kills, census.before_commit, census.after_commit, census.random,
      census.in_apply, census.in_apply_written, census.fresh_stores,
      static_cast<unsigned long long>(census.log_size), census.summaries, census.differences);
  return census;
}

TEST_F(StoreCrashTest, KilledIncrementalAppliesLeaveTheViewsOfAFreshRebuild) {
  const int kills = CrashKills(55);
  const Census c = RunRounds("update", kills, 2028);
  EXPECT_EQ(c.kills, kills);
  EXPECT_EQ(c.differences, 0u);
  EXPECT_GT(c.in_apply, 0) << "no random kill landed in an apply";
  EXPECT_GT(c.summaries, 0) << "no summary.json was compared";
}

TEST_F(StoreCrashTest, KilledRebuildsLeaveTheViewsOfAFreshRebuild) {
  const int kills = CrashKills(55);
  const Census c = RunRounds("rebuild", kills, 2029);
  EXPECT_EQ(c.kills, kills);
  EXPECT_EQ(c.differences, 0u);
  EXPECT_GT(c.in_apply, 0) << "no random kill landed in a rebuild";
  EXPECT_GT(c.summaries, 0) << "no summary.json was compared";
}

}  // namespace
}  // namespace evident::testing
