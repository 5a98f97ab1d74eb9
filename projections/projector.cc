#include "projections/projector.h"

#include <algorithm>
#include <vector>

#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/sha256.h"

namespace evident::projections {
namespace {

using schema::Body;

struct Parsed {
  const schema::Entry* entry = nullptr;
  const schema::Event* event = nullptr;
};

StatusOr<Parsed> ParseStored(std::string_view bytes, uint64_t position) {
  auto entry = ParseEntry(bytes);
  if (!entry.ok()) return entry.status().WithContext("entry " + std::to_string(position));
  auto event = ParseEvent(AsView(entry.value()->event()));
  if (!event.ok()) {
    return Status::Corruption("entry " + std::to_string(position) + " holds an unreadable event: " +
                              event.status().message() + "; run 'evident verify'");
  }
  return Parsed{entry.value(), event.value()};
}

bool IsGovernance(Body type) {
  return type == Body::RecordCorrected || type == Body::RecordVoided ||
         type == Body::KeyRegistered || type == Body::KeyRevoked || type == Body::AuditAttested;
}

}  // namespace

StatusOr<std::string> LedgerSource::ReadEntry(uint64_t position) {
  return ledger_->ReadEntry(position);
}

StatusOr<std::vector<IdHolder>> LedgerSource::FindHolders(std::string_view event_id,
                                                          uint64_t before) {
  return StoredHoldersOf(ledger_->storage(), event_id, before);
}

Status Projector::Apply(uint64_t position, std::string_view bytes) {
  if (position != position_) {
    return Status::InvalidArgument("projector expected entry " + std::to_string(position_) +
                                   ", got " + std::to_string(position));
  }
  auto parsed = ParseStored(bytes, position);
  if (!parsed.ok()) return parsed.status();
  const schema::Entry* entry = parsed.value().entry;
  EVIDENT_RETURN_IF_ERROR(ApplyEvent(parsed.value().event, AsView(entry->signer_key_id())));
  position_ = position + 1;
  last_day_ = DayOfMicros(entry->recorded_at_micros());
  return Status::OK();
}

void Projector::Skip(const std::string& reason) { state_.counter.Mutable(reason).Add(1, 0, +1); }

Status Projector::ApplyEvent(const schema::Event* event, std::string_view signer) {
  switch (event->body_type()) {
    case Body::KeyRegistered: {
      auto* b = event->body_as_KeyRegistered();
      Principal& p = state_.principal.Mutable(Sha256(AsView(b->public_key())));
      p = Principal{b->principal_id()->str(), static_cast<int32_t>(b->role())};
      return Status::OK();
    }
    case Body::RecordCorrected:
    case Body::RecordVoided:
      return ApplyAmendment(event, signer);
    default:
      break;
  }
  auto fact = UpcastFact(event, position_);
  if (!fact.ok()) {
    Skip("schema version not understood");
    return Status::OK();
  }
  state_.Apply(fact.value(), +1);
  return Status::OK();
}

Status Projector::LoadInForce(uint64_t original_pos, const AmendedState* amended,
                              std::vector<std::string>* storage, Fact* fact) {
  // Parses the entry at `pos`, keeping its bytes alive in `storage`.
  auto load = [&](uint64_t pos) -> StatusOr<const schema::Event*> {
    auto bytes = source_->ReadEntry(pos);
    if (!bytes.ok()) return bytes.status();
    storage->push_back(std::move(bytes.value()));
    auto parsed = ParseStored(storage->back(), pos);
    if (!parsed.ok()) return parsed.status();
    return parsed.value().event;
  };
  storage->reserve(3);  // pointers into earlier strings must stay valid
  auto original = load(original_pos);
  if (!original.ok()) return original.status();
  auto in_force = UpcastFact(original.value(), original_pos);
  if (!in_force.ok()) return in_force.status();
  *fact = in_force.value();
  if (amended == nullptr || !amended->corrected()) return Status::OK();
  auto correction = load(amended->corrections.back());
  if (!correction.ok()) return correction.status();
  auto* body = correction.value()->body_as_RecordCorrected();
  if (body == nullptr) return Status::Corruption("amendment state names a non-correction");
  fact->type = body->body_type();
  fact->body = body->body();
  if (!amended->with_subject.empty()) {
    auto subject = load(amended->with_subject.back());
    if (!subject.ok()) return subject.status();
    auto* with_subject = subject.value()->body_as_RecordCorrected();
    if (with_subject == nullptr || with_subject->subject() == nullptr) {
      return Status::Corruption("amendment state names a correction without a subject");
    }
    fact->subject = with_subject->subject();
  }
  return Status::OK();
}

Status Projector::ApplyAmendment(const schema::Event* event, std::string_view signer) {
  const bool voiding = event->body_type() == Body::RecordVoided;
  const schema::RecordCorrected* correction = event->body_as_RecordCorrected();
  const schema::RecordVoided* voided = event->body_as_RecordVoided();
  const std::string target(AmendedEventIdOf(event));

  Amendment record;
  record.event_id = std::string(EventIdOf(event));
  record.target = target;
  record.voided = voiding;
  record.reason = (voiding ? voided->reason_code() : correction->reason_code())->str();
  const Principal* who = state_.principal.Find(signer);
  record.signer = who != nullptr ? who->principal : HexEncode(signer);
  record.day = DayOf(event->occurred_at());
  auto finish = [&](std::string outcome) {
    record.outcome = std::move(outcome);
    state_.amendment.Mutable(PositionKey(position_)) = std::move(record);
    return Status::OK();
  };

  auto holders = source_->FindHolders(target, position_);
  if (!holders.ok()) return holders.status();
  auto resolved = ResolveAmendedEvent(event, who != nullptr ? who->principal : "", holders.value());
  if (!resolved.ok()) return finish("not applied: " + resolved.status().message());
  if (!resolved.value()) return finish("not applied: no earlier event has this id");
  const uint64_t found = resolved.value()->position;
  record.amended_position = static_cast<int64_t>(found);
  const std::string amended_key = PositionKey(found);
  const AmendedState* amended = state_.amended.Find(amended_key);
  if (amended != nullptr && amended->voided) return finish("not applied: the event was voided");

  std::vector<std::string> storage;
  Fact old_fact;
  Status s = LoadInForce(found, amended, &storage, &old_fact);
  if (s.code() == Status::Code::kInvalidArgument) {  // the event's meaning is not understood
    return finish("not applied: " + s.message());
  }
  if (!s.ok()) return s;
  if (voiding && old_fact.type == Body::RecordCorrected) {
    auto outcome = WithdrawCorrection(found);
    if (!outcome.ok()) return outcome.status();
    return finish(std::move(outcome.value()));
  }
  if (IsGovernance(old_fact.type)) {
    return finish(old_fact.type == Body::RecordCorrected
                      ? "not applied: a correction is not corrected; correct the event it "
                        "corrected again, or void the correction"
                      : "not applied: governance events are not amended; register or revoke keys");
  }
  if (!voiding && correction->body_type() != old_fact.type) {
    return finish(std::string("not applied: the correction's body is ") +
                  schema::EnumNameBody(correction->body_type()) + ", the event's is " +
                  schema::EnumNameBody(old_fact.type));
  }
  state_.Apply(old_fact, -1);
  AmendedState next = amended != nullptr ? *amended : AmendedState{};
  if (voiding) {
    next.voided = true;
  } else {
    Fact new_fact = old_fact;
    new_fact.body = correction->body();
    if (correction->subject() != nullptr) new_fact.subject = correction->subject();
    state_.Apply(new_fact, +1);
    next.corrections.push_back(position_);
    if (correction->subject() != nullptr) next.with_subject.push_back(position_);
  }
  state_.amended.Mutable(amended_key) = next;
  return finish("applied");
}

StatusOr<std::string> Projector::WithdrawCorrection(uint64_t correction_pos) {
  const Amendment* applied = state_.amendment.Find(PositionKey(correction_pos));
  if (applied == nullptr || applied->outcome != "applied" || applied->voided) {
    return std::string("not applied: the correction it names was not applied");
  }
  const std::string event_key = PositionKey(static_cast<uint64_t>(applied->amended_position));
  const AmendedState* amended = state_.amended.Find(event_key);
  if (amended == nullptr || amended->voided ||
      std::find(amended->corrections.begin(), amended->corrections.end(), correction_pos) ==
          amended->corrections.end()) {
    return std::string("not applied: the event it corrected was voided");
  }
  std::vector<std::string> storage_before, storage_after;  // the facts point into these
  Fact before;
  EVIDENT_RETURN_IF_ERROR(LoadInForce(static_cast<uint64_t>(applied->amended_position), amended,
                                      &storage_before, &before));
  AmendedState next = *amended;
  std::erase(next.corrections, correction_pos);
  std::erase(next.with_subject, correction_pos);
  Fact after;
  EVIDENT_RETURN_IF_ERROR(LoadInForce(static_cast<uint64_t>(applied->amended_position), &next,
                                      &storage_after, &after));
  state_.Apply(before, -1);
  state_.Apply(after, +1);
  state_.amended.Mutable(event_key) = std::move(next);
  // The correction itself now stands voided: it cannot be withdrawn twice.
  state_.amended.Mutable(PositionKey(correction_pos)).voided = true;
  return std::string("applied");
}

}  // namespace evident::projections
