// evident-load: the end-to-end load benchmark (docs/performance.md).
//
//   evident-load all --dir DIR [--count N] [--threads T] [--fanout-rate R]
//                    [--projection-ledger DIR] [--no-peer]
//       makes (once) a data set of N pre-signed events in DIR/data, measures
//       the machine's ceilings in this process, runs every scenario in a
//       process of its own, and prints one table: each figure beside its
//       ceiling or peer as a ratio, its target, and the scenario's peak RSS
//   evident-load run SCENARIO --data DIR --ledger DIR [--threads T] [--rate R]
//                    [--seconds S] [--subscribers K] [--request-events E]
//                    [--slices N]
//       one scenario (append, tls, latency, postgres, verify, catchup,
//       fanout, latency-in-process, synced-floor); prints its result as a
//       line "RESULT {json}".
//       With --slices N, a throughput scenario (append, tls, postgres) runs
//       the data set in N slices, and verify runs N times; between two, each
//       prints "PAUSE" and waits for a line on its standard input
//   evident-load ceilings [--data DIR] [--dir SCRATCH] [--seconds S]
//       the ceilings alone, as a RESULT line
//   evident-load prepare --data DIR [--count N]
//       makes the data set only
//
// Nothing here is a test: the targets are printed, not asserted.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "tools/bench/bench_data.h"
#include "tools/bench/ceilings.h"
#include "tools/bench/scenarios.h"
#include "tools/bench/spawn.h"
#include "tools/bench/stats.h"

namespace evident::bench {
namespace {

using nlohmann::json;

struct Args {
  std::map<std::string, std::string> flags;
  std::vector<std::string> positional;
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = flags.find(name);
    return it == flags.end() ? fallback : it->second;
  }
  double Number(const std::string& name, double fallback) const {
    auto it = flags.find(name);
    return it == flags.end() ? fallback : std::strtod(it->second.c_str(), nullptr);
  }
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) == 0) {
      const bool has_value = i + 1 < argc && std::strncmp(argv[i + 1], "--", 2) != 0;
      a.flags[arg.substr(2)] = has_value ? argv[++i] : "";
    } else {
      a.positional.push_back(arg);
    }
  }
  return a;
}

// The throughput scenarios' slices, and verify's runs, each between two
// ceilings.
constexpr int kSlices = 5;
constexpr int kVerifyRuns = 3;

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "evident-load: %s\n", s.ToString().c_str());
  return 1;
}

int RunOne(const Args& a) {
  if (a.positional.empty()) return Fail(Status::InvalidArgument("run: which scenario?"));
  const std::string name = a.positional[0];
  ScenarioOptions o;
  o.data_dir = a.Get("data");
  o.ledger_dir = a.Get("ledger");
  o.threads = int(a.Number("threads", o.threads));
  o.rate = a.Number("rate", 0);
  o.seconds = a.Number("seconds", o.seconds);
  o.subscribers = int(a.Number("subscribers", o.subscribers));
  o.request_events = size_t(a.Number("request-events", double(o.request_events)));
  o.slices = std::max(1, int(a.Number("slices", 1)));
  o.pause = [] {
    std::printf("PAUSE\n");
    std::fflush(stdout);
    // On the driver's line, or at once at the end of input (run by hand
    // with no driver).
    char line[16];
    if (std::fgets(line, sizeof(line), stdin) == nullptr) return;
  };
  const std::map<std::string, StatusOr<Result> (*)(const ScenarioOptions&)> scenarios = {
      {"append", AppendInProcess}, {"tls", AppendOverTls},       {"latency", AppendLatency},
      {"latency-in-process", AppendLatencyInProcess}, {"synced-floor", SyncedWriteFloor},
      {"latency-cosigned", AppendLatencyCosigned},
      {"postgres", AppendPostgres}, {"verify", VerifyInProcess}, {"catchup", CatchUp},
      {"fanout", FanOut}};
  auto it = scenarios.find(name);
  if (it == scenarios.end()) return Fail(Status::InvalidArgument("no scenario " + name));
  auto r = it->second(o);
  if (!r.ok()) return Fail(r.status().WithContext(name));
  const Result& result = r.value();
  json out = {{"events", result.events}, {"seconds", result.seconds}, {"rate", result.rate()}};
  if (!result.slices.empty()) {
    out["slices"] = json::array();
    for (const Slice& slice : result.slices) {
      out["slices"].push_back({{"events", slice.events}, {"seconds", slice.seconds}});
    }
  }
  for (const auto& [name, value] : result.extra) out[name] = value;
  if (!result.latencies_ms.empty()) {
    out["samples"] = result.latencies_ms.size();
    out["p50_ms"] = Percentile(result.latencies_ms, 0.50);
    out["p99_ms"] = Percentile(result.latencies_ms, 0.99);
    out["p999_ms"] = Percentile(result.latencies_ms, 0.999);
    out["max_ms"] = Percentile(result.latencies_ms, 1.0);
  }
  std::printf("RESULT %s\n", out.dump().c_str());
  return 0;
}

