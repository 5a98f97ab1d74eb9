#include "server/client.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <nlohmann/json.hpp>
#include <utility>  // before asio: Boost 1.74's awaitable.hpp needs std::exchange

#include "server/frame.h"
#include "server/server.h"
#include "server/tls.h"

namespace evident::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Client::Connection {
 public:
  asio::io_context io;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::unique_ptr<asio::ssl::stream<tcp::socket>> secure;
  std::unique_ptr<tcp::socket> plain;

  tcp::socket& socket() { return secure ? secure->next_layer() : *plain; }

  template <typename Op>
  void Io(Op op) {
    if (secure) {
      op(*secure);
    } else {
      op(*plain);
    }
  }
  std::chrono::milliseconds timeout{30000};

  // Runs one asynchronous operation to its end or the timeout, whichever
  // comes first (on a timeout the connection is spent).
  template <typename Start>
  boost::system::error_code Timed(Start start) {
    boost::system::error_code result;
    bool done = false;
    start([&](const boost::system::error_code& ec, size_t) {
      result = ec;
      done = true;
    });
    io.restart();
    io.run_for(timeout);
    if (!done) {
      boost::system::error_code ignored;
      socket().cancel(ignored);
      io.restart();
      io.run();  // let the cancelled operation finish
      return asio::error::timed_out;
    }
    return result;
  }
  Status Send(const std::string& bytes) {
    auto ec = Timed([&](auto handler) {
      Io([&](auto& s) { asio::async_write(s, asio::buffer(bytes), handler); });
    });
    if (ec) return Status::IOError("sending to the server: " + ec.message());
    return Status::OK();
  }
  StatusOr<std::string> Receive() {
    unsigned char prefix[4];
    auto ec = Timed([&](auto handler) {
      Io([&](auto& s) { asio::async_read(s, asio::buffer(prefix), handler); });
    });
    if (ec) return Status::IOError("reading from the server: " + ec.message());
    const uint32_t n = FrameLength(prefix);
    if (n == 0 || n > kMaxFrameBytes) {
      return Status::IOError("the server sent a frame of " + std::to_string(n) + " bytes");
    }
    std::string body(n, '\0');
    ec = Timed([&](auto handler) {
      Io([&](auto& s) { asio::async_read(s, asio::buffer(body), handler); });
    });
    if (ec) return Status::IOError("reading from the server: " + ec.message());
    return body;
  }
};

namespace {

Status FromError(const wire::Error* e) {
  std::string m = "server: " + (e->message() ? e->message()->str() : std::string("error"));
  switch (e->code()) {
    case wire::ErrorCode::Unauthenticated:
    case wire::ErrorCode::PermissionDenied:
      return Status::PermissionDenied(m);
    case wire::ErrorCode::InvalidArgument:
    case wire::ErrorCode::BadRequest:
      return Status::InvalidArgument(m);
    case wire::ErrorCode::Conflict:
      return Status::Conflict(m);
    default:
      return Status::IOError(m);
  }
}

std::string Bytes(const flatbuffers::Vector<uint8_t>* v) {
  return v == nullptr ? std::string()
                      : std::string(reinterpret_cast<const char*>(v->data()), v->size());
}

// A reply of type `want` to request `id`: its frame body (kept alive by
// the caller), or the server's Error as a Status.
StatusOr<const wire::Frame*> Expect(const std::string& body, wire::Message want) {
  auto frame = ParseFrame(body);
  if (!frame.ok()) return Status::IOError("the server sent a malformed frame");
  if (frame.value()->message_type() == wire::Message::Error) {
    return FromError(frame.value()->message_as_Error());
  }
  if (frame.value()->message_type() != want) {
    return Status::IOError(std::string("expected ") + MessageName(want) + " from the server, got " +
                           MessageName(frame.value()->message_type()));
  }
  return frame;
}

template <typename T>
std::string Request(flatbuffers::FlatBufferBuilder& fbb, uint64_t id, wire::Message type,
                    flatbuffers::Offset<T> message) {
  return FrameOf(fbb, id, type, message.Union());
}

StatusOr<ProofReply> ProofOf(const std::string& body) {
  auto frame = Expect(body, wire::Message::ProofResponse);
  if (!frame.ok()) return frame.status();
  const auto* p = frame.value()->message_as_ProofResponse();
  const std::string hashes = Bytes(p->hashes());
  if (hashes.size() % 32 != 0) return Status::IOError("the server sent a malformed proof");
  ProofReply reply;
  for (size_t i = 0; i < hashes.size(); i += 32) reply.hashes.push_back(hashes.substr(i, 32));
  reply.checkpoint = p->checkpoint() ? p->checkpoint()->str() : "";
  return reply;
}

// Connects `*socket` from `source` (port 0) to the first endpoint of the
// same family as `source`.
boost::system::error_code ConnectFrom(const std::string& source,
                                      const tcp::resolver::results_type& endpoints,
                                      tcp::socket* socket) {
  boost::system::error_code ec;
  const auto local = asio::ip::make_address(source, ec);
  if (ec) return ec;
  for (const auto& entry : endpoints) {
    const tcp::endpoint to = entry.endpoint();
    if (to.address().is_v4() != local.is_v4()) continue;
    socket->open(to.protocol(), ec);
    if (!ec) socket->bind(tcp::endpoint(local, 0), ec);
    if (!ec) socket->connect(to, ec);
    return ec;
  }
  return asio::error::address_family_not_supported;
}

}  // namespace

