#include "ledger/bundle.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/event_json.h"
#include "ledger/file_util.h"
#include "ledger/key_registry.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/proof.h"
#include "ledger/parallel.h"

namespace evident {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kReadme[] =
    R"(This directory is an Evident export bundle: a range of entries from a
district's professional-learning ledger, with everything needed to check them
without access to the ledger or to anyone's word.

What it proves
  * checkpoint.txt is a tree head signed by the ledger's key: the size of the
    log and the root hash of its RFC 9162 Merkle tree at that size. The lines
    after the ledger's signature are cosignatures: each an independent
    witness's statement (C2SP tlog-cosignature) that this tree head is
    consistent with every one of this log it saw before. A district cannot
    show one history to you and another to someone else without a witness
    refusing one of them.
  * Each line of entries.jsonl is one entry (in base64, exactly as stored) with
    an inclusion proof: the entry is at that position in the tree the
    checkpoint signs, so it cannot have been changed, added or dropped since.
  * keys.jsonl holds, in the same form, every key registration and revocation
    before the end of the range: who was allowed to sign what, and when.
    signers.json lists, for reading, the public key, principal and role of
    everyone who signed an entry of the range; the check derives the same
    list from keys.jsonl and refuses a bundle where the two differ.
  * amended.jsonl holds, in the same form, every entry before the range that
    a correction or void in the range names: what was amended, and who
    signed it.
  * Each entry carries its signer's Ed25519 signature over its event; the
    signer must have been registered, not revoked, and allowed that kind of
    event at that position. A district system's key may correct or void only
    an earlier event signed by that same system's keys.

How to check it
  1. Get the ledger's verifier key from the district through a channel other
     than this bundle (it reads NAME+KEYID+KEY) and compare it with ledger.vkey.
  2. Run:   evident verify --bundle THIS_DIRECTORY --vkey 'NAME+KEYID+KEY'
     It prints "ok: ..." or names the first entry that fails.
  3. To rely on the witnesses, get each witness's key from the witness itself
     (the county office, the state), not from the district, and add
     --witness 'NAME+KEYID+KEY' for each (and --quorum K to need only K of
     them). The check then fails, naming the witness, unless enough of them
     cosigned checkpoint.txt.
  Any implementation of RFC 9162 (Merkle proofs), C2SP signed-note and
  tlog-checkpoint (the checkpoint) and Ed25519 can check the same things: the
  leaf hash is SHA-256(0x00 || entry bytes), and an event's signed message is
  "evident/event/v1\n" followed by the event bytes inside the entry.

Limits
  A bundle shows the key events it carries are in the log; it cannot show that
  none was left out. To rule that out, export from position 0, or verify the
  whole ledger with 'evident verify --ledger'.
)";

// The bundle file `name` in `dir`; a missing file is named as the bundle's.
StatusOr<std::string> ReadBundleFile(const std::string& dir, const std::string& name) {
  auto text = ReadFile(dir + "/" + name);
  if (!text.ok() && text.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("the bundle has no " + name + " (" + text.status().message() + ")");
  }
  return text;
}

// signers.json: who signed the range's entries, as the key history up to the
// range's end says, sorted by key id. For people to read; the check derives
// it again from keys.jsonl and requires the two to agree.
std::string SignersJson(const KeyRegistry& registry, const std::set<std::string>& key_ids) {
  Json signers = Json::array();
  for (const std::string& id : key_ids) {
    const KeyRegistry::KeyInfo* info = registry.Find(id);
    if (info == nullptr) continue;
    Json s = {{"key_id", HexEncode(id)},
              {"principal_id", info->principal_id},
              {"role", schema::EnumNameRole(info->role)},
              {"public_key", HexEncode(info->key.raw())},
              {"registered_at", info->registered_at}};
    if (info->revoked_at) s["revoked_at"] = *info->revoked_at;
    signers.push_back(std::move(s));
  }
  return signers.dump(2) + "\n";
}

// One entry of the bundle: its line, its signer and its event, read once.
struct ExportedEntry {
  std::string line;  // {"index", "entry", "proof", "event"}
  std::string signer_key_id;
  std::string bytes;  // the entry; `event` points into it
  const schema::Event* event = nullptr;
};

StatusOr<ExportedEntry> ExportEntry(Ledger* ledger, EventJsonCodec* codec, uint64_t index,
                                    uint64_t size) {
  ExportedEntry out;
  auto bytes = ledger->ReadEntry(index);
  if (!bytes.ok()) return bytes.status();
  out.bytes = std::move(bytes.value());
  auto proof = ledger->InclusionProof(index, size);
  if (!proof.ok()) return proof.status();
  auto entry = ParseEntry(out.bytes);
  if (!entry.ok()) return entry.status();
  auto event = ParseEvent(AsView(entry.value()->event()));
  if (!event.ok()) return event.status();
  auto event_json = codec->ToJson(AsView(entry.value()->event()));
  if (!event_json.ok()) return event_json.status();
  Json line = {{"index", index}, {"entry", Base64Encode(out.bytes)}, {"proof", Json::array()}};
  for (const auto& h : proof.value()) line["proof"].push_back(HexEncode(h));
  line["event"] = Json::parse(event_json.value());
  out.line = line.dump() + "\n";
  out.signer_key_id = std::string(AsView(entry.value()->signer_key_id()));
  out.event = event.value();
  return out;
}

