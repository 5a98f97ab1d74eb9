// evident pubkey: the verifier key of the ledger's checkpoints.

#include <iostream>

#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "pubkey";

int RunPubkey(const Flags& flags) {
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  auto verifier = ledger.value()->CheckpointVerifier();
  if (!verifier.ok()) return Fail(kName, verifier.status());
  std::cout << verifier->Vkey() << "\n";
  return 0;
}

}  // namespace

const Command kPubkeyCommand = {
    kName,
    "print the verifier key that checks the ledger's checkpoints",
    "usage: evident pubkey --ledger DIR\n\n"
    "Prints the ledger key, as registered in the log, in the C2SP signed-note\n"
    "verifier key form NAME+KEYID+KEY (the name is the log's origin). Give it to\n"
    "auditors once, through a channel other than the ledger itself; they check\n"
    "checkpoints and proofs against it with 'evident check-proof'.\n",
    {{{"ledger", "DIR", "the ledger"}}},
    RunPubkey};

}  // namespace evident::cli
