// The directory's rows (docs/format.md, "The directory"):
//
//   people    id                      {"name", "email", "title", "updated_at"}
//   erased    id                      {"erased_at", "by"}
//   accounts  login                   {"role", "person", "sites", "password_hash",
//                                      "code_hash", "code_expires_at", "created_at"}
//   access    subject 0x00 seq(u64be) {"at", "viewer", "viewer_role", "page", "allowed"}
//
// Values are compact JSON; every text is checked UTF-8 before it is written.

#include "projections/directory/rows.h"

#include <nlohmann/json.hpp>

#include "ledger/coding.h"

namespace evident::projections::directory {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxField = 256;
constexpr const char* kRoleNames[] = {"staff", "site-leader", "office", "board", "auditor"};

// InvalidArgument unless `value` is UTF-8 text of at most kMaxField bytes
// without a control character.
Status CheckText(std::string_view field, std::string_view value) {
  if (value.size() > kMaxField) {
    return Status::InvalidArgument(std::string(field) + " is longer than " +
                                   std::to_string(kMaxField) + " bytes");
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument(std::string(field) + " holds a control character");
    }
  }
  if (!IsValidUtf8(value)) return Status::InvalidArgument(std::string(field) + " is not UTF-8");
  return Status::OK();
}

StatusOr<Json> ParseRow(std::string_view what, std::string_view key, std::string_view value) {
  Json row = Json::parse(value.begin(), value.end(), nullptr, false);
  if (row.is_discarded() || !row.is_object()) {
    return Status::Corruption("the directory's " + std::string(what) + " row " + std::string(key) +
                              " is not a JSON object");
  }
  return row;
}

// The field `name` of `row` as T, or Corruption naming the row.
template <typename T>
Status Field(const Json& row, const char* name, std::string_view key, T* out) {
  auto it = row.find(name);
  if (it == row.end()) return Status::OK();  // absent: the default
  try {
    *out = it->get<T>();
  } catch (const Json::exception&) {
    return Status::Corruption("the directory's row " + std::string(key) + " has a malformed \"" +
                              name + "\"");
  }
  return Status::OK();
}

}  // namespace

const char* RoleName(Role role) { return kRoleNames[static_cast<int>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (name == kRoleNames[i]) return static_cast<Role>(i);
  }
  return std::nullopt;
}

bool IsValidLogin(std::string_view login) {
  if (login.empty() || login.size() > 128) return false;
  for (char c : login) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status CheckPerson(const Person& person) {
  if (person.id.empty()) return Status::InvalidArgument("a person needs an id");
  if (person.name.empty()) return Status::InvalidArgument("person " + person.id + " needs a name");
  EVIDENT_RETURN_IF_ERROR(CheckText("the id", person.id));
  EVIDENT_RETURN_IF_ERROR(CheckText("the name of " + person.id, person.name));
  EVIDENT_RETURN_IF_ERROR(CheckText("the email of " + person.id, person.email));
  return CheckText("the title of " + person.id, person.title);
}

Status CheckAccount(const Account& account) {
  if (!IsValidLogin(account.login)) {
    return Status::InvalidArgument("\"" + account.login +
                                   "\" is not a sign-in name (lower-case letters, digits and "
                                   "._@-, at most 128)");
  }
  if (static_cast<int>(account.role) < 0 || static_cast<int>(account.role) > 4) {
    return Status::InvalidArgument("account " + account.login + " has no known role");
  }
  const bool needs_person = account.role == Role::kStaff || account.role == Role::kSiteLeader;
  if (needs_person && account.person.empty()) {
    return Status::InvalidArgument(std::string("a ") + RoleName(account.role) +
                                   " account needs the person it is (--person)");
  }
  if (account.role == Role::kSiteLeader && account.sites.empty()) {
    return Status::InvalidArgument("a site-leader account needs its sites (--site)");
  }
  EVIDENT_RETURN_IF_ERROR(CheckText("the person of " + account.login, account.person));
  for (const std::string& site : account.sites) {
    if (site.empty()) return Status::InvalidArgument("a site of " + account.login + " is empty");
    EVIDENT_RETURN_IF_ERROR(CheckText("a site of " + account.login, site));
  }
  EVIDENT_RETURN_IF_ERROR(CheckText("the password hash", account.password_hash));
  return CheckText("the code hash", account.code_hash);
}

Status CheckAccess(const Access& access) {
  if (access.subject.empty()) return Status::InvalidArgument("an access record needs a subject");
  EVIDENT_RETURN_IF_ERROR(CheckText("the subject", access.subject));
  EVIDENT_RETURN_IF_ERROR(CheckText("the viewer", access.viewer));
  EVIDENT_RETURN_IF_ERROR(CheckText("the viewer's role", access.viewer_role));
  return CheckText("the page", access.page);
}

std::string EncodePerson(const Person& person) {
  return Json{{"name", person.name},
              {"email", person.email},
              {"title", person.title},
              {"updated_at", person.updated_at}}
      .dump();
}

StatusOr<Person> DecodePerson(std::string_view id, std::string_view value) {
  auto row = ParseRow("people", id, value);
  if (!row.ok()) return row.status();
  Person p;
  p.id = id;
  EVIDENT_RETURN_IF_ERROR(Field(*row, "name", id, &p.name));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "email", id, &p.email));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "title", id, &p.title));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "updated_at", id, &p.updated_at));
  return p;
}

