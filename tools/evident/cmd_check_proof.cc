// evident check-proof: verify a proof offline, with no access to the ledger.

#include <iostream>

#include "ledger/coding.h"
#include "ledger/proof_files.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "check-proof";

int PrintIncluded(uint64_t index, const Checkpoint& checkpoint) {
  std::cout << "ok: entry " << index << " is in " << checkpoint.origin << " at size "
            << checkpoint.size << " (root " << HexEncode(checkpoint.root) << ")\n";
  return 0;
}

StatusOr<std::string> ReadFlagFile(const Flags& flags, const char* name) {
  auto path = flags.Require(name);
  if (!path.ok()) return path.status();
  return ReadAll(path.value());
}

int RunCheckProof(const Flags& flags) {
  if (flags.positional().size() != 1) return Fail(kName, "give one proof file");
  auto given = VkeyFromFlags(flags);
  if (!given.ok()) return Fail(kName, given.status());
  if (!given.value()) return Fail(kName, "give the ledger's key: --vkey or --vkey-file");
  const NoteVerifier& verifier = *given.value();
  auto text = ReadAll(flags.positional()[0]);
  if (!text.ok()) return Fail(kName, text.status());

  if (text.value().rfind("c2sp.org/tlog-proof@v1\n", 0) == 0) {
    auto proof = ParseTlogProof(text.value());
    if (!proof.ok()) return Fail(kName, proof.status());
    auto checkpoint = CheckTlogProof(proof.value(), verifier);
    if (!checkpoint.ok()) return Fail(kName, "FAILED: " + checkpoint.status().message());
    return PrintIncluded(proof->index, checkpoint.value());
  }
  auto checkpoint_note = ReadFlagFile(flags, "checkpoint");
  if (!checkpoint_note.ok()) return Fail(kName, checkpoint_note.status());
  if (text.value().find("\"size1\"") != std::string::npos) {
    auto proof = ParseConsistencyJson(text.value());
    if (!proof.ok()) return Fail(kName, proof.status());
    auto old_note = ReadFlagFile(flags, "old-checkpoint");
    if (!old_note.ok()) return Fail(kName, old_note.status());
    Status s = CheckConsistency(proof.value(), old_note.value(), checkpoint_note.value(), verifier);
    if (!s.ok()) return Fail(kName, "FAILED: " + s.message());
    std::cout << "ok: the log at size " << proof->size2 << " extends the log at size "
              << proof->size1 << "\n";
    return 0;
  }
  auto proof = ParseInclusionJson(text.value());
  if (!proof.ok()) return Fail(kName, proof.status());
  auto checkpoint = CheckInclusion(proof.value(), checkpoint_note.value(), verifier);
  if (!checkpoint.ok()) return Fail(kName, "FAILED: " + checkpoint.status().message());
  return PrintIncluded(proof->index, checkpoint.value());
}

}  // namespace

const Command kCheckProofCommand = {
    kName,
    "verify a proof offline against a checkpoint and the ledger's key",
    "usage: evident check-proof (--vkey VKEY | --vkey-file FILE) PROOF.tlog-proof\n"
    "       evident check-proof (--vkey ... ) --checkpoint CP PROOF.json\n"
    "       evident check-proof (--vkey ... ) --old-checkpoint CP1 --checkpoint CP2 "
    "CONSISTENCY.json\n\n"
    "Checks, with no access to the ledger, that the checkpoint is signed by the\n"
    "ledger key VKEY (from 'evident pubkey'), and that the proof ties the entry (or\n"
    "the older checkpoint) to the root it signs. Tree sizes are taken from the\n"
    "verified checkpoints, never from the proof. Prints \"ok: ...\" and exits 0, or\n"
    "prints what failed and exits 1.\n",
    {{{"vkey", "VKEY", "the ledger's verifier key, as 'evident pubkey' prints it"},
      {"vkey-file", "FILE", "the same, read from the first line of FILE"},
      {"checkpoint", "FILE", "the signed checkpoint a JSON proof is checked against"},
      {"old-checkpoint", "FILE", "for a consistency proof: the older checkpoint"}}},
    RunCheckProof};

}  // namespace evident::cli
