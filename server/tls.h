#pragma once

#include <string>

#include "ledger/status.h"

// TLS material for the server: a self-signed certificate for a
// single-machine setup (`evident init` writes one), and reading PEM files.
namespace evident::server {

struct TlsPair {
  std::string cert_pem;  // X.509, self-signed
  std::string key_pem;   // PKCS#8 private key
};

// A new EC P-256 key and a certificate for it, valid for `days` days from
// now, naming `host` as its common name and as a subject alternative name,
// with 127.0.0.1 and ::1 beside it.
StatusOr<TlsPair> MakeSelfSignedCertificate(const std::string& host, int days = 825);

}  // namespace evident::server
