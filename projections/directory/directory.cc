// The directory's database: column families people, erased, accounts and
// access hold the rows of projections/directory/rows.h; the default family
// holds
//   format            "evident-directory/1"
//   next_access_seq   the seq RecordAccess gives next, decimal
// Every write is one synced WriteBatch, made under one mutex (erasures and
// the access log's seq must not interleave with other writes); reads take
// RocksDB's own snapshot of the moment.

#include "projections/directory/directory.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <filesystem>

#include "ledger/file_util.h"
#include "ledger/rocks_util.h"
#include "projections/directory/directory_impl.h"
#include "projections/directory/rows.h"

namespace evident::projections::directory {
namespace {

constexpr char kFormat[] = "evident-directory/1";
constexpr char kFormatKey[] = "format";
constexpr char kNextSeqKey[] = "next_access_seq";

rocksdb::WriteOptions Synced() {
  rocksdb::WriteOptions options;
  options.sync = true;
  return options;
}

// RocksDB's failure to take the database's LOCK file, in words that say what
// to do: another process (most likely the server) has the directory open.
Status OpenError(const rocksdb::Status& s, const std::string& path) {
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return Status::IOError("the directory " + path +
                           " is in use by another process (a running `evident serve`?); stop it "
                           "or use the office's pages (" +
                           s.ToString() + ")");
  }
  return FromRocks(s, "opening the directory " + path);
}

}  // namespace

StatusOr<std::unique_ptr<Directory>> Directory::Open(const std::string& path, bool create) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!create) {
      return Status::NotFound("there is no directory at " + path +
                              " (`evident people import` makes one from HR's export)");
    }
    // Names and emails: the folder is its owner's alone.
    EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(path));
  }
  rocksdb::Options options;
  options.create_if_missing = create;
  options.create_missing_column_families = true;
  options.paranoid_checks = true;
  options.info_log = std::make_shared<SilentLogger>();
  // Every change of the file set starts a new MANIFEST holding the live
  // files alone: an old MANIFEST names the first and last keys of the files
  // it listed, and an account's key is its sign-in name, so after an
  // erasure no MANIFEST may outlive the files that held it (erase.cc).
  options.max_manifest_file_size = 1;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(options)}};
  for (const char* name : Impl::kFamilies) {
    families.push_back({name, rocksdb::ColumnFamilyOptions(options)});
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, path, families, &handles, &raw);
  if (!s.ok()) return OpenError(s, path);
  auto impl = std::make_unique<Impl>(raw, std::move(handles));
  EVIDENT_RETURN_IF_ERROR(impl->LoadMeta(path));
  return std::unique_ptr<Directory>(new Directory(std::move(impl)));
}

Directory::Impl::Impl(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : db_(db), handles_(std::move(handles)) {}

Directory::Impl::~Impl() {
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  db_->Close().PermitUncheckedError();
}

Status Directory::Impl::LoadMeta(const std::string& path) {
  std::string format, next;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), kFormatKey, &format);
  if (s.IsNotFound()) {
    rocksdb::WriteBatch batch;
    batch.Put(kFormatKey, kFormat);
    batch.Put(kNextSeqKey, "1");
    next_seq_ = 1;
    return FromRocks(db_->Write(Synced(), &batch), "writing the directory " + path);
  }
  EVIDENT_RETURN_IF_ERROR(FromRocks(s, "reading the directory " + path));
  if (format != kFormat) {
    return Status::Corruption(path + " is not an Evident directory (format \"" + format + "\")");
  }
  EVIDENT_RETURN_IF_ERROR(FromRocks(db_->Get(rocksdb::ReadOptions(), kNextSeqKey, &next),
                                    "reading the directory's access seq"));
  next_seq_ = 0;
  for (char c : next) {
    if (c < '0' || c > '9' || next.size() > 19) {
      return Status::Corruption("the directory's next access seq is not a number");
    }
    next_seq_ = next_seq_ * 10 + static_cast<uint64_t>(c - '0');
  }
  if (next_seq_ == 0) return Status::Corruption("the directory's next access seq is 0");
  return Status::OK();
}

Status Directory::Impl::Write(rocksdb::WriteBatch* batch, const std::string& what) {
  return FromRocks(db_->Write(Synced(), batch), "writing " + what + " to the directory");
}

StatusOr<std::optional<std::string>> Directory::Impl::Get(rocksdb::ColumnFamilyHandle* family,
                                                          const std::string& key) {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family, key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  EVIDENT_RETURN_IF_ERROR(FromRocks(s, "reading the directory"));
  return std::optional<std::string>(std::move(value));
}

Status Directory::Impl::Scan(rocksdb::ColumnFamilyHandle* family,
                             const std::function<Status(std::string_view, std::string_view)>& fn) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    EVIDENT_RETURN_IF_ERROR(fn(std::string_view(it->key().data(), it->key().size()),
                               std::string_view(it->value().data(), it->value().size())));
  }
  return FromRocks(it->status(), "reading the directory");
}

