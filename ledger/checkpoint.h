#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/note.h"
#include "ledger/status.h"

// C2SP tlog-checkpoint v1.0.0: the body of a signed note.
//
//   checkpoint = origin "\n" size "\n" base64(root) "\n"
//   origin     the log's name, non-empty, no spaces or '+'
//   size       decimal, no leading zeros ("0" for the empty tree)
//   root       the RFC 9162 root hash at that size, 32 bytes
//
// Evident writes no extension lines; a checkpoint with some is read, and the
// extensions ignored, as the specification asks.
namespace evident {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  std::string root;  // 32 bytes
};

std::string CheckpointText(const Checkpoint& checkpoint);
StatusOr<Checkpoint> ParseCheckpointText(std::string_view text);

// Verifies `note` with `verifier` (whose name must be the origin) and parses
// its checkpoint. Sizes are to be taken only from what this returns.
StatusOr<Checkpoint> OpenCheckpoint(std::string_view note, const NoteVerifier& verifier);

}  // namespace evident
