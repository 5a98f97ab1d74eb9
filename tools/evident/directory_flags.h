#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ledger/status.h"
#include "projections/directory/directory.h"
#include "tools/evident/flags.h"
#include "tools/import/directory_mapping.h"

// What `evident people` and `evident accounts` share: the directory of the
// ledger named by --ledger, and how they print its times.
namespace evident::cli {

// Opens LEDGER/directory for --ledger LEDGER, creating it when `create`.
// NotFound if there is no ledger there, or (unless `create`) no directory
// yet, saying which command makes one; IOError if another process has it
// open (`evident serve`).
StatusOr<std::unique_ptr<projections::directory::Directory>> OpenDirectoryFlag(const Flags& flags,
                                                                               bool create);

// Unix seconds as "YYYY-MM-DD" and as "YYYY-MM-DD hh:mm UTC".
std::string FormatDay(int64_t seconds);
std::string FormatMinute(int64_t seconds);

// The current time in unix seconds.
int64_t NowSeconds();

// HR's export through a directory mapping, every record checked as the
// directory would check it (`errors` empty: all of them may be written).
struct CheckedPeople {
  size_t records = 0;
  std::vector<projections::directory::Person> people;
  std::vector<import::FileError> errors;
};
CheckedPeople CheckPeople(const import::DirectoryMapping& mapping,
                          const std::vector<import::SourceFile>& files, int64_t now);

// Writes `people` into `dir` in one write: new ones added, changed ones
// updated, the same left alone, and erased ids skipped (an erasure is
// final: HR's export does not bring a person back).
struct PeopleWritten {
  size_t added = 0, updated = 0, unchanged = 0, skipped = 0;
};
StatusOr<PeopleWritten> WritePeople(projections::directory::Directory* dir,
                                    const std::vector<projections::directory::Person>& people);

}  // namespace evident::cli
