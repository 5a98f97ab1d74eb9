#include "ledger/proof_files.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "ledger/coding.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/proof.h"

namespace evident {
namespace {

using Json = nlohmann::ordered_json;
constexpr std::string_view kTlogProofHeader = "c2sp.org/tlog-proof@v1\n";
constexpr size_t kMaxProofHashes = 128;

StatusOr<Json> ParseObject(std::string_view text) {
  try {
    Json j = Json::parse(text.begin(), text.end());
    if (!j.is_object()) return Status::InvalidArgument("a proof file holds one JSON object");
    return j;
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("malformed proof JSON: ") + e.what());
  }
}

StatusOr<uint64_t> Uint(const Json& j, const char* name) {
  if (!j.contains(name) || !j[name].is_number_unsigned()) {
    return Status::InvalidArgument(std::string("proof JSON needs \"") + name +
                                   "\", a whole number >= 0");
  }
  return j[name].get<uint64_t>();
}

StatusOr<std::string> Hash(const Json& v, const std::string& what) {
  if (!v.is_string()) return Status::InvalidArgument(what + " must be a hex string");
  auto bytes = HexDecode(v.get<std::string>());
  if (!bytes.ok() || bytes->size() != merkle::kHashSize) {
    return Status::InvalidArgument(what + " must be 64 hex digits (32 bytes)");
  }
  return bytes;
}

StatusOr<std::vector<std::string>> Hashes(const Json& j) {
  if (!j.contains("proof") || !j["proof"].is_array()) {
    return Status::InvalidArgument("proof JSON needs \"proof\", a list of hex hashes");
  }
  if (j["proof"].size() > kMaxProofHashes) return Status::InvalidArgument("proof is too long");
  std::vector<std::string> out;
  for (size_t i = 0; i < j["proof"].size(); ++i) {
    auto h = Hash(j["proof"][i], "proof[" + std::to_string(i) + "]");
    if (!h.ok()) return h.status();
    out.push_back(std::move(h.value()));
  }
  return out;
}

Json HexList(const std::vector<std::string>& hashes) {
  Json list = Json::array();
  for (const auto& h : hashes) list.push_back(HexEncode(h));
  return list;
}

}  // namespace

std::string InclusionJson(const InclusionFile& f) {
  Json j = {{"index", f.index},
            {"size", f.size},
            {"leaf_hash", HexEncode(f.leaf_hash)},
            {"entry", Base64Encode(f.entry)},
            {"proof", HexList(f.proof)}};
  if (!f.checkpoint_note.empty()) j["checkpoint"] = f.checkpoint_note;
  return j.dump(2) + "\n";
}

std::string ConsistencyJson(const ConsistencyFile& f) {
  Json j = {{"size1", f.size1}, {"size2", f.size2}, {"proof", HexList(f.proof)}};
  return j.dump(2) + "\n";
}

std::string TlogProofText(const TlogProof& p) {
  std::string out(kTlogProofHeader);
  if (!p.extra.empty()) out += "extra " + Base64Encode(p.extra) + "\n";
  out += "index " + std::to_string(p.index) + "\n";
  for (const auto& h : p.proof) out += Base64Encode(h) + "\n";
  return out + "\n" + p.checkpoint_note;
}

StatusOr<InclusionFile> ParseInclusionJson(std::string_view json) {
  auto j = ParseObject(json);
  if (!j.ok()) return j.status();
  InclusionFile f;
  auto index = Uint(*j, "index");
  auto size = Uint(*j, "size");
  if (!index.ok()) return index.status();
  if (!size.ok()) return size.status();
  f.index = *index;
  f.size = *size;
  if (!j->contains("leaf_hash")) return Status::InvalidArgument("proof JSON needs \"leaf_hash\"");
  auto leaf = Hash((*j)["leaf_hash"], "leaf_hash");
  if (!leaf.ok()) return leaf.status();
  f.leaf_hash = std::move(leaf.value());
  if (j->contains("entry")) {
    if (!(*j)["entry"].is_string()) return Status::InvalidArgument("entry must be base64");
    auto entry = Base64Decode((*j)["entry"].get<std::string>());
    if (!entry.ok()) return entry.status().WithContext("entry");
    f.entry = std::move(entry.value());
  }
  auto proof = Hashes(*j);
  if (!proof.ok()) return proof.status();
  f.proof = std::move(proof.value());
  if (j->contains("checkpoint")) {
    if (!(*j)["checkpoint"].is_string()) {
      return Status::InvalidArgument("checkpoint must be the signed note, as a string");
    }
    f.checkpoint_note = (*j)["checkpoint"].get<std::string>();
  }
  return f;
}

