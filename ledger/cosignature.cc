#include "ledger/cosignature.h"

#include <set>

#include "ledger/coding.h"

namespace evident {
namespace {

constexpr std::string_view kEmDash = "\xe2\x80\x94 ";  // U+2014 and a space
constexpr size_t kTimeSize = 8;

}  // namespace

uint32_t CosignerKeyId(std::string_view name, const PublicKey& key) {
  return TypedKeyId(name, kCosignatureType, key);
}

StatusOr<CosignatureVerifier> CosignatureVerifier::Create(std::string name, PublicKey key) {
  if (!ValidNoteKeyName(name)) {
    return Status::InvalidArgument("witness name \"" + name +
                                   "\" must be non-empty with no spaces or '+'");
  }
  const uint32_t id = CosignerKeyId(name, key);
  return CosignatureVerifier(std::move(name), std::move(key), id);
}

StatusOr<CosignatureVerifier> CosignatureVerifier::FromVkey(std::string_view vkey) {
  auto parts = ParseVkey(vkey, kCosignatureType);
  if (!parts.ok()) return parts.status();
  return Create(std::move(parts->name), std::move(parts->key));
}

std::string CosignatureVerifier::Vkey() const {
  return FormatVkey(name_, key_id_, kCosignatureType, key_);
}

std::string CosignedMessage(std::string_view checkpoint_text, uint64_t time) {
  std::string message = "cosignature/v1\ntime " + std::to_string(time) + "\n";
  message.append(checkpoint_text);
  return message;
}

bool CosignatureVerifier::Verify(std::string_view text, const NoteSignature& signature,
                                 uint64_t* time) const {
  if (!Matches(signature)) return false;
  if (signature.signature.size() != kTimeSize + kEd25519SignatureSize) return false;
  const uint64_t t = DecodeFixed64BE(signature.signature.data());
  if (!key_.Verify(CosignedMessage(text, t), std::string_view(signature.signature).substr(8))) {
    return false;
  }
  if (time != nullptr) *time = t;
  return true;
}

StatusOr<uint64_t> CosignatureVerifier::VerifyNote(const SignedNote& note) const {
  for (const NoteSignature& sig : note.signatures) {
    if (!Matches(sig)) continue;
    // The first line by this witness's key decides, as for the log's own.
    uint64_t time = 0;
    if (Verify(note.text, sig, &time)) return time;
    return Status::VerificationFailed("the cosignature of witness " + name_ + " does not verify");
  }
  return Status::NotFound("no cosignature of witness " + name_);
}

std::string CosignatureLine(std::string_view checkpoint_text, const std::string& name,
                            const PrivateKey& key, uint64_t time) {
  std::string blob;
  PutFixed32BE(&blob, CosignerKeyId(name, key.public_key()));
  PutFixed64BE(&blob, time);
  blob += key.Sign(CosignedMessage(checkpoint_text, time));
  return std::string(kEmDash) + name + " " + Base64Encode(blob) + "\n";
}

std::string WitnessPolicy::Describe() const {
  std::string names;
  for (const CosignatureVerifier& w : witnesses) {
    names += (names.empty() ? "" : ", ") + w.name();
  }
  return std::to_string(quorum) + " of " + std::to_string(witnesses.size()) + " witness" +
         (witnesses.size() == 1 ? "" : "es") + " (" + names + ")";
}

StatusOr<WitnessPolicy> MakeWitnessPolicy(const std::vector<std::string>& vkeys, size_t quorum) {
  WitnessPolicy policy;
  std::set<std::pair<std::string, uint32_t>> seen;
  for (const std::string& vkey : vkeys) {
    auto verifier = CosignatureVerifier::FromVkey(vkey);
    if (!verifier.ok()) {
      return Status::InvalidArgument("witness key \"" + vkey + "\": " +
                                     verifier.status().message());
    }
    if (!seen.insert({verifier->name(), verifier->key_id()}).second) {
      return Status::InvalidArgument("witness " + verifier->name() + " is named twice");
    }
    policy.witnesses.push_back(std::move(verifier.value()));
  }
  if (quorum > policy.witnesses.size()) {
    return Status::InvalidArgument("a quorum of " + std::to_string(quorum) + " needs at least " +
                                   std::to_string(quorum) + " witness keys; " +
                                   std::to_string(policy.witnesses.size()) + " given");
  }
  policy.quorum = quorum == 0 ? policy.witnesses.size() : quorum;
  return policy;
}

Status CheckWitnessPolicy(const SignedNote& note, const WitnessPolicy& policy) {
  size_t met = 0;
  std::string missing, bad;
  for (const CosignatureVerifier& w : policy.witnesses) {
    auto time = w.VerifyNote(note);
    if (time.ok()) {
      ++met;
    } else if (time.status().code() == Status::Code::kNotFound) {
      missing += (missing.empty() ? "" : ", ") + w.name();
    } else {
      bad += (bad.empty() ? "" : ", ") + w.name();
    }
  }
  if (met >= policy.quorum) return Status::OK();
  std::string why = "the checkpoint carries valid cosignatures of " + std::to_string(met) +
                    " of the witnesses named; the policy needs " + policy.Describe();
  if (!missing.empty()) why += "; no cosignature of " + missing;
  if (!bad.empty()) why += "; a cosignature that does not verify from " + bad;
  return Status::VerificationFailed(why);
}

Status CheckWitnessPolicy(std::string_view note, const WitnessPolicy& policy) {
  if (policy.empty()) return Status::OK();
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  return CheckWitnessPolicy(parsed.value(), policy);
}

std::string AddSignatureLines(std::string_view note, const std::vector<std::string>& lines) {
  std::string out(note);
  const size_t split = out.rfind("\n\n");
  const std::string_view signatures =
      split == std::string::npos ? std::string_view() : std::string_view(out).substr(split + 2);
  std::string added;
  for (const std::string& line : lines) {
    const bool present = signatures.find(line) != std::string_view::npos ||
                         added.find(line) != std::string::npos;
    if (!present) added += line;
  }
  return out + added;
}

}  // namespace evident
