#include "ledger/backup.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "ledger/file_util.h"

namespace evident {
namespace {

namespace fs = std::filesystem;

std::string NowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The size and newest checkpoint of the ledger in `dir`, opened read-only.
StatusOr<BackupInfo> Describe(const std::string& dir) {
  auto ledger = Ledger::Open(dir, OpenMode::kReadOnly);
  if (!ledger.ok()) return ledger.status();
  BackupInfo info{ledger.value()->origin(), ledger.value()->size(), ""};
  if (info.tree_size > 0) {
    auto note = ledger.value()->LatestCheckpointNote();
    if (!note.ok()) return note.status();
    info.checkpoint = note.value();
  }
  return info;
}

Status CopyTree(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::copy(from, to, fs::copy_options::recursive, ec);
  if (ec) return Status::IOError("cannot copy " + from + " to " + to + ": " + ec.message());
  return Status::OK();
}

}  // namespace

StatusOr<BackupInfo> BackupLedger(Ledger* ledger, const std::string& dir,
                                  const std::function<Status(const std::string&)>& also) {
  if (ledger->dir().empty()) return Status::FailedPrecondition("this ledger has no directory");
  std::error_code ec;
  if (fs::exists(dir, ec)) return Status::Conflict(dir + " exists; a backup goes to a new directory");
  // A backup holds the ledger's private keys: its folder is the owner's alone.
  EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(dir));
  auto fail = [&](const Status& s) -> StatusOr<BackupInfo> {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return s;
  };
  if (Status s = ledger->storage()->Snapshot(Ledger::DatabasePath(dir)); !s.ok()) return fail(s);
  const std::string keys = ledger->dir() + "/keys";
  if (fs::exists(keys, ec)) {
    if (Status s = CopyTree(keys, dir + "/keys"); !s.ok()) return fail(s);
  }
  if (also) {
    if (Status s = also(dir); !s.ok()) return fail(s);
  }
  auto info = Describe(dir);
  if (!info.ok()) return fail(info.status().WithContext("reading the backup back"));
  nlohmann::ordered_json manifest = {{"format", std::string(kBackupFormat)},
                                     {"origin", info->origin},
                                     {"tree_size", info->tree_size},
                                     {"checkpoint", info->checkpoint},
                                     {"created_at", NowUtc()}};
  if (Status s = WriteFile(dir + "/backup.json", manifest.dump(2) + "\n"); !s.ok()) return fail(s);
  return info;
}

StatusOr<BackupInfo> ReadBackup(const std::string& dir) {
  auto text = ReadFile(dir + "/backup.json", "backup record");
  if (!text.ok()) return text.status();
  nlohmann::json manifest = nlohmann::json::parse(text.value(), nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object() ||
      manifest.value("format", "") != kBackupFormat || !manifest["tree_size"].is_number_unsigned() ||
      !manifest["checkpoint"].is_string()) {
    return Status::InvalidArgument(dir + "/backup.json is not an Evident backup record (" +
                                   std::string(kBackupFormat) + ")");
  }
  auto info = Describe(dir);
  if (!info.ok()) return info.status();
  if (info->tree_size != manifest["tree_size"].get<uint64_t>() ||
      info->checkpoint != manifest["checkpoint"].get<std::string>()) {
    return Status::VerificationFailed(
        "the backup's database does not match its record: it holds " +
        std::to_string(info->tree_size) + " entries, backup.json says " +
        std::to_string(manifest["tree_size"].get<uint64_t>()) + " (or the checkpoints differ)");
  }
  return info;
}

StatusOr<BackupInfo> RestoreLedger(const std::string& backup_dir, const std::string& ledger_dir,
                                   VerifyReport* report) {
  auto info = ReadBackup(backup_dir);
  if (!info.ok()) return info.status();
  std::error_code ec;
  if (fs::exists(ledger_dir, ec) && !fs::is_empty(ledger_dir, ec)) {
    return Status::Conflict(ledger_dir + " is not empty; restore into a new directory");
  }
  EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(ledger_dir));
  EVIDENT_RETURN_IF_ERROR(CopyTree(backup_dir + "/db", Ledger::DatabasePath(ledger_dir)));
  if (fs::exists(backup_dir + "/keys", ec)) {
    EVIDENT_RETURN_IF_ERROR(CopyTree(backup_dir + "/keys", ledger_dir + "/keys"));
  }
  // Opening read-write once recovers the copied write-ahead log and syncs
  // it into the database, as a restart after a crash would.
  {
    auto ledger = Ledger::Open(ledger_dir, OpenMode::kReadWrite);
    if (!ledger.ok()) return ledger.status().WithContext("opening the restored ledger");
    auto verified = VerifyLog(ledger.value()->storage());
    if (!verified.ok()) return verified.status();
    *report = verified.value();
  }
  if (!report->ok()) {
    return Status::VerificationFailed("the restored ledger in " + ledger_dir +
                                      " does not verify; it is left there for inspection");
  }
  auto restored = Describe(ledger_dir);
  if (!restored.ok()) return restored.status();
  if (restored->tree_size != info->tree_size || restored->checkpoint != info->checkpoint) {
    return Status::VerificationFailed("the restored ledger's newest checkpoint is not the "
                                      "backup's; it is left in " + ledger_dir + " for inspection");
  }
  return restored;
}

}  // namespace evident
