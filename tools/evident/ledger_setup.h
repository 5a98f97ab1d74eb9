#pragma once

#include <memory>
#include <string>

#include "ledger/keys.h"
#include "ledger/ledger.h"
#include "ledger/status.h"

// A new ledger as `evident init` makes it, for init and the demo.
namespace evident::cli {

struct NewLedger {
  std::unique_ptr<Ledger> ledger;  // open read-write
  std::string admin_key_id, ledger_key_id;
  std::string admin_path, ledger_key_path;  // DIR/keys/admin.pem, ledger.pem
  std::string cert_path, tls_key_path;      // DIR/keys/tls-cert.pem, tls-key.pem
};

// Creates the ledger in `dir` with two new Ed25519 keys (admin and ledger,
// saved owner-only under DIR/keys), registers both as entries 0 and 1, and
// writes a self-signed TLS certificate for `tls_host` and its key (owner-only)
// for `evident serve`. FailedPrecondition if DIR/keys holds keys already.
StatusOr<NewLedger> CreateLedger(const std::string& dir, const std::string& origin,
                                 const std::string& district, const std::string& tls_host);

}  // namespace evident::cli
