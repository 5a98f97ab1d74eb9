#include "projections/directory/codes.h"

#include <openssl/rand.h>

#include "ledger/coding.h"
#include "ledger/sha256.h"

namespace evident::projections::directory {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // 32: a byte's low 5 bits
constexpr size_t kCodeLength = 16;

}  // namespace

StatusOr<std::string> NewOneTimeCode() {
  unsigned char bytes[kCodeLength];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return Status::IOError("the random number generator failed; no code was issued");
  }
  std::string code;
  for (size_t i = 0; i < kCodeLength; ++i) {
    if (i > 0 && i % 4 == 0) code.push_back('-');
    code.push_back(kAlphabet[bytes[i] & 31]);  // 256 is a multiple of 32: no bias
  }
  return code;
}

std::string NormaliseCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'O') c = '0';
    out.push_back(c);
  }
  return out;
}

std::string CodeHash(std::string_view code) { return HexEncode(Sha256(NormaliseCode(code))); }

}  // namespace evident::projections::directory
