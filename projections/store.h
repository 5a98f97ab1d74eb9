#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "projections/projector.h"
#include "projections/views.h"

namespace rocksdb {
class DB;
}

// The projection store: the fold state and the rendered views, persisted in
// a RocksDB database of their own beside the log (LEDGER/projections), with
// the log position they have reached. Nothing in it is needed to verify the
// log, and all of it can be rebuilt from the log (docs/format.md, "Projection
// store").
//
// The state lives under a generation number. Update() advances the live
// generation incrementally; Rebuild() folds the whole log into a new
// generation beside the live one, and swaps it in, in one write, only when
// it has caught up. Every commit is one synced RocksDB WriteBatch holding the
// changed state rows, the new position and the re-rendered views, so a crash
// leaves the store at the old position or the new one, never between.
//
// Not thread-safe; RocksDB's lock lets one process open a store at a time.
namespace evident::projections {

// What a store holds at its live generation.
struct StoreStatus {
  uint64_t generation = 0;
  uint64_t position = 0;     // entries folded in; the tree size the views are of
  std::string as_of;         // the reporting date (recorded date of the last entry)
  std::string state_digest;  // hex; equal for equal states
  std::vector<std::pair<std::string, std::string>> view_digests;  // name, hex
  std::vector<std::pair<std::string, uint64_t>> view_rows;        // name, count
  std::string root_hash;  // hex, of the checkpoint at `position`
};

// What Update or Rebuild did.
struct UpdateReport {
  uint64_t from = 0, to = 0;  // entries [from, to) folded
  double fold_seconds = 0, commit_seconds = 0;
};

class ProjectionStore {
 public:
  static std::string PathFor(const std::string& ledger_dir) { return ledger_dir + "/projections"; }

  // Opens (creating if need be) the store at `path`. IOError if RocksDB
  // cannot open it (another process has it open, a full disk); Corruption if
  // it holds something else.
  static StatusOr<std::unique_ptr<ProjectionStore>> Open(const std::string& path);
  ~ProjectionStore();

  // Folds the entries the live generation has not seen, [position, size),
  // and commits. Corruption if an entry is unreadable (nothing is written);
  // FailedPrecondition if the store was built from another log.
  Status Update(Ledger* ledger, UpdateReport* report);
  // Folds the whole log into a new generation, then makes it the live one
  // and drops the old. The live generation serves reads until the swap.
  Status Rebuild(Ledger* ledger, UpdateReport* report);

  // NotFound before the first Update or Rebuild.
  StatusOr<StoreStatus> GetStatus();
  // The live generation's rows of `view`, in key order.
  StatusOr<std::vector<ViewRow>> ReadView(const std::string& view);
  // The live generation's state, loaded into a projector for `source`.
  StatusOr<std::unique_ptr<Projector>> LoadProjector(EntrySource* source);

 private:
  explicit ProjectionStore(std::unique_ptr<rocksdb::DB> db);
  StatusOr<uint64_t> LiveGeneration();
  // FailedPrecondition unless the live state's position and root are the
  // log's: a store copied from, or left by, another ledger is not trusted.
  Status CheckSameLog(uint64_t generation, Ledger* ledger);
  Status Commit(uint64_t generation, Projector* projector, Ledger* ledger, bool swap_in,
                uint64_t old_generation);

  std::unique_ptr<rocksdb::DB> db_;
  // The live generation's projector, once loaded by Update or made by
  // Rebuild, reading earlier entries through source_ from bound_.
  Ledger* bound_ = nullptr;
  std::unique_ptr<LedgerSource> source_;
  std::unique_ptr<Projector> live_;
};

// Folds [0, size) of `ledger` into a fresh projector, in memory: the state
// as of a past checkpoint. Uses two threads: one reads, one folds.
Status FoldLedger(Ledger* ledger, uint64_t from, uint64_t to, Projector* projector);

// What the views say about the log at `size`: the checkpoint there and
// whether its signature verifies against the ledger's key.
LogContext LogContextAt(Ledger* ledger, uint64_t size);

// Renders every view of `projector`'s state (as of its last day, or
// `as_of_day` when given), the views in parallel.
std::vector<std::pair<std::string, std::vector<ViewRow>>> RenderAll(const Projector& projector,
                                                                    const LogContext& log,
                                                                    int32_t as_of_day = kNoDay);
// The same, as stored: each view's rows as text, and its digest.
struct RenderedView {
  std::string name;
  ViewText rows;
  std::string digest;
};
std::vector<RenderedView> RenderAllText(const Projector& projector, const LogContext& log);

}  // namespace evident::projections
