// evident people: the directory's people (projections/directory/directory.h;
// docs/operations.md, "People and accounts"): import from HR's export, show,
// list, correct, erase.

#include <iostream>
#include <map>

#include "projections/directory/rows.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"
#include "tools/evident/directory_flags.h"
#include "tools/import/directory_mapping.h"

namespace evident::cli {
namespace {

using projections::directory::Directory;
using projections::directory::Person;

constexpr char kName[] = "people";
constexpr size_t kErrorsShown = 50;

std::string Plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// The one positional argument after the action: a person's id.
StatusOr<std::string> IdArgument(const Flags& flags) {
  if (flags.positional().size() != 2) return Status::InvalidArgument("give one person id");
  return flags.positional()[1];
}

int RunImport(const Flags& flags) {
  auto path = flags.Require("map");
  if (!path.ok()) return Fail(kName, path.status());
  if (flags.positional().size() < 2) return Fail(kName, "give the export's files to import");
  auto text = ReadAll(path.value());
  if (!text.ok()) return Fail(kName, text.status());
  auto mapping = import::ParseDirectoryMapping(text.value());
  if (!mapping.ok()) return Fail(kName, mapping.status().WithContext(path.value()));
  std::vector<import::SourceFile> files;
  for (size_t i = 1; i < flags.positional().size(); ++i) {
    auto content = ReadAll(flags.positional()[i]);
    if (!content.ok()) return Fail(kName, content.status());
    files.push_back({flags.positional()[i], std::move(content.value())});
  }
  CheckedPeople checked = CheckPeople(mapping.value(), files, NowSeconds());
  if (!checked.errors.empty()) {
    for (size_t i = 0; i < checked.errors.size() && i < kErrorsShown; ++i) {
      std::cerr << checked.errors[i].ToString() << "\n";
    }
    if (checked.errors.size() > kErrorsShown) {
      std::cerr << "... and " << checked.errors.size() - kErrorsShown << " more\n";
    }
    return Fail(kName, Plural(checked.errors.size(), "record") +
                           " rejected; nothing was written (correct them and import again)");
  }
  auto dir = OpenDirectoryFlag(flags, /*create=*/true);
  if (!dir.ok()) return Fail(kName, dir.status());
  auto counts = WritePeople(dir.value().get(), checked.people);
  if (!counts.ok()) return Fail(kName, counts.status());
  const auto [added, updated, unchanged, skipped] = counts.value();
  std::cout << "read " << Plural(checked.records, "record") << ": " << added << " added, " << updated
            << " updated, " << unchanged << " unchanged";
  if (skipped > 0) std::cout << "; skipped " << Plural(skipped, "erased person");
  std::cout << "\n";
  return 0;
}

int RunShow(const Flags& flags) {
  auto id = IdArgument(flags);
  if (!id.ok()) return Fail(kName, id.status());
  auto dir = OpenDirectoryFlag(flags, /*create=*/false);
  if (!dir.ok()) return Fail(kName, dir.status());
  auto person = dir.value()->GetPerson(id.value());
  if (!person.ok()) return Fail(kName, person.status());
  if (!person->has_value()) {
    auto erasures = dir.value()->ListErasures();
    if (!erasures.ok()) return Fail(kName, erasures.status());
    for (const auto& e : erasures.value()) {
      if (e.id != id.value()) continue;
      std::cout << e.id << " (erased " << FormatDay(e.erased_at) << " by " << e.by << ")\n";
      return 0;
    }
    return Fail(kName, "the directory has no person " + id.value());
  }
  const Person& p = **person;
  std::cout << p.id << "\n  name     " << p.name << "\n  email    " << p.email << "\n  title    "
            << p.title << "\n  updated  " << FormatMinute(p.updated_at) << "\n";
  auto accounts = dir.value()->ListAccounts();
  if (!accounts.ok()) return Fail(kName, accounts.status());
  for (const auto& a : accounts.value()) {
    if (a.person == p.id)
      std::cout << "  account  " << a.login << " (" << projections::directory::RoleName(a.role)
                << ")\n";
  }
  return 0;
}

int RunList(const Flags& flags) {
  if (flags.positional().size() != 1) return Fail(kName, "list takes no arguments");
  auto dir = OpenDirectoryFlag(flags, /*create=*/false);
  if (!dir.ok()) return Fail(kName, dir.status());
  auto people = dir.value()->ListPeople();
  if (!people.ok()) return Fail(kName, people.status());
  auto erasures = dir.value()->ListErasures();
  if (!erasures.ok()) return Fail(kName, erasures.status());
  std::map<std::string, std::string> lines;  // by id
  for (const Person& p : people.value()) {
    lines[p.id] = p.id + "\t" + p.name + "\t" + p.email + "\t" + p.title;
  }
  for (const auto& e : erasures.value())
    lines[e.id] = e.id + " (erased " + FormatDay(e.erased_at) + ")";
  for (const auto& [id, line] : lines) std::cout << line << "\n";
  return 0;
}

int RunSet(const Flags& flags) {
  auto id = IdArgument(flags);
  if (!id.ok()) return Fail(kName, id.status());
  if (!flags.Has("name") && !flags.Has("email") && !flags.Has("title")) {
    return Fail(kName, "say what to correct: --name, --email, --title");
  }
  auto dir = OpenDirectoryFlag(flags, /*create=*/true);
  if (!dir.ok()) return Fail(kName, dir.status());
  auto old = dir.value()->GetPerson(id.value());
  if (!old.ok()) return Fail(kName, old.status());
  Person p = old->value_or(Person{id.value(), "", "", "", 0});
  p.name = flags.Get("name").value_or(p.name);
  p.email = flags.Get("email").value_or(p.email);
  p.title = flags.Get("title").value_or(p.title);
  p.updated_at = NowSeconds();
  if (Status s = dir.value()->PutPerson(p); !s.ok()) return Fail(kName, s);
  std::cout << (old->has_value() ? "corrected " : "added ") << p.id << "\n";
  return 0;
}

int RunErase(const Flags& flags) {
  auto id = IdArgument(flags);
  if (!id.ok()) return Fail(kName, id.status());
  auto dir = OpenDirectoryFlag(flags, /*create=*/false);
  if (!dir.ok()) return Fail(kName, dir.status());
  auto person = dir.value()->GetPerson(id.value());
  auto accounts = dir.value()->ListAccounts();
  if (!person.ok()) return Fail(kName, person.status());
  if (!accounts.ok()) return Fail(kName, accounts.status());
  size_t owned = 0;
  for (const auto& a : accounts.value()) owned += a.person == id.value();
  if (Status s = dir.value()->Erase(id.value(), "cli", NowSeconds()); !s.ok())
    return Fail(kName, s);
  std::string what = person->has_value() ? "directory entry" : "";
  if (owned > 0) what += (what.empty() ? "" : " and ") + Plural(owned, "account");
  std::cout << "erased " << id.value() << ": " << what << "; the log still names only "
            << id.value() << "\n";
  return 0;
}

int RunPeople(const Flags& flags) {
  static const std::map<std::string, int (*)(const Flags&)> actions = {{"import", RunImport},
                                                                       {"show", RunShow},
                                                                       {"list", RunList},
                                                                       {"set", RunSet},
                                                                       {"erase", RunErase}};
  auto it = flags.positional().empty() ? actions.end() : actions.find(flags.positional()[0]);
  if (it == actions.end()) return Fail(kName, "say what to do: import, show, list, set or erase");
  return it->second(flags);
}

}  // namespace

const Command kPeopleCommand = {
    kName,
    "the directory of people behind the log's ids: import from HR, correct, erase",
    "usage: evident people import --ledger LEDGER --map MAPPING.json FILE...\n"
    "       evident people show --ledger LEDGER ID\n"
    "       evident people list --ledger LEDGER\n"
    "       evident people set --ledger LEDGER ID [--name N] [--email E] [--title T]\n"
    "       evident people erase --ledger LEDGER ID\n\n"
    "The directory (LEDGER/directory) maps the log's person ids to names, work\n"
    "emails and titles; the log itself names no one. 'import' reads HR's staff\n"
    "export through a directory mapping (tools/import/mappings/edfi-staff-directory.json)\n"
    "and writes nothing unless every record is good; an erased person is skipped.\n"
    "'set' corrects one person (or adds one). 'erase' removes a person's entry and\n"
    "accounts for good and rewrites the directory's files so none holds them; the\n"
    "log and its proofs are unchanged. Stop `evident serve` first: one process at a\n"
    "time opens the directory.\n",
    {{{"ledger", "DIR", "the ledger whose directory it is"},
      {"map", "FILE", "import: the directory mapping"},
      {"name", "TEXT", "set: the name"},
      {"email", "TEXT", "set: the work email"},
      {"title", "TEXT", "set: the job title"}}},
    RunPeople};

}  // namespace evident::cli
