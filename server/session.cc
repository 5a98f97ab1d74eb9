// One connection: TLS handshake, challenge-response, then requests until the
// client leaves, a timeout, or shutdown.

#include <pthread.h>
#include <sched.h>
#include <openssl/rand.h>

#include <optional>

#include "ledger/backup.h"
#include "ledger/coding.h"
#include "server/access.h"
#include "server/frame.h"
#include "server/server_impl.h"
#include "server/tls.h"

namespace evident::server {
namespace {

using KeyInfo = KeyRegistry::KeyInfo;

std::string Bytes(const flatbuffers::Vector<uint8_t>* v) {
  return v == nullptr ? std::string() : std::string(AsView(v));
}

class Closed : public std::exception {};  // the connection is over; nothing more to say

// What a refused login is told, whatever the reason (the log says which):
// a client learns nothing about a key it cannot sign for.
constexpr char kLoginRefused[] =
    "authentication failed: the key is not registered in this log, was revoked, may not log "
    "in, or the challenge signature does not verify";

// Query threads run under SCHED_IDLE: a view re-rendered for a board's
// `as_of` (a second or more of CPU, on threads it starts, which inherit the
// policy) gets the cores only when the append path does not want them, so no
// role's queries slow an append (issue 23, item 4). Set once per thread.
void YieldToTheAppendPath() {
  thread_local bool done = false;
  if (done) return;
  done = true;
  sched_param param{};
  param.sched_priority = 0;
  pthread_setschedparam(pthread_self(), SCHED_IDLE, &param);  // best effort
}

// The client's address, for the per-address limits.
std::string AddressOf(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  return ec ? "unknown" : remote.address().to_string();
}

template <typename Stream>
class Session {
 public:
  Session(Server::Impl* server, Stream stream, std::string peer)
      : server_(server),
        stream_(std::move(stream)),
        connection_(server->NextConnectionId()),
        peer_("conn=c" + std::to_string(connection_) + " peer=" + peer),
        address_(AddressOf(Socket(stream_))),
        deadline_(Socket(stream_).get_executor()),
        wake_(Socket(stream_).get_executor()),
        reader_done_(Socket(stream_).get_executor()) {}

