// evident-attack: the bounded attack harness of issue 23 (docs/operations.md,
// "The attack harness").
//
//   evident-attack [--dir DIR] [--phase-seconds S] [--baseline-seconds B]
//                  [--rate R] [--rss-bound-mib M] [--evident PATH]
//
// Makes a fresh ledger in DIR (default var/attack), serves it with `evident
// serve` over loopback TLS in a child process, and runs a well-behaved
// integration appending one event at a time at R a second (default 50)
// throughout: a baseline of B seconds (default 10), one phase of S seconds
// (default 8) per attack (attacks.h) beside it, and a baseline again. The
// server's VmRSS is read every 100 ms, and the disk's own floor beside them (a
// synced 4 KiB write at the same rate, to a file in DIR). Prints one row per phase and exits 1
// if the server died, an attack that must hold did not, a well-behaved append
// failed, or the server's RSS went over M MiB (default 1024). Latency is
// printed, never enforced: the machine may be shared.

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "tools/bench/attack_setup.h"
#include "tools/bench/attacks.h"
#include "tools/bench/gen_util.h"
#include "tools/bench/stats.h"

namespace evident::bench {
namespace {

using std::chrono::milliseconds;

// Event ids of the well-behaved client.
constexpr uint64_t kSteadySeed = 0xa77ac1;

// What the well-behaved client saw in one phase.
struct PhaseRecord {
  std::vector<double> latencies_ms;  // each append's, from when it was due
  size_t failed = 0;
  std::string last_error;
  double rss_max_mib = 0;
  std::vector<double> disk_ms;  // the disk's own synced 4 KiB writes in the same window
};

// The well-behaved integration: one event per 1/rate s (open loop), each
// append's latency put in the record of the phase it was due in. After a
// failure it logs in again at its next turn.
class SteadyClient {
 public:
  SteadyClient(const server::ClientOptions& options, const PrivateKey& key, double rate,
               size_t phases)
      : options_(options),
        key_(key),
        interval_(std::chrono::duration_cast<AttackClock::duration>(
            std::chrono::duration<double>(1.0 / rate))),
        records_(phases) {}
  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  void SetPhase(size_t phase) { phase_ = phase; }
  void RecordDisk(double ms) {
    std::lock_guard<std::mutex> lock(mu_);
    records_[phase_].disk_ms.push_back(ms);
  }
  void RecordRss(double mib) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& r = records_[phase_];
    r.rss_max_mib = std::max(r.rss_max_mib, mib);
  }
  std::vector<PhaseRecord> Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    std::lock_guard<std::mutex> lock(mu_);
    return records_;
  }

 private:
  void Run() {
    auto codec = EventJsonCodec::Create();
    if (!codec.ok()) return;
    std::unique_ptr<server::Client> client;
    const auto start = AttackClock::now();
    for (uint64_t k = 1; !stop_; ++k) {
      const auto due = start + k * interval_;
      std::this_thread::sleep_until(due);
      auto event = SignJson(codec.value().get(), key_,
                            AttendanceEventJson(gen::EventId(kSteadySeed, k), kLms));
      Status s = event.status();
      if (s.ok() && client == nullptr) {
        auto c = server::Client::Connect(options_, key_);
        s = c.status();
        if (c.ok()) client = std::move(c.value());
      }
      if (s.ok()) s = client->Append({event.value()}).status();
      const double ms = std::chrono::duration<double, std::milli>(AttackClock::now() - due).count();
      std::lock_guard<std::mutex> lock(mu_);
      PhaseRecord& r = records_[phase_];
      if (s.ok()) {
        r.latencies_ms.push_back(ms);
      } else {
        ++r.failed;
        r.last_error = s.ToString();
        client.reset();
      }
    }
  }

  const server::ClientOptions options_;
  const PrivateKey key_;
  const AttackClock::duration interval_;
  std::atomic<size_t> phase_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<PhaseRecord> records_;
  std::thread thread_;
};

struct Phase {
  std::string name;
  bool must_hold = true;              // its failure fails the run; else reported only
  Outcome (*attack)(AttackContext&);  // null for a baseline
};

std::vector<Phase> Phases() {
  return {{"baseline", true, nullptr},
          {"1 subscribers reset mid-stream", true, ResettingSubscribers},
          {"2 malformed raw events", true, MalformedEvents},
          {"3 id squatting", true, IdSquatting},
          {"4 board as_of query loop", true, BoardQueryLoop},
          {"5 revoked key's subscription", true, RevokedSubscription},
          {"6 another system's name and person", true, ForeignSourceSystem},
          {"7 silent flood beside slow logins", true, SilentFloodBesideSlowLogins},
          {"8 one key's idle subscriptions", true, OneKeysIdleSubscriptions},
          {"9 stalled large frames", true, StalledLargeFrames},
          {"10 23 MiB of nested brackets", true, NestedBrackets},
          {"11 probing ids through errors", true, ProbeIdsThroughErrors},
          {"login flood, bad signatures", true, BadSignatureLogins},
          {"log forging", true, ForgedLogLines},
          {"baseline again", true, nullptr}};
}

