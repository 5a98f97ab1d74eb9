// evident checkpoint: the signed tree head, latest or at a size.

#include <iostream>

#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "checkpoint";

int RunCheckpoint(const Flags& flags) {
  auto size = flags.GetUint("size", 0);
  if (!size.ok()) return Fail(kName, size.status());
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  if (flags.Has("list")) {
    auto sizes = ledger.value()->CheckpointSizes(0, SIZE_MAX);
    if (!sizes.ok()) return Fail(kName, sizes.status());
    for (uint64_t s : sizes.value()) std::cout << s << "\n";
    return 0;
  }
  auto note = flags.Has("size") ? ledger.value()->CheckpointNote(size.value())
                                : ledger.value()->LatestCheckpointNote();
  if (!note.ok()) return Fail(kName, note.status());
  std::cout << note.value();
  return 0;
}

}  // namespace

const Command kCheckpointCommand = {
    kName,
    "print a signed checkpoint (tree size and root)",
    "usage: evident checkpoint --ledger DIR [--size N | --list]\n\n"
    "Prints the newest checkpoint, or the one for tree size N: a C2SP signed note\n"
    "whose text is the origin, the tree size and the base64 root hash, signed by the\n"
    "ledger key. One is stored after every committed batch and kept for good, so a\n"
    "checkpoint an auditor holds can be served again.\n",
    {{{"ledger", "DIR", "the ledger"},
      {"size", "N", "the checkpoint for tree size N (default: the newest)"},
      {"list", "", "print the tree sizes that have a checkpoint"}}},
    RunCheckpoint};

}  // namespace evident::cli
