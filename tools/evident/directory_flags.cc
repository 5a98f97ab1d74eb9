#include "tools/evident/directory_flags.h"

#include <ctime>
#include <filesystem>

#include "ledger/ledger.h"
#include "projections/directory/rows.h"

namespace evident::cli {

using projections::directory::Directory;

StatusOr<std::unique_ptr<Directory>> OpenDirectoryFlag(const Flags& flags, bool create) {
  auto ledger = flags.Require("ledger");
  if (!ledger.ok()) return ledger.status();
  std::error_code ec;
  if (!std::filesystem::exists(Ledger::DatabasePath(ledger.value()), ec)) {
    return Status::NotFound("there is no ledger at " + ledger.value() +
                            " (`evident init` makes one)");
  }
  const std::string path = Directory::PathFor(ledger.value());
  if (!create && !std::filesystem::exists(path, ec)) {
    return Status::NotFound("the ledger " + ledger.value() +
                            " has no directory of people yet; `evident people import` or "
                            "`evident accounts add` makes it");
  }
  return Directory::Open(path, create);
}

CheckedPeople CheckPeople(const import::DirectoryMapping& mapping,
                          const std::vector<import::SourceFile>& files, int64_t now) {
  import::MappedPeople mapped = import::MapPeople(mapping, files);
  CheckedPeople out;
  out.records = mapped.records;
  out.errors = std::move(mapped.errors);
  for (const import::PersonRecord& r : mapped.people) {
    projections::directory::Person p{r.id, r.name, r.email, r.title, now};
    if (Status s = projections::directory::CheckPerson(p); !s.ok()) {
      out.errors.push_back({r.file, {r.line, "", s.message()}});
    }
    out.people.push_back(std::move(p));
  }
  return out;
}

StatusOr<PeopleWritten> WritePeople(Directory* dir,
                                    const std::vector<projections::directory::Person>& people) {
  PeopleWritten n;
  std::vector<projections::directory::Person> changed;
  for (const auto& p : people) {
    auto erased = dir->IsErased(p.id);
    if (!erased.ok()) return erased.status();
    if (erased.value()) {
      ++n.skipped;
      continue;
    }
    auto old = dir->GetPerson(p.id);
    if (!old.ok()) return old.status();
    if (old->has_value() && (*old)->name == p.name && (*old)->email == p.email &&
        (*old)->title == p.title) {
      ++n.unchanged;
      continue;
    }
    changed.push_back(p);
    ++(old->has_value() ? n.updated : n.added);
  }
  EVIDENT_RETURN_IF_ERROR(dir->PutPeople(changed));  // all of them, or none
  return n;
}

namespace {

std::string Format(int64_t seconds, const char* format) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

}  // namespace

std::string FormatDay(int64_t seconds) { return Format(seconds, "%Y-%m-%d"); }
std::string FormatMinute(int64_t seconds) { return Format(seconds, "%Y-%m-%d %H:%M UTC"); }
int64_t NowSeconds() { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace evident::cli