std::map<std::string, std::string> ParseFlags(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strncmp(argv[i], "--", 2) == 0) flags[argv[i] + 2] = argv[i + 1];
  }
  return flags;
}

double Number(const std::map<std::string, std::string>& flags, const char* name, double fallback) {
  auto it = flags.find(name);
  return it == flags.end() ? fallback : std::strtod(it->second.c_str(), nullptr);
}

int Fail(const Status& s) {
  std::fprintf(stderr, "evident-attack: %s\n", s.ToString().c_str());
  return 1;
}

int Run(int argc, char** argv) {
  const auto flags = ParseFlags(argc, argv);
  const std::string dir = flags.count("dir") ? flags.at("dir") : "var/attack";
  const double phase_seconds = Number(flags, "phase-seconds", 8);
  const double baseline_seconds = Number(flags, "baseline-seconds", 10);
  const double rate = Number(flags, "rate", 50);
  const double rss_bound = Number(flags, "rss-bound-mib", 1024);
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string evident =
      flags.count("evident")
          ? flags.at("evident")
          : (std::filesystem::path(self).parent_path().parent_path() / "evident/evident").string();
  std::signal(SIGPIPE, SIG_IGN);  // a connection the server closed is an answer, not our end

  std::printf(
      "== evident-attack: ledger in %s; baselines %.0f s, attacks %.0f s each, "
      "appends at %.0f/s\n",
      dir.c_str(), baseline_seconds, phase_seconds, rate);
  auto keys = MakeAttackLedger(evident, dir);
  if (!keys.ok()) return Fail(keys.status());
  auto server = ServerProcess::Start(evident, dir);
  if (!server.ok()) return Fail(server.status());
  ServerProcess& srv = *server.value();
  std::printf("-- evident serve (pid %d) on 127.0.0.1:%u; its log: %s\n", int(srv.pid()),
              unsigned(srv.port()), srv.log_path().c_str());

  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return Fail(codec.status());
  AttackContext context;
  context.client = &srv.client_options();
  context.keys = &keys.value();
  context.log_path = srv.log_path();
  context.codec = codec.value().get();
  context.server_alive = [&srv] { return srv.Alive(); };
  context.used_event_id = gen::EventId(kSteadySeed, 0);  // appended here, first
  {
    auto lms = server::Client::Connect(srv.client_options(), keys.value().lms);
    if (!lms.ok()) return Fail(lms.status().WithContext("the first append"));
    auto first =
        SignJson(context.codec, keys.value().lms, AttendanceEventJson(context.used_event_id, kLms));
    if (!first.ok()) return Fail(first.status());
    if (Status s = lms.value()->Append({first.value()}).status(); !s.ok()) return Fail(s);
  }

  const std::vector<Phase> phases = Phases();
  SteadyClient steady(srv.client_options(), keys.value().lms, rate, phases.size());
  std::atomic<bool> sampling{true};
  std::atomic<double> rss_max{0};
  std::thread sampler([&] {
    while (sampling) {
      const double rss = srv.RssMiB();
      steady.RecordRss(rss);
      if (rss > rss_max) rss_max = rss;
      std::this_thread::sleep_for(milliseconds(100));
    }
  });
  // The disk's own floor, beside the appends: a synced 4 KiB write to a file
  // in the ledger's folder at the same rate. A phase whose appends' p99 rose
  // while this did too met a stall of the disk, not of the server.
  std::thread disk_probe([&] {
    const std::string path = dir + "/disk-probe";
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (fd < 0) return;
    const std::string block(4096, 'd');
    const auto interval = std::chrono::duration<double>(1.0 / rate);
    auto due = AttackClock::now();
    while (sampling) {
      due += std::chrono::duration_cast<AttackClock::duration>(interval);
      std::this_thread::sleep_until(due);
      const auto start = AttackClock::now();
      if (::pwrite(fd, block.data(), block.size(), 0) < 0 || ::fdatasync(fd) != 0) break;
      steady.RecordDisk(
          std::chrono::duration<double, std::milli>(AttackClock::now() - start).count());
    }
    ::close(fd);
    ::unlink(path.c_str());
  });
  steady.Start();
  std::vector<Outcome> outcomes;
  bool died = false;
  for (size_t p = 0; p < phases.size() && !died; ++p) {
    steady.SetPhase(p);
    const double seconds = phases[p].attack == nullptr ? baseline_seconds : phase_seconds;
    context.deadline = AttackClock::now() + std::chrono::duration_cast<AttackClock::duration>(
                                                std::chrono::duration<double>(seconds));
    Outcome outcome{true, "server alive"};
    if (phases[p].attack != nullptr) outcome = phases[p].attack(context);
    std::this_thread::sleep_until(context.deadline);
    died = !srv.Alive();
    if (died) outcome = {false, "THE SERVER DIED: " + outcome.text};
    std::printf("-- %s: %s%s\n", phases[p].name.c_str(), outcome.held ? "" : "[does not hold] ",
                outcome.text.c_str());
    std::fflush(stdout);
    outcomes.push_back(outcome);
  }
  const std::vector<PhaseRecord> records = steady.Stop();
  sampling = false;
  sampler.join();
  disk_probe.join();
  const Status stopped = srv.Stop();
  if (!stopped.ok()) died = true;

  const double baseline_p99 = Percentile(records[0].latencies_ms, 0.99);
  const double disk_baseline_p99 = Percentile(records[0].disk_ms, 0.99);
  double worst_ratio = 0, worst_ratio_beside_a_steady_disk = 0;
  std::string over_twice, disk_stalls;
  bool failed = died;
  size_t failed_appends = 0;
  std::printf(
      "\n| phase | appends | p50 / p99 / max ms | p99 ÷ baseline | disk p99 ms (÷ baseline) | "
      "server RSS max MiB | outcome | holds |\n|---|---|---|---|---|---|---|---|\n");
  for (size_t p = 0; p < outcomes.size(); ++p) {
    const PhaseRecord& r = records[p];
    const double p99 = Percentile(r.latencies_ms, 0.99);
    const double ratio = baseline_p99 > 0 ? p99 / baseline_p99 : 0;
    const double disk_p99 = Percentile(r.disk_ms, 0.99);
    const double disk_ratio = disk_baseline_p99 > 0 ? disk_p99 / disk_baseline_p99 : 0;
    worst_ratio = std::max(worst_ratio, ratio);
    if (ratio > 2 && disk_ratio > 2) {
      disk_stalls += " " + phases[p].name.substr(0, phases[p].name.find(' ')) + ";";
    } else {
      worst_ratio_beside_a_steady_disk = std::max(worst_ratio_beside_a_steady_disk, ratio);
      if (ratio > 2) over_twice += " " + phases[p].name.substr(0, phases[p].name.find(' ')) + ";";
    }
    failed_appends += r.failed;
    if (phases[p].must_hold && !outcomes[p].held) failed = true;
    std::string appends = Count(double(r.latencies_ms.size()));
    if (r.failed > 0)
      appends += " (" + Count(double(r.failed)) + " FAILED: " + Short(r.last_error, 50) + ")";
    std::printf("| %s | %s | %s / %s / %s | %s | %s (%s) | %s | %s | %s |\n",
                phases[p].name.c_str(), appends.c_str(),
                Fmt("%.1f", Percentile(r.latencies_ms, 0.5)).c_str(), Fmt("%.1f", p99).c_str(),
                Fmt("%.1f", Percentile(r.latencies_ms, 1.0)).c_str(), Fmt("%.2f", ratio).c_str(),
                Fmt("%.1f", disk_p99).c_str(), Fmt("%.2f", disk_ratio).c_str(),
                Fmt("%.0f", r.rss_max_mib).c_str(),
                Short(outcomes[p].text, 400).c_str(),
                outcomes[p].held      ? "yes"
                : phases[p].must_hold ? "**NO**"
                                      : "no");
  }
  for (size_t p = 0; p < outcomes.size(); ++p) {
    if (!phases[p].must_hold) {
      std::printf("\nreported only: %s: %s", phases[p].name.c_str(),
                  outcomes[p].held ? "held" : "did not hold");
    }
  }
  std::printf(
      "\np99 over twice the baseline's beside a steady disk:%s over twice where the disk's own "
      "p99 was too (a disk stall):%s worst p99 ratio beside a steady disk %.2f",
      over_twice.empty() ? " none;" : over_twice.c_str(),
      disk_stalls.empty() ? " none;" : disk_stalls.c_str(), worst_ratio_beside_a_steady_disk);
  if (failed_appends > 0) failed = true;
  if (rss_max > rss_bound) failed = true;
  std::printf(
      "\nserver survived: %s%s; well-behaved appends failed: %zu; worst p99 ratio %.2f; "
      "RSS max %.0f MiB (bound %.0f)\n",
      died ? "no" : "yes", stopped.ok() ? "" : (" (" + stopped.ToString() + ")").c_str(),
      failed_appends, worst_ratio, rss_max.load(), rss_bound);
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace evident::bench

int main(int argc, char** argv) { return evident::bench::Run(argc, argv); }
