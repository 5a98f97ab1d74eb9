#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/status.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

// The directory (DESIGN.md invariants 8 and 10): the people behind the log's
// pseudonymous ids, in a RocksDB database of its own beside the log
// (LEDGER/directory), never needed to verify the log and never copied into a
// bundle or a board report. It holds
//   people    id -> name, work email, job title (from HR's export, corrected)
//   erased    id -> when and by whom the id's person was erased (no name)
//   accounts  sign-in name -> role, person, sites, password hash, one-time code
//   access    every view of one person's record by someone else (append-only)
// docs/format.md ("The directory") gives the keys and values.
//
// Erasure is final: Erase() deletes the person's row and every account of
// theirs, records the erasure without the name, and then rewrites the
// database's files (flush and a forced compaction of every column) so no
// file of it holds the erased values any more; an erased id is never
// written again (PutPerson refuses it).
//
// Thread-safe: every method may be called from many threads at once. One
// process opens a directory at a time (RocksDB's lock).
namespace evident::projections::directory {

struct Person {
  std::string id;     // the log's pseudonymous person id, e.g. "e-10017"
  std::string name;   // as people are addressed: "Avery Moreno"
  std::string email;  // work email; may be empty
  std::string title;  // job title; may be empty
  int64_t updated_at = 0;  // unix seconds of the last change
};

struct Erasure {
  std::string id;
  int64_t erased_at = 0;  // unix seconds
  std::string by;         // who asked for it: an account's sign-in name or "cli"
};

enum class Role { kStaff, kSiteLeader, kOffice, kBoard, kAuditor };
// "staff", "site-leader", "office", "board", "auditor".
const char* RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct Account {
  std::string login;  // sign-in name: lower-case, [a-z0-9._@-], 1-128 bytes
  Role role = Role::kStaff;
  std::string person;               // the person id the account is; may be empty (board)
  std::vector<std::string> sites;   // a site leader's sites
  std::string password_hash;        // libsodium crypto_pwhash_str; empty until set
  std::string code_hash;            // hex SHA-256 of the one-time code; empty when none
  int64_t code_expires_at = 0;      // unix seconds
  int64_t created_at = 0;
};

// One view of one person's record (`subject`) by someone signed in as
// `viewer` (an account's login) who is not that person, allowed or not.
struct Access {
  uint64_t seq = 0;  // assigned by RecordAccess: 1, 2, 3 ...
  int64_t at = 0;    // unix seconds
  std::string viewer;         // login
  std::string viewer_role;    // RoleName
  std::string subject;        // person id
  std::string page;           // the path viewed, e.g. "/people/e-10017"
  bool allowed = false;       // false: refused (403)
};

// True for a well-formed login (see Account::login).
bool IsValidLogin(std::string_view login);

class Directory {
 public:
  static std::string PathFor(const std::string& ledger_dir) { return ledger_dir + "/directory"; }

  // Opens the directory at `path`, creating it when `create`. NotFound if it
  // does not exist and !create; IOError if RocksDB cannot open it (another
  // process has it open: the message says so and names `evident serve`).
  static StatusOr<std::unique_ptr<Directory>> Open(const std::string& path, bool create);
  ~Directory();
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;

  // People. PutPerson adds or replaces (synced); InvalidArgument for an
  // empty id or name, or a field with a control character or over 256
  // bytes; FailedPrecondition for an erased id.
  Status PutPerson(const Person& person);
  // Every person of `people` as PutPerson would, in one synced write: all
  // of them, or (on any error, naming the first) none.
  Status PutPeople(const std::vector<Person>& people);
  StatusOr<std::optional<Person>> GetPerson(const std::string& id);
  StatusOr<std::vector<Person>> ListPeople();  // by id
  StatusOr<bool> IsErased(const std::string& id);
  // Erases `id` as described above. NotFound if the directory has no such
  // person and no account of theirs (nothing is recorded then).
  Status Erase(const std::string& id, const std::string& by, int64_t at);
  StatusOr<std::vector<Erasure>> ListErasures();  // by id

  // Accounts. PutAccount adds or replaces (synced); InvalidArgument for a
  // bad login, a staff or site-leader account without a person, a site
  // leader without sites; FailedPrecondition for an erased person.
  Status PutAccount(const Account& account);
  StatusOr<std::optional<Account>> GetAccount(const std::string& login);
  StatusOr<std::vector<Account>> ListAccounts();  // by login
  Status DeleteAccount(const std::string& login);  // NotFound if none

  // The access log. RecordAccess assigns the next seq and writes it synced;
  // nothing deletes or changes a record.
  Status RecordAccess(Access access);
  // Records about `subject`, newest first, at most `limit`.
  StatusOr<std::vector<Access>> AccessTo(const std::string& subject, size_t limit);

  // A consistent copy of the whole directory in `dir` (must not exist), as
  // `evident backup` takes it.
  Status Checkpoint(const std::string& dir);

  class Impl;

 private:
  explicit Directory(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evident::projections::directory