// What a child process reported, and its own peak RSS.
struct Child {
  json result;
  double rss_mib = 0;
};

// Runs `argv` and returns its RESULT line and peak RSS; other output passes
// through, indented. Each "PAUSE" line it prints calls on_pause, then tells
// it to go on.
StatusOr<Child> Spawn(const std::vector<std::string>& argv,
                      const std::function<void()>& on_pause = {}) {
  std::string shown = std::filesystem::path(argv[0]).filename().string();
  for (size_t i = 1; i < argv.size(); ++i) shown += " " + argv[i];
  std::fprintf(stdout, "-- %s\n", shown.c_str());
  std::fflush(stdout);
  int fds[2], go[2];
  if (::pipe(fds) != 0) return Status::IOError("pipe");
  if (::pipe(go) != 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::IOError("pipe");
  }
  const pid_t pid = ForkExec(argv, [&] {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(go[0], STDIN_FILENO);
    for (int fd : {fds[0], fds[1], go[0], go[1]}) ::close(fd);
  });
  ::close(fds[1]);
  ::close(go[0]);
  Child child;
  std::FILE* in = ::fdopen(fds[0], "r");
  char line[4096];
  while (std::fgets(line, sizeof(line), in) != nullptr) {
    if (std::strncmp(line, "RESULT ", 7) == 0) {
      child.result = json::parse(line + 7, nullptr, false);
    } else if (std::strcmp(line, "PAUSE\n") == 0) {
      if (on_pause) on_pause();
      if (::write(go[1], "go\n", 3) != 3) break;  // the child is gone: its status says why
    } else {
      std::fprintf(stdout, "   %s", line);
    }
  }
  std::fclose(in);
  ::close(go[1]);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  child.rss_mib = double(usage.ru_maxrss) / 1024.0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !child.result.is_object()) {
    return Status::IOError(argv[0] + " " + (argv.size() > 2 ? argv[2] : "") + " failed");
  }
  return child;
}

struct Row {
  std::string what, figure, compared, ratio, target, met, rss;
};

class Table {
 public:
  void Add(Row r) { rows_.push_back(std::move(r)); }
  // A rate against a ceiling or peer, with a minimum ratio as its target.
  void AddRatio(const std::string& what, double rate, const std::string& against, double base,
                double min_ratio, double rss, const std::string& unit = "/s") {
    const double ratio = base > 0 ? rate / base : 0;
    Add({what, Count(rate) + unit, against + " " + Count(base) + unit, Fmt("%.2f", ratio),
         min_ratio > 0 ? Fmt("≥ %.2f", min_ratio) : "", min_ratio > 0 ? Met(ratio >= min_ratio) : "",
         RssCell(rss)});
  }
  static std::string Met(bool ok) { return ok ? "yes" : "**no**"; }
  static std::string RssCell(double rss) { return rss > 0 ? Count(rss) : ""; }
  void Print() const {
    std::printf(
        "\n| scenario | measured | compared with | ratio | target | met | peak RSS MiB |\n"
        "|---|---|---|---|---|---|---|\n");
    for (const Row& r : rows_) {
      std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", r.what.c_str(), r.figure.c_str(),
                  r.compared.c_str(), r.ratio.c_str(), r.target.c_str(), r.met.c_str(),
                  r.rss.c_str());
    }
  }

 private:
  std::vector<Row> rows_;
};

