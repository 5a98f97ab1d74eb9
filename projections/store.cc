// The projection store's keys (docs/format.md, "Projection store"):
//
//   meta/format                 "evident-projections/4"
//   meta/live                   the live generation, decimal
//   g<gen>/m/<name>             position, last_day (decimal), state_digest, root (hex)
//   g<gen>/s/<table>\0<key>     a state row (projections/codec.h)
//   g<gen>/v/<view>\0<row key>  a view row, compact JSON
//   g<gen>/d/<view>             the view's digest, hex
//
// <gen> is 16 hex digits, so one generation's keys form one range.

#include "projections/store.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/file_util.h"
#include "ledger/rocks_util.h"

namespace evident::projections {
namespace {

constexpr char kFormat[] = "evident-projections/4";

std::string Gen(uint64_t generation) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "g%016llx/", static_cast<unsigned long long>(generation));
  return buf;
}
// The key just past every key that starts with `prefix` ending in '/'.
std::string PrefixEnd(std::string prefix) {
  prefix.back() = '/' + 1;
  return prefix;
}

// A decimal number the store wrote; Corruption if it is not one.
StatusOr<int64_t> ParseStored(const std::string& text, const std::string& what) {
  if (text.empty() || text.size() > 20) {
    return Status::Corruption("projection store " + what +
                              " is not a number; run 'evident "
                              "project rebuild'");
  }
  size_t i = text[0] == '-' ? 1 : 0;
  int64_t value = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return Status::Corruption("projection store " + what +
                                " is not a number; run 'evident project rebuild'");
    }
    value = value * 10 + (text[i] - '0');
  }
  return text[0] == '-' ? -value : value;
}

// The formats before kFormat, which an update replaces.
bool IsOlderFormat(const std::string& format) {
  return format == "evident-projections/1" || format == "evident-projections/2" ||
         format == "evident-projections/3";
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

StatusOr<std::unique_ptr<ProjectionStore>> ProjectionStore::Open(const std::string& path) {
  // The views name people: a new store's folder is its owner's alone (RocksDB
  // would make it readable by all). An existing one is left as it is.
  if (!std::filesystem::exists(path)) EVIDENT_RETURN_IF_ERROR(CreatePrivateDirectory(path));
  rocksdb::Options options;
  options.create_if_missing = true;
  options.info_log_level = rocksdb::InfoLogLevel::ERROR_LEVEL;
  rocksdb::DB* raw = nullptr;
  EVIDENT_RETURN_IF_ERROR(
      FromRocks(rocksdb::DB::Open(options, path, &raw), "opening projection store " + path));
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string format;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), "meta/format", &format);
  const bool older = s.ok() && IsOlderFormat(format);
  if (s.IsNotFound() || older) {
    // An older store holds nothing the log cannot give again: it is emptied,
    // and the next update rebuilds the views under the current rules.
    rocksdb::WriteBatch batch;
    if (older) batch.DeleteRange(std::string(), std::string(1, '\xff'));
    batch.Put("meta/format", kFormat);
    rocksdb::WriteOptions sync;
    sync.sync = true;
    EVIDENT_RETURN_IF_ERROR(FromRocks(db->Write(sync, &batch), "writing " + path));
  } else if (!s.ok() || format != kFormat) {
    return Status::Corruption(path + " is not an Evident projection store (format \"" + format +
                              "\"); move it aside and run 'evident project rebuild'");
  }
  return std::unique_ptr<ProjectionStore>(new ProjectionStore(std::move(db)));
}

ProjectionStore::ProjectionStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}
ProjectionStore::~ProjectionStore() { FlushIfLarge(db_.get()); }

StatusOr<uint64_t> ProjectionStore::LiveGeneration() {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), "meta/live", &value);
  if (s.IsNotFound()) {
    return Status::NotFound("no projections yet; run 'evident project rebuild'");
  }
  EVIDENT_RETURN_IF_ERROR(FromRocks(s, "reading the live generation"));
  auto generation = ParseStored(value, "meta/live");
  if (!generation.ok()) return generation.status();
  return static_cast<uint64_t>(generation.value());
}

