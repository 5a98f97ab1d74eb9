#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ledger/status.h"

typedef struct evp_pkey_st EVP_PKEY;

// Ed25519 keys through OpenSSL's EVP interface.
//
// A key's id is SHA-256 of its raw 32-byte public key: it names the signer in
// every stored entry. Both classes are cheap to copy (the OpenSSL key is
// shared and never mutated) and safe to use from many threads at once.
namespace evident {

constexpr size_t kEd25519PublicKeySize = 32;
constexpr size_t kEd25519SignatureSize = 64;
constexpr size_t kKeyIdSize = 32;

class PublicKey {
 public:
  // `raw` must be exactly 32 bytes; anything else is InvalidArgument.
  static StatusOr<PublicKey> FromRaw(std::string_view raw);

  const std::string& raw() const { return raw_; }
  // SHA-256(raw): 32 bytes.
  const std::string& key_id() const { return key_id_; }

  // True only if `signature` is a valid Ed25519 signature of `message`.
  bool Verify(std::string_view message, std::string_view signature) const;

 private:
  friend class PrivateKey;
  PublicKey() = default;
  std::shared_ptr<EVP_PKEY> pkey_;
  std::string raw_;
  std::string key_id_;
};

class PrivateKey {
 public:
  static StatusOr<PrivateKey> Generate();
  // Reads a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----"). A key of
  // another type than Ed25519 is InvalidArgument.
  static StatusOr<PrivateKey> FromPem(std::string_view pem);
  // NotFound if `path` does not exist; InvalidArgument if it holds no Ed25519 key.
  static StatusOr<PrivateKey> LoadFile(const std::string& path);

  std::string ToPem() const;
  // Writes the PEM to `path`, readable by the owner only. Refuses (Conflict)
  // to overwrite an existing file: a lost private key cannot be recovered.
  Status SaveFile(const std::string& path) const;

  const PublicKey& public_key() const { return public_key_; }
  // A 64-byte Ed25519 signature of `message`.
  std::string Sign(std::string_view message) const;

 private:
  PrivateKey() = default;
  static StatusOr<PrivateKey> FromPkey(EVP_PKEY* pkey);  // takes ownership
  std::shared_ptr<EVP_PKEY> pkey_;
  PublicKey public_key_;
};

}  // namespace evident
