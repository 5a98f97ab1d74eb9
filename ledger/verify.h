#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "ledger/cosignature.h"
#include "ledger/status.h"
#include "ledger/storage.h"

// Full verification of a stored log (DESIGN.md invariant 5), trusting nothing
// the appender wrote: entries are re-parsed, the key history is re-derived
// from the log itself, every signature is checked, and every index is matched
// against the entries it indexes.
namespace evident {

struct VerifyOptions {
  int threads = 0;  // signature checks; 0 means one per core
  // Witnesses whose stored cosignatures are verified with their keys; the
  // others' are checked for form only.
  WitnessPolicy witnesses;
  // Called now and then with the number of entries checked so far.
  std::function<void(uint64_t)> progress;
};

struct VerifyReport {
  uint64_t entries = 0;     // entries that passed every check
  uint64_t signatures = 0;  // signatures checked and valid
  uint64_t key_events = 0;
  uint64_t checkpoints = 0;   // signed checkpoints checked against the recomputed tree
  uint64_t merkle_nodes = 0;  // stored Merkle nodes checked
  uint64_t cosignatures = 0;  // stored cosignature lines checked for form
  uint64_t cosignatures_verified = 0;  // of them, verified with a witness key given
  bool ok() const { return !first_bad_position.has_value() && problem.empty(); }
  // The first position where the log goes wrong, when one can be named.
  std::optional<uint64_t> first_bad_position;
  std::string problem;  // what is wrong, in words; empty when ok()
};

// Checks, for every position p from 0 in order:
//  * an entry is stored under key p (no gap), it is a well-formed Entry whose
//    sequence is p, and its recorded-at time is not before its predecessor's;
//  * its event is well-formed (ParseEvent);
//  * the event_ids index maps its event id to p;
//  * the key_events index lists p exactly when the event is a key event;
//  * its signer may sign it at p (KeyRegistry rules) and the signature verifies;
//  * the Merkle nodes its leaf completes are stored with the hashes recomputed
//    from the entries (RFC 9162);
//  * a checkpoint stored for tree size p + 1, if any, is a C2SP checkpoint
//    signed by a Ledger key active at that size, with the recomputed root;
// and afterwards that no index, node or checkpoint holds anything more, that
// every stored cosignature is one signature line, by the witness its key
// names, on a checkpoint that is stored (and, for the witnesses given,
// verifies with their keys), that
// the newest checkpoint covers the whole log, and that the meta column names
// an Evident ledger.
// Returns a report (its ok() says whether the log verified); an error Status
// only when verification could not run at all.
StatusOr<VerifyReport> VerifyLog(Storage* storage, const VerifyOptions& options = {});

}  // namespace evident
