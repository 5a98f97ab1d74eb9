#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

// The body of a C2SP tlog-witness add-checkpoint request:
//
//   body  = "old " size "\n" *63(base64(hash) "\n") "\n" note
//   size  decimal, no leading zeros ("0" for none)
//   hash  32 bytes: the RFC 9162 consistency proof from the old size to the
//         checkpoint's size, in order
//   note  the log's signed checkpoint (ledger/checkpoint.h), possibly with
//         other signatures
//
// Pure functions: parsing checks the grammar only, not the note.
namespace evident::server::witness {

constexpr size_t kMaxProofLines = 63;

struct AddCheckpointRequest {
  uint64_t old_size = 0;
  std::vector<std::string> proof;  // 32-byte hashes
  std::string note;
};

// InvalidArgument saying what breaks the grammar above.
StatusOr<AddCheckpointRequest> ParseAddCheckpoint(std::string_view body);

// The body for `old_size`, `proof` (32-byte hashes) and `note`.
std::string AddCheckpointBody(uint64_t old_size, const std::vector<std::string>& proof,
                              std::string_view note);

}  // namespace evident::server::witness