std::string SelfPath() {
  return std::filesystem::read_symlink("/proc/self/exe").string();
}

std::string Latencies(const json& r) {
  return Fmt("%.2f", r.value("p50_ms", 0.0)) + " / " + Fmt("%.2f", r.value("p99_ms", 0.0)) +
         " / " + Fmt("%.2f", r.value("p999_ms", 0.0)) + " ms";
}

// What the ceilings are measured on: 1,024 distinct events of system 0 (the
// key that signed them is the data set's systems[0]).
StatusOr<std::vector<SignedEvent>> LoadSample(const std::string& data) {
  auto reader = EventReader::Open(EventsPath(data, 0));
  if (!reader.ok()) return reader.status();
  std::vector<SignedEvent> sample;
  if (!reader.value()->Next(1024, &sample)) return Status::NotFound("the data set is empty");
  return sample;
}

// The ceilings alone, as a RESULT line: for comparing with one scenario by hand.
int PrintCeilings(const Args& a) {
  const std::string data = a.Get("data", "var/bench/data");
  auto keys = LoadKeys(data);
  if (!keys.ok()) return Fail(keys.status());
  auto sample = LoadSample(data);
  if (!sample.ok()) return Fail(sample.status());
  auto c = MeasureCeilings(sample.value(), keys.value().systems[0].public_key(), a.Get("dir", data),
                           a.Number("seconds", 3.0));
  if (!c.ok()) return Fail(c.status());
  json out = {{"sign_one", c.value().sign_one},         {"sign_all", c.value().sign_all},
              {"verify_one", c.value().verify_one},     {"verify_all", c.value().verify_all},
              {"synced_batch", c.value().synced_batch}, {"synced_commits", c.value().synced_batch_commits},
              {"synced_write_p50_ms", c.value().synced_write_p50_ms},
              {"synced_write_p99_ms", c.value().synced_write_p99_ms},
              {"synced_write_max_ms", c.value().synced_write_max_ms}};
  std::printf("RESULT %s\n", out.dump().c_str());
  return 0;
}

