// evident backup and evident restore (ledger/backup.h; docs/operations.md).

#include <filesystem>
#include <iostream>

#include "ledger/backup.h"
#include "ledger/file_util.h"
#include "projections/directory/directory.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"

namespace evident::cli {
namespace {

void PrintBackup(const char* verb, const std::string& dir, uint64_t size, const std::string& note) {
  std::cout << verb << " " << dir << ": " << size << " entries";
  const size_t root = note.find('\n', note.find('\n') + 1);  // the note's third line: the root
  if (root != std::string::npos) {
    const size_t end = note.find('\n', root + 1);
    std::cout << ", root " << note.substr(root + 1, end - root - 1);
  }
  std::cout << "\n";
}

using projections::directory::Directory;

// Copies the ledger's directory of people, when it has one, into the backup
// at `dir` as `dir`/directory: a RocksDB checkpoint, as of this moment.
Status BackupDirectory(const std::string& ledger_dir, const std::string& dir) {
  const std::string path = Directory::PathFor(ledger_dir);
  if (!std::filesystem::exists(path)) return Status::OK();
  auto directory = Directory::Open(path, /*create=*/false);
  if (!directory.ok()) return directory.status().WithContext("backing up the directory");
  return directory.value()->Checkpoint(Directory::PathFor(dir));
}

// Puts a backup's directory of people, when it holds one, back beside the
// restored log; its folder is the owner's alone, as the original was.
Status RestoreDirectory(const std::string& backup_dir, const std::string& ledger_dir) {
  const std::string from = Directory::PathFor(backup_dir);
  if (!std::filesystem::exists(from)) return Status::OK();
  const std::string to = Directory::PathFor(ledger_dir);
  EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(to));
  std::error_code ec;
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive, ec);
  if (ec) return Status::IOError("cannot copy " + from + " to " + to + ": " + ec.message());
  return Status::OK();
}

int RunBackup(const Flags& flags) {
  if (flags.positional().size() != 1) return Fail("backup", "give the backup's directory");
  const std::string dir = std::filesystem::absolute(flags.positional()[0]).lexically_normal();
  if (flags.Has("server")) {
    auto client = ConnectServerFlag(flags);
    if (!client.ok()) return Fail("backup", client.status());
    auto reply = client.value()->Backup(dir);
    if (!reply.ok()) return Fail("backup", reply.status());
    PrintBackup("backed up", dir, reply->first, reply->second);
    return 0;
  }
  auto ledger = OpenLedgerFlag(flags, OpenMode::kReadWrite);
  if (!ledger.ok()) {
    return Fail("backup", ledger.status().message() +
                              " (if `evident serve` has it open, back up through it: --server)");
  }
  const std::string ledger_dir = ledger.value()->dir();
  auto info = BackupLedger(ledger.value().get(), dir, [&](const std::string& backup_dir) {
    return BackupDirectory(ledger_dir, backup_dir);
  });
  if (!info.ok()) return Fail("backup", info.status());
  PrintBackup("backed up", dir, info->tree_size, info->checkpoint);
  if (std::filesystem::exists(Directory::PathFor(dir))) {
    std::cout << "with the directory of people (names: keep the backup as safe as the ledger)\n";
  }
  return 0;
}

int RunRestore(const Flags& flags) {
  if (flags.positional().size() != 1) return Fail("restore", "give the backup's directory");
  auto ledger_dir = flags.Require("ledger");
  if (!ledger_dir.ok()) return Fail("restore", ledger_dir.status());
  VerifyReport report;
  auto info = RestoreLedger(flags.positional()[0], ledger_dir.value(), &report);
  std::cout << VerifySummary(report) << "\n";
  if (!info.ok()) return Fail("restore", info.status());
  if (Status s = RestoreDirectory(flags.positional()[0], ledger_dir.value()); !s.ok()) {
    return Fail("restore", s.WithContext("restoring the directory of people"));
  }
  PrintBackup("restored", ledger_dir.value(), info->tree_size, info->checkpoint);
  return 0;
}

}  // namespace

const Command kBackupCommand = {
    "backup",
    "write a consistent backup of the ledger, even while it is served",
    "usage: evident backup DIR --server HOST:PORT --trust CERT --key ADMIN.pem\n"
    "       evident backup DIR --ledger LEDGER\n\n"
    "Writes a backup into DIR, which must not exist: a consistent RocksDB checkpoint\n"
    "of the whole log (appends go on meanwhile), a copy of the ledger's keys/, and\n"
    "backup.json with the tree size and the signed checkpoint it holds, and, with\n"
    "--ledger, a copy of the directory of people when the ledger has one. Through\n"
    "--server the running server writes it (DIR is on the server's machine; admin\n"
    "keys only); with --ledger the ledger must not be open in another process.\n"
    "`evident verify --ledger DIR` checks a backup in place.\n",
    {{{"ledger", "DIR", "the ledger, when no server has it open"},
      {"server", "HOST:PORT", "have `evident serve` write the backup"},
      {"trust", "CERT", "with --server: the server's TLS certificate"},
      {"key", "FILE", "with --server: an admin's private key (PEM) to log in with"},
      {"plaintext", "", "with --server: no TLS, for a server on loopback started so"}}},
    RunBackup};

const Command kRestoreCommand = {
    "restore",
    "restore a backup as a ledger, and verify it",
    "usage: evident restore BACKUP --ledger DIR\n "
    "Copies the backup into DIR (new or empty), opens it, verifies every entry, "
    "signature, Merkle node, checkpoint and index, and checks that its newest "
    "checkpoint is the one the backup recorded; a backup's directory of people is "
    "copied back beside it. Serve DIR afterwards as any ledger.\n",
    {{{"ledger", "DIR", "where the restored ledger goes (new or empty)"}}},
    RunRestore};

}  // namespace evident::cli
