// evident export: the auditor's bundle for a range of entries.

#include <iostream>

#include "ledger/bundle.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "export";

int RunExport(const Flags& flags) {
  auto out = flags.Require("out");
  if (!out.ok()) return Fail(kName, out.status());
  auto from = flags.GetUint("from", 0);
  if (!from.ok()) return Fail(kName, from.status());
  auto to = flags.GetUint("to", UINT64_MAX);
  if (!to.ok()) return Fail(kName, to.status());
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  if (Status s = WriteBundle(ledger.value().get(), out.value(), from.value(), to.value());
      !s.ok()) {
    return Fail(kName, s);
  }
  std::cout << "wrote " << out.value() << ": entries, proofs, key history, checkpoint, "
            << "ledger.vkey and README.txt\ncheck it with: evident verify --bundle " << out.value()
            << " --vkey \"$(evident pubkey --ledger ...)\"\n";
  return 0;
}

}  // namespace

const Command kExportCommand = {
    kName,
    "write an auditor's bundle that proves a range of entries offline",
    "usage: evident export --ledger DIR --out BUNDLE [--from A] [--to B]\n\n"
    "Writes to BUNDLE (a new or empty directory) the entries at positions A (default\n"
    "0) up to but not including B (default: the newest checkpoint's size), each with\n"
    "its inclusion proof, every key registration and revocation before B with its\n"
    "proof, the signed checkpoint, the ledger's verifier key, and a README.txt that\n"
    "says in plain words how to check it (with 'evident verify').\n",
    {{{"ledger", "DIR", "the ledger"},
      {"out", "BUNDLE", "the bundle's directory (new or empty)"},
      {"from", "A", "the first position (default 0)"},
      {"to", "B", "the position after the last (default: the newest checkpoint's size)"}}},
    RunExport};

}  // namespace evident::cli
