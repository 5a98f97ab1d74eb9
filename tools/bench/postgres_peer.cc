#include "tools/bench/postgres_peer.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>


namespace evident::bench {
namespace {

// The output of a shell command, or an error naming it.
StatusOr<std::string> Run(const std::string& command) {
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return Status::IOError("cannot run " + command);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), pipe)) > 0;) out.append(buf, n);
  if (::pclose(pipe) != 0) return Status::IOError(command + " failed:\n" + out);
  return out;
}

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

Status PgError(const std::string& what, PGconn* conn) {
  return Status::IOError(what + ": " + PQerrorMessage(conn));
}

// Runs a statement whose result is only success or failure.
Status Exec(PGconn* conn, const char* sql) {
  PGresult* r = PQexec(conn, sql);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  return ok ? Status::OK() : PgError(sql, conn);
}

}  // namespace

StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start(const std::string& parent) {
  std::unique_ptr<PostgresServer> pg(new PostgresServer);
  auto bindir = Run("pg_config --bindir");
  if (!bindir.ok()) {
    return Status::NotFound("pg_config is missing: install libpq-dev and postgresql");
  }
  pg->bin_ = bindir.value().substr(0, bindir.value().find('\n'));
  if (!std::filesystem::exists(pg->bin_ + "/initdb")) {
    return Status::NotFound(pg->bin_ + "/initdb is missing: install Debian's postgresql");
  }
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  std::string pattern = std::filesystem::absolute(parent).string() + "/postgres-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return Status::IOError("cannot create " + pattern);
  pg->dir_ = pattern;
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) return Status::NotFound("no postgres user: install Debian's postgresql");
    if (::chown(pg->dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      return Status::IOError("cannot hand " + pg->dir_ + " to the postgres user");
    }
    pg->as_user_ = "runuser -u postgres -- ";
  }
  pg->port_ = FreeLoopbackPort();
  const std::string data = pg->dir_ + "/data";
  EVIDENT_RETURN_IF_ERROR(
      Run(pg->as_user_ + pg->bin_ + "/initdb -D " + data + " -A trust -U bench -E UTF8").status());
  const std::string log = pg->dir_ + "/server.log";
  Status started = Run(pg->as_user_ + pg->bin_ + "/pg_ctl -D " + data + " -l " + log +
                       " -w -o \"-c listen_addresses=127.0.0.1 -p " + std::to_string(pg->port_) +
                       " -k " + pg->dir_ + " -c synchronous_commit=on -c fsync=on\" start")
                       .status();
  if (!started.ok()) {
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return started.WithContext("the PostgreSQL server's log says:\n" + text);
  }
  return pg;
}

PostgresServer::~PostgresServer() {
  if (port_ != 0) (void)Run(as_user_ + bin_ + "/pg_ctl -D " + dir_ + "/data -m fast -w stop");
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

std::string PostgresServer::conninfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=bench dbname=postgres";
}

StatusOr<std::unique_ptr<PeerConnection>> PeerConnection::Connect(const std::string& conninfo) {
  std::unique_ptr<PeerConnection> c(new PeerConnection);
  c->conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(c->conn_) != CONNECTION_OK) return PgError("cannot connect to the peer", c->conn_);
  return c;
}

PeerConnection::~PeerConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Status PeerConnection::CreateTable() {
  return Exec(conn_,
              "CREATE TABLE events (sequence bigserial PRIMARY KEY, event_id bytea NOT NULL "
              "UNIQUE, signer_key_id bytea NOT NULL, signature bytea NOT NULL, event bytea NOT "
              "NULL, recorded_at timestamptz NOT NULL DEFAULT now())");
}

Status PeerConnection::Append(const std::vector<SignedEvent>& events,
                              const std::vector<PublicKey>& keys, WorkPool* pool) {
  const size_t n = events.size();
  std::vector<std::string_view> ids(n);
  std::vector<char> bad(n, 0);
  pool->ParallelFor(n, [&](size_t i) {
    auto parsed = ParseEvent(events[i].event);
    if (!parsed.ok()) {
      bad[i] = 1;
      return;
    }
    ids[i] = EventIdOf(parsed.value());
    const PublicKey* key = nullptr;
    for (const PublicKey& k : keys) {
      if (k.key_id() == events[i].signer_key_id) key = &k;
    }
    bad[i] = key == nullptr || !VerifyEventSignature(*key, events[i]);
  });
  for (size_t i = 0; i < n; ++i) {
    if (bad[i]) return Status::VerificationFailed("event " + std::to_string(i) + " does not verify");
  }
  std::string sql = "INSERT INTO events (event_id, signer_key_id, signature, event) VALUES ";
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (size_t i = 0; i < n; ++i) {
    const size_t p = 4 * i;
    sql += (i ? ",($" : "($") + std::to_string(p + 1) + ",$" + std::to_string(p + 2) + ",$" +
           std::to_string(p + 3) + ",$" + std::to_string(p + 4) + ")";
    for (std::string_view v : {ids[i], std::string_view(events[i].signer_key_id),
                               std::string_view(events[i].signature),
                               std::string_view(events[i].event)}) {
      values.push_back(v.data());
      lengths.push_back(int(v.size()));
      formats.push_back(1);  // binary
    }
  }
  sql += " ON CONFLICT (event_id) DO NOTHING";
  PGresult* r = PQexecParams(conn_, sql.c_str(), int(values.size()), nullptr, values.data(),
                             lengths.data(), formats.data(), 0);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  return ok ? Status::OK() : PgError("INSERT", conn_);
}

}  // namespace evident::bench
