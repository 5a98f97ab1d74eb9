// The server end to end over loopback TLS: concurrent appends, a subscriber
// across a reconnect, proofs checked offline, who may do what, and hostile
// bytes.

#include "server/server.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/proof.h"
#include "server/client.h"
#include "server/frame.h"
#include "server/tls.h"
#include "tests/server/server_fixture.h"
#include "tests/testutil/test_util.h"

namespace evident::testing {
namespace {

namespace wire = evident::wire;

class ServerTest : public ServerFixture {};

// The cipher suite a TLS client offering only `ciphers` (TLS 1.2, or 1.3
// with its default suites when `tls13`) agrees with the server on, or "" if
// the handshake fails.
std::string NegotiatedSuite(uint16_t port, const char* ciphers, bool tls13 = false) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  const int version = tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_CTX_set_min_proto_version(ctx.get(), version);
  SSL_CTX_set_max_proto_version(ctx.get(), version);
  if (!tls13 && SSL_CTX_set_cipher_list(ctx.get(), ciphers) != 1) return "";
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  BIO* bio = BIO_new_connect(("127.0.0.1:" + std::to_string(port)).c_str());
  if (bio == nullptr || BIO_do_connect(bio) != 1) {
    BIO_free(bio);
    return "";
  }
  SSL_set_bio(ssl.get(), bio, bio);  // the SSL owns the BIO
  if (SSL_connect(ssl.get()) != 1) return "";
  std::string suite = SSL_get_cipher_name(ssl.get());
  SSL_shutdown(ssl.get());
  return suite;
}

TEST_F(ServerTest, TwoConcurrentClientsAppendAndEveryAckIsDurableAndCovered) {
  const uint64_t before = ledger_->size();
  constexpr int kBatches = 25, kPerBatch = 4;
  std::vector<uint64_t> positions[2];
  std::string last_checkpoint[2];
  // Signed up front: the test's JSON codec is not shared between threads.
  std::vector<std::vector<SignedEvent>> batches[2];
  for (int who = 0; who < 2; ++who) {
    const PrivateKey& key = who == 0 ? *integration_ : *other_integration_;
    for (int b = 0; b < kBatches; ++b) {
      std::vector<SignedEvent> batch;
      for (int i = 0; i < kPerBatch; ++i) {
        batch.push_back(Attendance(key, 100000 * (who + 1) + b * kPerBatch + i));
      }
      batches[who].push_back(std::move(batch));
    }
  }
  auto run = [&](int who, const PrivateKey& key) {
    auto c = Connect(key);
    ASSERT_NE(c, nullptr);
    for (const auto& batch : batches[who]) {
      auto reply = c->Append(batch);
      ASSERT_TRUE(reply.ok()) << reply.status().ToString();
      for (const AppendResult& r : reply.value().results) positions[who].push_back(r.sequence);
      last_checkpoint[who] = reply.value().checkpoint;
    }
  };
  std::thread a(run, 0, *integration_), b(run, 1, *other_integration_);
  a.join();
  b.join();
  std::set<uint64_t> all(positions[0].begin(), positions[0].end());
  all.insert(positions[1].begin(), positions[1].end());
  ASSERT_EQ(all.size(), size_t(2 * kBatches * kPerBatch));
  EXPECT_EQ(*all.begin(), before);
  EXPECT_EQ(*all.rbegin(), before + 2 * kBatches * kPerBatch - 1);
  EXPECT_EQ(ledger_->size(), before + 2 * kBatches * kPerBatch);
  // The checkpoint in each ack covers the acknowledged positions.
  auto verifier = Must(ledger_->CheckpointVerifier());
  for (int who = 0; who < 2; ++who) {
    auto cp = OpenCheckpoint(last_checkpoint[who], verifier);
    ASSERT_TRUE(cp.ok()) << cp.status().ToString();
    EXPECT_GT(cp.value().size, positions[who].back());
  }
  // Re-sending a batch is idempotent: the original positions come back.
  auto c = Connect(*integration_);
  auto again = c->Append({Attendance(*integration_, 100000)});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value().results[0].duplicate);
  EXPECT_EQ(again.value().results[0].sequence, positions[0][0]);
}