  asio::awaitable<void> Run() {
    server_->Track(&Socket(stream_));
    server_->LoginStarted(&Socket(stream_), address_);
    server_->metrics().ConnectionOpened();
    try {
      if constexpr (!std::is_same_v<Stream, tcp::socket>) {
        Arm(server_->options().handshake_timeout, "handshake");
        co_await stream_.async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
        deadline_.cancel();
        auto binding = TlsLoginBinding(stream_.native_handle());
        if (!binding.ok()) throw std::runtime_error(binding.status().message());
        tls_binding_ = std::move(binding.value());
      }
      if (co_await Authenticate()) co_await Serve();
    } catch (const Closed&) {
    } catch (const boost::system::system_error& e) {
      if (timed_out_) {
        server_->LogRefusal(peer_ + ": closed after the " + timeout_ + " timeout");
      } else if (e.code() != asio::error::eof && e.code() != asio::error::operation_aborted &&
                 e.code() != asio::ssl::error::stream_truncated) {
        server_->LogRefusal(peer_ + ": connection ended: " + e.code().message());
      }
    } catch (const std::exception& e) {  // one connection's failure never stops the server
      server_->Log(peer_ + ": connection closed on an internal error: " + e.what());
    }
    boost::system::error_code ec;
    deadline_.cancel();
    Socket(stream_).close(ec);
    // Whatever ended the connection, the credit reader may still be reading
    // this session's stream: the session outlives it.
    while (reading_credits_) {
      reader_done_.expires_after(std::chrono::seconds(1));
      co_await reader_done_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    server_->UnwatchGrowth(&wake_);
    if (admitted_) server_->LoggedOut(key_->principal_id, key_->role);
    server_->LoginEnded(&Socket(stream_));
    server_->Untrack(&Socket(stream_));
    server_->metrics().SubscriberGone(connection_);
    server_->metrics().ConnectionClosed();
    server_->SessionEnded(address_);
  }

 private:
  // Cancels the socket's operations when `timeout` passes first; `what`
  // names the timeout in the log.
  void Arm(std::chrono::milliseconds timeout, const char* what) {
    deadline_.expires_after(timeout);
    deadline_.async_wait([this, what](const boost::system::error_code& ec) {
      if (ec) return;
      timed_out_ = true;
      timeout_ = what;
      boost::system::error_code ignored;
      Socket(stream_).cancel(ignored);
    });
  }

  // A frame's body, and the share of the server's request budget it holds
  // until it is destroyed.
  struct Body {
    // `principal` must outlive the body (the session's key does).
    Body(Server::Impl* server, size_t held, const std::string* principal)
        : bytes(), server_(server), held_(held), principal_(principal) {}
    Body(Body&& other) noexcept
        : bytes(std::move(other.bytes)),
          refusal(std::move(other.refusal)),
          server_(other.server_),
          held_(other.held_),
          principal_(other.principal_) {
      other.held_ = 0;
    }
    Body& operator=(Body&&) = delete;
    ~Body() {
      if (held_ > 0) server_->Release(held_, *principal_);
    }
    std::string bytes;
    std::string refusal;  // why the request was read past unkept, or empty

   private:
    Server::Impl* server_;
    size_t held_;
    const std::string* principal_;
  };

  // One frame's body, checked; throws when the connection is over.
  asio::awaitable<Body> ReadBody(std::optional<std::chrono::milliseconds> timeout) {
    if (timeout) Arm(*timeout, authenticated_ ? "idle" : "handshake");
    unsigned char prefix[4];
    co_await asio::async_read(stream_, asio::buffer(prefix), asio::use_awaitable);
    const uint32_t n = FrameLength(prefix);
    if (n == 0 || n > kMaxFrameBytes) {
      co_await Fail(
          0, wire::ErrorCode::BadRequest,
          "frame length " + std::to_string(n) + " is outside 1.." + std::to_string(kMaxFrameBytes));
    }
    const bool held = n > kSmallRequestBytes;
    if (held && !authenticated_) {  // a login is a few hundred bytes
      co_await Fail(0, wire::ErrorCode::BadRequest,
                    "a frame of " + std::to_string(n) + " bytes before login; at most " +
                        std::to_string(kSmallRequestBytes) + " until the key is known");
    }
    std::string busy;  // held implies authenticated_, so key_ is known
    if (held && !(busy = server_->Reserve(n, key_->principal_id)).empty()) {
      // Read past it without keeping it, and say why; the connection goes on.
      Body refused(server_, 0, nullptr);
      refused.refusal = "the server is busy: " + busy + ", and this one of " + std::to_string(n) +
                        " bytes does not fit; it was not kept: send it again shortly";
      std::string scratch(std::min<size_t>(n, kSmallRequestBytes), '\0');
      for (size_t left = n; left > 0;) {
        const size_t chunk = std::min(left, scratch.size());
        co_await asio::async_read(stream_, asio::buffer(scratch.data(), chunk),
                                  asio::use_awaitable);
        left -= chunk;
      }
      if (timeout) deadline_.cancel();
      co_return refused;
    }
    Body body(server_, held ? n : 0, held ? &key_->principal_id : nullptr);
    body.bytes.resize(n);
    co_await asio::async_read(stream_, asio::buffer(body.bytes), asio::use_awaitable);
    if (timeout) deadline_.cancel();
    co_return body;
  }

  // A subscription's next frame, of at most kSmallRequestBytes (a Credit
  // frame is a few dozen bytes): it never holds any of the request budget.
  // Throws when the connection is over, or ends it at a larger frame.
  asio::awaitable<std::string> ReadSmallFrame() {
    unsigned char prefix[4];
    co_await asio::async_read(stream_, asio::buffer(prefix), asio::use_awaitable);
    const uint32_t n = FrameLength(prefix);
    if (n == 0 || n > kSmallRequestBytes) {
      co_await Fail(0, wire::ErrorCode::BadRequest,
                    "a frame of " + std::to_string(n) +
                        " bytes during a subscription, which takes Credit frames of 1 to " +
                        std::to_string(kSmallRequestBytes) + " bytes");
    }
    std::string body(n, '\0');
    co_await asio::async_read(stream_, asio::buffer(body), asio::use_awaitable);
    co_return body;
  }

  // Writes one frame; a client that does not take it within the write
  // timeout loses its connection. (No read is under a deadline meanwhile: a
  // request's is cancelled once it is read, and a subscription's credit
  // reader has none.)
  asio::awaitable<void> Write(std::string bytes) {
    Arm(server_->options().write_timeout, "write");
    co_await asio::async_write(stream_, asio::buffer(bytes), asio::use_awaitable);
    deadline_.cancel();
  }

  // Sends an Error and ends the connection.
  asio::awaitable<void> Fail(uint64_t id, wire::ErrorCode code, std::string message) {
    std::string who = peer_;
    if (key_) who += " (" + key_->principal_id + ")";
    server_->LogRefusal(who + ": refused: " + message);
    server_->metrics().Refused(wire::EnumNameErrorCode(code));
    // While a subscription streams, its writer owns the stream: the
    // connection just ends.
    if (!reading_credits_) co_await Write(ErrorFrame(id, code, message));
    throw Closed();
  }

  // Sends an Error; the connection goes on.
  asio::awaitable<void> Refuse(uint64_t id, wire::ErrorCode code, std::string message,
                               int index = -1) {
    server_->LogRefusal(peer_ + " (" + key_->principal_id + "): refused: " + message);
    server_->metrics().Refused(wire::EnumNameErrorCode(code));
    co_await Write(ErrorFrame(id, code, message, index));
  }

  // Runs blocking ledger work on the pool; the session resumes on the
  // network thread.
  template <typename F>
  asio::awaitable<std::invoke_result_t<F>> OnPool(F work, asio::thread_pool* pool = nullptr) {
    using R = std::invoke_result_t<F>;
    std::optional<R> result = co_await asio::co_spawn(
        pool != nullptr ? *pool : server_->pool(),
        [&]() -> asio::awaitable<std::optional<R>> { co_return work(); }, asio::use_awaitable);
    co_return std::move(*result);
  }

  // Refuses a login with the one answer every refused login gets, and logs
  // `detail`; ends the connection.
  asio::awaitable<void> FailLogin(const std::string& detail) {
    server_->LogRefusal(peer_ + ": login refused: " + detail);
    server_->metrics().Refused(wire::EnumNameErrorCode(wire::ErrorCode::Unauthenticated));
    co_await Write(ErrorFrame(0, wire::ErrorCode::Unauthenticated, kLoginRefused));
    throw Closed();
  }

  asio::awaitable<bool> Authenticate() {
    std::string nonce(32, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), int(nonce.size()));
    const std::string& origin = server_->ledger()->origin();
    co_await Write(ChallengeFrame(nonce, origin));
    const Body body = co_await ReadBody(server_->options().handshake_timeout);
    if (!body.refusal.empty()) co_await Fail(0, wire::ErrorCode::Unavailable, body.refusal);
    auto frame = ParseFrame(body.bytes);
    if (!frame.ok()) co_await Fail(0, wire::ErrorCode::BadRequest, frame.status().message());
    const wire::Authenticate* auth = frame.value()->message_as_Authenticate();
    if (auth == nullptr) {
      co_await Fail(frame.value()->request_id(), wire::ErrorCode::Unauthenticated,
                    "authenticate first: the first message must be Authenticate");
    }
    key_id_ = Bytes(auth->key_id());
    const std::string signature = Bytes(auth->signature());
    key_ = server_->ledger()->FindKey(key_id_);
    const std::string who = "key " + ShortKeyId(key_id_);
    if (!key_) co_await FailLogin(who + " is not registered in this log");
    if (key_->revoked_at) {
      co_await FailLogin(who + " (" + key_->principal_id + ") was revoked at position " +
                         std::to_string(*key_->revoked_at));
    }
    if (!MayLogIn(key_->role)) {
      co_await FailLogin(who + " (" + key_->principal_id + ") has role " +
                         std::to_string(int(key_->role)) + " (" + schema::EnumNameRole(key_->role) +
                         "), which may not log in: only Admin, Integration, Auditor and Board");
    }
    if (!key_->key.Verify(AuthMessage(origin, nonce, tls_binding_), signature)) {
      co_await FailLogin("the challenge signature does not verify for " + who + " (" +
                         key_->principal_id + ")");
    }
    const std::string no_place = server_->AdmitLogin(key_->principal_id, key_->role);
    if (!no_place.empty()) co_await Fail(0, wire::ErrorCode::Unavailable, no_place);
    admitted_ = true;
    authenticated_ = true;
    server_->LoginEnded(&Socket(stream_));
    co_await Write(WelcomeFrame(key_->principal_id, key_->role, key_->allowed_event_types,
                                server_->ledger()->size()));
    server_->Log(peer_ + ": authenticated as " + key_->principal_id + " (" +
                 schema::EnumNameRole(key_->role) + ")");
    co_return true;
  }