Client::~Client() = default;

StatusOr<std::unique_ptr<Client>> Client::Open(const ClientOptions& options) {
  std::unique_ptr<Client> client(new Client());
  client->connection_ = std::make_unique<Connection>();
  Connection& c = *client->connection_;
  boost::system::error_code ec;
  tcp::resolver resolver(c.io);
  auto endpoints = resolver.resolve(options.host, std::to_string(options.port), ec);
  if (ec) return Status::IOError("cannot resolve " + options.host + ": " + ec.message());
  if (options.plaintext) {
    c.plain = std::make_unique<tcp::socket>(c.io);
  } else {
    c.tls.set_verify_mode(asio::ssl::verify_peer);
    c.tls.add_certificate_authority(asio::buffer(options.trusted_cert_pem), ec);
    if (ec) return Status::InvalidArgument("the trusted certificate: " + ec.message());
    c.secure = std::make_unique<asio::ssl::stream<tcp::socket>>(c.io, c.tls);
    c.secure->set_verify_callback(asio::ssl::host_name_verification(options.host));
    SSL_set_tlsext_host_name(c.secure->native_handle(), options.host.c_str());
  }
  if (options.source_address.empty()) {
    asio::connect(c.socket(), endpoints, ec);
  } else {
    ec = ConnectFrom(options.source_address, endpoints, &c.socket());
  }
  if (ec) {
    return Status::IOError("cannot connect to " + options.host + ":" +
                           std::to_string(options.port) + ": " + ec.message());
  }
  c.timeout = options.timeout;
  c.socket().set_option(tcp::no_delay(true), ec);
  if (c.secure) {
    c.secure->handshake(asio::ssl::stream_base::client, ec);
    if (ec) return Status::IOError("TLS handshake with " + options.host + ": " + ec.message());
    auto binding = TlsLoginBinding(c.secure->native_handle());
    if (!binding.ok()) return binding.status();
    client->tls_binding_ = std::move(binding.value());
  }
  auto hello = c.Receive();
  if (!hello.ok()) return hello.status();
  auto challenge_frame = Expect(hello.value(), wire::Message::Challenge);
  if (!challenge_frame.ok()) return challenge_frame.status();
  const auto* challenge = challenge_frame.value()->message_as_Challenge();
  client->origin_ = challenge->origin() ? challenge->origin()->str() : "";
  client->nonce_ = Bytes(challenge->nonce());
  return client;
}

