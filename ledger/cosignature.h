#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/keys.h"
#include "ledger/note.h"
#include "ledger/status.h"

// C2SP tlog-cosignature v1, timestamped Ed25519 (signature type 0x04): a
// witness's signature line on a checkpoint, meaning "as of `time`, this is
// the largest tree of this origin I have seen consistent with all before it".
//
//   signed message = "cosignature/v1\n" "time " decimal(time) "\n" checkpoint-text
//   signature line = "\u2014 " name " " base64(key-id[4] || u64be(time) || sig[64]) "\n"
//   key-id         = SHA-256(name || "\n" || 0x04 || public-key[32])[:4]
//   vkey           = name "+" hex(key-id) "+" base64(0x04 || public-key)
//
// A cosigned checkpoint is the log's signed note with the witnesses' lines
// after the log's own (docs/format.md).
namespace evident {

constexpr uint8_t kCosignatureType = 0x04;

// A witness's public side: a name and an Ed25519 key of type 0x04.
class CosignatureVerifier {
 public:
  static StatusOr<CosignatureVerifier> Create(std::string name, PublicKey key);
  // Parses a vkey; InvalidArgument if it is malformed, of another type, or
  // its key id does not match its name and key.
  static StatusOr<CosignatureVerifier> FromVkey(std::string_view vkey);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const PublicKey& key() const { return key_; }
  std::string Vkey() const;

  // True if `signature` is this witness's line for `text`: its name and key
  // id, and a signature that verifies. The time it signed goes to *time.
  bool Matches(const NoteSignature& signature) const {
    return signature.key_name == name_ && signature.key_id == key_id_;
  }
  bool Verify(std::string_view text, const NoteSignature& signature, uint64_t* time) const;

  // The time of this witness's valid cosignature on `note`; NotFound when
  // the note carries none, VerificationFailed when it carries one that does
  // not verify.
  StatusOr<uint64_t> VerifyNote(const SignedNote& note) const;

 private:
  CosignatureVerifier(std::string name, PublicKey key, uint32_t id)
      : name_(std::move(name)), key_(std::move(key)), key_id_(id) {}
  std::string name_;
  PublicKey key_;
  uint32_t key_id_;
};

uint32_t CosignerKeyId(std::string_view name, const PublicKey& key);

// "cosignature/v1\ntime T\n" || text: what a witness signs.
std::string CosignedMessage(std::string_view checkpoint_text, uint64_t time);

// The signature line a witness named `name` adds to `checkpoint_text`.
std::string CosignatureLine(std::string_view checkpoint_text, const std::string& name,
                            const PrivateKey& key, uint64_t time);

// A reader's trust in witnesses: `quorum` of `witnesses` must have cosigned.
struct WitnessPolicy {
  std::vector<CosignatureVerifier> witnesses;
  size_t quorum = 0;

  bool empty() const { return witnesses.empty(); }
  // One line: "2 of 2 witnesses (county.example/witness, state.example/witness)".
  std::string Describe() const;
};

// The policy of `vkeys` (each a witness's vkey) and a quorum (0: all of
// them). InvalidArgument for a bad vkey, the same witness twice, or a
// quorum above the number of witnesses.
StatusOr<WitnessPolicy> MakeWitnessPolicy(const std::vector<std::string>& vkeys, size_t quorum);

// OK when the note carries valid cosignatures of at least `policy.quorum`
// of its witnesses. VerificationFailed otherwise, naming each witness whose
// cosignature is missing and each whose does not verify. An empty policy
// is met by any note.
Status CheckWitnessPolicy(const SignedNote& note, const WitnessPolicy& policy);
Status CheckWitnessPolicy(std::string_view note, const WitnessPolicy& policy);

// The note's text with its signature lines followed by `lines` (each a
// whole signature line), leaving out any line it carries already.
std::string AddSignatureLines(std::string_view note, const std::vector<std::string>& lines);

}  // namespace evident
