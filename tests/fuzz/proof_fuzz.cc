// Fuzzes the proof files an auditor receives (ledger/proof_files.h) and the
// RFC 9162 proof checks behind them (ledger/merkle/proof.h). The inclusion
// and consistency files are checked against the seed ledger's checkpoints;
// a tlog-proof carries its own. Every input must give a value or an error.

#include "ledger/merkle/hash.h"
#include "ledger/merkle/proof.h"
#include "ledger/proof_files.h"
#include "tests/fuzz/fuzz_util.h"

using namespace evident;

namespace {

// The seed ledger's checkpoints at sizes 42 and 62 (tests/fuzz/corpus/checkpoint).
constexpr std::string_view kNote42 =
    "evident.example/fuzz-seeds\n"
    "42\n"
    "fvtb1AuhpX/HiO0wj/VIrlT8oJIT/LsDaivoSnB5CxA=\n"
    "\n"
    "— evident.example/fuzz-seeds 7LoaniOl3C7n0mEGZisU8j7imvrG4IbvkbDDk1vFm9fw3FBKJzlrpVwSgtaxCnEHotYZpKVbcvHVEwJnUQng15qCQgA=\n";
constexpr std::string_view kNote62 =
    "evident.example/fuzz-seeds\n"
    "62\n"
    "faPd49xrdKu0SD80RtL8E8iAx2+JTsHilfPRBrbmVjk=\n"
    "\n"
    "— evident.example/fuzz-seeds 7Loanq0EytLCPvTyi8Hf12MT4Ai60pTIXoYPcUdAHUWmjqIUhq9o0CA+grv9HOiFfCnKaaKubl02WnU8ywpdmWWHQwo=\n";

uint64_t Read64(const std::string& s, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = v << 8 | uint8_t(s[at + i]);
  return v;
}

// The raw proof checks on arbitrary numbers: index and sizes anywhere in
// uint64, hashes of any count.
void RawProofs(const std::string& in) {
  if (in.size() < 16) return;
  const uint64_t a = Read64(in, 0), b = Read64(in, 8);
  std::vector<std::string> proof;
  for (size_t at = 16; at + 32 <= in.size() && proof.size() < 70; at += 32) {
    proof.push_back(in.substr(at, 32));
  }
  const std::string hash(32, 'h');
  (void)merkle::VerifyInclusion(a, b, hash, proof, hash);
  (void)merkle::VerifyConsistency(a, b, hash, hash, proof);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input = fuzz::Input(data, size);
  const NoteVerifier& verifier = fuzz::SeedVerifier();
  if (auto f = ParseInclusionJson(input); f.ok()) {
    (void)CheckInclusion(f.value(), f.value().size == 42 ? kNote42 : kNote62, verifier);
  }
  if (auto f = ParseConsistencyJson(input); f.ok()) {
    (void)CheckConsistency(f.value(), kNote42, kNote62, verifier);
  }
  if (auto p = ParseTlogProof(input); p.ok()) {
    (void)CheckTlogProof(p.value(), verifier);
  }
  RawProofs(input);
  return 0;
}
