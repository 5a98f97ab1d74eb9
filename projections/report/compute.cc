#include "projections/report/compute.h"

#include <set>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/tree_store.h"
#include "projections/aggregate.h"
#include "projections/report/board.h"
#include "projections/store.h"

namespace evident::projections::report {

StatusOr<Json> SummaryOf(const Projector& projector, const LogContext& log,
                         const BoardRequest& request) {
  const int32_t day = request.as_of_day == kNoDay ? projector.last_day() : request.as_of_day;
  if (day == kNoDay) {
    return Status::InvalidArgument("the log has no dated events to report on");
  }
  const Figures f = ComputeFigures(projector.state(), day);
  std::set<int32_t> years;
  for (const PersonProgram& p : f.pairs) {
    for (int32_t y : YearsOf(p)) years.insert(y);
  }
  if (!years.count(request.fiscal_year)) {
    std::string list;
    for (int32_t y : years) list += (list.empty() ? "" : ", ") + std::to_string(y);
    return Status::InvalidArgument(
        "nothing is recorded for fiscal year " + std::to_string(request.fiscal_year) +
        (list.empty() ? std::string(" (the log records no spending or hours yet)")
                      : " (fiscal years with records: " + list + ")"));
  }
  return BuildBoardSummary(projector.state(), f, log, request.fiscal_year);
}

StatusOr<Json> BoardSummaryFromLedger(Ledger* ledger, const BoardRequest& request) {
  const uint64_t size = request.tree_size;
  if (size > ledger->size()) {
    return Status::InvalidArgument("tree size " + std::to_string(size) +
                                   " is past the end of the log (" +
                                   std::to_string(ledger->size()) + " entries)");
  }
  auto note = ledger->CheckpointNote(size);
  if (!note.ok()) {
    if (note.status().code() != Status::Code::kNotFound) return note.status();
    auto next = ledger->CheckpointSizes(size, 1);
    std::string hint;
    if (next.ok() && !next.value().empty()) {
      hint = "; the next size with one is " + std::to_string(next.value()[0]);
    }
    return Status::InvalidArgument("no signed checkpoint is stored at tree size " +
                                   std::to_string(size) + hint +
                                   " (a report must carry the checkpoint it was computed from)");
  }
  LogContext log = LogContextAt(ledger, size);
  if (request.checkpoint_note.empty()) {
    auto cosigned = ledger->CosignedCheckpointNote(size);
    if (!cosigned.ok()) return cosigned.status();
    log.checkpoint = cosigned.value();
  } else {
    auto verifier = ledger->CheckpointVerifier();
    if (!verifier.ok()) return verifier.status();
    auto stated = OpenCheckpoint(request.checkpoint_note, verifier.value());
    if (!stated.ok()) return stated.status().WithContext("the report's checkpoint");
    if (stated->size != size || HexEncode(stated->root) != log.root_hash_hex) {
      return Status::VerificationFailed(
          "the report's checkpoint does not sign this ledger's tree at size " +
          std::to_string(size));
    }
    log.checkpoint = request.checkpoint_note;
  }
  log.root_at = [ledger](uint64_t n) -> StatusOr<std::string> {
    auto range = LoadCompactRange(ledger->storage(), n);
    if (!range.ok()) return range.status();
    return range.value().Root();
  };
  LedgerSource source(ledger);
  Projector projector(&source);
  EVIDENT_RETURN_IF_ERROR(FoldLedger(ledger, 0, size, &projector));
  return SummaryOf(projector, log, request);
}

StatusOr<BoardRequest> RequestOf(const Json& summary) {
  auto field = [&](const Json& object, const char* key) -> const Json* {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  };
  if (!summary.is_object()) return Status::InvalidArgument("summary.json is not a JSON object");
  BoardRequest r;
  const Json* fy = field(summary, "fiscal_year");
  if (fy == nullptr || !fy->is_number_integer()) {
    return Status::InvalidArgument("summary.json has no integer \"fiscal_year\"");
  }
  r.fiscal_year = fy->get<int32_t>();
  const Json* log = field(summary, "log");
  const Json* size = log != nullptr && log->is_object() ? field(*log, "tree_size") : nullptr;
  if (size == nullptr || !size->is_number_unsigned()) {
    return Status::InvalidArgument("summary.json has no \"log\".\"tree_size\"");
  }
  r.tree_size = size->get<uint64_t>();
  const Json* date = field(summary, "as_of_date");
  if (date == nullptr || !date->is_string() || DayOf(date->get<std::string>()) == kNoDay) {
    return Status::InvalidArgument("summary.json has no \"as_of_date\" (YYYY-MM-DD)");
  }
  r.as_of_day = DayOf(date->get<std::string>());
  return r;
}

}  // namespace evident::projections::report
