#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ledger/appender.h"
#include "ledger/event.h"
#include "ledger/keys.h"
#include "ledger/status.h"

// The client library of `evident serve`: one authenticated connection, and a
// blocking call per request. Used by `evident append --server`, `evident
// tail --server` and the proof commands against a server. Not thread-safe:
// one thread per Client (open several for concurrent work).
namespace evident::server {

struct ClientOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  // The certificate (or CA) the server's certificate must chain to, PEM.
  // The server's name is checked against `host`.
  std::string trusted_cert_pem;
  bool plaintext = false;
  std::chrono::milliseconds timeout{30000};  // for each reply
  // The local address to connect from (empty: the system's choice), e.g.
  // another 127.0.0.x for a client that must count as another address.
  std::string source_address;
};

struct Welcome {
  std::string principal, role;
  std::vector<std::string> allowed_event_types;
  uint64_t tree_size = 0;
};

struct AppendReply {
  std::vector<AppendResult> results;  // one per event, in order
  std::string checkpoint;             // a signed checkpoint covering them all
};

struct ProofReply {
  std::vector<std::string> hashes;  // 32 bytes each
  std::string checkpoint;           // the signed checkpoint at the proof's size
};

class Client {
 public:
  // Connects, checks the server's certificate, and answers the challenge
  // with `key`. Unauthenticated/PermissionDenied/... as the server says,
  // IOError when the server cannot be reached.
  static StatusOr<std::unique_ptr<Client>> Connect(const ClientOptions& options,
                                                   const PrivateKey& key);
  // Connect in two steps, for tests of what a server does with a wrong
  // answer: Open reads the challenge (its origin and nonce are then here),
  // Authenticate answers it.
  static StatusOr<std::unique_ptr<Client>> Open(const ClientOptions& options);
  Status Authenticate(const PrivateKey& key);
  const std::string& origin() const { return origin_; }
  const std::string& nonce() const { return nonce_; }
  // The TLS session's login binding (TlsLoginBinding), which the signed
  // login message covers; empty over plaintext.
  const std::string& tls_binding() const { return tls_binding_; }
  ~Client();

  const Welcome& welcome() const { return welcome_; }

  // Appends one batch: all of it or none. The error names the event at
  // fault, whose index is also put in `*failed_index` (if given).
  StatusOr<AppendReply> Append(const std::vector<SignedEvent>& events,
                               size_t* failed_index = nullptr);
  // Entries [from, to) the key may see, position and stored bytes. The server
  // answers at most a batch, of kMaxReadEntries positions and about
  // kMaxReadBytes: `*scanned_to` (if given) is where the answer ends, so the
  // next call starts there.
  StatusOr<std::vector<std::pair<uint64_t, std::string>>> Read(uint64_t from, uint64_t to,
                                                               uint64_t* scanned_to = nullptr);
  // The signed checkpoint at `size` (0: the newest).
  StatusOr<std::string> Checkpoint(uint64_t size = 0);
  // Admin keys: a backup written by the server into `dir` on its machine
  // (ledger/backup.h); its tree size and checkpoint.
  StatusOr<std::pair<uint64_t, std::string>> Backup(const std::string& dir);
  StatusOr<ProofReply> InclusionProof(uint64_t index, uint64_t size);
  StatusOr<ProofReply> ConsistencyProof(uint64_t size1, uint64_t size2);
  // A view's rows as `evident query` prints them (filters: person, site,
  // programme, fy, row; as_of: YYYY-MM-DD or empty).
  StatusOr<std::string> Query(const std::string& view,
                              const std::map<std::string, std::string>& filters,
                              const std::string& as_of = "");
  // Follows the log from `from`: calls on_entry for every entry, in order,
  // granting the server `window` entries of credit at a time, until on_entry
  // returns false (OK) or the connection ends (its Status). The connection
  // is spent afterwards.
  Status Subscribe(uint64_t from, uint32_t window,
                   const std::function<bool(uint64_t, std::string_view)>& on_entry);

  // For tests of hostile clients: bytes as they are, the next frame's body,
  // and the socket's descriptor (to set options on it, such as a linger of
  // 0 that makes the close a reset). The Client keeps owning the socket.
  Status SendRaw(const std::string& bytes);
  StatusOr<std::string> ReceiveRaw();
  int NativeSocket();

  class Connection;

 private:
  Client() = default;
  // Sends a framed request and returns the body of the answer.
  StatusOr<std::string> Call(const std::string& request);
  std::unique_ptr<Connection> connection_;
  Welcome welcome_;
  std::string origin_, nonce_, tls_binding_;
  uint64_t next_id_ = 1;
};

}  // namespace evident::server
