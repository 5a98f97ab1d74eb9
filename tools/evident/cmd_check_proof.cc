// evident check-proof: verify a proof offline, with no access to the ledger.

#include <iostream>
#include <optional>

#include "ledger/coding.h"
#include "ledger/proof_files.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

constexpr char kName[] = "check-proof";

std::string Included(uint64_t index, const Checkpoint& checkpoint) {
  return "ok: entry " + std::to_string(index) + " is in " + checkpoint.origin + " at size " +
         std::to_string(checkpoint.size) + " (root " + HexEncode(checkpoint.root) + ")\n";
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
  auto policy = WitnessPolicyFromFlags(flags);
  if (!policy.ok()) return Fail(kName, policy.status());
  // The witnesses' cosignatures on the checkpoint the proof was checked
  // against, once its ledger signature and the proof have passed; then the
  // verdict.
  auto witnessed = [&](const std::string& note, const std::string& verdict) -> int {
    Status s = CheckWitnessPolicy(note, policy.value());
    if (!s.ok()) return Fail(kName, "FAILED: " + s.message());
    std::cout << verdict;
    if (!policy->empty()) std::cout << "ok: cosigned by " << policy->Describe() << "\n";
    return 0;
  };
  auto text = ReadAll(flags.positional()[0]);
  if (!text.ok()) return Fail(kName, text.status());

  if (text.value().rfind("c2sp.org/tlog-proof@v1\n", 0) == 0) {
    auto proof = ParseTlogProof(text.value());
    if (!proof.ok()) return Fail(kName, proof.status());
    auto checkpoint = CheckTlogProof(proof.value(), verifier);
    if (!checkpoint.ok()) return Fail(kName, "FAILED: " + checkpoint.status().message());
    return witnessed(proof->checkpoint_note, Included(proof->index, checkpoint.value()));
  }
  const bool consistency = text.value().find("\"size1\"") != std::string::npos;
  std::optional<InclusionFile> inclusion;
  if (!consistency) {
    auto parsed = ParseInclusionJson(text.value());
    if (!parsed.ok()) return Fail(kName, parsed.status());
    inclusion = std::move(parsed.value());
  }
  // A JSON inclusion proof carries its checkpoint; --checkpoint overrides it.
  StatusOr<std::string> checkpoint_note =
      inclusion && !flags.Has("checkpoint") && !inclusion->checkpoint_note.empty()
          ? StatusOr<std::string>(inclusion->checkpoint_note)
          : ReadFlagFile(flags, "checkpoint");
  if (!checkpoint_note.ok()) return Fail(kName, checkpoint_note.status());
  if (consistency) {
    auto proof = ParseConsistencyJson(text.value());
    if (!proof.ok()) return Fail(kName, proof.status());
    auto old_note = ReadFlagFile(flags, "old-checkpoint");
    if (!old_note.ok()) return Fail(kName, old_note.status());
    Status s = CheckConsistency(proof.value(), old_note.value(), checkpoint_note.value(), verifier);
    if (!s.ok()) return Fail(kName, "FAILED: " + s.message());
    return witnessed(checkpoint_note.value(), "ok: the log at size " +
                                                  std::to_string(proof->size2) +
                                                  " extends the log at size " +
                                                  std::to_string(proof->size1) + "\n");
  }
  auto checkpoint = CheckInclusion(*inclusion, checkpoint_note.value(), verifier);
  if (!checkpoint.ok()) return Fail(kName, "FAILED: " + checkpoint.status().message());
  return witnessed(checkpoint_note.value(), Included(inclusion->index, checkpoint.value()));
}

}  // namespace

const Command kCheckProofCommand = {
    kName,
    "verify a proof offline against a checkpoint and the ledger's key",
    "usage: evident check-proof (--vkey VKEY | --vkey-file FILE) [--witness VKEY ...\n"
    "                           [--quorum K]] PROOF.tlog-proof\n"
    "       evident check-proof (--vkey ... ) [--checkpoint CP] PROOF.json\n"
    "       evident check-proof (--vkey ... ) --old-checkpoint CP1 --checkpoint CP2 "
    "CONSISTENCY.json\n\n"
    "Checks, with no access to the ledger, that the checkpoint is signed by the\n"
    "ledger key VKEY (from 'evident pubkey'), and that the proof ties the entry (or\n"
    "the older checkpoint) to the root it signs. Tree sizes are taken from the\n"
    "verified checkpoints, never from the proof. A JSON inclusion proof carries its\n"
    "checkpoint; --checkpoint checks it against another instead.\n"
    "With --witness: the checkpoint must also carry valid cosignatures (C2SP\n"
    "tlog-cosignature) of K of the witnesses named (default: all of them).\n"
    "Prints \"ok: ...\" and exits 0, or prints what failed and exits 1.\n",
    {{{"vkey", "VKEY", "the ledger's verifier key, as 'evident pubkey' prints it"},
      {"vkey-file", "FILE", "the same, read from the first line of FILE"},
      {"checkpoint", "FILE", "the signed checkpoint a JSON proof is checked against"},
      {"old-checkpoint", "FILE", "for a consistency proof: the older checkpoint"},
      kWitnessFlag,
      kQuorumFlag}},
    RunCheckProof};

}  // namespace evident::cli