// The position of the event that the amendment `event`, signed by
// `signer_key_id` at `position`, names; nullopt when the log holds none.
StatusOr<std::optional<uint64_t>> AmendedPosition(Ledger* ledger, std::string_view signer_key_id,
                                                  const schema::Event& event, uint64_t position) {
  auto holders = StoredHoldersOf(ledger->storage(), AmendedEventIdOf(&event), position);
  if (!holders.ok()) return holders.status();
  auto key = ledger->FindKey(signer_key_id);
  auto found = ResolveAmendedEvent(&event, key ? key->principal_id : "", holders.value());
  if (!found.ok() || !found.value()) return std::optional<uint64_t>();
  return std::optional<uint64_t>(found.value()->position);
}

struct ProvenEntry {
  std::string bytes;
  bool in_range = false;  // from entries.jsonl
  bool in_keys = false;   // from keys.jsonl
};

}  // namespace

Status WriteBundle(Ledger* ledger, const std::string& dir, uint64_t from, uint64_t to) {
  auto note = ledger->LatestCheckpointNote();
  if (!note.ok()) return note.status();
  if (auto cosigned = ledger->NewestCosignedSize({}); cosigned.ok()) {
    if (to == UINT64_MAX || to <= cosigned.value()) {
      note = ledger->CosignedCheckpointNote(cosigned.value());
      if (!note.ok()) return note.status();
    }
  } else if (cosigned.status().code() != Status::Code::kNotFound) {
    return cosigned.status();
  }
  auto parsed = ParseNote(note.value());
  if (!parsed.ok()) return parsed.status();
  auto checkpoint = ParseCheckpointText(parsed->text);
  if (!checkpoint.ok()) return checkpoint.status();
  const uint64_t size = checkpoint->size;
  if (to == UINT64_MAX) to = size;
  if (from >= to || to > size) {
    return Status::InvalidArgument("the range [" + std::to_string(from) + ", " +
                                   std::to_string(to) +
                                   ") is empty or beyond the checkpoint "
                                   "size " +
                                   std::to_string(size));
  }
  std::error_code ec;
  if (std::filesystem::exists(dir) && !std::filesystem::is_empty(dir, ec)) {
    return Status::Conflict(dir + " is not empty; export into a new directory");
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  auto verifier = ledger->CheckpointVerifier();
  if (!verifier.ok()) return verifier.status();
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return codec.status();

  std::string entries, keys, amended;
  std::set<std::string> signers;
  std::set<uint64_t> amended_before;  // positions before `from` the range amends
  for (uint64_t i = from; i < to; ++i) {
    auto e = ExportEntry(ledger, codec.value().get(), i, size);
    if (!e.ok()) return e.status().WithContext("entry " + std::to_string(i));
    entries += e->line;
    signers.insert(e->signer_key_id);
    const std::string_view target = AmendedEventIdOf(e->event);
    if (target.empty()) continue;
    auto found = AmendedPosition(ledger, e->signer_key_id, *e->event, i);
    if (!found.ok()) return found.status().WithContext("entry " + std::to_string(i));
    if (found.value() && *found.value() < from) amended_before.insert(*found.value());
  }
  // The key history up to the range's end: every key event before `to`.
  KeyRegistry registry;
  auto cursor = ledger->storage()->NewCursor(Column::kKeyEvents);
  for (cursor->SeekToFirst(); cursor->Valid(); cursor->Next()) {
    uint64_t i = DecodeFixed64BE(cursor->key().data());
    if (i >= to) break;
    auto e = ExportEntry(ledger, codec.value().get(), i, size);
    if (!e.ok()) return e.status().WithContext("key event " + std::to_string(i));
    keys += e->line;
    registry.Apply(*e->event, i);
    amended_before.erase(i);  // keys.jsonl holds it already
  }
  EVIDENT_RETURN_IF_ERROR(cursor->status());
  for (uint64_t i : amended_before) {
    auto e = ExportEntry(ledger, codec.value().get(), i, size);
    if (!e.ok()) return e.status().WithContext("amended entry " + std::to_string(i));
    amended += e->line;
  }
  EVIDENT_RETURN_IF_ERROR(WriteFile(dir + "/signers.json", SignersJson(registry, signers)));
  EVIDENT_RETURN_IF_ERROR(WriteFile(dir + "/checkpoint.txt", note.value()));
  EVIDENT_RETURN_IF_ERROR(WriteFile(dir + "/ledger.vkey", verifier->Vkey() + "\n"));
  EVIDENT_RETURN_IF_ERROR(WriteFile(dir + "/entries.jsonl", entries));
  EVIDENT_RETURN_IF_ERROR(WriteFile(dir + "/keys.jsonl", keys));
  EVIDENT_RETURN_IF_ERROR(WriteFile(dir + "/amended.jsonl", amended));
  return WriteFile(dir + "/README.txt", kReadme);
}

StatusOr<NoteVerifier> BundledVerifier(const std::string& dir) {
  auto vkey = ReadBundleFile(dir, "ledger.vkey");
  if (!vkey.ok()) return vkey.status();
  auto verifier = NoteVerifier::FromVkey(vkey->substr(0, vkey->find('\n')));
  if (!verifier.ok()) {
    return Status::InvalidArgument("ledger.vkey: " + verifier.status().message());
  }
  return verifier;
}

namespace {

// One line of entries.jsonl, keys.jsonl or amended.jsonl, parsed and proven against the
// checkpoint: its entry's bytes, or what is wrong with it.
struct ProvenLine {
  std::optional<uint64_t> index;
  std::string bytes;
  std::string problem;  // empty when proven
};

ProvenLine ProveLine(std::string_view line, const Checkpoint& checkpoint) {
  ProvenLine out;
  Json j;
  try {
    j = Json::parse(line);
  } catch (const Json::exception&) {
    out.problem = "not a JSON object";
    return out;
  }
  if (!j.is_object() || !j["index"].is_number_unsigned() || !j["entry"].is_string() ||
      !j["proof"].is_array()) {
    out.problem = "needs \"index\", \"entry\" and \"proof\"";
    return out;
  }
  out.index = j["index"].get<uint64_t>();
  auto bytes = Base64Decode(j["entry"].get<std::string>());
  if (!bytes.ok()) {
    out.problem = "entry is not base64";
    return out;
  }
  std::vector<std::string> proof;
  for (const auto& h : j["proof"]) {
    auto hash = h.is_string() ? HexDecode(h.get<std::string>())
                              : StatusOr<std::string>(Status::InvalidArgument(""));
    if (!hash.ok()) {
      out.problem = "a proof hash is not hex";
      return out;
    }
    proof.push_back(std::move(hash.value()));
  }
  Status in_log = merkle::VerifyInclusion(*out.index, checkpoint.size,
                                          merkle::LeafHash(bytes.value()), proof, checkpoint.root);
  if (!in_log.ok()) {
    out.problem = "not proven in the signed tree (" + in_log.message() + ")";
    return out;
  }
  out.bytes = std::move(bytes.value());
  return out;
}

// The lines of `text`, as getline gives them (a last line without its
// newline counts).
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

}  // namespace

StatusOr<BundleReport> VerifyBundle(const std::string& dir,
                                    const std::optional<NoteVerifier>& trusted,
                                    const WitnessPolicy& witnesses) {
  BundleReport report;
  auto fail = [&report](std::optional<uint64_t> at, const std::string& problem) {
    report.first_bad_position = at;
    report.problem = at ? "position " + std::to_string(*at) + ": " + problem : problem;
    return report;
  };
  auto note = ReadBundleFile(dir, "checkpoint.txt");
  if (!note.ok()) return note.status();
  std::optional<NoteVerifier> verifier = trusted;
  if (!verifier) {
    auto bundled = BundledVerifier(dir);
    if (!bundled.ok()) {
      if (bundled.status().code() != Status::Code::kInvalidArgument) return bundled.status();
      return fail({}, bundled.status().message());
    }
    verifier = bundled.value();
    report.trusted_bundled_key = true;
  }
  auto checkpoint = OpenCheckpoint(note.value(), *verifier);
  if (!checkpoint.ok()) return fail({}, "checkpoint.txt: " + checkpoint.status().message());
  if (Status s = CheckWitnessPolicy(note.value(), witnesses); !s.ok()) {
    return fail({}, "checkpoint.txt: " + s.message());
  }
  report.origin = checkpoint->origin;
  report.checkpoint_size = checkpoint->size;

  // Every line, proven against the checkpoint, by position. The lines are
  // parsed and proven on every core; the first bad one, in file order, is
  // the one reported, as a single pass would.
  std::map<uint64_t, ProvenEntry> proven;
  for (const std::string file : {"keys.jsonl", "amended.jsonl", "entries.jsonl"}) {
    auto text = ReadBundleFile(dir, file);
    // Bundles written before amended.jsonl existed have none; any
    // amendment of theirs that needs it is refused below, by name.
    if (!text.ok() && file == "amended.jsonl" && text.status().code() == Status::Code::kNotFound) {
      text = std::string();
    }
    if (!text.ok()) return text.status();
    const std::vector<std::string_view> lines = SplitLines(text.value());
    std::vector<ProvenLine> results(lines.size());
    ParallelFor(lines.size(), DefaultThreads(),
                [&](size_t i) { results[i] = ProveLine(lines[i], *checkpoint); });
    for (size_t i = 0; i < lines.size(); ++i) {
      ProvenLine& line = results[i];
      if (!line.problem.empty()) {
        return fail(line.index, file + ":" + std::to_string(i + 1) + ": " + line.problem);
      }
      ProvenEntry& e = proven[*line.index];
      e.bytes = std::move(line.bytes);
      e.in_range = e.in_range || file == "entries.jsonl";
      e.in_keys = e.in_keys || file == "keys.jsonl";
    }
  }
  // The range must be complete: from its first to its last entry, no gap.
  std::optional<uint64_t> first, last;
  for (const auto& [index, e] : proven) {
    if (!e.in_range) continue;
    if (!first) first = index;
    if (last && index != *last + 1) return fail(*last + 1, "missing from entries.jsonl");
    last = index;
  }
  if (!first) return fail({}, "entries.jsonl holds no entry");
  report.from = *first;
  report.to = *last + 1;

  // Replay, in log order: key events build the key history, and every
  // entry's signer must be allowed at its position. The signatures are then
  // checked on every core; whichever fails first in log order, a key rule
  // or a signature, is the one reported.
  KeyRegistry registry;
  std::set<std::string> signers;
  std::unordered_map<std::string, std::vector<IdHolder>> holders;  // event id -> so far
  const KeyRegistry::HolderLookup lookup =
      [&](std::string_view id) -> StatusOr<std::vector<IdHolder>> {
    auto it = holders.find(std::string(id));
    if (it != holders.end()) return it->second;
    return Status::NotFound("the bundle does not hold it; amended.jsonl should");
  };
  struct Signed {
    uint64_t index;
    PublicKey key;
    SignedEvent event;
  };
  std::vector<Signed> to_check;
  std::optional<uint64_t> rule_broken_at;
  std::string rule_problem;
  for (const auto& [index, e] : proven) {
    std::string problem;
    auto entry = ParseEntry(e.bytes);
    if (!entry.ok()) {
      problem = entry.status().message();
    } else if (entry.value()->sequence() != index) {
      problem = "the entry names another position";
    }
    SignedEvent signed_event;
    const schema::Event* event = nullptr;
    if (problem.empty()) {
      signed_event = SignedEventOf(entry.value());
      auto parsed = ParseEvent(signed_event.event);
      if (parsed.ok()) {
        event = parsed.value();
      } else {
        problem = parsed.status().message();
      }
    }
    const bool key_event = event != nullptr && KeyRegistry::IsKeyEvent(event->body_type());
    if (problem.empty() && e.in_keys && !key_event) {
      problem = "keys.jsonl holds an entry that is no key event";
    }
    StatusOr<PublicKey> key = Status::InvalidArgument("");
    if (problem.empty()) {
      key = registry.Check(signed_event.signer_key_id, *event, index);
      if (!key.ok()) problem = "key rule broken: " + key.status().message();
    }
    if (problem.empty()) {
      Status amends = registry.CheckAmendment(signed_event.signer_key_id, *event, lookup);
      if (!amends.ok()) {
        problem = (amends.code() == Status::Code::kPermissionDenied ? "key rule broken: " : "") +
                  amends.message();
      }
    }
    if (!problem.empty()) {
      rule_broken_at = index;
      rule_problem = problem;
      break;
    }
    holders[std::string(EventIdOf(event))].push_back(
        {registry.PrincipalOf(signed_event.signer_key_id, *event), index});
    registry.Apply(*event, index);
    if (key_event) ++report.key_events;
    if (e.in_range) {
      ++report.entries;
      signers.insert(signed_event.signer_key_id);
    }
    to_check.push_back({index, std::move(key.value()), std::move(signed_event)});
  }
  std::vector<char> verified(to_check.size(), 0);
  ParallelFor(to_check.size(), DefaultThreads(), [&](size_t i) {
    verified[i] = VerifyEventSignature(to_check[i].key, to_check[i].event) ? 1 : 0;
  });
  for (size_t i = 0; i < to_check.size(); ++i) {
    if (!verified[i]) return fail(to_check[i].index, "the event signature does not verify");
  }
  if (rule_broken_at) return fail(*rule_broken_at, rule_problem);
  auto listed = ReadBundleFile(dir, "signers.json");
  if (!listed.ok()) return listed.status();
  if (listed.value() != SignersJson(registry, signers)) {
    return fail({}, "signers.json does not match the key history the bundle proves");
  }
  return report;
}

}  // namespace evident
