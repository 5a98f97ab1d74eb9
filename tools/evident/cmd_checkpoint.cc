// evident checkpoint: the signed tree head with its witnesses' cosignatures,
// the newest cosigned, the newest, or at a size.

#include <iostream>

#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "checkpoint";

int RunCheckpoint(const Flags& flags) {
  auto size = flags.GetUint("size", 0);
  if (!size.ok()) return Fail(kName, size.status());
  auto policy = WitnessPolicyFromFlags(flags);
  if (!policy.ok()) return Fail(kName, policy.status());
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  Ledger* l = ledger.value().get();
  if (flags.Has("list")) {
    auto sizes = l->CheckpointSizes(0, SIZE_MAX);
    if (!sizes.ok()) return Fail(kName, sizes.status());
    for (uint64_t s : sizes.value()) std::cout << s << "\n";
    return 0;
  }
  auto latest = l->CheckpointSizes(l->size(), 1);
  if (!latest.ok()) return Fail(kName, latest.status());
  if (latest->empty()) return Fail(kName, "the ledger has no checkpoint yet");
  const uint64_t newest = latest->front();
  uint64_t at = newest;
  if (flags.Has("size")) {
    at = size.value();
  } else if (!flags.Has("latest")) {
    // The newest checkpoint the witnesses cosigned; without any, the newest.
    auto cosigned = l->NewestCosignedSize(policy.value());
    if (cosigned.ok()) {
      at = cosigned.value();
    } else if (cosigned.status().code() != Status::Code::kNotFound || !policy->empty()) {
      return Fail(kName, cosigned.status());
    } else {
      std::cerr << "note: no witness has cosigned a checkpoint of this ledger yet; "
                   "this is the newest, signed by the ledger key alone\n";
    }
  }
  auto note = l->CosignedCheckpointNote(at);
  if (!note.ok()) return Fail(kName, note.status());
  if (Status s = CheckWitnessPolicy(note.value(), policy.value()); !s.ok()) {
    return Fail(kName, s.WithContext("the checkpoint at size " + std::to_string(at)));
  }
  if (at < newest && !flags.Has("size")) {
    std::cerr << "note: the log has grown to " << newest << " entries since this checkpoint ("
              << at << "); its witnesses have not cosigned a newer one yet (--latest prints it)\n";
  }
  std::cout << note.value();
  return 0;
}

}  // namespace

const Command kCheckpointCommand = {
    kName,
    "print a signed checkpoint (tree size and root) with its cosignatures",
    "usage: evident checkpoint --ledger DIR [--latest | --size N | --list]\n"
    "                          [--witness VKEY ... [--quorum K]]\n\n"
    "Prints a C2SP signed note whose text is the origin, the tree size and the base64\n"
    "root hash, signed by the ledger key and followed by the cosignature line of each\n"
    "witness that cosigned it (C2SP tlog-cosignature).\n"
    "By default: the newest checkpoint that witnesses cosigned (with --witness, the\n"
    "newest whose cosignatures meet that policy), or the newest checkpoint when none\n"
    "was cosigned yet. --latest prints the newest checkpoint, cosigned or not.\n"
    "One checkpoint is stored after every committed batch and kept for good, so a\n"
    "checkpoint an auditor holds can be served again.\n",
    {{{"ledger", "DIR", "the ledger"},
      {"latest", "", "the newest checkpoint, whether or not any witness cosigned it"},
      {"size", "N", "the checkpoint for tree size N"},
      {"list", "", "print the tree sizes that have a checkpoint"},
      kWitnessFlag,
      kQuorumFlag}},
    RunCheckpoint};

}  // namespace evident::cli