TEST_F(ServerTest, ASubscriberSeesEveryEntryOnceInOrderAcrossAReconnect) {
  constexpr uint64_t kNew = 120;
  const uint64_t total = ledger_->size() + kNew;
  std::vector<uint64_t> seen;
  std::vector<std::vector<SignedEvent>> batches;
  for (uint64_t i = 0; i < kNew; i += 3) {
    std::vector<SignedEvent> batch;
    for (uint64_t k = i; k < std::min(kNew, i + 3); ++k) {
      batch.push_back(Attendance(*integration_, 500 + k));
    }
    batches.push_back(std::move(batch));
  }
  std::thread writer([&] {
    auto c = Connect(*integration_);
    for (const auto& batch : batches) ASSERT_TRUE(c->Append(batch).ok());
  });
  // First connection: stop part-way, as a crashed subscriber would.
  {
    auto c = Connect(*auditor_);
    Status s = c->Subscribe(0, 8, [&](uint64_t position, std::string_view) {
      seen.push_back(position);
      return seen.size() < total / 2;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  // Reconnect from the last position seen + 1, until the end.
  {
    auto c = Connect(*auditor_);
    Status s = c->Subscribe(seen.back() + 1, 8, [&](uint64_t position, std::string_view) {
      seen.push_back(position);
      return seen.size() < total;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  writer.join();
  ASSERT_EQ(seen.size(), total);
  for (uint64_t i = 0; i < total; ++i) ASSERT_EQ(seen[i], i);
}

TEST_F(ServerTest, ASubscriberThatGrantsNoCreditGetsNoMoreAndStallsNobody) {
  ClientOptions o = Options();
  o.timeout = std::chrono::milliseconds(2000);
  auto slow = Must(Client::Connect(o, *auditor_));
  flatbuffers::FlatBufferBuilder fbb;
  auto subscribe = wire::CreateSubscribeRequest(fbb, uint64_t{0}, 4u);
  fbb.Finish(wire::CreateFrame(fbb, 5, wire::Message::SubscribeRequest, subscribe.Union()),
             wire::FrameIdentifier());
  ASSERT_TRUE(slow->SendRaw(server::Framed(fbb)).ok());
  // Appends go on at full speed while it sits there.
  std::vector<SignedEvent> batch;
  for (uint64_t i = 0; i < 200; ++i) batch.push_back(Attendance(*integration_, 600 + i));
  auto writer = Connect(*integration_);
  ASSERT_TRUE(writer->Append(batch).ok());
  // It received its 4 entries and nothing more.
  size_t received = 0;
  for (;;) {
    auto body = slow->ReceiveRaw();
    if (!body.ok()) break;  // the read timed out: nothing more was sent
    auto frame = Must(server::ParseFrame(body.value()));
    ASSERT_EQ(frame->message_type(), wire::Message::EntryBatch);
    received += frame->message_as_EntryBatch()->entries()->size();
  }
  EXPECT_EQ(received, 4u);
}

TEST_F(ServerTest, AnIntegrationReadsAndFollowsOnlyItsOwnAppends) {
  auto mine = Connect(*integration_);
  auto theirs = Connect(*other_integration_);
  auto first = mine->Append({Attendance(*integration_, 300001)});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto r = theirs->Append({Attendance(*other_integration_, 300002)});
  ASSERT_TRUE(r.ok());
  auto entries = mine->Read(0, ledger_->size());
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries.value().size(), 1u);
  EXPECT_EQ(entries.value()[0].first, r.value().results[0].sequence - 1);
  auto everything = Connect(*auditor_)->Read(0, ledger_->size());
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything.value().size(), ledger_->size());
}

TEST_F(ServerTest, ProofsFetchedOverTheWireVerifyOffline) {
  auto writer = Connect(*integration_);
  for (uint64_t i = 0; i < 10; ++i)
    ASSERT_TRUE(writer->Append({Attendance(*integration_, 700 + i)}).ok());
  auto c = Connect(*auditor_);
  const uint64_t size = ledger_->size();
  auto verifier = Must(ledger_->CheckpointVerifier());
  auto entries = Must(c->Read(0, size));
  for (uint64_t index : {uint64_t{0}, uint64_t{7}, size - 1}) {
    auto proof = c->InclusionProof(index, size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    auto cp = Must(OpenCheckpoint(proof.value().checkpoint, verifier));
    EXPECT_EQ(cp.size, size);
    EXPECT_TRUE(merkle::VerifyInclusion(index, size, merkle::LeafHash(entries[index].second),
                                        proof.value().hashes, cp.root)
                    .ok());
    // A flipped bit in the entry does not verify.
    std::string changed = entries[index].second;
    changed[changed.size() / 2] ^= 1;
    EXPECT_FALSE(merkle::VerifyInclusion(index, size, merkle::LeafHash(changed),
                                         proof.value().hashes, cp.root)
                     .ok());
  }
  const uint64_t old_size = size - 5;
  auto consistency = c->ConsistencyProof(old_size, size);
  ASSERT_TRUE(consistency.ok()) << consistency.status().ToString();
  auto old_cp = Must(OpenCheckpoint(Must(c->Checkpoint(old_size)), verifier));
  auto new_cp = Must(OpenCheckpoint(consistency.value().checkpoint, verifier));
  EXPECT_TRUE(merkle::VerifyConsistency(old_size, size, old_cp.root, new_cp.root,
                                        consistency.value().hashes)
                  .ok());
}

TEST_F(ServerTest, UnknownRevokedAndWrongKeysAreRefusedAndNothingIsAppended) {
  const uint64_t before = ledger_->size();
  PrivateKey stranger = Must(PrivateKey::Generate());
  auto unknown = Client::Connect(Options(), stranger);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("not registered"), std::string::npos)
      << unknown.status().ToString();

  // The challenge signed by another key than the one named.
  auto open = Must(Client::Open(Options()));
  flatbuffers::FlatBufferBuilder fbb;
  const std::string& id = integration_->public_key().key_id();
  const std::string wrong = stranger.Sign(server::AuthMessage(open->origin(), open->nonce()));
  auto auth = wire::CreateAuthenticate(
      fbb, fbb.CreateVector(reinterpret_cast<const uint8_t*>(id.data()), id.size()),
      fbb.CreateVector(reinterpret_cast<const uint8_t*>(wrong.data()), wrong.size()));
  fbb.Finish(wire::CreateFrame(fbb, 0, wire::Message::Authenticate, auth.Union()),
             wire::FrameIdentifier());
  ASSERT_TRUE(open->SendRaw(server::Framed(fbb)).ok());
  auto answer = Must(open->ReceiveRaw());
  auto frame = Must(server::ParseFrame(answer));
  ASSERT_EQ(frame->message_type(), wire::Message::Error);
  EXPECT_EQ(frame->message_as_Error()->code(), wire::ErrorCode::Unauthenticated);
  EXPECT_NE(frame->message_as_Error()->message()->str().find("does not verify"), std::string::npos);
  EXPECT_FALSE(open->ReceiveRaw().ok());  // and the connection is closed

  // A revoked key.
  PrivateKey revoked = RegisterKey("old-lms", "Integration", "[\"AttendanceRecorded\"]");
  ASSERT_OK(RevokeKey(revoked, "retired"));
  auto gone = Client::Connect(Options(), revoked);
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.status().message().find("revoked"), std::string::npos);
  EXPECT_EQ(ledger_->size(), before + 2);  // the registration and revocation only
  EXPECT_NE(Log().find("refused"), std::string::npos);
  ExpectServing();
}

TEST_F(ServerTest, RolesLimitWhatAPrincipalMayDo) {
  const uint64_t before = ledger_->size();
  // An integration appending a type its registration does not list.
  auto lms = Connect(*integration_);
  auto goal = lms->Append({Sign(
      *integration_, EventJson(IdHex(900), "GoalSet", "\"person_id\":\"p-1\"",
                               "\"goal_title\":\"G-1\",\"assignment_date\":\"2025-01-02\""))});
  ASSERT_FALSE(goal.ok());
  EXPECT_EQ(goal.status().code(), Status::Code::kPermissionDenied) << goal.status().ToString();
  // ...or relaying an event another integration signed.
  auto relay = lms->Append({Attendance(*integration_, 901), Attendance(*other_integration_, 902)});
  ASSERT_FALSE(relay.ok());
  EXPECT_NE(relay.status().message().find("event 1"), std::string::npos)
      << relay.status().ToString();
  EXPECT_NE(relay.status().message().find("only an admin"), std::string::npos);
  // The board asks for raw events: refused, but may still read checkpoints.
  auto board = Connect(*board_);
  for (auto result :
       {board->Read(0, 5).status(), board->InclusionProof(0, ledger_->size()).status()}) {
    EXPECT_EQ(result.code(), Status::Code::kPermissionDenied);
    EXPECT_NE(result.message().find("report summaries"), std::string::npos) << result.ToString();
  }
  EXPECT_TRUE(board->Checkpoint().ok());
  EXPECT_EQ(ledger_->size(), before);
  // The connection survives a refused request.
  EXPECT_TRUE(lms->Append({Attendance(*integration_, 903)}).ok());
}

TEST_F(ServerTest, ViewsAreQueriedOverTheWireAsTheRoleAllows) {
  auto lms = Connect(*integration_);
  ASSERT_TRUE(lms->Append({Attendance(*integration_, 800), Attendance(*integration_, 801)}).ok());
  // The auditor sees a person's row; the views are brought up to date first.
  auto auditor = Connect(*auditor_);
  auto rows = auditor->Query("reciprocity", {{"person", "p-0"}, {"row", "person_program"}});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const auto doc = nlohmann::json::parse(rows.value());
  EXPECT_EQ(doc["tree_size"], ledger_->size());
  EXPECT_EQ(doc["checkpoint_verified"], true);
  ASSERT_EQ(doc["rows"].size(), 1u) << rows.value();
  EXPECT_EQ(doc["rows"][0]["person"], "p-0");
  EXPECT_EQ(doc["rows"][0]["district_side"]["hours"], 1.0);  // 60 minutes
  // The board gets the summary views only; an integration none.
  auto board = Connect(*board_);
  EXPECT_TRUE(board->Query("accountability", {{"row", "district_year"}}).ok());
  auto per_person = board->Query("reciprocity", {});
  EXPECT_EQ(per_person.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(per_person.status().message().find("per-person"), std::string::npos);
  EXPECT_EQ(lms->Query("equity", {}).status().code(), Status::Code::kPermissionDenied);
  // Bad questions get a clear answer and the connection goes on.
  auto unknown = auditor->Query("popularity", {});
  EXPECT_NE(unknown.status().message().find("no view"), std::string::npos);
  auto filter = auditor->Query("equity", {{"colour", "red"}});
  EXPECT_NE(filter.status().message().find("no filter"), std::string::npos);
  EXPECT_TRUE(auditor->Checkpoint().ok());
}

// A self-signed RSA-2048 certificate and its key: the key type under which
// TLS 1.2's static RSA suites (AES128-SHA and the like) could be chosen.
server::TlsPair SelfSignedRsa() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_sign(cert.get(), key.get(), EVP_sha256());
  auto pem = [](auto write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    write(bio.get());
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, size_t(n));
  };
  const std::string cert_pem = pem([&](BIO* b) { PEM_write_bio_X509(b, cert.get()); });
  const std::string key_pem = pem([&](BIO* b) {
    PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  return {cert_pem, key_pem};
}

// The rows of a query's answer about programme `program`.
std::vector<nlohmann::json> ProgrammeRows(const std::string& answer, const std::string& program) {
  std::vector<nlohmann::json> rows;
  const auto doc = nlohmann::json::parse(answer);
  for (const auto& row : doc["rows"]) {
    if (row.value("program", "") == program) rows.push_back(row);
  }
  return rows;
}

TEST_F(ServerTest, ABoardKeyGetsNoFigureAboutAProgrammeOfOnePersonAndAnAdminDoes) {
  // pd-1 has twelve people; pd-9 one, who took 90 minutes.
  std::vector<SignedEvent> events;
  for (uint64_t i = 0; i < 12; ++i) {
    events.push_back(
        Sign(*integration_, AttendanceJson(IdHex(900 + i), "p-" + std::to_string(i), 60)));
  }
  std::string solo = AttendanceJson(IdHex(950), "p-solo", 90);
  for (size_t at; (at = solo.find("pd-1")) != std::string::npos;) solo.replace(at, 4, "pd-9");
  events.push_back(Sign(*integration_, solo));
  auto lms = Connect(*integration_);
  ASSERT_TRUE(lms->Append(events).ok());

  auto admin = Connect(*admin_)->Query("accountability", {{"row", "site_program"}});
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  const auto detail = ProgrammeRows(admin.value(), "pd-9");
  ASSERT_EQ(detail.size(), 1u) << admin.value();
  EXPECT_EQ(detail[0]["participants"], 1);
  EXPECT_EQ(detail[0]["hours"], 1.5);

  auto board = Connect(*board_);
  for (const char* filter : {"site_program", "district_year"}) {
    auto answer = board->Query("accountability", {{"row", filter}});
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    // The one person's row names the programme and nothing it found; the
    // twelve are hidden too, or the district's total less theirs would
    // give the one away.
    for (const char* program : {"pd-9", "pd-1"}) {
      for (const auto& row : ProgrammeRows(answer.value(), program)) {
        for (const char* figure : {"participants", "hours", "enrolments", "spend_cents",
                                   "hours_distribution", "attendance_rate"}) {
          EXPECT_TRUE(row[figure].is_null()) << program << " " << figure << ": " << row;
        }
        EXPECT_TRUE(row["suppressed"].is_array()) << row;
      }
    }
  }
  auto district = board->Query("accountability", {{"row", "district_year"}});
  ASSERT_TRUE(district.ok());
  const auto total = nlohmann::json::parse(district.value())["rows"];
  ASSERT_EQ(total.size(), 1u) << district.value();
  EXPECT_EQ(total[0]["participants"], 13);  // thirteen people may be counted
  // No board answer carries the one person's 1.5 hours anywhere.
  for (const char* view : {"accountability", "equity"}) {
    auto all = board->Query(view, {});
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    EXPECT_EQ(all.value().find("1.5"), std::string::npos) << all.value();
  }
}

TEST_F(ServerTest, TlsNegotiatesOnlyEcdheAeadSuitesUnder12AndTheDefaultsUnder13) {
  const uint16_t port = server_->port();
  // Suites without AEAD (CBC with HMAC), with ECDHE or with RSA key
  // exchange, are refused.
  for (const char* suite :
       {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-ECDSA-AES128-SHA256",
        "ECDHE-ECDSA-AES256-SHA384", "AES128-SHA", "AES256-SHA", "AES128-SHA256"}) {
    EXPECT_EQ(NegotiatedSuite(port, suite), "") << suite;
  }
  EXPECT_EQ(NegotiatedSuite(port, "ECDHE-ECDSA-AES128-GCM-SHA256"),
            "ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_EQ(NegotiatedSuite(port, "ECDHE-ECDSA-CHACHA20-POLY1305"),
            "ECDHE-ECDSA-CHACHA20-POLY1305");
  EXPECT_NE(NegotiatedSuite(port, "", /*tls13=*/true), "");
  ExpectServing();

  // With an RSA certificate, the static RSA and CBC suites are refused too.
  server::ServerOptions options = DefaultOptions();
  const server::TlsPair rsa = SelfSignedRsa();
  options.cert_pem = rsa.cert_pem;
  options.key_pem = rsa.key_pem;
  Restart(options);
  for (const char* suite : {"AES128-SHA", "AES256-SHA", "AES128-SHA256", "AES128-GCM-SHA256",
                            "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384"}) {
    EXPECT_EQ(NegotiatedSuite(server_->port(), suite), "") << suite;
  }
  EXPECT_EQ(NegotiatedSuite(server_->port(), "ECDHE-RSA-AES256-GCM-SHA384"),
            "ECDHE-RSA-AES256-GCM-SHA384");
}

TEST_F(ServerTest, HostileBytesGetAnErrorOrAClosedConnectionAndOthersAreServed) {
  auto frame_of = [](const std::string& body) {
    const uint32_t n = uint32_t(body.size());
    return std::string{char(n >> 24), char(n >> 16), char(n >> 8), char(n)} + body;
  };
  // An oversize length.
  {
    auto c = Connect(*auditor_);
    ASSERT_TRUE(c->SendRaw(std::string("\x7f\xff\xff\xff", 4)).ok());
    auto reply = c->ReceiveRaw();
    ASSERT_TRUE(reply.ok());
    EXPECT_NE(reply.value().find("outside"), std::string::npos);
    EXPECT_FALSE(c->ReceiveRaw().ok());
  }
  // A valid length with bytes that are no FlatBuffer.
  {
    auto c = Connect(*auditor_);
    ASSERT_TRUE(c->SendRaw(frame_of(std::string(64, 'x'))).ok());
    auto reply = Must(c->ReceiveRaw());
    auto frame = Must(server::ParseFrame(reply));
    EXPECT_EQ(frame->message_as_Error()->code(), wire::ErrorCode::BadRequest);
  }
  // Garbage straight after login: its first four bytes read as a length.
  {
    auto c = Connect(*auditor_);
    ASSERT_TRUE(c->SendRaw("GARBAGE! not a frame at all").ok());
    auto reply = c->ReceiveRaw();
    ASSERT_TRUE(reply.ok());
    EXPECT_NE(reply.value().find("outside"), std::string::npos);
  }
  // A truncated frame (16 bytes announced, 4 sent), then hanging up.
  {
    auto c = Connect(*auditor_);
    ASSERT_TRUE(c->SendRaw(std::string("\0\0\0\x10garb", 8)).ok());
  }
  // A valid request dribbled a byte at a time.
  {
    auto c = Connect(*auditor_);
    flatbuffers::FlatBufferBuilder fbb;
    auto req = wire::CreateCheckpointRequest(fbb, uint64_t{0});
    fbb.Finish(wire::CreateFrame(fbb, 9, wire::Message::CheckpointRequest, req.Union()),
               wire::FrameIdentifier());
    const std::string bytes = server::Framed(fbb);
    for (char ch : bytes) ASSERT_TRUE(c->SendRaw(std::string(1, ch)).ok());
    const std::string body = Must(c->ReceiveRaw());  // the frame points into it
    auto reply = Must(server::ParseFrame(body));
    EXPECT_EQ(reply->request_id(), 9u);
    EXPECT_EQ(reply->message_type(), wire::Message::CheckpointResponse);
  }
  // A request before authenticating.
  {
    auto c = Must(Client::Open(Options()));
    flatbuffers::FlatBufferBuilder fbb;
    auto req = wire::CreateCheckpointRequest(fbb, uint64_t{0});
    fbb.Finish(wire::CreateFrame(fbb, 1, wire::Message::CheckpointRequest, req.Union()),
               wire::FrameIdentifier());
    ASSERT_TRUE(c->SendRaw(server::Framed(fbb)).ok());
    const std::string body = Must(c->ReceiveRaw());  // the frame points into it
    auto reply = Must(server::ParseFrame(body));
    EXPECT_EQ(reply->message_as_Error()->code(), wire::ErrorCode::Unauthenticated);
  }
  ExpectServing();
}

// A frame may name a message type and carry no message: the FlatBuffers
// verifier accepts an absent union value. Every request type, and a login,
// sent so must be answered as a bad request, never read through.
TEST_F(ServerTest, AFrameThatNamesAMessageButCarriesNoneIsABadRequest) {
  const wire::Message types[] = {
      wire::Message::AppendRequest,         wire::Message::ReadRequest,
      wire::Message::SubscribeRequest,      wire::Message::CheckpointRequest,
      wire::Message::InclusionProofRequest, wire::Message::ConsistencyProofRequest,
      wire::Message::QueryRequest,          wire::Message::Credit};
  for (wire::Message type : types) {
    auto c = Connect(*admin_);
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(wire::CreateFrame(fbb, 3, type), wire::FrameIdentifier());
    ASSERT_TRUE(c->SendRaw(server::Framed(fbb)).ok());
    const std::string body = Must(c->ReceiveRaw());  // the frame points into it
    auto reply = Must(server::ParseFrame(body));
    ASSERT_EQ(reply->message_type(), wire::Message::Error) << server::MessageName(type);
    EXPECT_EQ(reply->message_as_Error()->code(), wire::ErrorCode::BadRequest);
    EXPECT_NE(reply->message_as_Error()->message()->str().find("carries no"), std::string::npos)
        << reply->message_as_Error()->message()->str();
  }
  {  // the same for the login
    auto c = Must(Client::Open(Options()));
    flatbuffers::FlatBufferBuilder fbb;
    fbb.Finish(wire::CreateFrame(fbb, 1, wire::Message::Authenticate), wire::FrameIdentifier());
    ASSERT_TRUE(c->SendRaw(server::Framed(fbb)).ok());
    const std::string body = Must(c->ReceiveRaw());
    auto reply = Must(server::ParseFrame(body));
    ASSERT_EQ(reply->message_type(), wire::Message::Error);
    EXPECT_EQ(reply->message_as_Error()->code(), wire::ErrorCode::BadRequest);
  }
  ExpectServing();
}

TEST_F(ServerTest, LimitsAndTimeoutsCloseConnectionsThatOverstay) {
  server::ServerOptions options;
  options.cert_pem = tls_.cert_pem;
  options.key_pem = tls_.key_pem;
  options.max_connections = 1;
  options.handshake_timeout = std::chrono::milliseconds(300);
  options.idle_timeout = std::chrono::milliseconds(300);
  options.log = [](const std::string&) {};
  auto strict = Must(server::Server::Start(ledger_.get(), options));
  ClientOptions o = Options();
  o.port = strict->port();
  {
    // One connection in; a second is refused while it lasts.
    auto first = Must(Client::Connect(o, *auditor_));
    EXPECT_FALSE(Client::Connect(o, *auditor_).ok());
    // Idle past the timeout: the server has closed it.
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    EXPECT_FALSE(first->Checkpoint().ok());
  }
  // A client that never answers the challenge is closed after the
  // handshake timeout, and the slot is free again.
  auto silent = Must(Client::Open(o));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_FALSE(silent->ReceiveRaw().ok());
  auto next = Client::Connect(o, *auditor_);
  EXPECT_TRUE(next.ok()) << next.status().ToString();
  // Plaintext is for loopback only.
  server::ServerOptions open_options;
  open_options.host = "0.0.0.0";
  open_options.plaintext = true;
  auto refused = server::Server::Start(ledger_.get(), open_options);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("loopback"), std::string::npos);
}

TEST_F(ServerTest, ShutdownAnswersWhatIsInFlightAndClosesTheRest) {
  auto idle = Connect(*auditor_);
  auto writer = Connect(*integration_);
  ASSERT_TRUE(writer->Append({Attendance(*integration_, 42)}).ok());
  server_->Shutdown();
  EXPECT_FALSE(idle->Checkpoint().ok());
  EXPECT_FALSE(Client::Connect(Options(), *auditor_).ok());
}

}  // namespace
}  // namespace evident::testing
