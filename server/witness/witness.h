#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/keys.h"
#include "ledger/note.h"
#include "ledger/status.h"
#include "server/http/router.h"
#include "server/witness/state.h"

// A C2SP tlog-witness (docs/protocol.md, Witness): it cosigns a log's
// checkpoint only if it is consistent with the latest one it cosigned for
// that log, so it never cosigns two inconsistent checkpoints of one log, nor
// a smaller tree than one it cosigned. One witness serves many logs, each
// known by its origin and its checkpoint key.
//
// AddCheckpoint answers the body of POST <prefix>/add-checkpoint:
//   200  cosignature line(s) on the checkpoint (text/plain)
//   400  a body that does not parse, or an old size over the checkpoint's
//   403  no signature on the checkpoint verifies with the log's key
//   404  a log (origin) this witness does not witness
//   409  old size is not the size the witness holds: the body is that size
//        and "\n", as text/x.tlog.size; or the same size with another root
//   422  the consistency proof does not verify (a size-0 checkpoint must
//        have the empty tree's root; a proof must be empty from size 0 or
//        between equal sizes)
//   500  the new state could not be saved: nothing is cosigned
// The new state is synced to the store before the cosignature is made.
//
// Threads: AddCheckpoint may be called from many threads at once. Requests
// for one log are serialised by that log's lock, from reading its state to
// saving the new one, so no two can both pass against the same old state.
namespace evident::server::witness {

struct WitnessOptions {
  std::string name;                // the cosigner name, e.g. county.example/witness
  std::vector<NoteVerifier> logs;  // each log's checkpoint key; its name is the origin
  // Unix seconds, for the cosignatures' timestamps (default: the clock).
  std::function<uint64_t()> now;
  // One line for each checkpoint refused though its log signed it (409 on
  // a root, 422): what the log did, as evidence. May be empty.
  std::function<void(const std::string&)> log;
};

class Witness {
 public:
  // InvalidArgument for a bad cosigner name, no logs, or two logs of one
  // origin.
  static StatusOr<std::unique_ptr<Witness>> Create(WitnessOptions options, PrivateKey key,
                                                   std::unique_ptr<StateStore> state);

  http::Response AddCheckpoint(std::string_view body);

  // Adds POST `prefix`/add-checkpoint and GET /healthz to `router`. The
  // witness must outlive the router's use.
  void AddRoutes(http::Router* router, const std::string& prefix = "");

  const std::string& name() const { return options_.name; }
  size_t log_count() const { return logs_.size(); }
  // The cosigner vkey: name "+" key id "+" base64(0x04 || public key).
  std::string Vkey() const;

 private:
  struct Log {
    explicit Log(NoteVerifier v) : verifier(std::move(v)) {}
    NoteVerifier verifier;
    std::mutex mu;  // held from reading the state to saving the new one
  };

  Witness(WitnessOptions options, PrivateKey key, std::unique_ptr<StateStore> state);
  http::Response Refuse(int status, const std::string& origin, const std::string& why);

  WitnessOptions options_;
  PrivateKey key_;
  std::unique_ptr<StateStore> state_;
  std::map<std::string, std::unique_ptr<Log>> logs_;  // by origin; fixed after Create
};

}  // namespace evident::server::witness
