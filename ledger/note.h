#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/keys.h"
#include "ledger/status.h"

// C2SP signed-note v1.0.0 with Ed25519 signatures (type 0x01):
//
//   note      = text "\n" 1*signature-line
//   text      = 1*(line "\n")          UTF-8, no control characters but "\n"
//   signature = "\u2014 " key-name " " base64(key-id[4, big-endian] || sig[64]) "\n"
//   key-id    = SHA-256(key-name || "\n" || 0x01 || public-key[32])[:4]
//   vkey      = key-name "+" hex(key-id) "+" base64(0x01 || public-key)
//
// The signed message is the text including its final newline. Key names are
// non-empty, with no spaces and no '+'. Verifiers ignore signatures by keys
// they do not know, and refuse a note no known key signed.
namespace evident {

struct NoteSignature {
  std::string key_name;
  uint32_t key_id = 0;
  std::string signature;  // 64 bytes for Ed25519
};

struct SignedNote {
  std::string text;  // ends with "\n"
  std::vector<NoteSignature> signatures;
};

// A signed-note key: a name and an Ed25519 public key.
class NoteVerifier {
 public:
  static StatusOr<NoteVerifier> Create(std::string name, PublicKey key);
  // Parses a vkey string; InvalidArgument if malformed or its id does not
  // match its name and key.
  static StatusOr<NoteVerifier> FromVkey(std::string_view vkey);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const PublicKey& key() const { return key_; }
  std::string Vkey() const;

  // OK if one of the note's signatures is this key's and verifies.
  // VerificationFailed if none does (naming why).
  Status Verify(const SignedNote& note) const;

 private:
  NoteVerifier(std::string name, PublicKey key, uint32_t id)
      : name_(std::move(name)), key_(std::move(key)), key_id_(id) {}
  std::string name_;
  PublicKey key_;
  uint32_t key_id_;
};

uint32_t NoteKeyId(std::string_view name, const PublicKey& key);

// Key ids and vkeys of any Ed25519 signature type: 0x01 for a note's own
// signer, 0x04 for a witness's cosignature (ledger/cosignature.h).
//   key-id = SHA-256(name || "\n" || type || public-key)[:4]
//   vkey   = name "+" hex(key-id) "+" base64(type || public-key)
uint32_t TypedKeyId(std::string_view name, uint8_t type, const PublicKey& key);
std::string FormatVkey(const std::string& name, uint32_t key_id, uint8_t type,
                       const PublicKey& key);
struct VkeyParts {
  std::string name;
  uint32_t key_id;
  PublicKey key;
};
// InvalidArgument if `vkey` is malformed, not of `type`, or its key id does
// not match its name and key.
StatusOr<VkeyParts> ParseVkey(std::string_view vkey, uint8_t type);
bool ValidNoteKeyName(std::string_view name);

// Signs `text` (which must end with "\n") as key `name`; returns the whole note.
std::string SignNote(std::string_view text, const std::string& name, const PrivateKey& key);

// Splits a note into text and signature lines, checking the grammar above.
StatusOr<SignedNote> ParseNote(std::string_view note);

}  // namespace evident