Status Client::Authenticate(const PrivateKey& key) {
  flatbuffers::FlatBufferBuilder fbb;
  const std::string& id = key.public_key().key_id();
  const std::string signature = key.Sign(AuthMessage(origin_, nonce_, tls_binding_));
  auto auth = wire::CreateAuthenticate(
      fbb, fbb.CreateVector(reinterpret_cast<const uint8_t*>(id.data()), id.size()),
      fbb.CreateVector(reinterpret_cast<const uint8_t*>(signature.data()), signature.size()));
  EVIDENT_RETURN_IF_ERROR(connection_->Send(Request(fbb, 0, wire::Message::Authenticate, auth)));
  auto reply = connection_->Receive();
  if (!reply.ok()) return reply.status();
  auto welcome = Expect(reply.value(), wire::Message::Welcome);
  if (!welcome.ok()) return welcome.status();
  const auto* w = welcome.value()->message_as_Welcome();
  welcome_.principal = w->principal() ? w->principal()->str() : "";
  welcome_.role = w->role() ? w->role()->str() : "";
  if (w->allowed_event_types()) {
    for (const auto* t : *w->allowed_event_types())
      welcome_.allowed_event_types.push_back(t->str());
  }
  welcome_.tree_size = w->tree_size();
  return Status::OK();
}

StatusOr<std::unique_ptr<Client>> Client::Connect(const ClientOptions& options,
                                                  const PrivateKey& key) {
  auto client = Open(options);
  if (!client.ok()) return client.status();
  EVIDENT_RETURN_IF_ERROR(client.value()->Authenticate(key));
  return client;
}

StatusOr<AppendReply> Client::Append(const std::vector<SignedEvent>& events, size_t* failed_index) {
  auto body = Call(AppendRequestFrame(next_id_++, events));
  if (!body.ok()) return body.status();
  auto frame = Expect(body.value(), wire::Message::AppendResponse);
  if (!frame.ok()) {
    auto error = ParseFrame(body.value());
    if (failed_index != nullptr && error.ok() && error.value()->message_as_Error() != nullptr &&
        error.value()->message_as_Error()->index() >= 0) {
      *failed_index = size_t(error.value()->message_as_Error()->index());
    }
    return frame.status();
  }
  const auto* r = frame.value()->message_as_AppendResponse();
  AppendReply reply;
  if (r->results()) {
    for (const wire::Appended* a : *r->results())
      reply.results.push_back({a->position(), a->duplicate()});
  }
  reply.checkpoint = r->checkpoint() ? r->checkpoint()->str() : "";
  if (reply.results.size() != events.size()) {
    return Status::IOError("the server acknowledged " + std::to_string(reply.results.size()) +
                           " of " + std::to_string(events.size()) + " events");
  }
  return reply;
}

StatusOr<std::vector<std::pair<uint64_t, std::string>>> Client::Read(uint64_t from, uint64_t to,
                                                                     uint64_t* scanned_to) {
  flatbuffers::FlatBufferBuilder fbb;
  auto request = wire::CreateReadRequest(fbb, from, to);
  auto body = Call(Request(fbb, next_id_++, wire::Message::ReadRequest, request));
  if (!body.ok()) return body.status();
  auto frame = Expect(body.value(), wire::Message::ReadResponse);
  if (!frame.ok()) return frame.status();
  std::vector<std::pair<uint64_t, std::string>> out;
  const wire::ReadResponse* response = frame.value()->message_as_ReadResponse();
  if (response->entries()) {
    for (const wire::Entry* e : *response->entries()) {
      out.emplace_back(e->position(), Bytes(e->bytes()));
    }
  }
  if (scanned_to != nullptr) {
    // A server that does not say answered the whole batch of positions.
    *scanned_to = response->scanned_to().has_value()
                      ? *response->scanned_to()
                      : std::min({to, response->tree_size(), from + kMaxReadEntries});
  }
  return out;
}

StatusOr<std::string> Client::Checkpoint(uint64_t size) {
  flatbuffers::FlatBufferBuilder fbb;
  auto request = wire::CreateCheckpointRequest(fbb, size);
  auto body = Call(Request(fbb, next_id_++, wire::Message::CheckpointRequest, request));
  if (!body.ok()) return body.status();
  auto frame = Expect(body.value(), wire::Message::CheckpointResponse);
  if (!frame.ok()) return frame.status();
  const auto* note = frame.value()->message_as_CheckpointResponse()->note();
  return note ? note->str() : std::string();
}

