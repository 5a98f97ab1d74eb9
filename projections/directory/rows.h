#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/status.h"
#include "projections/directory/directory.h"

// The directory's rows as stored (docs/format.md, "The directory"): each
// value compact JSON, each key the row's id. Pure: no I/O.
namespace evident::projections::directory {

// The checks PutPerson, PutAccount and RecordAccess make before writing.
// InvalidArgument naming the field at fault.
Status CheckPerson(const Person& person);
Status CheckAccount(const Account& account);
Status CheckAccess(const Access& access);

// people: id -> {"name", "email", "title", "updated_at"}.
std::string EncodePerson(const Person& person);
StatusOr<Person> DecodePerson(std::string_view id, std::string_view value);

// erased: id -> {"erased_at", "by"}.
std::string EncodeErasure(const Erasure& erasure);
StatusOr<Erasure> DecodeErasure(std::string_view id, std::string_view value);

// accounts: login -> {"role", "person", "sites", "password_hash", "code_hash",
// "code_expires_at", "created_at"}.
std::string EncodeAccount(const Account& account);
StatusOr<Account> DecodeAccount(std::string_view login, std::string_view value);

// access: subject 0x00 seq (8 bytes, big-endian) -> {"at", "viewer",
// "viewer_role", "page", "allowed"}. A subject never holds a 0x00 byte
// (CheckAccess), so one subject's records are one key range, in seq order.
std::string AccessKey(std::string_view subject, uint64_t seq);
std::string AccessPrefix(std::string_view subject);  // subject 0x00
std::string EncodeAccess(const Access& access);
StatusOr<Access> DecodeAccess(std::string_view key, std::string_view value);

}  // namespace evident::projections::directory
