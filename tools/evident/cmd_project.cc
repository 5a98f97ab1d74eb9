// evident project: build, update and inspect the projection store.

#include <iomanip>
#include <iostream>

#include "projections/store.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "project";

void PrintReport(const char* what, const projections::UpdateReport& r) {
  const uint64_t n = r.to - r.from;
  std::cout << what << " entries " << r.from << ".." << r.to << " (" << n << ") in " << std::fixed
            << std::setprecision(2) << r.fold_seconds << " s";
  if (r.fold_seconds > 0 && n > 0) {
    std::cout << ", " << std::setprecision(0) << double(n) / r.fold_seconds << " entries/s";
  }
  std::cout << "; views rendered and committed in " << std::setprecision(2) << r.commit_seconds
            << " s\n";
}

int PrintStatus(projections::ProjectionStore* store) {
  auto st = store->GetStatus();
  if (!st.ok()) return Fail(kName, st.status());
  const auto& s = st.value();
  std::cout << "position     " << s.position << " (tree size the views are of)\n"
            << "as of        " << s.as_of << "\n"
            << "root hash    " << s.root_hash << "\n"
            << "state digest " << s.state_digest << "\n"
            << "generation   " << s.generation << "\n";
  for (size_t i = 0; i < s.view_digests.size(); ++i) {
    std::cout << "view " << std::left << std::setw(15) << s.view_digests[i].first
              << s.view_digests[i].second << "  " << s.view_rows[i].second << " rows\n";
  }
  return 0;
}

int RunProject(const Flags& flags) {
  if (flags.positional().size() != 1) {
    return Fail(kName, "say what to do: rebuild, update or status (see --help)");
  }
  const std::string& action = flags.positional()[0];
  if (action != "rebuild" && action != "update" && action != "status") {
    return Fail(kName, "unknown action \"" + action + "\"; use rebuild, update or status");
  }
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  auto store = projections::ProjectionStore::Open(
      projections::ProjectionStore::PathFor(flags.Get("ledger").value()));
  if (!store.ok()) return Fail(kName, store.status());
  projections::UpdateReport report;
  if (action == "rebuild") {
    Status s = store.value()->Rebuild(ledger.value().get(), &report);
    if (!s.ok()) return Fail(kName, s);
    PrintReport("rebuilt from", report);
  } else if (action == "update") {
    Status s = store.value()->Update(ledger.value().get(), &report);
    if (!s.ok()) return Fail(kName, s);
    PrintReport("folded", report);
  }
  return PrintStatus(store.value().get());
}

}  // namespace

const Command kProjectCommand = {
    kName,
    "build, update or inspect the views (reciprocity, accountability, equity, compliance)",
    "usage: evident project rebuild|update|status --ledger DIR\n\n"
    "The views are folds of the log, kept in LEDGER/projections (a store of their\n"
    "own; the log is never written). 'update' folds the entries added since the\n"
    "last run; 'rebuild' folds the whole log again into a new generation beside the\n"
    "live one and swaps it in when it has caught up; 'status' prints the position\n"
    "the views are of, their reporting date, the checkpoint root, and a digest of the\n"
    "state and of each view. A rebuild and an update at the same position give the\n"
    "same digests. docs/metrics.md defines every figure.\n",
    {{{"ledger", "DIR", "the ledger"}}},
    RunProject};

}  // namespace evident::cli
