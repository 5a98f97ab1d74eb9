// evident-projection-bench: rebuild of every view from a whole ledger.
//
// Runs `evident project rebuild` in-process R times over the ledger in DIR
// and prints, per run and as medians: the fold (read, parse, apply every
// entry), the commit (render the four views, digest, one synced write) and
// their sum as entries per second. Beside it, in the same process and run, a
// bare scan of the same entries (read and parse only), so the fold's cost is
// quoted as a ratio to the cost of reading the log at all. Ends with the
// process's peak resident set size.
//
// Build the ledger first (tools/run.sh bench does): evident init, then
// evident append of evident-gen-events --count N --amend 10.
//
// usage: evident-projection-bench --ledger DIR [--runs R]

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ledger/entry.h"
#include "ledger/ledger.h"
#include "projections/store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Fail(const evident::Status& s) {
  std::fprintf(stderr, "evident-projection-bench: %s\n", s.ToString().c_str());
  return 1;
}

// Seconds to read and parse every entry, folding nothing.
evident::StatusOr<double> ScanOnly(evident::Ledger* ledger) {
  auto start = Clock::now();
  uint64_t bad = 0;
  evident::Status s = ledger->Scan(0, ledger->size(), [&](uint64_t, std::string_view bytes) {
    auto entry = evident::ParseEntry(bytes);
    if (!entry.ok() || !evident::ParseEvent(evident::AsView(entry.value()->event())).ok()) ++bad;
    return true;
  });
  if (!s.ok()) return s;
  if (bad > 0) return evident::Status::Corruption(std::to_string(bad) + " unreadable entries");
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  int runs = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--ledger")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--runs")) runs = std::max(1, std::atoi(argv[i + 1]));
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: evident-projection-bench --ledger DIR [--runs R]\n");
    return 2;
  }
  auto ledger = evident::Ledger::Open(dir, evident::OpenMode::kReadOnly);
  if (!ledger.ok()) return Fail(ledger.status());
  const uint64_t n = ledger.value()->size();

  std::printf("rebuild of all views over %llu entries, %d runs\n", (unsigned long long)n, runs);
  std::printf("%-6s %10s %10s %10s %14s %14s %8s\n", "run", "scan s", "fold s", "commit s",
              "rebuild ent/s", "scan ent/s", "ratio");
  std::vector<double> scans, folds, commits, totals;
  for (int r = 0; r < runs; ++r) {
    auto scan = ScanOnly(ledger.value().get());
    if (!scan.ok()) return Fail(scan.status());
    // A store opened afresh each run, as `evident project rebuild` does: the
    // previous run's state is gone before this one starts.
    auto store = evident::projections::ProjectionStore::Open(
        evident::projections::ProjectionStore::PathFor(dir));
    if (!store.ok()) return Fail(store.status());
    evident::projections::UpdateReport report;
    evident::Status s = store.value()->Rebuild(ledger.value().get(), &report);
    if (!s.ok()) return Fail(s);
    const double total = report.fold_seconds + report.commit_seconds;
    scans.push_back(scan.value());
    folds.push_back(report.fold_seconds);
    commits.push_back(report.commit_seconds);
    totals.push_back(total);
    std::printf("%-6d %10.2f %10.2f %10.2f %14.0f %14.0f %8.2f\n", r + 1, scan.value(),
                report.fold_seconds, report.commit_seconds, double(n) / total,
                double(n) / scan.value(), total / scan.value());
  }
  std::printf("%-6s %10.2f %10.2f %10.2f %14.0f %14.0f %8.2f\n", "median", Median(scans),
              Median(folds), Median(commits), double(n) / Median(totals), double(n) / Median(scans),
              Median(totals) / Median(scans));
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS %.0f MiB (target < 512 MiB); target >= 300,000 entries/s\n",
              double(usage.ru_maxrss) / 1024.0);
  // For evident-load's table.
  std::printf("RESULT {\"entries\":%llu,\"rate\":%.0f}\n", (unsigned long long)n,
              double(n) / Median(totals));
  return 0;
}