  asio::awaitable<void> Serve() {
    while (!server_->stopping()) {
      const Body body = co_await ReadBody(server_->options().idle_timeout);
      if (!body.refusal.empty()) {
        co_await Refuse(0, wire::ErrorCode::Unavailable, body.refusal);
        continue;
      }
      auto parsed = ParseFrame(body.bytes);
      if (!parsed.ok()) co_await Fail(0, wire::ErrorCode::BadRequest, parsed.status().message());
      const wire::Frame* frame = parsed.value();
      const uint64_t id = frame->request_id();
      // A key revoked while connected loses its connection at its next request.
      auto now = server_->ledger()->FindKey(key_id_);
      if (!now || now->revoked_at) {
        co_await Fail(id, wire::ErrorCode::Unauthenticated,
                      "key " + ShortKeyId(key_id_) + " was revoked");
      }
      const std::string refusal = RequestRefusal(key_->role, frame->message_type());
      if (!refusal.empty()) {
        co_await Refuse(id, wire::ErrorCode::PermissionDenied, refusal);
        continue;
      }
      switch (frame->message_type()) {
        case wire::Message::AppendRequest:
          co_await Append(id, frame->message_as_AppendRequest());
          break;
        case wire::Message::ReadRequest:
          co_await Read(id, frame->message_as_ReadRequest());
          break;
        case wire::Message::SubscribeRequest:
          co_await Subscribe(id, frame->message_as_SubscribeRequest());
          co_return;
        case wire::Message::CheckpointRequest:
          co_await Checkpoint(id, frame->message_as_CheckpointRequest()->size());
          break;
        case wire::Message::InclusionProofRequest: {
          const auto* r = frame->message_as_InclusionProofRequest();
          co_await Proof(id, r->size(), [this, r] {
            return server_->ledger()->InclusionProof(r->index(), r->size());
          });
          break;
        }
        case wire::Message::ConsistencyProofRequest: {
          const auto* r = frame->message_as_ConsistencyProofRequest();
          co_await Proof(id, r->size2(), [this, r] {
            return server_->ledger()->ConsistencyProof(r->size1(), r->size2());
          });
          break;
        }
        case wire::Message::QueryRequest:
          co_await Query(id, frame->message_as_QueryRequest());
          break;
        case wire::Message::BackupRequest:
          co_await Backup(id, frame->message_as_BackupRequest());
          break;
        default: {
          std::string message =
              std::string(MessageName(frame->message_type())) + " is not a request a client sends";
          co_await Refuse(id, wire::ErrorCode::BadRequest, std::move(message));
        }
      }
    }
  }

