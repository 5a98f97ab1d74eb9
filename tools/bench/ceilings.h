#pragma once

// The machine's limits for a signed, durable log, measured in the process
// and run that compares with them: Ed25519 signing and verification on one
// core and on every core, and synced RocksDB batches.

#include <string>
#include <vector>

#include "ledger/event.h"
#include "ledger/status.h"

namespace evident::bench {

struct Ceilings {
  int cores = 0;
  double sign_one = 0, sign_all = 0;      // signatures/s
  double verify_one = 0, verify_all = 0;  // verifications/s
  double synced_batch = 0;                // entries/s in synced batches of kBatch
  double synced_batch_commits = 0;        // synced batches/s
  // One synced write of 16 entries at a time, back to back: milliseconds.
  double synced_write_p50_ms = 0, synced_write_p99_ms = 0, synced_write_max_ms = 0;
};

// Ed25519 verifications/s of `samples` (taken in turn, each thread from its
// own place) on `threads` threads, for `seconds`.
double VerifyRate(const std::vector<SignedEvent>& samples, const PublicKey& signer, int threads,
                  double seconds);

// Each rate runs for `seconds`, on `samples` (distinct events of the data set,
// all signed by `signer`, checked as the appender checks them). The RocksDB
// database is made in `scratch_dir` and removed afterwards.
StatusOr<Ceilings> MeasureCeilings(const std::vector<SignedEvent>& samples,
                                   const PublicKey& signer, const std::string& scratch_dir,
                                   double seconds);

}  // namespace evident::bench
