#pragma once

// The peer the load benchmark runs beside Evident: what a district would
// otherwise build. The same pre-signed events, verified the same way, then
// stored durably in PostgreSQL: an append-only table, one INSERT of a whole
// batch per transaction, synchronous commit on (PostgreSQL's default, and
// fsync on), a unique index on the event id for idempotent retries.

#include <memory>
#include <string>
#include <vector>

#include "ledger/event.h"
#include "ledger/status.h"
#include "ledger/work_pool.h"

typedef struct pg_conn PGconn;

namespace evident::bench {

// Debian's PostgreSQL server, started on loopback in a temporary directory
// made under `parent` (same disk as the ledgers it is compared with), and
// stopped and removed with the object. Run as root, the server runs as the
// `postgres` user (PostgreSQL refuses to run as root).
class PostgresServer {
 public:
  static StatusOr<std::unique_ptr<PostgresServer>> Start(const std::string& parent);
  ~PostgresServer();
  // libpq connection string.
  std::string conninfo() const;

 private:
  PostgresServer() = default;
  std::string bin_, dir_, as_user_;
  int port_ = 0;
};

// One connection to the peer's database.
class PeerConnection {
 public:
  static StatusOr<std::unique_ptr<PeerConnection>> Connect(const std::string& conninfo);
  ~PeerConnection();
  // Creates the events table (once, before the run).
  Status CreateTable();
  // Parses every event and checks every signature against `keys` on
  // `pool` (shared by every connection, as Evident's appender shares its
  // pool between callers), then inserts the batch in one synchronously
  // committed transaction.
  Status Append(const std::vector<SignedEvent>& events, const std::vector<PublicKey>& keys,
                WorkPool* pool);

 private:
  PeerConnection() = default;
  PGconn* conn_ = nullptr;
};

}  // namespace evident::bench
