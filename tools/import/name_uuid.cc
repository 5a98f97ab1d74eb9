#include "tools/import/name_uuid.h"

#include <openssl/evp.h>

#include <cassert>
#include <cstdlib>

#include "ledger/coding.h"

namespace evident::import {

std::string NameUuid(std::string_view namespace_uuid, std::string_view name) {
  assert(namespace_uuid.size() == 16);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  // SHA-1 here is the UUID algorithm's, not a security choice: the ids only
  // need to be stable; the log's integrity rests on SHA-256 and Ed25519.
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, namespace_uuid.data(), namespace_uuid.size()) == 1 &&
            EVP_DigestUpdate(ctx, name.data(), name.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || length < 16) std::abort();  // SHA-1 is always present in OpenSSL's default provider
  std::string uuid(reinterpret_cast<const char*>(digest), 16);
  uuid[6] = static_cast<char>((uuid[6] & 0x0f) | 0x50);  // version 5
  uuid[8] = static_cast<char>((uuid[8] & 0x3f) | 0x80);  // the RFC variant
  return uuid;
}

std::string FormatUuid(std::string_view bytes) {
  std::string hex = HexEncode(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

const std::string& ImportNamespace() {
  static const std::string ns = [] {
    const std::string url_namespace = HexDecode("6ba7b8119dad11d180b400c04fd430c8").value();
    return NameUuid(url_namespace, "https://evident.example/ns/import/v1");
  }();
  return ns;
}

}  // namespace evident::import
