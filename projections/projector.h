#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "projections/state.h"

// The Projector folds log entries, in order, into a FactState.
//
// Ordinary events are applied as they are. A RecordCorrected takes back the
// body in force of the event it names and applies its own body in that
// event's place (same id, same position); a RecordVoided takes it back for
// good. An amendment that cannot apply (no earlier event with that id, the
// event already voided, a governance event as target, a correction whose
// body type differs from the original's, an event whose schema version is
// not understood) changes nothing but is listed with the reason, so auditors
// see it. Corrections and voids keep the subject in
// force unless the correction gives one.
//
// Not thread-safe. The EntrySource must outlive the Projector.
namespace evident::projections {

// Read access to earlier entries, for amendments.
class EntrySource {
 public:
  virtual ~EntrySource() = default;
  // The stored entry bytes at `position`.
  virtual StatusOr<std::string> ReadEntry(uint64_t position) = 0;
  // Every event with this 16-byte id before `before`, one per principal.
  virtual StatusOr<std::vector<IdHolder>> FindHolders(std::string_view event_id,
                                                      uint64_t before) = 0;
};

// An EntrySource over a ledger, which must outlive it.
class LedgerSource : public EntrySource {
 public:
  explicit LedgerSource(Ledger* ledger) : ledger_(ledger) {}
  StatusOr<std::string> ReadEntry(uint64_t position) override;
  StatusOr<std::vector<IdHolder>> FindHolders(std::string_view event_id, uint64_t before) override;

 private:
  Ledger* ledger_;
};

class Projector {
 public:
  explicit Projector(EntrySource* source) : source_(source) {}
  Projector(const Projector&) = delete;
  Projector& operator=(const Projector&) = delete;

  // Applies the entry at `position`, which must equal position(); `entry`
  // must be 8-byte aligned (a std::string's buffer is). Corruption if the
  // bytes are not a well-formed entry (run `evident verify`); the state is
  // then unchanged.
  Status Apply(uint64_t position, std::string_view entry);

  // The next position to apply: every entry before it has been applied.
  uint64_t position() const { return position_; }
  // The recorded date of the last entry applied (days since 1970), or kNoDay.
  int32_t last_day() const { return last_day_; }
  // After loading a saved state.
  void Resume(uint64_t position, int32_t last_day) {
    position_ = position;
    last_day_ = last_day;
  }

  FactState& state() { return state_; }
  const FactState& state() const { return state_; }

 private:
  Status ApplyEvent(const schema::Event* event, std::string_view signer);
  Status ApplyAmendment(const schema::Event* event, std::string_view signer);
  // A void of the applied correction at `correction_pos`: the event it
  // corrected reads as before it (its original, or the correction before).
  // The amendment's outcome ("applied", or why not), or an error reading
  // the log.
  StatusOr<std::string> WithdrawCorrection(uint64_t correction_pos);
  // The fact in force for the event with id `target` found at `original_pos`.
  // Entry bytes it reads are kept in `storage`, which `fact` points into.
  Status LoadInForce(uint64_t original_pos, const AmendedState* amended,
                     std::vector<std::string>* storage, Fact* fact);
  void Skip(const std::string& reason);

  EntrySource* source_;
  FactState state_;
  uint64_t position_ = 0;
  int32_t last_day_ = kNoDay;
};

}  // namespace evident::projections
