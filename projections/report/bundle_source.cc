// Recomputing a board report from an auditor's export bundle instead of the
// ledger: the bundle is checked in full, its entries from 0 are folded, and
// the report's checkpoint must sign the root of those entries.

#include <map>
#include <sstream>

#include "ledger/bundle.h"
#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/file_util.h"
#include "ledger/key_registry.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/hash.h"
#include "projections/report/board.h"
#include "projections/report/compute.h"
#include "projections/store.h"

namespace evident::projections::report {
namespace {

// The bundle's entries [0, size), held in memory, with an index of event ids
// for the corrections and voids that name earlier events.
class BundleSource : public EntrySource {
 public:
  Status Load(const std::string& dir, uint64_t size) {
    auto text = ReadFile(dir + "/entries.jsonl", "bundle entries");
    if (!text.ok()) return text.status();
    std::istringstream lines(text.value());
    std::string line;
    while (entries_.size() < size && std::getline(lines, line)) {
      const Json j = Json::parse(line, nullptr, false);  // VerifyBundle checked the shape
      if (j.is_discarded() || j.value("index", uint64_t{0}) != entries_.size()) {
        return Status::InvalidArgument("the bundle's entries.jsonl is not in order from 0");
      }
      auto bytes = Base64Decode(j["entry"].get<std::string>());
      if (!bytes.ok()) return bytes.status();
      auto entry = ParseEntry(bytes.value());
      if (!entry.ok()) return entry.status();
      const SignedEvent signed_event = SignedEventOf(entry.value());  // the event points into it
      auto event = ParseEvent(signed_event.event);
      if (!event.ok()) return event.status();
      ids_[std::string(EventIdOf(event.value()))].push_back(
          {keys_.PrincipalOf(signed_event.signer_key_id, *event.value()), entries_.size()});
      if (KeyRegistry::IsKeyEvent(event.value()->body_type())) {
        keys_.Apply(*event.value(), entries_.size());  // VerifyBundle checked the key rules
      }
      entries_.push_back(std::move(bytes.value()));
    }
    if (entries_.size() < size) {
      return Status::InvalidArgument("the bundle holds " + std::to_string(entries_.size()) +
                                     " entries from 0; the report needs " + std::to_string(size));
    }
    return Status::OK();
  }
  StatusOr<std::string> ReadEntry(uint64_t position) override {
    if (position >= entries_.size())
      return Status::NotFound("no entry " + std::to_string(position));
    return entries_[position];
  }
  StatusOr<std::vector<IdHolder>> FindHolders(std::string_view event_id,
                                              uint64_t before) override {
    std::vector<IdHolder> holders;
    auto it = ids_.find(std::string(event_id));
    if (it == ids_.end()) return holders;
    for (const IdHolder& h : it->second) {
      if (h.position < before) holders.push_back(h);
    }
    return holders;
  }
  const std::vector<std::string>& entries() const { return entries_; }

 private:
  std::vector<std::string> entries_;
  KeyRegistry keys_;                                  // who signed, for ids_
  std::map<std::string, std::vector<IdHolder>> ids_;  // event id -> its holders
};

}  // namespace

StatusOr<Json> BoardSummaryFromBundle(const std::string& dir, const BoardRequest& request,
                                      const std::string& checkpoint_note,
                                      const std::optional<NoteVerifier>& trusted,
                                      BundleReport* bundle_report) {
  auto checked = VerifyBundle(dir, trusted);
  if (!checked.ok()) return checked.status();
  if (bundle_report != nullptr) *bundle_report = checked.value();
  if (!checked->ok()) {
    return Status::VerificationFailed("the bundle does not verify: " + checked->problem);
  }
  if (checked->from != 0) {
    return Status::InvalidArgument("the bundle starts at entry " + std::to_string(checked->from) +
                                   "; a report is recomputed from entry 0 (export from 0)");
  }
  if (checked->to < request.tree_size) {
    return Status::InvalidArgument("the bundle ends at entry " + std::to_string(checked->to) +
                                   "; the report covers " + std::to_string(request.tree_size));
  }
  std::optional<NoteVerifier> verifier = trusted;
  if (!verifier) {
    auto bundled = BundledVerifier(dir);
    if (!bundled.ok()) return bundled.status();
    verifier = bundled.value();
  }
  BundleSource source;
  EVIDENT_RETURN_IF_ERROR(source.Load(dir, request.tree_size));
  merkle::CompactRange range;
  for (const std::string& e : source.entries()) range.Append(merkle::LeafHash(e));

  LogContext log;
  log.tree_size = request.tree_size;
  log.checkpoint = checkpoint_note;
  auto checkpoint = OpenCheckpoint(checkpoint_note, *verifier);
  if (!checkpoint.ok()) {
    log.checkpoint_problem = checkpoint.status().message();
  } else if (checkpoint->size != request.tree_size || checkpoint->root != range.Root()) {
    log.checkpoint_problem = "the checkpoint does not sign the bundle's first " +
                             std::to_string(request.tree_size) + " entries";
  } else {
    log.root_hash_hex = HexEncode(checkpoint->root);
    log.checkpoint_verified = true;
  }
  if (!log.checkpoint_verified) {
    return Status::VerificationFailed("the report's checkpoint: " + log.checkpoint_problem);
  }
  log.root_at = [&source](uint64_t n) -> StatusOr<std::string> {
    if (n > source.entries().size()) return Status::InvalidArgument("past the bundle's end");
    merkle::CompactRange prefix;
    for (uint64_t i = 0; i < n; ++i) prefix.Append(merkle::LeafHash(source.entries()[i]));
    return prefix.Root();
  };
  Projector projector(&source);
  for (uint64_t i = 0; i < request.tree_size; ++i) {
    EVIDENT_RETURN_IF_ERROR(projector.Apply(i, source.entries()[i]));
  }
  return SummaryOf(projector, log, request);
}

}  // namespace evident::projections::report
