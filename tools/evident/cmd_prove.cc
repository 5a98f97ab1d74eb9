// evident prove: inclusion and consistency proofs from the stored tree.

#include <iostream>

#include "ledger/merkle/hash.h"
#include "ledger/proof_files.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "prove";

// The size to prove against: --size, or the newest checkpoint's. Either way
// it must have a checkpoint, so that the proof can be checked.
StatusOr<uint64_t> CheckpointedSize(Ledger* ledger, const char* flag,
                                    std::optional<uint64_t> given) {
  if (!given) {
    auto sizes = ledger->CheckpointSizes(ledger->size(), 1);
    if (!sizes.ok()) return sizes.status();
    if (sizes->empty()) return Status::NotFound("the ledger has no checkpoint yet");
    return sizes->front();
  }
  auto note = ledger->CheckpointNote(*given);
  if (!note.ok()) return note.status().WithContext(std::string("--") + flag);
  return *given;
}

int Inclusion(Ledger* ledger, const Flags& flags) {
  auto index = flags.GetUint("index", 0);
  if (!index.ok()) return Fail(kName, index.status());
  std::optional<uint64_t> given;
  if (flags.Has("size")) {
    auto s = flags.GetUint("size", 0);
    if (!s.ok()) return Fail(kName, s.status());
    given = s.value();
  }
  auto size = CheckpointedSize(ledger, "size", given);
  if (!size.ok()) return Fail(kName, size.status());
  auto entry = ledger->ReadEntry(index.value());
  if (!entry.ok()) return Fail(kName, entry.status());
  auto proof = ledger->InclusionProof(index.value(), size.value());
  if (!proof.ok()) return Fail(kName, proof.status());
  if (flags.Has("tlog-proof")) {
    auto note = ledger->CheckpointNote(size.value());
    if (!note.ok()) return Fail(kName, note.status());
    std::cout << TlogProofText({entry.value(), index.value(), proof.value(), note.value()});
    return 0;
  }
  std::cout << InclusionJson(
      {index.value(), size.value(), merkle::LeafHash(entry.value()), entry.value(), proof.value()});
  return 0;
}

int Consistency(Ledger* ledger, const Flags& flags) {
  if (flags.positional().size() != 2) {
    return Fail(kName, "--consistency takes two sizes: --consistency M N");
  }
  uint64_t sizes[2];
  for (int i = 0; i < 2; ++i) {
    auto n = ParseUint(flags.positional()[i], "--consistency sizes");
    if (!n.ok()) return Fail(kName, n.status());
    auto checked = CheckpointedSize(ledger, "consistency", n.value());
    if (!checked.ok()) return Fail(kName, checked.status());
    sizes[i] = n.value();
  }
  auto proof = ledger->ConsistencyProof(sizes[0], sizes[1]);
  if (!proof.ok()) return Fail(kName, proof.status());
  std::cout << ConsistencyJson({sizes[0], sizes[1], proof.value()});
  return 0;
}

int RunProve(const Flags& flags) {
  auto ledger = OpenLedgerFlag(flags);
  if (!ledger.ok()) return Fail(kName, ledger.status());
  if (flags.Has("consistency")) return Consistency(ledger.value().get(), flags);
  if (!flags.Has("index")) return Fail(kName, "give --index I or --consistency M N");
  return Inclusion(ledger.value().get(), flags);
}

}  // namespace

const Command kProveCommand = {
    kName,
    "prove an entry is in the log, or that the log only grew",
    "usage: evident prove --ledger DIR --index I [--size N] [--tlog-proof]\n"
    "       evident prove --ledger DIR --consistency M N\n\n"
    "With --index: an RFC 9162 inclusion proof that the entry at position I is in\n"
    "the tree of size N (default: the newest checkpoint), as JSON\n"
    "  {\"index\", \"size\", \"leaf_hash\", \"entry\" (base64), \"proof\" (hex hashes)}\n"
    "or, with --tlog-proof, as a C2SP tlog-proof@v1 file carrying the entry (in\n"
    "its extra line) and the signed checkpoint: one self-contained file.\n"
    "With --consistency: a proof that the tree of size N extends the tree of size M,\n"
    "as JSON {\"size1\", \"size2\", \"proof\"}.\n"
    "Sizes must be ones a checkpoint was signed for ('evident checkpoint --list').\n",
    {"ledger", "index", "size"},
    {"consistency", "tlog-proof"},
    RunProve};

}  // namespace evident::cli
