#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/note.h"
#include "ledger/status.h"

// The proof files an auditor receives, and their offline checks.
//
// Inclusion JSON (DESIGN.md):
//   {"index": I, "size": N, "leaf_hash": hex, "entry": base64, "proof": [hex, ...],
//    "checkpoint": the signed checkpoint note at N with its cosignatures (optional)}
// Consistency JSON:
//   {"size1": M, "size2": N, "proof": [hex, ...]}
// C2SP tlog-proof@v1 text (.tlog-proof):
//   "c2sp.org/tlog-proof@v1\n"
//   "extra " base64(entry bytes) "\n"          Evident's use of the opaque extra
//   "index " decimal "\n"
//   *(base64(hash) "\n")                        the inclusion proof
//   "\n"
//   signed checkpoint note
//
// Every check takes the tree size from a checkpoint whose signature verified
// with the verifier key given, never from the proof file: a consistency proof
// alone does not fix the size it claims (see merkle_test).
namespace evident {

struct InclusionFile {
  uint64_t index = 0;
  uint64_t size = 0;
  std::string leaf_hash;  // 32 bytes
  std::string entry;      // the entry bytes; empty if the file gave none
  std::vector<std::string> proof;
  std::string checkpoint_note;  // empty if the file carries none
};

struct ConsistencyFile {
  uint64_t size1 = 0;
  uint64_t size2 = 0;
  std::vector<std::string> proof;
};

struct TlogProof {
  std::string extra;  // Evident: the entry bytes
  uint64_t index = 0;
  std::vector<std::string> proof;
  std::string checkpoint_note;
};

std::string InclusionJson(const InclusionFile& f);
std::string ConsistencyJson(const ConsistencyFile& f);
std::string TlogProofText(const TlogProof& p);

StatusOr<InclusionFile> ParseInclusionJson(std::string_view json);
StatusOr<ConsistencyFile> ParseConsistencyJson(std::string_view json);
StatusOr<TlogProof> ParseTlogProof(std::string_view text);

// OK: the entry (or leaf hash) is at `index` in the tree the checkpoint signs.
// Returns the verified checkpoint.
StatusOr<Checkpoint> CheckInclusion(const InclusionFile& f, std::string_view checkpoint_note,
                                    const NoteVerifier& verifier);
StatusOr<Checkpoint> CheckTlogProof(const TlogProof& p, const NoteVerifier& verifier);
// OK: the tree the new checkpoint signs extends the one the old one signs.
Status CheckConsistency(const ConsistencyFile& f, std::string_view old_note,
                        std::string_view new_note, const NoteVerifier& verifier);

}  // namespace evident