int RunAll(const Args& a) {
  const std::string dir = a.Get("dir", "var/bench");
  const std::string data = dir + "/data";
  const uint64_t count = uint64_t(a.Number("count", 1000000));
  const int threads = int(a.Number("threads", kSystems));
  const std::string self = SelfPath();
  std::signal(SIGPIPE, SIG_IGN);  // a scenario that dies fails its run, not this driver
  const std::string bin_dir = std::filesystem::path(self).parent_path().string();

  char today[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(today, sizeof(today), "%Y-%m-%d", std::gmtime(&now));
  std::printf("== evident-load, %s: %s events, %d threads/clients, %d cores\n", today,
              Count(double(count)).c_str(), threads, int(std::thread::hardware_concurrency()));

  auto start = std::chrono::steady_clock::now();
  if (Status s = PrepareDataSet(data, count); !s.ok()) return Fail(s);
  std::printf("-- data set ready in %.1f s (made once, kept in %s)\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              data.c_str());

  auto keys = LoadKeys(data);
  if (!keys.ok()) return Fail(keys.status());
  auto loaded = LoadSample(data);
  if (!loaded.ok()) return Fail(loaded.status());
  const std::vector<SignedEvent>& sample = loaded.value();
  std::printf("-- ceilings (this process, now)\n");
  auto c = MeasureCeilings(sample, keys.value().systems[0].public_key(), dir, 3.0);
  if (!c.ok()) return Fail(c.status());
  const Ceilings& ceil = c.value();

  // The all-core verify ceiling again just before and just after each
  // throughput scenario, and the higher of the two is its ceiling: the
  // machine is shared, so each ratio is to the ceiling of its moment, and
  // where the two differ the ratio quoted is the less flattering.
  auto ceiling_now = [&] {
    const double rate = VerifyRate(sample, keys.value().systems[0].public_key(), ceil.cores, 3.0);
    std::printf("-- verify ceiling now: %s/s\n", Count(rate).c_str());
    return rate;
  };
  using Pause = std::function<void()>;
  auto run = [&](const std::string& scenario, const std::string& ledger,
                 std::vector<std::string> extra, const Pause& on_pause = {}) -> StatusOr<Child> {
    std::vector<std::string> argv = {self, "run", scenario, "--data", data, "--ledger", ledger};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return Spawn(argv, on_pause);
  };
  std::error_code ec;
  auto fresh = [&](const std::string& name) {
    std::filesystem::remove_all(dir + "/" + name, ec);
    return dir + "/" + name;
  };
  // A scenario on a ledger of its own, removed afterwards.
  auto run_scratch = [&](const std::string& scenario, const std::vector<std::string>& extra,
                         const Pause& on_pause = {}) {
    auto child = run(scenario, fresh("ledger-scratch"), extra, on_pause);
    std::filesystem::remove_all(dir + "/ledger-scratch", ec);
    return child;
  };
  Table table;
  // A throughput scenario with the verify ceiling measured before it, at
  // each of its pauses and after it, and its row, named from its result.
  // Each slice's rate is taken as a ratio to the higher of the ceilings
  // either side of it (the less flattering), and the row gives the median
  // of those ratios: a burst of load from elsewhere on the machine moves
  // one slice, not the figure. A scenario without slices is one slice;
  // verify's are whole runs (`part` names them).
  using Namer = std::function<std::string(const json& result)>;
  using Scenario = std::function<StatusOr<Child>(const Pause& on_pause)>;
  auto beside_ceiling = [&](const Namer& what, double min_ratio, const Scenario& scenario,
                            const std::string& part = "slice") -> StatusOr<Child> {
    std::vector<double> ceilings = {ceiling_now()};
    auto child = scenario([&] { ceilings.push_back(ceiling_now()); });
    if (!child.ok()) return child;
    ceilings.push_back(ceiling_now());
    const json& r = child.value().result;
    json slices = r.value("slices", json::array());
    if (slices.empty()) slices.push_back({{"events", r["events"]}, {"seconds", r["seconds"]}});
    if (slices.size() + 1 != ceilings.size()) {
      return Status::FailedPrecondition("the scenario ran " + std::to_string(slices.size()) +
                                        " slices but paused " +
                                        std::to_string(ceilings.size() - 2) + " times");
    }
    std::vector<double> ratios, bases;
    for (size_t i = 0; i < slices.size(); ++i) {
      const double rate = slices[i]["events"].get<double>() / slices[i]["seconds"].get<double>();
      bases.push_back(std::max(ceilings[i], ceilings[i + 1]));
      ratios.push_back(rate / bases.back());
      std::printf("-- %s %zu: %s/s against %s/s: %.2f\n", part.c_str(), i + 1,
                  Count(rate).c_str(), Count(bases.back()).c_str(), ratios.back());
    }
    const double ratio = Median(ratios);
    std::string compared = "verify ceiling " + Count(Median(bases)) + "/s";
    if (ratios.size() > 1) {
      compared += "; median of " + std::to_string(ratios.size()) + " " + part + "s' ratios, " +
                  Fmt("%.2f", *std::min_element(ratios.begin(), ratios.end())) + "–" +
                  Fmt("%.2f", *std::max_element(ratios.begin(), ratios.end()));
    }
    table.Add({what(r), Count(r["rate"].get<double>()) + "/s", compared, Fmt("%.2f", ratio),
               min_ratio > 0 ? Fmt("≥ %.2f", min_ratio) : "",
               min_ratio > 0 ? Table::Met(ratio >= min_ratio) : "",
               Table::RssCell(child.value().rss_mib)});
    return child;
  };
  auto named = [](std::string what) { return [what](const json&) { return what; }; };
  const std::string t = std::to_string(threads);

  const std::string cores = std::to_string(ceil.cores);
  table.Add({"Ed25519 sign, one core", Count(ceil.sign_one) + "/s", "", "", "", "", ""});
  table.Add({"Ed25519 sign, " + cores + " cores", Count(ceil.sign_all) + "/s", "", "", "", "", ""});
  table.Add({"Ed25519 verify, one core", Count(ceil.verify_one) + "/s", "", "", "", "", ""});
  table.Add({"Ed25519 verify, " + cores + " cores (**the ceiling**)", Count(ceil.verify_all) + "/s",
             "", "", "", "", ""});
  table.Add({"RocksDB synced batches of " + std::to_string(kBatch),
             Count(ceil.synced_batch) + " entries/s",
             Count(ceil.synced_batch_commits) + " commits/s", "", "", "", ""});
  table.Add({"RocksDB synced write of 16 entries, p50 / p99 / max",
             Fmt("%.2f", ceil.synced_write_p50_ms) + " / " + Fmt("%.2f", ceil.synced_write_p99_ms) +
                 " / " + Fmt("%.2f", ceil.synced_write_max_ms) + " ms",
             "", "", "", "", ""});

  const std::vector<std::string> sliced = {"--slices", std::to_string(kSlices)};
  auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  auto one = beside_ceiling(named("durable append in process, 1 thread"), 0, [&](const Pause& p) {
    return run_scratch("append", with({"--threads", "1"}, sliced), p);
  });
  if (!one.ok()) return Fail(one.status());

  const std::string ledger = fresh("ledger");  // kept for verify and catch-up
  auto many = beside_ceiling(named("durable append in process, " + t + " threads"), 0.85,
                             [&](const Pause& p) {
                               return run("append", ledger, with({"--threads", t}, sliced), p);
                             });
  if (!many.ok()) return Fail(many.status());
  const double in_process = many.value().result["rate"];

  auto tls = beside_ceiling(named("durable append over TLS, " + t + " clients"), 0.70,
                            [&](const Pause& p) {
                              return run_scratch("tls", with({"--threads", t}, sliced), p);
                            });
  if (!tls.ok()) return Fail(tls.status());
  const double over_tls = tls.value().result["rate"];

  if (!a.flags.count("no-peer")) {
    auto pg = beside_ceiling(named("PostgreSQL peer, " + t + " connections"), 0,
                             [&](const Pause& p) {
                               return run("postgres", dir, with({"--threads", t}, sliced), p);
                             });
    if (!pg.ok()) return Fail(pg.status());
    const double peer = pg.value().result["rate"];
    table.AddRatio("Evident in process ÷ peer", in_process, "peer", peer, 2.0, 0);
    table.AddRatio("Evident over TLS ÷ peer", over_tls, "peer", peer, 2.0, 0);
  }

  // Latency at half of each path's own peak, in requests of 16 events
  // spread over the same clients, for 30 s each. Its floor is the same
  // synced writes alone at the same pace, with nothing checked or signed,
  // measured just before and just after it: of the two, the one with the
  // lower p99 (the less flattering) is printed beside it, and the ratio is
  // of the two p99s.
  for (const auto& [scenario, peak, how] :
       {std::tuple<const char*, double, const char*>{"latency-in-process", in_process,
                                                     "in process"},
        {"latency", over_tls, "over TLS"}}) {
    const double half = peak / 2;
    const std::vector<std::string> paced = {"--rate", Fmt("%.0f", half), "--seconds", "30"};
    auto floor_before = run_scratch("synced-floor", paced);
    if (!floor_before.ok()) return Fail(floor_before.status());
    auto latency = run_scratch(scenario, with({"--threads", t}, paced));
    if (!latency.ok()) return Fail(latency.status());
    auto floor_after = run_scratch("synced-floor", paced);
    if (!floor_after.ok()) return Fail(floor_after.status());
    const json& before = floor_before.value().result;
    const json& after = floor_after.value().result;
    const json& floor = before["p99_ms"].get<double>() <= after["p99_ms"].get<double>() ? before
                                                                                       : after;
    std::printf("-- synced writes alone at %s events/s, p50 / p99 / p999: %s before, %s after\n",
                Count(half).c_str(), Latencies(before).c_str(), Latencies(after).c_str());
    const json& lr = latency.value().result;
    const double p99 = lr["p99_ms"].get<double>();
    table.Add({std::string("append latency ") + how + " at half of peak (" + Count(half) +
                   " events/s, requests of 16), p50 / p99 / p999",
               Latencies(lr),
               "synced writes alone at this pace: " + Latencies(floor) + "; " +
                   Count(lr["samples"].get<double>()) + " requests",
               Fmt("%.2f", p99 / floor["p99_ms"].get<double>()), "p99 < 5 ms",
               Table::Met(p99 < 5.0), Table::RssCell(latency.value().rss_mib)});
  }

  // Cosigning behind the appends: the in-process appends again at the same
  // pace while two witnesses on loopback (HTTPS) cosign every round's
  // checkpoint, between two runs without them. The ratio is to the lower of
  // the two p99s without witnesses (the less flattering).
  {
    const double half = in_process / 2;
    const std::vector<std::string> paced = {"--threads", t, "--rate", Fmt("%.0f", half),
                                            "--seconds", "30"};
    auto before = run_scratch("latency-in-process", paced);
    if (!before.ok()) return Fail(before.status());
    auto cosigned = run_scratch("latency-cosigned", paced);
    if (!cosigned.ok()) return Fail(cosigned.status());
    auto after = run_scratch("latency-in-process", paced);
    if (!after.ok()) return Fail(after.status());
    const json& b = before.value().result;
    const json& a = after.value().result;
    const json& c = cosigned.value().result;
    const double plain_p99 = std::min(b["p99_ms"].get<double>(), a["p99_ms"].get<double>());
    const double ratio = c["p99_ms"].get<double>() / plain_p99;
    table.Add({"append latency in process at half of peak (" + Count(half) +
                   " events/s) while two witnesses cosign, p50 / p99 / p999",
               Latencies(c),
               "without witnesses, before and after: " + Latencies(b) + ", " + Latencies(a) +
                   "; both witnesses cosigned up to " + Count(c.value("cosigned_size", 0.0)) +
                   " of " + Count(c.value("log_size", 0.0)) + " entries in " +
                   Count(c.value("witness_requests", 0.0)) + " requests, " +
                   Count(c.value("witness_failures", 0.0)) + " failed",
               Fmt("%.2f", ratio), "p99 ÷ without ≤ 1.25",
               Table::Met(ratio <= 1.25), Table::RssCell(cosigned.value().rss_mib)});
  }

  auto verify = beside_ceiling(
      [](const json& r) {
        return "verify, " + Count(r["slices"][0]["events"].get<double>()) + " entries, " +
               std::to_string(kVerifyRuns) + " runs";
      },
      0.85,
      [&](const Pause& p) {
        return run("verify", ledger, {"--slices", std::to_string(kVerifyRuns)}, p);
      },
      "run");
  if (!verify.ok()) return Fail(verify.status());

  auto catchup = run("catchup", ledger, {});
  if (!catchup.ok()) return Fail(catchup.status());
  const double caught = catchup.value().result["rate"];
  table.Add({"subscription catch-up over TLS, from 0", Count(caught) + " entries/s", "", "",
             "≥ 200,000/s", Table::Met(caught >= 200000), Table::RssCell(catchup.value().rss_mib)});

  const std::string fan_rate = a.Get("fanout-rate", "2000");
  auto fan = run_scratch("fanout", {"--rate", fan_rate, "--seconds", "20", "--subscribers", "50"});
  if (!fan.ok()) return Fail(fan.status());
  const json& fr = fan.value().result;
  table.Add({"live fan-out to 50 subscribers at " + fan_rate +
                 " events/s, lag from commit, p50 / p99 / p999",
             Latencies(fr), Count(fr["samples"].get<double>()) + " deliveries", "", "p99 < 50 ms",
             Table::Met(fr["p99_ms"].get<double>() < 50.0), Table::RssCell(fan.value().rss_mib)});

  auto proofs = Spawn({bin_dir + "/evident-proof-bench", "--leaves", "1000000", "--dir",
                       fresh("proof-tree")});
  if (!proofs.ok()) return Fail(proofs.status());
  const json& pr = proofs.value().result;
  for (const char* kind : {"inclusion", "consistency"}) {
    const double p99 = pr[std::string(kind) + "_p99_us"].get<double>() / 1000.0;
    table.Add({std::string(kind) + " proof at 1,000,000 entries, p50 / p99",
               Fmt("%.3f", pr[std::string(kind) + "_p50_us"].get<double>() / 1000.0) + " / " +
                   Fmt("%.3f", p99) + " ms",
               "", "", "p99 < 1 ms", Table::Met(p99 < 1.0), Table::RssCell(proofs.value().rss_mib)});
  }

  const std::string projection_ledger = a.Get("projection-ledger");
  if (!projection_ledger.empty()) {
    auto rebuild = Spawn({bin_dir + "/evident-projection-bench", "--ledger", projection_ledger,
                          "--runs", "3"});
    if (!rebuild.ok()) return Fail(rebuild.status());
    const double rate = rebuild.value().result["rate"];
    table.Add({"projection rebuild, " + Count(rebuild.value().result["entries"].get<double>()) +
                   " events, median of 3",
               Count(rate) + " events/s", "", "", "≥ 300,000/s", Table::Met(rate >= 300000),
               Table::RssCell(rebuild.value().rss_mib)});
  }
  std::printf("\nevident-load, %s, %d cores; targets: docs/performance.md; RSS target < 512 MiB\n",
              today, ceil.cores);
  table.Print();
  return 0;
}

}  // namespace
}  // namespace evident::bench

int main(int argc, char** argv) {
  using namespace evident::bench;
  const std::string command = argc > 1 ? argv[1] : "";
  const Args args = Parse(argc, argv);
  if (command == "run") return RunOne(args);
  if (command == "all") return RunAll(args);
  if (command == "ceilings") return PrintCeilings(args);
  if (command == "prepare") {
    evident::Status s =
        PrepareDataSet(args.Get("data", "var/bench/data"), uint64_t(args.Number("count", 1e6)));
    return s.ok() ? 0 : Fail(s);
  }
  std::fprintf(stderr,
               "usage: evident-load all --dir DIR [--count N] [--threads T] [--fanout-rate R]\n"
               "                        [--projection-ledger DIR] [--no-peer]\n"
               "       evident-load run SCENARIO --data DIR --ledger DIR [--threads T] [--rate R]\n"
               "                        [--seconds S] [--subscribers K] [--request-events E]\n"
               "                        [--slices N]\n"
               "         SCENARIO: append, tls, postgres, latency, latency-in-process,\n"
               "                   synced-floor, verify, catchup, fanout\n"
               "       evident-load ceilings [--data DIR] [--dir SCRATCH] [--seconds S]\n"
               "       evident-load prepare --data DIR [--count N]\n");
  return 2;
}