StatusOr<std::pair<uint64_t, std::string>> Client::Backup(const std::string& dir) {
  flatbuffers::FlatBufferBuilder fbb;
  auto request = wire::CreateBackupRequest(fbb, fbb.CreateString(dir));
  auto body = Call(Request(fbb, next_id_++, wire::Message::BackupRequest, request));
  if (!body.ok()) return body.status();
  auto frame = Expect(body.value(), wire::Message::BackupResponse);
  if (!frame.ok()) return frame.status();
  const auto* r = frame.value()->message_as_BackupResponse();
  return std::make_pair(r->tree_size(), r->checkpoint() ? r->checkpoint()->str() : std::string());
}

StatusOr<ProofReply> Client::InclusionProof(uint64_t index, uint64_t size) {
  flatbuffers::FlatBufferBuilder fbb;
  auto request = wire::CreateInclusionProofRequest(fbb, index, size);
  auto body = Call(Request(fbb, next_id_++, wire::Message::InclusionProofRequest, request));
  if (!body.ok()) return body.status();
  return ProofOf(body.value());
}

StatusOr<ProofReply> Client::ConsistencyProof(uint64_t size1, uint64_t size2) {
  flatbuffers::FlatBufferBuilder fbb;
  auto request = wire::CreateConsistencyProofRequest(fbb, size1, size2);
  auto body = Call(Request(fbb, next_id_++, wire::Message::ConsistencyProofRequest, request));
  if (!body.ok()) return body.status();
  return ProofOf(body.value());
}

StatusOr<std::string> Client::Query(const std::string& view,
                                    const std::map<std::string, std::string>& filters,
                                    const std::string& as_of) {
  nlohmann::json f = nlohmann::json::object();
  for (const auto& [name, value] : filters) f[name] = value;
  flatbuffers::FlatBufferBuilder fbb;
  auto request = wire::CreateQueryRequest(fbb, fbb.CreateString(view), fbb.CreateString(f.dump()),
                                          fbb.CreateString(as_of));
  auto body = Call(Request(fbb, next_id_++, wire::Message::QueryRequest, request));
  if (!body.ok()) return body.status();
  auto frame = Expect(body.value(), wire::Message::QueryResponse);
  if (!frame.ok()) return frame.status();
  const auto* json = frame.value()->message_as_QueryResponse()->json();
  return json ? json->str() : std::string();
}

Status Client::Subscribe(uint64_t from, uint32_t window,
                         const std::function<bool(uint64_t, std::string_view)>& on_entry) {
  flatbuffers::FlatBufferBuilder fbb;
  const uint64_t id = next_id_++;
  auto request = wire::CreateSubscribeRequest(fbb, from, window);
  EVIDENT_RETURN_IF_ERROR(
      connection_->Send(Request(fbb, id, wire::Message::SubscribeRequest, request)));
  uint64_t since_credit = 0;
  for (;;) {
    auto body = connection_->Receive();
    if (!body.ok()) return body.status();
    auto frame = Expect(body.value(), wire::Message::EntryBatch);
    if (!frame.ok()) return frame.status();
    const auto* entries = frame.value()->message_as_EntryBatch()->entries();
    if (entries == nullptr) continue;
    for (const wire::Entry* e : *entries) {
      if (!on_entry(e->position(),
                    std::string_view(reinterpret_cast<const char*>(e->bytes()->data()),
                                     e->bytes()->size()))) {
        return Status::OK();
      }
    }
    since_credit += entries->size();
    if (since_credit * 2 >= window) {  // top the window up when half is used
      flatbuffers::FlatBufferBuilder credit_fbb;
      auto credit = wire::CreateCredit(credit_fbb, uint32_t(since_credit));
      EVIDENT_RETURN_IF_ERROR(
          connection_->Send(Request(credit_fbb, id, wire::Message::Credit, credit)));
      since_credit = 0;
    }
  }
}

StatusOr<std::string> Client::Call(const std::string& request) {
  EVIDENT_RETURN_IF_ERROR(connection_->Send(request));
  return connection_->Receive();
}

Status Client::SendRaw(const std::string& bytes) { return connection_->Send(bytes); }
StatusOr<std::string> Client::ReceiveRaw() { return connection_->Receive(); }
int Client::NativeSocket() { return connection_->socket().native_handle(); }

}  // namespace evident::server