Status Directory::Impl::RefuseErased(const std::string& id) {
  auto row = Get(erased(), id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return Status::OK();
  return Status::FailedPrecondition("person " + id +
                                    " was erased from the directory; an erased person is "
                                    "never written again");
}

Directory::Directory(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Directory::~Directory() = default;

Status Directory::PutPerson(const Person& person) {
  EVIDENT_RETURN_IF_ERROR(CheckPerson(person));
  std::lock_guard lock(impl_->write_mu_);
  EVIDENT_RETURN_IF_ERROR(impl_->RefuseErased(person.id));
  rocksdb::WriteBatch batch;
  batch.Put(impl_->people(), person.id, EncodePerson(person));
  return impl_->Write(&batch, "person " + person.id);
}

Status Directory::PutPeople(const std::vector<Person>& people) {
  for (const Person& p : people) EVIDENT_RETURN_IF_ERROR(CheckPerson(p));
  std::lock_guard lock(impl_->write_mu_);
  rocksdb::WriteBatch batch;
  for (const Person& p : people) {
    EVIDENT_RETURN_IF_ERROR(impl_->RefuseErased(p.id));
    batch.Put(impl_->people(), p.id, EncodePerson(p));
  }
  return impl_->Write(&batch, std::to_string(people.size()) + " people");
}

StatusOr<std::optional<Person>> Directory::GetPerson(const std::string& id) {
  auto row = impl_->Get(impl_->people(), id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return std::optional<Person>();
  auto person = DecodePerson(id, **row);
  if (!person.ok()) return person.status();
  return std::optional<Person>(std::move(person.value()));
}

StatusOr<std::vector<Person>> Directory::ListPeople() {
  std::vector<Person> people;
  Status s = impl_->Scan(impl_->people(), [&](std::string_view key, std::string_view value) {
    auto person = DecodePerson(key, value);
    if (!person.ok()) return person.status();
    people.push_back(std::move(person.value()));
    return Status::OK();
  });
  if (!s.ok()) return s;
  return people;
}

StatusOr<bool> Directory::IsErased(const std::string& id) {
  auto row = impl_->Get(impl_->erased(), id);
  if (!row.ok()) return row.status();
  return row->has_value();
}

StatusOr<std::vector<Erasure>> Directory::ListErasures() {
  std::vector<Erasure> erasures;
  Status s = impl_->Scan(impl_->erased(), [&](std::string_view key, std::string_view value) {
    auto erasure = DecodeErasure(key, value);
    if (!erasure.ok()) return erasure.status();
    erasures.push_back(std::move(erasure.value()));
    return Status::OK();
  });
  if (!s.ok()) return s;
  return erasures;
}

Status Directory::PutAccount(const Account& account) {
  EVIDENT_RETURN_IF_ERROR(CheckAccount(account));
  std::lock_guard lock(impl_->write_mu_);
  if (!account.person.empty()) EVIDENT_RETURN_IF_ERROR(impl_->RefuseErased(account.person));
  rocksdb::WriteBatch batch;
  batch.Put(impl_->accounts(), account.login, EncodeAccount(account));
  return impl_->Write(&batch, "account " + account.login);
}

StatusOr<std::optional<Account>> Directory::GetAccount(const std::string& login) {
  auto row = impl_->Get(impl_->accounts(), login);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return std::optional<Account>();
  auto account = DecodeAccount(login, **row);
  if (!account.ok()) return account.status();
  return std::optional<Account>(std::move(account.value()));
}

StatusOr<std::vector<Account>> Directory::ListAccounts() {
  std::vector<Account> accounts;
  Status s = impl_->Scan(impl_->accounts(), [&](std::string_view key, std::string_view value) {
    auto account = DecodeAccount(key, value);
    if (!account.ok()) return account.status();
    accounts.push_back(std::move(account.value()));
    return Status::OK();
  });
  if (!s.ok()) return s;
  return accounts;
}

Status Directory::DeleteAccount(const std::string& login) {
  std::lock_guard lock(impl_->write_mu_);
  auto row = impl_->Get(impl_->accounts(), login);
  if (!row.ok()) return row.status();
  if (!row->has_value()) return Status::NotFound("there is no account " + login);
  rocksdb::WriteBatch batch;
  batch.Delete(impl_->accounts(), login);
  return impl_->Write(&batch, "the removal of account " + login);
}

Status Directory::RecordAccess(Access access) {
  EVIDENT_RETURN_IF_ERROR(CheckAccess(access));
  std::lock_guard lock(impl_->write_mu_);
  access.seq = impl_->next_seq_;
  rocksdb::WriteBatch batch;
  batch.Put(impl_->access(), AccessKey(access.subject, access.seq), EncodeAccess(access));
  batch.Put(kNextSeqKey, std::to_string(access.seq + 1));
  EVIDENT_RETURN_IF_ERROR(impl_->Write(&batch, "an access record"));
  ++impl_->next_seq_;
  return Status::OK();
}

StatusOr<std::vector<Access>> Directory::AccessTo(const std::string& subject, size_t limit) {
  std::vector<Access> records;
  if (subject.find('\0') != std::string::npos) return records;
  const std::string prefix = AccessPrefix(subject);
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db_->NewIterator(rocksdb::ReadOptions(), impl_->access()));
  // The subject's records are one range in seq order: read it from its end.
  for (it->SeekForPrev(AccessKey(subject, UINT64_MAX));
       it->Valid() && it->key().starts_with(prefix) && records.size() < limit; it->Prev()) {
    auto record = DecodeAccess(std::string_view(it->key().data(), it->key().size()),
                               std::string_view(it->value().data(), it->value().size()));
    if (!record.ok()) return record.status();
    records.push_back(std::move(record.value()));
  }
  EVIDENT_RETURN_IF_ERROR(FromRocks(it->status(), "reading the access log"));
  return records;
}

Status Directory::Checkpoint(const std::string& dir) {
  // Under the write lock: a copy never falls inside an erasure's rewrite.
  std::lock_guard lock(impl_->write_mu_);
  rocksdb::Checkpoint* raw = nullptr;
  EVIDENT_RETURN_IF_ERROR(
      FromRocks(rocksdb::Checkpoint::Create(impl_->db_.get(), &raw), "copying the directory"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  return FromRocks(checkpoint->CreateCheckpoint(dir), "copying the directory to " + dir);
}

}  // namespace evident::projections::directory