  asio::awaitable<void> Append(uint64_t id, const wire::AppendRequest* request) {
    const auto* events = request->events();
    if (events == nullptr || events->size() == 0 || events->size() > kMaxBatchEvents) {
      co_await Refuse(id, wire::ErrorCode::BadRequest,
                      "an append carries 1 to " + std::to_string(kMaxBatchEvents) + " events");
      co_return;
    }
    std::vector<SignedEvent> batch;
    for (uint32_t i = 0; i < events->size(); ++i) {
      const wire::SignedEvent* e = events->Get(i);
      SignedEvent s{Bytes(e->event()), Bytes(e->signer_key_id()), Bytes(e->signature())};
      std::string refusal = RelayRefusal(key_->role, key_id_, s.signer_key_id, i);
      if (!refusal.empty()) {
        co_await Refuse(id, wire::ErrorCode::PermissionDenied, std::move(refusal), int(i));
        co_return;
      }
      batch.push_back(std::move(s));
    }
    size_t failed = 0;
    const auto start = std::chrono::steady_clock::now();
    auto results = co_await OnPool([&] { return server_->ledger()->Append(batch, &failed); });
    if (!results.ok()) {
      const int index = failed < batch.size() ? int(failed) : -1;
      std::string message = results.status().message() + "; nothing of the batch was appended";
      if (index >= 0) message = "event " + std::to_string(index) + ": " + message;
      co_await Refuse(id, CodeOf(results.status()), std::move(message), index);
      co_return;
    }
    server_->LogGrew();
    const size_t fresh = std::count_if(results->begin(), results->end(),
                                       [](const AppendResult& r) { return !r.duplicate; });
    server_->metrics().AppendCommitted(
        batch.size(), fresh,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    auto note = co_await OnPool([&] { return server_->ledger()->LatestCheckpointNote(); });
    // (Built before the co_await: g++ 12 destroys a conditional's temporary
    // inside a co_await expression twice.)
    std::string reply = AppendResponseFrame(id, results.value(), note.ok() ? note.value() : "");
    co_await Write(std::move(reply));
  }

  // Entries [from, to) this key may see: everything, or an integration's own.
  // Stops after the entry that brings the batch to `max_bytes` (at least one
  // entry is always taken); `*scanned_to` is where the next batch starts.
  // The entries in [from, to) this key may see, until their bytes reach
  // `max_bytes`; `*scanned_to` is where the scan stopped. An error when the
  // log cannot be read (the reader is told, not given a gap).
  StatusOr<EntryList> Entries(uint64_t from, uint64_t to, uint64_t* scanned_to,
                              size_t max_bytes) {
    EntryList out;
    size_t bytes_taken = 0;
    *scanned_to = from;
    Status s = server_->ledger()->Scan(from, to, [&](uint64_t position, std::string_view bytes) {
      *scanned_to = position + 1;
      if (!SeesEntry(key_->role, key_id_, bytes)) return true;
      out.emplace_back(position, std::string(bytes));
      bytes_taken += bytes.size();
      return bytes_taken < max_bytes;
    });
    if (!s.ok()) return s.WithContext("reading the log from position " + std::to_string(from));
    return out;
  }

  asio::awaitable<void> Read(uint64_t id, const wire::ReadRequest* r) {
    const uint64_t size = server_->ledger()->size();
    if (r->from() > size || r->to() < r->from()) {
      co_await Refuse(id, wire::ErrorCode::InvalidArgument,
                      "range " + std::to_string(r->from()) + ".." + std::to_string(r->to()) +
                          " is not within the log's " + std::to_string(size) + " entries");
      co_return;
    }
    const uint64_t to = std::min({r->to(), size, r->from() + kMaxReadEntries});
    uint64_t scanned = 0;
    auto entries =
        co_await OnPool([&] { return Entries(r->from(), to, &scanned, kMaxReadBytes); });
    if (!entries.ok()) {
      co_await Refuse(id, wire::ErrorCode::Internal, entries.status().message());
      co_return;
    }
    co_await Write(ReadResponseFrame(id, entries.value(), size, scanned));
  }

  asio::awaitable<void> Checkpoint(uint64_t id, uint64_t size) {
    auto note = co_await OnPool([&] {
      // With the cosignatures stored for it: the newest, or the one asked for.
      return server_->ledger()->CosignedCheckpointNote(size == 0 ? server_->ledger()->size()
                                                                 : size);
    });
    if (!note.ok()) {
      std::string message = "no signed checkpoint at tree size " + std::to_string(size);
      if (size == 0) message = "the log has no checkpoint yet";
      co_await Refuse(id, CodeOf(note.status()), std::move(message));
      co_return;
    }
    co_await Write(CheckpointResponseFrame(id, note.value()));
  }

  template <typename F>
  asio::awaitable<void> Proof(uint64_t id, uint64_t size, F prove) {
    if (size == 0 || size > server_->ledger()->size()) {
      co_await Refuse(id, wire::ErrorCode::InvalidArgument,
                      "tree size " + std::to_string(size) + " is not within the log's " +
                          std::to_string(server_->ledger()->size()) + " entries");
      co_return;
    }
    auto proof = co_await OnPool(prove);
    auto note = co_await OnPool([&] { return server_->ledger()->CheckpointNote(size); });
    if (!proof.ok()) {
      co_await Refuse(id, CodeOf(proof.status()), proof.status().message());
      co_return;
    }
    std::string reply = ProofResponseFrame(id, proof.value(), note.ok() ? note.value() : "");
    co_await Write(std::move(reply));  // built first, as in Append
  }

  asio::awaitable<void> Query(uint64_t id, const wire::QueryRequest* r) {
    const std::string view = r->view() ? r->view()->str() : "";
    const std::string refusal = ViewRefusal(key_->role, view);
    if (!refusal.empty()) {
      co_await Refuse(id, wire::ErrorCode::PermissionDenied, refusal);
      co_return;
    }
    const std::string filters = r->filters_json() ? r->filters_json()->str() : "";
    const std::string as_of = r->as_of() ? r->as_of()->str() : "";
    if (Status checked = CheckFiltersJson(filters); !checked.ok()) {
      co_await Refuse(id, wire::ErrorCode::InvalidArgument, checked.message());
      co_return;
    }
    std::string busy = server_->AdmitQuery(key_->principal_id);
    if (!busy.empty()) {
      co_await Refuse(id, wire::ErrorCode::Unavailable, "the server is busy: " + busy);
      co_return;
    }
    struct Admitted {  // forgets the query however this coroutine goes on
      Server::Impl* server;
      const std::string& principal;
      ~Admitted() { server->QueryDone(principal); }
    } admitted{server_, key_->principal_id};
    auto text = co_await OnPool(
        [&] {
          YieldToTheAppendPath();
          return server_->Query(key_->role, view, filters, as_of);
        },
        &server_->query_pool());
    if (!text.ok()) {
      co_await Refuse(id, CodeOf(text.status()), text.status().message());
      co_return;
    }
    co_await Write(QueryResponseFrame(id, text.value()));
  }

  asio::awaitable<void> Backup(uint64_t id, const wire::BackupRequest* r) {
    const std::string dir = r->dir() ? r->dir()->str() : "";
    if (dir.empty() || dir[0] != '/') {
      co_await Refuse(id, wire::ErrorCode::InvalidArgument,
                      "a backup needs an absolute directory on the server's machine");
      co_return;
    }
    server_->Log(peer_ + " (" + key_->principal_id + "): backing up to " + dir);
    auto info = co_await OnPool([&] {
      return BackupLedger(server_->ledger(), dir, [this](const std::string& backup_dir) {
        return server_->BackupDirectory(backup_dir);
      });
    });
    if (!info.ok()) {
      co_await Refuse(id, CodeOf(info.status()), info.status().message());
      co_return;
    }
    server_->Log(peer_ + " (" + key_->principal_id + "): backup of " +
                 std::to_string(info->tree_size) + " entries written to " + dir);
    co_await Write(BackupResponseFrame(id, info->tree_size, info->checkpoint));
  }

  // Streams entries from `from` on, never more than the credit the client
  // granted; a second coroutine reads the client's Credit frames.
  asio::awaitable<void> Subscribe(uint64_t id, const wire::SubscribeRequest* r) {
    uint64_t next = r->from();
    credit_ = r->credit();
    if (next > server_->ledger()->size()) {
      co_await Fail(id, wire::ErrorCode::InvalidArgument,
                    "subscription from " + std::to_string(next) + " is past the log's end (" +
                        std::to_string(server_->ledger()->size()) + ")");
    }
    // Set here, not in the reader: Run waits for it from now on.
    reading_credits_ = true;
    asio::co_spawn(Socket(stream_).get_executor(), ReadCredits(), asio::detached);
    server_->metrics().SubscriberAt(connection_, key_->principal_id, next);
    while (!client_gone_ && !server_->stopping()) {
      co_await EndIfRevoked(id);
      const uint64_t size = server_->ledger()->size();
      if (credit_ > 0 && next < size) {
        const uint64_t to = std::min({size, next + credit_, next + kMaxReadEntries});
        uint64_t scanned = next;
        auto entries =
            co_await OnPool([&] { return Entries(next, to, &scanned, kMaxBatchEntryBytes); });
        if (!entries.ok()) {
          co_await Refuse(id, wire::ErrorCode::Internal, entries.status().message());
          co_return;
        }
        next = scanned;
        if (entries->empty()) continue;
        credit_ -= std::min<uint64_t>(credit_, entries->size());
        co_await Write(EntryBatchFrame(id, entries.value()));
        server_->metrics().SubscriberAt(connection_, key_->principal_id, next);
        continue;
      }
      // Wait for more credit or more entries (or a second, whichever first).
      wake_.expires_after(std::chrono::seconds(1));
      server_->WatchGrowth(&wake_);
      boost::system::error_code ec;
      co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      server_->UnwatchGrowth(&wake_);
    }
    // Run closes the socket and waits for the credit reader to finish.
  }

  // A key revoked while it follows the log loses its subscription as soon
  // as the log holds the revocation: an Error frame, then the end.
  asio::awaitable<void> EndIfRevoked(uint64_t id) {
    const auto now = server_->ledger()->FindKey(key_id_);
    if (now && !now->revoked_at) co_return;
    const std::string message = "key " + ShortKeyId(key_id_) + " was revoked";
    server_->LogRefusal(peer_ + " (" + key_->principal_id + "): subscription ended: " + message);
    server_->metrics().Refused(wire::EnumNameErrorCode(wire::ErrorCode::Unauthenticated));
    co_await Write(ErrorFrame(id, wire::ErrorCode::Unauthenticated, message));
    throw Closed();
  }

  // Reads the client's Credit frames until the connection ends, and only
  // small frames: it never holds any of the request budget.
  asio::awaitable<void> ReadCredits() {
    try {
      for (;;) {
        const std::string body = co_await ReadSmallFrame();
        auto frame = ParseFrame(body);
        const wire::Credit* credit = frame.ok() ? frame.value()->message_as_Credit() : nullptr;
        if (credit == nullptr) {  // a subscription takes Credit frames only
          server_->LogRefusal(peer_ + " (" + key_->principal_id +
                              "): subscription ended: the client sent something other than Credit");
          break;
        }
        credit_ += credit->entries();
        wake_.cancel();
      }
    } catch (...) {
    }
    client_gone_ = true;
    reading_credits_ = false;
    wake_.cancel();
    reader_done_.cancel();
  }

  Server::Impl* server_;
  Stream stream_;
  const uint64_t connection_;
  std::string peer_;
  const std::string address_;  // the client's, without the port
  asio::steady_timer deadline_, wake_, reader_done_;
  std::string tls_binding_;  // the TLS session's exporter value; empty for plaintext
  bool timed_out_ = false, authenticated_ = false;
  bool admitted_ = false;     // counted by AdmitLogin
  const char* timeout_ = "";  // which timeout closed the connection
  std::optional<KeyInfo> key_;
  std::string key_id_;
  uint64_t credit_ = 0;
  bool client_gone_ = false, reading_credits_ = false;
};

}  // namespace

template <typename Stream>
asio::awaitable<void> RunSession(Server::Impl* server, Stream stream, std::string peer) {
  Session<Stream> session(server, std::move(stream), std::move(peer));
  co_await session.Run();
}

template asio::awaitable<void> RunSession(Server::Impl*, tcp::socket, std::string);
template asio::awaitable<void> RunSession(Server::Impl*, asio::ssl::stream<tcp::socket>,
                                          std::string);

}  // namespace evident::server
