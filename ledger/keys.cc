#include "ledger/keys.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>

#include "ledger/file_util.h"
#include "ledger/sha256.h"

namespace evident {
namespace {

using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::shared_ptr<EVP_PKEY> Share(EVP_PKEY* pkey) {
  return std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
}

std::string OpenSslError() {
  unsigned long err = ERR_get_error();
  ERR_clear_error();
  if (err == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(err, buf, sizeof(buf));
  return buf;
}

}  // namespace

StatusOr<PublicKey> PublicKey::FromRaw(std::string_view raw) {
  if (raw.size() != kEd25519PublicKeySize) {
    return Status::InvalidArgument("an Ed25519 public key is 32 bytes, got " +
                                   std::to_string(raw.size()));
  }
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (pkey == nullptr) return Status::InvalidArgument("bad Ed25519 public key: " + OpenSslError());
  PublicKey key;
  key.pkey_ = Share(pkey);
  key.raw_ = std::string(raw);
  key.key_id_ = Sha256(raw);
  return key;
}

bool PublicKey::Verify(std::string_view message, std::string_view signature) const {
  if (!pkey_ || signature.size() != kEd25519SignatureSize) return false;
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) != 1) {
    ERR_clear_error();
    return false;
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  if (rc != 1) ERR_clear_error();
  return rc == 1;
}

StatusOr<PrivateKey> PrivateKey::FromPkey(EVP_PKEY* pkey) {
  auto shared = Share(pkey);
  if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
    return Status::InvalidArgument("the key is not an Ed25519 key");
  }
  std::string raw(kEd25519PublicKeySize, '\0');
  size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(raw.data()), &length) !=
          1 ||
      length != kEd25519PublicKeySize) {
    return Status::InvalidArgument("cannot read the public half of the key: " + OpenSslError());
  }
  auto pub = PublicKey::FromRaw(raw);
  if (!pub.ok()) return pub.status();
  PrivateKey key;
  key.pkey_ = std::move(shared);
  key.public_key_ = std::move(pub.value());
  return key;
}

StatusOr<PrivateKey> PrivateKey::Generate() {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (pkey == nullptr) return Status::IOError("Ed25519 key generation failed: " + OpenSslError());
  return FromPkey(pkey);
}

StatusOr<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                BIO_free);
  EVP_PKEY* pkey = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (pkey == nullptr) {
    ERR_clear_error();
    return Status::InvalidArgument(
        "not a PEM private key (expected \"-----BEGIN PRIVATE KEY-----\", as written by "
        "'evident keygen')");
  }
  return FromPkey(pkey);
}

StatusOr<PrivateKey> PrivateKey::LoadFile(const std::string& path) {
  auto pem = ReadFile(path, "key file");
  if (!pem.ok()) return pem.status();
  auto key = FromPem(pem.value());
  if (!key.ok()) return key.status().WithContext("key file " + path);
  return key;
}

std::string PrivateKey::ToPem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    abort();  // only on allocation failure
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

Status PrivateKey::SaveFile(const std::string& path) const {
  return WriteSecretFile(path, ToPem()).WithContext("key file");
}

std::string PrivateKey::Sign(std::string_view message) const {
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::string signature(kEd25519SignatureSize, '\0');
  size_t length = signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      length != kEd25519SignatureSize) {
    abort();  // Ed25519 signing fails only on allocation failure
  }
  return signature;
}

}  // namespace evident
