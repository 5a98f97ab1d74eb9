#pragma once

// The fixture of the server's tests: a ledger with keys of every role,
// served over loopback TLS.

#include <gtest/gtest.h>

#include <mutex>
#include <optional>
#include <string>

#include "server/client.h"
#include "server/server.h"
#include "server/tls.h"
#include "tests/testutil/test_util.h"

namespace evident::testing {

using server::Client;
using server::ClientOptions;

// A ledger with an integration, a second integration, an auditor and a board
// key registered, served over loopback TLS; the server's log is kept.
class ServerFixture : public LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    tls_ = Must(server::MakeSelfSignedCertificate("localhost"));
    integration_ = RegisterKey("lms", "Integration", "[\"AttendanceRecorded\"]");
    other_integration_ = RegisterKey("hr", "Integration", "[\"AttendanceRecorded\"]");
    auditor_ = RegisterKey("state-auditor", "Auditor");
    board_ = RegisterKey("school-board", "Board");
    server_ = Must(server::Server::Start(ledger_.get(), DefaultOptions()));
  }
  // The options of the fixture's server: TLS, the projections, the log.
  server::ServerOptions DefaultOptions() {
    server::ServerOptions options;
    options.cert_pem = tls_.cert_pem;
    options.key_pem = tls_.key_pem;
    options.projection_dir = dir_.path() + "/projections";
    options.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_ += line + "\n";
    };
    return options;
  }
  // Serves the ledger again with other options, in place of the first server.
  void Restart(const server::ServerOptions& options) {
    server_.reset();
    server_ = Must(server::Server::Start(ledger_.get(), options));
  }
  void TearDown() override {
    server_.reset();
    LedgerFixture::TearDown();
  }

  ClientOptions Options() const {
    ClientOptions o;
    o.host = "localhost";
    o.port = server_->port();
    o.trusted_cert_pem = tls_.cert_pem;
    o.timeout = std::chrono::milliseconds(10000);
    return o;
  }
  std::unique_ptr<Client> Connect(const PrivateKey& key) {
    auto c = Client::Connect(Options(), key);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c.value()) : nullptr;
  }
  // About 12 MiB of entries, more than loopback's socket buffers hold: 300
  // ProgramDefined events of about 40 KB, ids from `first_id` on.
  void AppendLargeEntries(uint64_t first_id, int batches = 3) {
    const std::string title(40000, 't');
    for (int batch = 0; batch < batches; ++batch) {
      std::vector<SignedEvent> events;
      for (int i = 0; i < 100; ++i) {
        const uint64_t n = first_id + batch * 100 + i;
        events.push_back(Sign(
            *admin_,
            EventJson(IdHex(n), "ProgramDefined", "\"program_id\":\"pd-" + std::to_string(n) + "\"",
                      "\"professional_development_title\":\"" + title +
                          "\",\"offered_by\":\"District\",\"delivery_method\":\"Onsite\","
                          "\"total_hours\":1,\"activity_type\":\"Workshop\"")));
      }
      ASSERT_OK(ledger_->Append(std::move(events)).status());
    }
  }
  SignedEvent Attendance(const PrivateKey& key, uint64_t id) {
    return Sign(key, AttendanceJson(IdHex(id), "p-" + std::to_string(id % 50), 60));
  }
  std::string Log() {
    std::lock_guard<std::mutex> lock(log_mu_);
    return log_;
  }
  // The server still answers a well-behaved client.
  void ExpectServing() {
    auto c = Connect(*auditor_);
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(c->Checkpoint().ok());
  }

  server::TlsPair tls_;
  std::optional<PrivateKey> integration_, other_integration_, auditor_, board_;
  std::unique_ptr<server::Server> server_;
  std::mutex log_mu_;
  std::string log_;
};

}  // namespace evident::testing