StatusOr<std::unique_ptr<Projector>> ProjectionStore::LoadProjector(EntrySource* source) {
  auto generation = LiveGeneration();
  if (!generation.ok()) return generation.status();
  const std::string prefix = Gen(generation.value());
  auto projector = std::make_unique<Projector>(source);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const std::string rows = prefix + "s/";
  for (it->Seek(rows); it->Valid() && it->key().starts_with(rows); it->Next()) {
    std::string_view key(it->key().data() + rows.size(), it->key().size() - rows.size());
    const size_t nul = key.find('\0');
    TableBase* table =
        nul == std::string_view::npos ? nullptr : projector->state().FindTable(key.substr(0, nul));
    if (table == nullptr ||
        !table->LoadEncoded(key.substr(nul + 1),
                            std::string_view(it->value().data(), it->value().size()))) {
      return Status::Corruption("projection store row is malformed; run 'evident project rebuild'");
    }
  }
  EVIDENT_RETURN_IF_ERROR(FromRocks(it->status(), "reading the projection state"));
  std::string position, last_day;
  EVIDENT_RETURN_IF_ERROR(
      FromRocks(db_->Get(rocksdb::ReadOptions(), prefix + "m/position", &position), "position"));
  EVIDENT_RETURN_IF_ERROR(
      FromRocks(db_->Get(rocksdb::ReadOptions(), prefix + "m/last_day", &last_day), "last_day"));
  auto at = ParseStored(position, "position");
  auto day = ParseStored(last_day, "last_day");
  if (!at.ok()) return at.status();
  if (!day.ok()) return day.status();
  projector->Resume(static_cast<uint64_t>(at.value()), static_cast<int32_t>(day.value()));
  // Loaded rows are not changes: forget them so the next commit writes only
  // what the fold changes.
  for (TableBase* t : projector->state().tables()) {
    t->DrainDirty([](const std::string&, const std::string*) {});
  }
  return projector;
}

