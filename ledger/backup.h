#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ledger/ledger.h"
#include "ledger/status.h"
#include "ledger/verify.h"

// Backups of a ledger, taken while it is appended to, and their restore.
//
// A backup is a directory laid out as a ledger is (docs/operations.md):
//   db/          a consistent RocksDB checkpoint of the whole log
//   keys/        a copy of the ledger's keys/ (the ledger key that signs
//                checkpoints; keep the backup as safe as the ledger)
//   backup.json  {"format": "evident-backup/1", "origin", "tree_size",
//                 "checkpoint": the newest signed checkpoint in db/, "created_at"}
//   directory/   when the ledger has one, a copy of its directory of people
//                (projections/directory), which the caller writes (`also`)
// so `evident verify --ledger BACKUP` checks one in place.
namespace evident {

constexpr std::string_view kBackupFormat = "evident-backup/1";

struct BackupInfo {
  std::string origin;
  uint64_t tree_size = 0;
  std::string checkpoint;  // the signed note at tree_size
};

// Backs up `ledger` (opened read-write, from a directory) into `dir`, which
// must not exist. Appends go on meanwhile; the backup holds every entry
// committed before some instant during the call, and that instant's
// checkpoint. Conflict if `dir` exists; IOError if writing fails (a partial
// backup directory is removed). `also`, when given, is called with `dir`
// after the log and keys are in it, to add what lives beside the log and
// that ledger/ does not know (the directory of people); its error fails the
// backup in the same way.
StatusOr<BackupInfo> BackupLedger(Ledger* ledger, const std::string& dir,
                                  const std::function<Status(const std::string&)>& also = nullptr);

// Reads and checks a backup's backup.json against its db/: the tree size
// and the newest checkpoint must be the ones recorded.
StatusOr<BackupInfo> ReadBackup(const std::string& dir);

// Restores the backup in `backup_dir` as the ledger in `ledger_dir`, which
// must not exist or be empty: copies it, then verifies the restored ledger
// in full (`*report`) and checks its newest checkpoint against the
// backup's record. VerificationFailed if either check fails (the restored
// copy is left for inspection, and says so).
StatusOr<BackupInfo> RestoreLedger(const std::string& backup_dir, const std::string& ledger_dir,
                                   VerifyReport* report);

}  // namespace evident
