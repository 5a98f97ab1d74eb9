#include "ledger/appender.h"

#include <cassert>
#include <chrono>
#include <optional>
#include <map>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/event_rules.h"
#include "ledger/merkle/hash.h"
#include "ledger/note.h"
#include "ledger/parallel.h"
#include "ledger/subject_owners.h"
#include "ledger/tree_store.h"

namespace evident {

// One caller's Append, from queueing to its result.
struct Appender::Writer {
  std::vector<SignedEvent> events;
  std::vector<const schema::Event*> parsed;  // point into events[i].event
  std::vector<char> verified;                // signature checked before queueing
  bool has_key_events = false;

  std::vector<AppendResult> results;
  Status status;
  size_t failed_index = 0;
  bool done = false;
  std::condition_variable cv;

  Status Fail(size_t index, Status s) {
    failed_index = index;
    if (index < events.size()) {
      s = s.WithContext("event " + std::to_string(index) + " (id " +
                        EventIdHex(EventIdOf(parsed[index])) + ")");
    }
    return s;
  }
};

// What the leader builds for one group: the batch, and the state it would
// leave behind if the batch commits.
struct Appender::Group {
  WriteBatch batch;
  uint64_t next_sequence;
  int64_t recorded_at_micros;
  const KeyRegistry* registry;        // registry_ or *staged
  std::optional<KeyRegistry> staged;  // set once a key event is staged
  struct Pending {
    uint64_t sequence;
    const std::string* event_bytes;
  };
  // EventIndexKey (event id, then principal) -> staged entry; ordered so that
  // every principal's event with one id can be found.
  std::map<std::string, Pending, std::less<>> pending;
  // Rows of the subjects column staged in this group, and what each put
  // replaced, so that a failed writer's rows can be taken back.
  std::map<std::string, std::string> subject_rows;
  std::vector<std::pair<std::string, std::optional<std::string>>> subject_undo;
  std::optional<merkle::CompactRange> range;         // the tree after this group
};

namespace {

int64_t NowMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

Appender::Appender(Storage* storage, uint64_t size, KeyRegistry registry,
                   int64_t last_recorded_at_micros, merkle::CompactRange range,
                   std::optional<CheckpointSigner> signer)
    : storage_(storage),
      size_(size),
      registry_(std::move(registry)),
      last_recorded_at_micros_(last_recorded_at_micros),
      range_(std::move(range)),
      signer_(std::move(signer)),
      verify_pool_(DefaultThreads()) {
  for (const auto& [id, info] : registry_.keys()) known_keys_.emplace(id, info.key);
}

StatusOr<const schema::Event*> Appender::CheckNewEvent(std::string_view bytes) {
  auto event = ParseEvent(bytes);
  if (!event.ok()) return event.status();
  EVIDENT_RETURN_IF_ERROR(CheckEventRules(event.value()));
  return event;
}

Status Appender::PreVerify(Writer* w) {
  const size_t n = w->events.size();
  w->parsed.assign(n, nullptr);
  w->verified.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    auto parsed = CheckNewEvent(w->events[i].event);
    if (!parsed.ok()) {
      w->failed_index = i;
      return parsed.status().WithContext("event " + std::to_string(i));
    }
    w->parsed[i] = parsed.value();
    if (KeyRegistry::IsKeyEvent(w->parsed[i]->body_type())) w->has_key_events = true;
    if (w->events[i].signer_key_id.size() != kKeyIdSize ||
        w->events[i].signature.size() != kEd25519SignatureSize) {
      return w->Fail(i, Status::InvalidArgument("signer key id must be 32 bytes and signature 64"));
    }
  }
  // Keys are looked up once, under the lock; the checks run without it.
  std::vector<std::optional<PublicKey>> keys(n);
  {
    std::shared_lock lock(keys_mu_);
    for (size_t i = 0; i < n; ++i) {
      auto it = known_keys_.find(w->events[i].signer_key_id);
      if (it != known_keys_.end()) keys[i] = it->second;
    }
  }
  std::vector<char> bad(n, 0);
  verify_pool_.ParallelFor(n, [&](size_t i) {
    if (!keys[i]) return;  // unknown here: the leader decides
    w->verified[i] = 1;
    bad[i] = !VerifyEventSignature(*keys[i], w->events[i]);
  });
  for (size_t i = 0; i < n; ++i) {
    if (bad[i]) {
      return w->Fail(i, Status::VerificationFailed("the signature does not verify with key " +
                                                   ShortKeyId(w->events[i].signer_key_id)));
    }
  }
  return Status::OK();
}

StatusOr<std::vector<AppendResult>> Appender::Append(std::vector<SignedEvent> events,
                                                     size_t* failed_index) {
  Writer w;
  w.events = std::move(events);
  auto finish = [&](Status s) -> StatusOr<std::vector<AppendResult>> {
    if (failed_index != nullptr) *failed_index = s.ok() ? 0 : w.failed_index;
    if (!s.ok()) return s;
    return std::move(w.results);
  };
  if (w.events.empty()) return std::vector<AppendResult>{};
  if (w.events.size() > kMaxEventsPerCall) {
    w.failed_index = w.events.size();
    return finish(Status::InvalidArgument("at most " + std::to_string(kMaxEventsPerCall) +
                                          " events per append; got " +
                                          std::to_string(w.events.size())));
  }
  if (Status s = PreVerify(&w); !s.ok()) return finish(s);

  std::unique_lock lock(mu_);
  writers_.push_back(&w);
  while (!w.done && &w != writers_.front()) w.cv.wait(lock);
  if (w.done) return finish(w.status);

  // Leader: take the callers queued behind us, then commit without the lock
  // so that more callers can queue meanwhile.
  std::vector<Writer*> group;
  size_t count = 0;
  for (Writer* x : writers_) {
    if (!group.empty() && count + x->events.size() > kMaxGroupEvents) break;
    group.push_back(x);
    count += x->events.size();
  }
  lock.unlock();
  CommitGroup(group);
  lock.lock();
  for (Writer* x : group) {
    writers_.pop_front();
    x->done = true;
    if (x != &w) x->cv.notify_one();
  }
  if (!writers_.empty()) writers_.front()->cv.notify_one();
  return finish(w.status);
}

void Appender::CommitGroup(const std::vector<Writer*>& group) {
  Group g;
  g.next_sequence = size();
  g.recorded_at_micros = std::max(NowMicros(), last_recorded_at_micros_);
  g.registry = &registry_;

  std::vector<Writer*> staged_writers;
  for (Writer* w : group) {
    // Remember where this writer starts, to drop its part if it fails.
    const uint64_t first_sequence = g.next_sequence;
    const size_t first_put = g.batch.puts().size();
    const size_t first_undo = g.subject_undo.size();
    std::optional<KeyRegistry> registry_before;
    if (w->has_key_events) registry_before = *g.registry;
    const bool had_staged = g.staged.has_value();

    w->status = StageWriter(w, &g);
    if (w->status.ok()) {
      staged_writers.push_back(w);
      continue;
    }
    g.next_sequence = first_sequence;
    g.batch.Truncate(first_put);
    for (auto it = g.pending.begin(); it != g.pending.end();) {
      it = it->second.sequence >= first_sequence ? g.pending.erase(it) : std::next(it);
    }
    while (g.subject_undo.size() > first_undo) {
      auto& [key, before] = g.subject_undo.back();
      if (before) {
        g.subject_rows[key] = std::move(*before);
      } else {
        g.subject_rows.erase(key);
      }
      g.subject_undo.pop_back();
    }
    if (registry_before) {
      if (had_staged) {
        g.staged = std::move(registry_before);
        g.registry = &*g.staged;
      } else {
        g.staged.reset();
        g.registry = &registry_;
      }
    }
  }
  if (g.batch.empty()) return;  // duplicates only, or every writer failed

  Status written = SealGroup(&g);
  if (written.ok()) written = storage_->Write(g.batch);
  if (!written.ok()) {
    for (Writer* w : staged_writers) {
      w->status = written;
      w->failed_index = w->events.size();
      w->results.clear();
    }
    return;
  }
  last_recorded_at_micros_ = g.recorded_at_micros;
  range_ = std::move(*g.range);
  if (g.staged) {
    std::unique_lock registry_lock(registry_mu_);
    registry_ = std::move(*g.staged);
    std::unique_lock keys_lock(keys_mu_);
    for (const auto& [id, info] : registry_.keys()) known_keys_.emplace(id, info.key);
  }
  size_.store(g.next_sequence, std::memory_order_release);
}

// Adds to the batch the Merkle nodes its entries complete and the checkpoint
// for the new size, signed by the ledger key.
Status Appender::SealGroup(Group* g) {
  if (!signer_) {
    return Status::FailedPrecondition(
        "the ledger was opened without its ledger key (keys/ledger.pem), so it cannot sign "
        "checkpoints and cannot append");
  }
  const KeyRegistry::KeyInfo* info = g->registry->Find(signer_->key.public_key().key_id());
  if (info == nullptr || info->role != schema::Role::Ledger || info->revoked_at) {
    return Status::FailedPrecondition(
        "the ledger key given is not an active Ledger key of this log; checkpoints signed with "
        "it would not verify");
  }
  std::vector<std::string> leaves;
  for (const auto& put : g->batch.puts()) {
    if (put.column == Column::kEntries) leaves.push_back(merkle::LeafHash(put.value));
  }
  g->range = range_;
  for (std::string& leaf : leaves) {
    g->range->Append(std::move(leaf), [g](merkle::NodeId id, const std::string& hash) {
      g->batch.Put(Column::kMerkle, MerkleNodeKey(id), hash);
    });
  }
  assert(g->range->size() == g->next_sequence);
  const Checkpoint checkpoint{signer_->origin, g->range->size(), g->range->Root()};
  g->batch.Put(Column::kCheckpoints, EncodeKey64(checkpoint.size),
               SignNote(CheckpointText(checkpoint), signer_->origin, signer_->key));
  return Status::OK();
}

Status Appender::StageWriter(Writer* w, Group* g) {
  w->results.clear();
  w->results.reserve(w->events.size());
  for (size_t i = 0; i < w->events.size(); ++i) {
    Status s = StageEvent(w, i, g);
    if (!s.ok()) return w->Fail(i, s);
  }
  return Status::OK();
}

Status Appender::FindStored(std::string_view event_id, std::string_view principal_id,
                            uint64_t* sequence, std::string* event_bytes) {
  auto indexed = ReadIndexedEntry(storage_, event_id, principal_id);
  if (!indexed.ok()) return indexed.status();
  *sequence = indexed->sequence;
  auto entry = ParseEntry(indexed->bytes);
  if (!entry.ok()) return entry.status();
  *event_bytes = std::string(AsView(entry.value()->event()));
  return Status::OK();
}

// Every earlier event with this id, for the amendment rule: stored, and
// staged in this group.
StatusOr<std::vector<IdHolder>> Appender::HoldersOf(const Group& g, std::string_view event_id) {
  auto holders = StoredHoldersOf(storage_, event_id, size());
  if (!holders.ok()) return holders;
  for (auto it = g.pending.lower_bound(event_id);
       it != g.pending.end() && std::string_view(it->first).substr(0, event_id.size()) == event_id;
       ++it) {
    holders->push_back({it->first.substr(event_id.size()), it->second.sequence});
  }
  return holders;
}

// Key rule 7 (ledger/subject_owners.h): checks who may register the event's
// subject, and stages the subjects rows it changes.
Status Appender::StageSubjectRows(Group* g, std::string_view signer_key_id,
                                  const schema::Event& event, uint64_t sequence,
                                  const std::string& principal) {
  const KeyRegistry::KeyInfo* signer = g->registry->Find(signer_key_id);
  SubjectEvent subject_event;
  subject_event.event = &event;
  subject_event.position = sequence;
  subject_event.principal_id = principal;
  subject_event.admin = signer != nullptr && signer->role == schema::Role::Admin;
  if (const std::string_view target = AmendedEventIdOf(&event); !target.empty()) {
    auto holders = HoldersOf(*g, target);
    if (!holders.ok()) return holders.status();
    auto amended = ResolveAmendedEvent(&event, principal, holders.value());
    if (!amended.ok()) return amended.status();
    if (amended.value()) subject_event.amended_position = amended.value()->position;
  }
  auto rows = ApplySubjectRule(
      subject_event, [&](const std::string& key) -> StatusOr<std::optional<std::string>> {
        if (auto it = g->subject_rows.find(key); it != g->subject_rows.end()) return {it->second};
        std::string value;
        Status s = storage_->Get(Column::kSubjects, key, &value);
        if (s.code() == Status::Code::kNotFound) return std::optional<std::string>();
        if (!s.ok()) return s;
        return std::optional<std::string>(std::move(value));
      });
  if (!rows.ok()) return rows.status();
  for (auto& [key, value] : rows.value()) {
    auto it = g->subject_rows.find(key);
    g->subject_undo.emplace_back(
        key, it == g->subject_rows.end() ? std::nullopt : std::optional<std::string>(it->second));
    g->batch.Put(Column::kSubjects, key, value);
    g->subject_rows[key] = std::move(value);
  }
  return Status::OK();
}

Status Appender::StageEvent(Writer* w, size_t i, Group* g) {
  const SignedEvent& e = w->events[i];
  const schema::Event& event = *w->parsed[i];
  const std::string_view id = EventIdOf(&event);
  // An id names one event of one principal: idempotency looks at the
  // signer's principal's own events only, so no other principal's event can
  // take or block an id, and nothing is learnt of other principals' events.
  // (An unknown key has no principal; Check refuses it below.)
  const std::string principal = g->registry->PrincipalOf(e.signer_key_id, event);
  std::string index_key = EventIndexKey(id, principal);

  // Idempotency: the same id with the same bytes is the event already stored.
  if (auto it = g->pending.find(index_key); !principal.empty() && it != g->pending.end()) {
    if (*it->second.event_bytes != e.event) {
      return Status::Conflict(
          "the same event id appears earlier in this append with different bytes");
    }
    w->results.push_back({it->second.sequence, true});
    return Status::OK();
  }
  uint64_t stored_sequence = 0;
  std::string stored_bytes;
  Status found = principal.empty() ? Status::NotFound("")
                                   : FindStored(id, principal, &stored_sequence, &stored_bytes);
  if (found.ok()) {
    if (stored_bytes != e.event) {
      return Status::Conflict("this event id was appended at position " +
                              std::to_string(stored_sequence) +
                              " with different bytes; to change it, append a RecordCorrected "
                              "event that names it");
    }
    if (!w->verified[i]) {
      const KeyRegistry::KeyInfo* signer = g->registry->Find(e.signer_key_id);
      if (signer == nullptr || !VerifyEventSignature(signer->key, e)) {
        return Status::VerificationFailed("the signature does not verify with a registered key");
      }
    }
    w->results.push_back({stored_sequence, true});
    return Status::OK();
  }
  if (found.code() != Status::Code::kNotFound) return found;

  const uint64_t sequence = g->next_sequence;
  auto key = g->registry->Check(e.signer_key_id, event, sequence);
  if (!key.ok()) return key.status();
  EVIDENT_RETURN_IF_ERROR(g->registry->CheckAmendment(
      e.signer_key_id, event, [&](std::string_view target) { return HoldersOf(*g, target); }));
  if (!w->verified[i] && !VerifyEventSignature(key.value(), e)) {
    return Status::VerificationFailed("the signature does not verify with key " +
                                      ShortKeyId(e.signer_key_id));
  }
  EVIDENT_RETURN_IF_ERROR(StageSubjectRows(g, e.signer_key_id, event, sequence, principal));
  if (KeyRegistry::IsKeyEvent(event.body_type())) {
    if (!g->staged) {
      g->staged = *g->registry;
      g->registry = &*g->staged;
    }
    g->staged->Apply(event, sequence);
    g->batch.Put(Column::kKeyEvents, EncodeKey64(sequence), "");
  }
  g->batch.Put(Column::kEntries, EncodeKey64(sequence),
               BuildEntry(sequence, g->recorded_at_micros, e));
  g->batch.Put(Column::kEventIds, index_key, EncodeKey64(sequence));
  g->pending.emplace(std::move(index_key), Group::Pending{sequence, &e.event});
  w->results.push_back({sequence, false});
  g->next_sequence = sequence + 1;
  return Status::OK();
}

Status Appender::CheckSigner(std::string_view signer_key_id, const schema::Event& event) {
  std::shared_lock lock(registry_mu_);
  return registry_.CheckSigner(signer_key_id, event, size());
}

std::optional<KeyRegistry::KeyInfo> Appender::FindKey(std::string_view key_id) {
  std::shared_lock lock(registry_mu_);
  const KeyRegistry::KeyInfo* info = registry_.Find(key_id);
  if (info == nullptr) return std::nullopt;
  return *info;
}

}  // namespace evident
