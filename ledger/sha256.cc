#include "ledger/sha256.h"

#include <openssl/evp.h>

#include <cassert>
#include <memory>

namespace evident {

namespace {

// OpenSSL 3 looks an algorithm up in its provider table, under a lock, each
// time a context is set up with EVP_sha256(); fetched once, it is not. The
// Merkle tree hashes millions of times, from several threads, so the
// algorithm is fetched once per process and each thread keeps one context.
const EVP_MD* FetchedSha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

std::string Sha256(std::initializer_list<std::string_view> parts) {
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                           EVP_MD_CTX_free);
  std::string digest(kSha256Size, '\0');
  unsigned int length = 0;
  // These calls fail only on allocation failure or a broken OpenSSL build.
  const EVP_MD* md = FetchedSha256();
  bool ok = ctx && md != nullptr && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1;
  for (std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1;
  }
  ok = ok &&
       EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(digest.data()), &length) == 1;
  if (!ok || length != kSha256Size) abort();
  return digest;
}

}  // namespace evident
