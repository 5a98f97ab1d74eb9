#pragma once

#include <string>

#include "ledger/status.h"

// TLS material and policy for the server: a self-signed certificate for a
// single-machine setup (`evident init` writes one), the versions and cipher
// suites the server accepts (docs/operations.md, TLS), and reading PEM files.
typedef struct ssl_ctx_st SSL_CTX;
struct ssl_st;

namespace evident::server {

// The suites the server accepts under TLS 1.2: ECDHE key exchange (forward
// secrecy) and AEAD encryption (GCM, ChaCha20-Poly1305) only, for ECDSA and
// RSA certificates. TLS 1.3 keeps OpenSSL's default suites, which are all
// AEAD with ephemeral keys.
inline constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Restricts a server context to TLS 1.2 and 1.3 with the suites above.
// InvalidArgument if OpenSSL refuses the restriction.
Status RestrictServerTls(SSL_CTX* ctx);

struct TlsPair {
  std::string cert_pem;  // X.509, self-signed
  std::string key_pem;   // PKCS#8 private key
};

// A new EC P-256 key and a certificate for it, valid for `days` days from
// now, naming `host` as its common name and as a subject alternative name,
// with 127.0.0.1 and ::1 beside it.
StatusOr<TlsPair> MakeSelfSignedCertificate(const std::string& host, int days = 825);

// The label of the keying-material exporter (RFC 5705, RFC 8446 7.5) whose
// value a login signature covers.
constexpr char kLoginExporterLabel[] = "EXPORTER-evident-login";

// 32 bytes both ends of the TLS session `ssl` compute alike and no other
// session shares: the exporter with kLoginExporterLabel and no context.
// IOError if the handshake is not finished.
StatusOr<std::string> TlsLoginBinding(ssl_st* ssl);

}  // namespace evident::server