std::string EncodeErasure(const Erasure& erasure) {
  return Json{{"erased_at", erasure.erased_at}, {"by", erasure.by}}.dump();
}

StatusOr<Erasure> DecodeErasure(std::string_view id, std::string_view value) {
  auto row = ParseRow("erased", id, value);
  if (!row.ok()) return row.status();
  Erasure e;
  e.id = id;
  EVIDENT_RETURN_IF_ERROR(Field(*row, "erased_at", id, &e.erased_at));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "by", id, &e.by));
  return e;
}

std::string EncodeAccount(const Account& a) {
  return Json{{"role", RoleName(a.role)},  {"person", a.person},
              {"sites", a.sites},          {"password_hash", a.password_hash},
              {"code_hash", a.code_hash},  {"code_expires_at", a.code_expires_at},
              {"created_at", a.created_at}}
      .dump();
}

StatusOr<Account> DecodeAccount(std::string_view login, std::string_view value) {
  auto row = ParseRow("accounts", login, value);
  if (!row.ok()) return row.status();
  Account a;
  a.login = login;
  std::string role;
  EVIDENT_RETURN_IF_ERROR(Field(*row, "role", login, &role));
  auto parsed = ParseRole(role);
  if (!parsed) {
    return Status::Corruption("the directory's account " + std::string(login) +
                              " has an unknown role \"" + role + "\"");
  }
  a.role = *parsed;
  EVIDENT_RETURN_IF_ERROR(Field(*row, "person", login, &a.person));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "sites", login, &a.sites));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "password_hash", login, &a.password_hash));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "code_hash", login, &a.code_hash));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "code_expires_at", login, &a.code_expires_at));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "created_at", login, &a.created_at));
  return a;
}

std::string AccessPrefix(std::string_view subject) {
  std::string key(subject);
  key.push_back('\0');
  return key;
}

std::string AccessKey(std::string_view subject, uint64_t seq) {
  std::string key = AccessPrefix(subject);
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>(seq >> shift));
  return key;
}

std::string EncodeAccess(const Access& access) {
  return Json{{"at", access.at},
              {"viewer", access.viewer},
              {"viewer_role", access.viewer_role},
              {"page", access.page},
              {"allowed", access.allowed}}
      .dump();
}

StatusOr<Access> DecodeAccess(std::string_view key, std::string_view value) {
  const size_t nul = key.find('\0');
  if (nul == std::string_view::npos || key.size() != nul + 9) {
    return Status::Corruption("the directory's access log has a malformed key");
  }
  Access a;
  a.subject = key.substr(0, nul);
  for (size_t i = nul + 1; i < key.size(); ++i) {
    a.seq = (a.seq << 8) | static_cast<unsigned char>(key[i]);
  }
  auto row = ParseRow("access", a.subject, value);
  if (!row.ok()) return row.status();
  EVIDENT_RETURN_IF_ERROR(Field(*row, "at", a.subject, &a.at));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "viewer", a.subject, &a.viewer));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "viewer_role", a.subject, &a.viewer_role));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "page", a.subject, &a.page));
  EVIDENT_RETURN_IF_ERROR(Field(*row, "allowed", a.subject, &a.allowed));
  return a;
}

}  // namespace evident::projections::directory
