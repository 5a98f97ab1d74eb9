#include "server/pages/password.h"

#include <sodium.h>

#include <cctype>
#include <string>


namespace evident::server::pages {

namespace {

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Status CheckNewPassword(std::string_view password, std::string_view login) {
  if (password.size() < 12) return Status::InvalidArgument("a password needs at least 12 characters");
  if (password.size() > 256) return Status::InvalidArgument("a password may have at most 256 bytes");
  // Sign-in names are matched in lower case and without surrounding spaces:
  // so is the password, for this rule.
  std::string folded(password);
  for (char& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const size_t first = folded.find_first_not_of(' '), last = folded.find_last_not_of(' ');
  folded = first == std::string::npos ? "" : folded.substr(first, last - first + 1);
  if (folded == login) return Status::InvalidArgument("a password must not be the sign-in name");
  return Status::OK();
}

StatusOr<std::string> HashPassword(std::string_view password) {
  if (!SodiumReady()) return Status::IOError("libsodium did not initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::IOError("hashing the password ran out of memory");
  }
  return std::string(out);
}

bool PasswordMatches(std::string_view hash, std::string_view password) {
  if (!SodiumReady() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void SpendPasswordTime(std::string_view password) {
  // A hash made once with the same limits; verifying against it costs what
  // verifying a real one does.
  static const std::string dummy = [] {
    auto hash = HashPassword("evident: no such account");
    return hash.ok() ? hash.value() : std::string();
  }();
  (void)PasswordMatches(dummy, password);
}

}  // namespace evident::server::pages