StatusOr<ConsistencyFile> ParseConsistencyJson(std::string_view json) {
  auto j = ParseObject(json);
  if (!j.ok()) return j.status();
  ConsistencyFile f;
  auto size1 = Uint(*j, "size1");
  auto size2 = Uint(*j, "size2");
  if (!size1.ok()) return size1.status();
  if (!size2.ok()) return size2.status();
  f.size1 = *size1;
  f.size2 = *size2;
  auto proof = Hashes(*j);
  if (!proof.ok()) return proof.status();
  f.proof = std::move(proof.value());
  return f;
}

StatusOr<TlogProof> ParseTlogProof(std::string_view text) {
  if (text.substr(0, kTlogProofHeader.size()) != kTlogProofHeader) {
    return Status::InvalidArgument(
        "not a tlog-proof: the first line must be c2sp.org/tlog-proof@v1");
  }
  text.remove_prefix(kTlogProofHeader.size());
  auto next_line = [&text](std::string_view* line) {
    size_t end = text.find('\n');
    if (end == std::string_view::npos) return false;
    *line = text.substr(0, end);
    text.remove_prefix(end + 1);
    return true;
  };
  TlogProof p;
  std::string_view line;
  if (!next_line(&line)) return Status::InvalidArgument("tlog-proof ends early");
  if (line.substr(0, 6) == "extra ") {
    auto extra = Base64Decode(line.substr(6));
    if (!extra.ok()) return extra.status().WithContext("tlog-proof extra");
    p.extra = std::move(extra.value());
    if (!next_line(&line)) return Status::InvalidArgument("tlog-proof ends early");
  }
  if (line.substr(0, 6) != "index ")
    return Status::InvalidArgument("tlog-proof needs an index line");
  std::string_view digits = line.substr(6);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p.index);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
      (digits.size() > 1 && digits[0] == '0')) {
    return Status::InvalidArgument("tlog-proof index is not a decimal number");
  }
  while (true) {
    if (!next_line(&line)) return Status::InvalidArgument("tlog-proof has no checkpoint");
    if (line.empty()) break;
    auto hash = Base64Decode(line);
    if (!hash.ok() || hash->size() != merkle::kHashSize || p.proof.size() >= kMaxProofHashes) {
      return Status::InvalidArgument("tlog-proof: a proof line is not the base64 of 32 bytes");
    }
    p.proof.push_back(std::move(hash.value()));
  }
  p.checkpoint_note = std::string(text);
  return p;
}

StatusOr<Checkpoint> CheckInclusion(const InclusionFile& f, std::string_view checkpoint_note,
                                    const NoteVerifier& verifier) {
  auto checkpoint = OpenCheckpoint(checkpoint_note, verifier);
  if (!checkpoint.ok()) return checkpoint.status().WithContext("checkpoint");
  if (f.size != checkpoint->size) {
    return Status::VerificationFailed("the proof is for size " + std::to_string(f.size) +
                                      ", the checkpoint for size " +
                                      std::to_string(checkpoint->size));
  }
  if (!f.entry.empty() && merkle::LeafHash(f.entry) != f.leaf_hash) {
    return Status::VerificationFailed("leaf_hash is not the hash of the entry given");
  }
  EVIDENT_RETURN_IF_ERROR(
      merkle::VerifyInclusion(f.index, checkpoint->size, f.leaf_hash, f.proof, checkpoint->root));
  return checkpoint;
}

StatusOr<Checkpoint> CheckTlogProof(const TlogProof& p, const NoteVerifier& verifier) {
  if (p.extra.empty()) {
    return Status::InvalidArgument("this tlog-proof carries no entry (Evident puts it in extra)");
  }
  auto checkpoint = OpenCheckpoint(p.checkpoint_note, verifier);
  if (!checkpoint.ok()) return checkpoint.status().WithContext("checkpoint");
  EVIDENT_RETURN_IF_ERROR(merkle::VerifyInclusion(
      p.index, checkpoint->size, merkle::LeafHash(p.extra), p.proof, checkpoint->root));
  return checkpoint;
}

Status CheckConsistency(const ConsistencyFile& f, std::string_view old_note,
                        std::string_view new_note, const NoteVerifier& verifier) {
  auto older = OpenCheckpoint(old_note, verifier);
  if (!older.ok()) return older.status().WithContext("old checkpoint");
  auto newer = OpenCheckpoint(new_note, verifier);
  if (!newer.ok()) return newer.status().WithContext("new checkpoint");
  if (f.size1 != older->size || f.size2 != newer->size) {
    return Status::VerificationFailed("the proof is for sizes " + std::to_string(f.size1) + " -> " +
                                      std::to_string(f.size2) + ", the checkpoints for " +
                                      std::to_string(older->size) + " -> " +
                                      std::to_string(newer->size));
  }
  return merkle::VerifyConsistency(older->size, newer->size, older->root, newer->root, f.proof);
}

}  // namespace evident
