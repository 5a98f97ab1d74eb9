#include "ledger/note.h"

#include <cstdio>

#include "ledger/coding.h"
#include "ledger/sha256.h"

namespace evident {
namespace {

constexpr std::string_view kEmDash = "\xe2\x80\x94 ";  // U+2014 and a space
constexpr char kEd25519Type = 0x01;
constexpr size_t kMaxSignatures = 100;

bool ValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= 0x20 || c == '+' || c == 0x7f) return false;
  }
  return true;
}

std::string KeyIdBytes(uint32_t id) {
  std::string out;
  PutFixed32BE(&out, id);
  return out;
}

}  // namespace

uint32_t TypedKeyId(std::string_view name, uint8_t type, const PublicKey& key) {
  const char t = static_cast<char>(type);
  std::string h = Sha256({name, "\n", std::string_view(&t, 1), key.raw()});
  return DecodeFixed32BE(h.data());
}

uint32_t NoteKeyId(std::string_view name, const PublicKey& key) {
  return TypedKeyId(name, kEd25519Type, key);
}

bool ValidNoteKeyName(std::string_view name) { return ValidKeyName(name); }

std::string FormatVkey(const std::string& name, uint32_t key_id, uint8_t type,
                       const PublicKey& key) {
  return name + "+" + HexEncode(KeyIdBytes(key_id)) + "+" +
         Base64Encode(std::string(1, static_cast<char>(type)) + key.raw());
}

StatusOr<VkeyParts> ParseVkey(std::string_view vkey, uint8_t type) {
  // Names hold no '+', but base64 keys may: split from the left.
  size_t first = vkey.find('+');
  size_t second = first == std::string_view::npos ? first : vkey.find('+', first + 1);
  if (second == std::string_view::npos || second - first != 9) {
    return Status::InvalidArgument("a verifier key reads NAME+KEYID+KEY (KEYID 8 hex digits)");
  }
  auto id_bytes = HexDecode(vkey.substr(first + 1, 8));
  auto key_bytes = Base64Decode(vkey.substr(second + 1));
  if (!id_bytes.ok() || !key_bytes.ok()) {
    return Status::InvalidArgument("verifier key: bad hex key id or base64 key");
  }
  if (key_bytes->size() != 33 || static_cast<uint8_t>((*key_bytes)[0]) != type) {
    char want[8];
    snprintf(want, sizeof want, "0x%02x", type);
    return Status::InvalidArgument(std::string("verifier key: not an Ed25519 key of type ") + want +
                                   (type == 0x04 ? " (a witness's cosigner key)"
                                                 : " (a log's note key)"));
  }
  auto key = PublicKey::FromRaw(key_bytes->substr(1));
  if (!key.ok()) return key.status();
  std::string name(vkey.substr(0, first));
  if (!ValidKeyName(name)) {
    return Status::InvalidArgument("verifier key: its name \"" + name +
                                   "\" must be non-empty with no spaces or '+'");
  }
  const uint32_t id = TypedKeyId(name, type, key.value());
  if (KeyIdBytes(id) != id_bytes.value()) {
    return Status::InvalidArgument("verifier key: its key id does not match its name and key");
  }
  return VkeyParts{std::move(name), id, std::move(key.value())};
}

StatusOr<NoteVerifier> NoteVerifier::Create(std::string name, PublicKey key) {
  if (!ValidKeyName(name)) {
    return Status::InvalidArgument("note key name \"" + name +
                                   "\" must be non-empty with no "
                                   "spaces or '+'");
  }
  uint32_t id = NoteKeyId(name, key);
  return NoteVerifier(std::move(name), std::move(key), id);
}

StatusOr<NoteVerifier> NoteVerifier::FromVkey(std::string_view vkey) {
  auto parts = ParseVkey(vkey, kEd25519Type);
  if (!parts.ok()) return parts.status();
  return Create(std::move(parts->name), std::move(parts->key));
}

std::string NoteVerifier::Vkey() const { return FormatVkey(name_, key_id_, kEd25519Type, key_); }

Status NoteVerifier::Verify(const SignedNote& note) const {
  for (const NoteSignature& sig : note.signatures) {
    if (sig.key_name != name_ || sig.key_id != key_id_) continue;  // someone else's
    // The first signature by this key decides: one that fails rejects the
    // note (signed-note: a verifier SHOULD), so a note cannot make a reader
    // check a hundred forgeries before the real one.
    if (key_.Verify(note.text, sig.signature)) return Status::OK();
    return Status::VerificationFailed("the note's signature by " + name_ + " does not verify");
  }
  return Status::VerificationFailed("the note carries no signature by " + name_ + " (key id " +
                                    HexEncode(KeyIdBytes(key_id_)) + ")");
}

std::string SignNote(std::string_view text, const std::string& name, const PrivateKey& key) {
  std::string blob = KeyIdBytes(NoteKeyId(name, key.public_key())) + key.Sign(text);
  return std::string(text) + "\n" + std::string(kEmDash) + name + " " + Base64Encode(blob) + "\n";
}

StatusOr<SignedNote> ParseNote(std::string_view note) {
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return Status::InvalidArgument("a signed note needs a blank line before its signatures");
  }
  SignedNote out;
  out.text = std::string(note.substr(0, split + 1));
  for (unsigned char c : out.text) {
    if (c < 0x20 && c != '\n') return Status::InvalidArgument("note text has a control character");
  }
  if (!IsValidUtf8(out.text)) return Status::InvalidArgument("note text is not valid UTF-8");
  std::string_view rest = note.substr(split + 2);
  if (rest.empty() || rest.back() != '\n') {
    return Status::InvalidArgument("a signed note must end with signature lines");
  }
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    if (line.substr(0, kEmDash.size()) != kEmDash) {
      return Status::InvalidArgument("a signature line must start with an em dash and a space");
    }
    line.remove_prefix(kEmDash.size());
    size_t space = line.find(' ');
    if (space == std::string_view::npos) return Status::InvalidArgument("bad signature line");
    NoteSignature sig;
    sig.key_name = std::string(line.substr(0, space));
    if (!ValidKeyName(sig.key_name)) return Status::InvalidArgument("bad key name in signature");
    auto blob = Base64Decode(line.substr(space + 1));
    if (!blob.ok() || blob->size() < 5) {
      return Status::InvalidArgument("bad base64 in the signature of " + sig.key_name);
    }
    const std::string& b = blob.value();
    sig.key_id = DecodeFixed32BE(b.data());
    sig.signature = b.substr(4);
    out.signatures.push_back(std::move(sig));
    if (out.signatures.size() > kMaxSignatures) {
      return Status::InvalidArgument("a note may carry at most 100 signatures");
    }
  }
  return out;
}

}  // namespace evident
