#pragma once

// The load benchmark's end-to-end scenarios. Each reads the pre-signed data
// set (bench_data.h), so none of them pays for signing, and each returns
// what it measured; evident-load runs every scenario in a process of its own
// so that each one's peak RSS is its own.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ledger/status.h"

namespace evident::bench {

struct Slice {
  uint64_t events = 0;
  double seconds = 0;
};

struct Result {
  uint64_t events = 0;  // events appended, entries checked or delivered
  double seconds = 0;   // the slices' time, without the pauses between them
  std::vector<double> latencies_ms;  // per request or per delivery, when measured
  std::vector<Slice> slices;         // the throughput scenarios': one per slice
  std::map<std::string, double> extra;  // what a scenario adds, by name
  double rate() const { return seconds > 0 ? double(events) / seconds : 0; }
};

struct ScenarioOptions {
  std::string data_dir;    // the data set
  std::string ledger_dir;  // the ledger to make (or, for verify and catch-up, to read)
  int threads = 4;         // appender threads in process; clients over TLS; peer connections
  double rate = 0;         // events/s offered, for the paced scenarios
  double seconds = 20;     // how long the paced scenarios run
  int subscribers = 50;
  size_t request_events = 16;  // events per request in the paced scenarios
  // The throughput scenarios (append, TLS, peer) run the data set in this
  // many consecutive slices of about equal size, on the same ledger or
  // table, and call `pause` between two slices with nothing in flight: the
  // driver measures the verify ceiling there, so that each slice has a
  // ceiling on either side of it.
  int slices = 1;
  std::function<void()> pause;
};

// Durable append of the whole data set through Ledger::Append from
// `threads` threads, kBatch events per call, in `slices`.
StatusOr<Result> AppendInProcess(const ScenarioOptions& o);
// The same over TLS: one loopback server in process, `threads` clients each
// sending its own system's events, kBatch per request, in `slices`.
StatusOr<Result> AppendOverTls(const ScenarioOptions& o);
// Open-loop appends over TLS at `rate` events/s in requests of
// `request_events`, spread over `threads` clients; each request's latency is
// from when it was due to its acknowledgement (so a late send counts).
StatusOr<Result> AppendLatency(const ScenarioOptions& o);
// The same, appended in process by `threads` threads.
StatusOr<Result> AppendLatencyInProcess(const ScenarioOptions& o);
// AppendLatencyInProcess while two witnesses on loopback (HTTPS, in process)
// cosign the checkpoints behind the appends, as `evident serve --witness`
// has them do. Adds "cosigned_size" (the newest size both cosigned by the
// end), "rounds" and "witness_failures".
StatusOr<Result> AppendLatencyCosigned(const ScenarioOptions& o);
// The floor under the append latency: the synced writes alone, with nothing
// checked or signed. Requests of `request_events` entries the size of the
// data set's, with their event-id rows, Merkle nodes and a checkpoint note,
// fall due at `rate` events/s for `seconds`; one writer commits every
// request due by then in one synced batch, as the group commit does, and
// each request's latency runs from when it was due. Made in `ledger_dir`,
// a RocksDB database opened as the ledger opens its own.
StatusOr<Result> SyncedWriteFloor(const ScenarioOptions& o);
// The peer: the same events, verified the same way, then one synchronously
// committed INSERT per kBatch into PostgreSQL over `threads` connections,
// in `slices`.
StatusOr<Result> AppendPostgres(const ScenarioOptions& o);
// `evident verify` of the ledger in `ledger_dir`, in process, `slices`
// times over (each run opens the ledger afresh and is one slice).
StatusOr<Result> VerifyInProcess(const ScenarioOptions& o);
// A subscription from position 0 over TLS to the end of the ledger in
// `ledger_dir`: entries delivered per second.
StatusOr<Result> CatchUp(const ScenarioOptions& o);
// `subscribers` live subscriptions over TLS while one client appends at
// `rate` events/s; each delivery's lag is from the entry's commit
// (recorded_at) to its arrival at the subscriber.
StatusOr<Result> FanOut(const ScenarioOptions& o);

}  // namespace evident::bench