Status ProjectionStore::Commit(uint64_t generation, Projector* projector, Ledger* ledger,
                               bool swap_in, uint64_t old_generation) {
  const std::string prefix = Gen(generation);
  rocksdb::WriteBatch batch;
  for (TableBase* t : projector->state().tables()) {
    const std::string table_prefix = prefix + "s/" + t->name() + std::string(1, '\0');
    t->DrainDirty([&](const std::string& key, const std::string* bytes) {
      if (bytes == nullptr) {
        batch.Delete(table_prefix + key);
      } else {
        batch.Put(table_prefix + key, *bytes);
      }
    });
  }
  const LogContext log = LogContextAt(ledger, projector->position());
  batch.Put(prefix + "m/position", std::to_string(projector->position()));
  batch.Put(prefix + "m/last_day", std::to_string(projector->last_day()));
  batch.Put(prefix + "m/root", log.root_hash_hex);
  batch.DeleteRange(prefix + "v/", PrefixEnd(prefix + "v/"));
  // The state's digest and the views only read the state: compute them side by side.
  std::string state_digest;
  std::thread digester([&] { state_digest = projector->state().Digest(); });
  const std::vector<RenderedView> views = RenderAllText(*projector, log);
  digester.join();
  batch.Put(prefix + "m/state_digest", HexEncode(state_digest));
  for (const RenderedView& view : views) {
    const std::string view_prefix = prefix + "v/" + view.name + std::string(1, '\0');
    for (const auto& [key, text] : view.rows) batch.Put(view_prefix + key, text);
    batch.Put(prefix + "d/" + view.name, HexEncode(view.digest));
  }
  if (swap_in) {
    batch.Put("meta/live", std::to_string(generation));
    if (old_generation != generation) {
      batch.DeleteRange(Gen(old_generation), PrefixEnd(Gen(old_generation)));
    }
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(db_->Write(sync, &batch), "writing the projection store");
}

Status ProjectionStore::Update(Ledger* ledger, UpdateReport* report) {
  auto generation = LiveGeneration();
  if (generation.status().code() == Status::Code::kNotFound) return Rebuild(ledger, report);
  if (!generation.ok()) return generation.status();
  if (live_ != nullptr && bound_ != ledger) live_.reset();  // its source reads another Ledger
  if (live_ == nullptr) {
    bound_ = ledger;
    source_ = std::make_unique<LedgerSource>(ledger);
    auto loaded = LoadProjector(source_.get());
    if (!loaded.ok()) return loaded.status();
    live_ = std::move(loaded.value());
  }
  EVIDENT_RETURN_IF_ERROR(CheckSameLog(generation.value(), ledger));
  auto start = std::chrono::steady_clock::now();
  report->from = live_->position();
  Status s = FoldLedger(ledger, live_->position(), ledger->size(), live_.get());
  if (!s.ok()) {
    live_.reset();  // its state is part-way; reload from the store next time
    return s;
  }
  report->to = live_->position();
  report->fold_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  s = Commit(generation.value(), live_.get(), ledger, false, generation.value());
  if (!s.ok()) live_.reset();
  report->commit_seconds = SecondsSince(start);
  return s;
}

Status ProjectionStore::CheckSameLog(uint64_t generation, Ledger* ledger) {
  const uint64_t position = live_->position();
  std::string root;
  EVIDENT_RETURN_IF_ERROR(
      FromRocks(db_->Get(rocksdb::ReadOptions(), Gen(generation) + "m/root", &root), "root"));
  const bool ahead = position > ledger->size();
  if (ahead || root != LogContextAt(ledger, position).root_hash_hex) {
    live_.reset();
    return Status::FailedPrecondition("the projection store was not built from this log (" +
                                      (ahead ? "it is at position " + std::to_string(position) +
                                                   ", the log has " +
                                                   std::to_string(ledger->size()) + " entries"
                                             : "its root at position " + std::to_string(position) +
                                                   " differs from the log's checkpoint") +
                                      "); run 'evident project rebuild'");
  }
  return Status::OK();
}

Status ProjectionStore::Rebuild(Ledger* ledger, UpdateReport* report) {
  auto live = LiveGeneration();
  if (!live.ok() && live.status().code() != Status::Code::kNotFound) return live.status();
  const uint64_t old_generation = live.ok() ? live.value() : 0;
  const uint64_t generation = old_generation + 1;
  auto source = std::make_unique<LedgerSource>(ledger);
  auto projector = std::make_unique<Projector>(source.get());
  auto start = std::chrono::steady_clock::now();
  report->from = 0;
  // Catch up: the log may grow while the rebuild runs.
  while (projector->position() < ledger->size()) {
    EVIDENT_RETURN_IF_ERROR(
        FoldLedger(ledger, projector->position(), ledger->size(), projector.get()));
  }
  report->to = projector->position();
  report->fold_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  Status s = Commit(generation, projector.get(), ledger, /*swap_in=*/true, old_generation);
  report->commit_seconds = SecondsSince(start);
  if (!s.ok()) return s;
  source_ = std::move(source);
  live_ = std::move(projector);
  bound_ = ledger;
  return Status::OK();
}

StatusOr<StoreStatus> ProjectionStore::GetStatus() {
  auto generation = LiveGeneration();
  if (!generation.ok()) return generation.status();
  const std::string prefix = Gen(generation.value());
  StoreStatus st;
  st.generation = generation.value();
  std::string value;
  auto get = [&](const std::string& key) {
    return FromRocks(db_->Get(rocksdb::ReadOptions(), prefix + key, &value), key);
  };
  EVIDENT_RETURN_IF_ERROR(get("m/position"));
  auto position = ParseStored(value, "position");
  if (!position.ok()) return position.status();
  st.position = static_cast<uint64_t>(position.value());
  EVIDENT_RETURN_IF_ERROR(get("m/last_day"));
  auto last_day = ParseStored(value, "last_day");
  if (!last_day.ok()) return last_day.status();
  const int32_t day = static_cast<int32_t>(last_day.value());
  st.as_of = day == kNoDay ? "" : DateOf(day);
  EVIDENT_RETURN_IF_ERROR(get("m/state_digest"));
  st.state_digest = value;
  EVIDENT_RETURN_IF_ERROR(get("m/root"));
  st.root_hash = value;
  for (const std::string& name : ViewNames()) {
    EVIDENT_RETURN_IF_ERROR(get("d/" + name));
    st.view_digests.emplace_back(name, value);
    // Counted by key; the rows' JSON is not parsed just to count it.
    const std::string rows = prefix + "v/" + name + std::string(1, '\0');
    uint64_t count = 0;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(rows); it->Valid() && it->key().starts_with(rows); it->Next()) ++count;
    EVIDENT_RETURN_IF_ERROR(FromRocks(it->status(), "counting the rows of " + name));
    st.view_rows.emplace_back(name, count);
  }
  return st;
}

StatusOr<std::vector<ViewRow>> ProjectionStore::ReadView(const std::string& view) {
  if (!IsViewName(view)) {
    return Status::InvalidArgument("no view named \"" + view +
                                   "\"; the views are reciprocity, accountability, equity and "
                                   "compliance");
  }
  auto generation = LiveGeneration();
  if (!generation.ok()) return generation.status();
  const std::string prefix = Gen(generation.value()) + "v/" + view + std::string(1, '\0');
  std::vector<ViewRow> rows;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    Json row = Json::parse(it->value().ToStringView(), nullptr, /*allow_exceptions=*/false);
    if (row.is_discarded()) {
      return Status::Corruption("a stored " + view +
                                " row is not JSON; run 'evident project rebuild'");
    }
    rows.push_back({it->key().ToString().substr(prefix.size()), std::move(row)});
  }
  EVIDENT_RETURN_IF_ERROR(FromRocks(it->status(), "reading view " + view));
  return rows;
}

}  // namespace evident::projections
