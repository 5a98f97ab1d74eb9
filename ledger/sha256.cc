#include "ledger/sha256.h"

#include <openssl/evp.h>

#include <cassert>
#include <memory>

namespace evident {

std::string Sha256(std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::string digest(kSha256Size, '\0');
  unsigned int length = 0;
  // These calls fail only on allocation failure or a broken OpenSSL build.
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  for (std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1;
  }
  ok = ok &&
       EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(digest.data()), &length) == 1;
  if (!ok || length != kSha256Size) abort();
  return digest;
}

}  // namespace evident
