// evident accounts: who may sign in to the pages (projections/directory/
// directory.h; docs/operations.md, "People and accounts"). An account starts
// with a one-time code, printed here once; the person sets a password with it.

#include <iostream>
#include <map>

#include "projections/directory/codes.h"
#include "tools/evident/cli_util.h"
#include "tools/evident/command.h"
#include "tools/evident/directory_flags.h"

namespace evident::cli {
namespace {

namespace directory = projections::directory;
using directory::Account;

constexpr char kName[] = "accounts";

// --login, or else the one positional argument after the action.
StatusOr<std::string> LoginFlag(const Flags& flags) {
  if (flags.Has("login")) return *flags.Get("login");
  if (flags.positional().size() == 2) return flags.positional()[1];
  return Status::InvalidArgument("give the account's sign-in name: --login LOGIN");
}

// A fresh one-time code for `account` (its hash and expiry set), or the error.
StatusOr<std::string> IssueCode(Account* account) {
  auto code = directory::NewOneTimeCode();
  if (!code.ok()) return code.status();
  account->code_hash = directory::CodeHash(code.value());
  account->code_expires_at = NowSeconds() + directory::kCodeLifetimeSeconds;
  return code;
}

void PrintCode(const std::string& code, const Account& account) {
  std::cout << "one-time code: " << code << "\n"
            << "valid until " << FormatMinute(account.code_expires_at)
            << "; it is shown only now: give it to the person, who sets a password with it\n";
}

int RunAdd(const Flags& flags) {
  auto login = LoginFlag(flags);
  if (!login.ok()) return Fail(kName, login.status());
  auto role_name = flags.Require("role");
  if (!role_name.ok()) return Fail(kName, role_name.status());
  auto role = directory::ParseRole(role_name.value());
  if (!role) {
    return Fail(kName, "--role " + role_name.value() +
                           ": a role is staff, site-leader, office, board or auditor");
  }
  auto dir = OpenDirectoryFlag(flags, /*create=*/true);
  if (!dir.ok()) return Fail(kName, dir.status());
  auto existing = dir.value()->GetAccount(login.value());
  if (!existing.ok()) return Fail(kName, existing.status());
  if (existing->has_value()) {
    return Fail(kName, "there is an account " + login.value() +
                           " already (`evident accounts code` issues it a new code)");
  }
  Account account;
  account.login = login.value();
  account.role = *role;
  account.person = flags.Get("person").value_or("");
  account.sites = flags.GetAll("site");
  account.created_at = NowSeconds();
  auto code = IssueCode(&account);
  if (!code.ok()) return Fail(kName, code.status());
  if (Status s = dir.value()->PutAccount(account); !s.ok()) return Fail(kName, s);
  std::cout << "added account " << account.login << " (" << directory::RoleName(account.role)
            << (account.person.empty() ? "" : ", person " + account.person) << ")\n";
  PrintCode(code.value(), account);
  return 0;
}

int RunCode(const Flags& flags) {
  auto login = LoginFlag(flags);
  if (!login.ok()) return Fail(kName, login.status());
  auto dir = OpenDirectoryFlag(flags, /*create=*/false);
  if (!dir.ok()) return Fail(kName, dir.status());
  auto account = dir.value()->GetAccount(login.value());
  if (!account.ok()) return Fail(kName, account.status());
  if (!account->has_value()) return Fail(kName, "there is no account " + login.value());
  Account changed = **account;  // a reset: the password stays until the code is used
  auto code = IssueCode(&changed);
  if (!code.ok()) return Fail(kName, code.status());
  if (Status s = dir.value()->PutAccount(changed); !s.ok()) return Fail(kName, s);
  std::cout << "new code for " << changed.login << " (any earlier code no longer works)\n";
  PrintCode(code.value(), changed);
  return 0;
}

std::string SignInState(const Account& a) {
  std::string state = a.password_hash.empty() ? "no password" : "password set";
  if (a.code_hash.empty()) return state;
  if (a.code_expires_at <= NowSeconds()) return state + ", code expired";
  return state + ", code until " + FormatMinute(a.code_expires_at);
}

int RunList(const Flags& flags) {
  if (flags.positional().size() != 1) return Fail(kName, "list takes no arguments");
  auto dir = OpenDirectoryFlag(flags, /*create=*/false);
  if (!dir.ok()) return Fail(kName, dir.status());
  auto accounts = dir.value()->ListAccounts();
  if (!accounts.ok()) return Fail(kName, accounts.status());
  for (const Account& a : accounts.value()) {
    std::string sites;
    for (const std::string& s : a.sites) sites += (sites.empty() ? "" : ",") + s;
    std::cout << a.login << "\t" << directory::RoleName(a.role) << "\t" << a.person << "\t" << sites
              << "\t" << SignInState(a) << "\n";
  }
  return 0;
}

int RunRemove(const Flags& flags) {
  auto login = LoginFlag(flags);
  if (!login.ok()) return Fail(kName, login.status());
  auto dir = OpenDirectoryFlag(flags, /*create=*/false);
  if (!dir.ok()) return Fail(kName, dir.status());
  if (Status s = dir.value()->DeleteAccount(login.value()); !s.ok()) return Fail(kName, s);
  std::cout << "removed account " << login.value() << "\n";
  return 0;
}

int RunAccounts(const Flags& flags) {
  static const std::map<std::string, int (*)(const Flags&)> actions = {
      {"add", RunAdd}, {"code", RunCode}, {"list", RunList}, {"remove", RunRemove}};
  auto it = flags.positional().empty() ? actions.end() : actions.find(flags.positional()[0]);
  if (it == actions.end()) return Fail(kName, "say what to do: add, code, list or remove");
  return it->second(flags);
}

}  // namespace

const Command kAccountsCommand = {
    kName,
    "who may sign in to the pages: add accounts, issue one-time codes, remove them",
    "usage: evident accounts add --ledger LEDGER --login LOGIN --role ROLE [--person ID]\n"
    "                            [--site SITE ...]\n"
    "       evident accounts code --ledger LEDGER --login LOGIN\n"
    "       evident accounts list --ledger LEDGER\n"
    "       evident accounts remove --ledger LEDGER --login LOGIN\n\n"
    "Accounts live in the ledger's directory (LEDGER/directory). A role is staff,\n"
    "site-leader, office, board or auditor; staff and site leaders name the person\n"
    "they are (--person), site leaders their sites. 'add' and 'code' print a\n"
    "one-time code, valid 72 hours and shown only then, with which the person sets\n"
    "a password; 'code' issues a new one (a reset: nothing else changes). Stop\n"
    "`evident serve` first: one process at a time opens the directory.\n",
    {{{"ledger", "DIR", "the ledger whose directory it is"},
      {"login", "LOGIN", "the sign-in name: lower-case letters, digits and ._@-"},
      {"role", "ROLE", "add: staff, site-leader, office, board or auditor"},
      {"person", "ID", "add: the person id the account is"},
      {"site", "SITE", "add: a site leader's site (repeat for each)"}}},
    RunAccounts};

}  // namespace evident::cli
