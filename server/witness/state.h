#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "ledger/status.h"

// What a witness remembers of each log: the latest checkpoint it cosigned.
// Behind this narrow interface so that tests can make writes fail.
//
// RocksDB layout (its own database, default column family):
//   key   = "log/" origin
//   value = u64be(size) || root[32] || note     note: the log's signed
//                                               checkpoint as submitted
namespace evident::server::witness {

struct LogState {
  uint64_t size = 0;
  std::string root;  // 32 bytes
  std::string note;  // may be empty
};

// Threads: Get and Put may be called from many threads at once; the caller
// serialises the Get-check-Put of one origin.
class StateStore {
 public:
  virtual ~StateStore() = default;
  // The state of `origin`; nullopt when it has none. Corruption if the
  // stored value is malformed, IOError if it cannot be read.
  virtual StatusOr<std::optional<LogState>> Get(const std::string& origin) = 0;
  // Replaces the state of `origin`; OK only once it is synced to disk.
  virtual Status Put(const std::string& origin, const LogState& state) = 0;
};

// Opens (creating if needed) the RocksDB database at `path`. IOError if it
// cannot, naming the path (and saying so when another process holds it).
StatusOr<std::unique_ptr<StateStore>> OpenRocksStateStore(const std::string& path);

// The value encoding above, exposed for tests.
std::string EncodeLogState(const LogState& state);
StatusOr<LogState> DecodeLogState(const std::string& value);

}  // namespace evident::server::witness
