#include "server/witness/state.h"

#include <rocksdb/db.h>

#include "ledger/coding.h"
#include "ledger/rocks_util.h"

namespace evident::server::witness {
namespace {

constexpr size_t kHeaderSize = 8 + 32;

std::string KeyOf(const std::string& origin) { return "log/" + origin; }

class RocksStateStore : public StateStore {
 public:
  explicit RocksStateStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
  ~RocksStateStore() override { FlushIfLarge(db_.get()); }

  StatusOr<std::optional<LogState>> Get(const std::string& origin) override {
    std::string value;
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), KeyOf(origin), &value);
    if (s.IsNotFound()) return std::optional<LogState>();
    if (!s.ok()) return FromRocks(s, "reading the witness state of " + origin);
    auto state = DecodeLogState(value);
    if (!state.ok()) return state.status().WithContext("the witness state of " + origin);
    return std::optional<LogState>(std::move(state.value()));
  }

  Status Put(const std::string& origin, const LogState& state) override {
    rocksdb::WriteOptions options;
    options.sync = true;
    return FromRocks(db_->Put(options, KeyOf(origin), EncodeLogState(state)),
                     "saving the witness state of " + origin);
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace

std::string EncodeLogState(const LogState& state) {
  std::string value;
  PutFixed64BE(&value, state.size);
  value += state.root;
  value += state.note;
  return value;
}

StatusOr<LogState> DecodeLogState(const std::string& value) {
  if (value.size() < kHeaderSize) {
    return Status::Corruption("a stored log state of " + std::to_string(value.size()) +
                              " bytes; it needs at least 40");
  }
  LogState state;
  state.size = DecodeFixed64BE(value.data());
  state.root = value.substr(8, 32);
  state.note = value.substr(kHeaderSize);
  return state;
}

StatusOr<std::unique_ptr<StateStore>> OpenRocksStateStore(const std::string& path) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  options.info_log = std::make_shared<SilentLogger>();  // ledger/rocks_util.h
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status s = rocksdb::DB::Open(options, path, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return Status::IOError("the witness database at " + path + " is in use by another process (" +
                             s.ToString() + ")");
    }
    return FromRocks(s, "opening the witness database at " + path);
  }
  return std::unique_ptr<StateStore>(new RocksStateStore(std::unique_ptr<rocksdb::DB>(raw)));
}

}  // namespace evident::server::witness
