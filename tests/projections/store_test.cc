#include "projections/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <cstdio>
#include <fstream>

#include "ledger/coding.h"
#include "ledger/file_util.h"
#include "tests/testutil/test_util.h"

namespace evident::testing {
namespace {

using projections::ProjectionStore;
using projections::StoreStatus;
using projections::UpdateReport;

class StoreTest : public LedgerFixture {
 protected:
  // `count` generated events (with corrections and voids), as JSON lines.
  std::vector<std::string> Generate(uint64_t count) {
    const std::string path = dir_.path() + "/events.jsonl";
    const std::string cmd = std::string(GEN_EVENTS_BIN) + " --count " + std::to_string(count) +
                            " --seed 11 --amend 10 > " + path;
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  void AppendAll(const std::vector<std::string>& lines, size_t from, size_t to) {
    constexpr size_t kBatch = 2000;
    for (size_t i = from; i < to; i += kBatch) {
      std::vector<SignedEvent> batch;
      for (size_t j = i; j < std::min(to, i + kBatch); ++j)
        batch.push_back(Sign(*admin_, lines[j]));
      auto results = ledger_->Append(std::move(batch));
      ASSERT_TRUE(results.ok()) << results.status().ToString();
    }
  }
  StoreStatus Update(const std::string& path) {
    auto store = Must(ProjectionStore::Open(path));  // opened afresh: state loaded from disk
    UpdateReport report;
    Status s = store->Update(ledger_.get(), &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return Must(store->GetStatus());
  }
};

TEST_F(StoreTest, RebuildAndIncrementalAgreeOnAHundredThousandEvents) {
  const auto lines = Generate(100000);
  const std::string incremental = dir_.path() + "/incremental";
  // Uneven steps, each folded by a store reopened from disk.
  size_t done = 0;
  StoreStatus last;
  for (size_t step : {7919, 23000, 31081, 20000, 18000}) {
    AppendAll(lines, done, done + step);
    done += step;
    last = Update(incremental);
    ASSERT_EQ(last.position, ledger_->size());
  }
  ASSERT_EQ(done, lines.size());

  auto store = Must(ProjectionStore::Open(dir_.path() + "/rebuilt"));
  UpdateReport report;
  ASSERT_OK(store->Rebuild(ledger_.get(), &report));
  StoreStatus rebuilt = Must(store->GetStatus());
  EXPECT_EQ(rebuilt.position, last.position);
  EXPECT_EQ(rebuilt.state_digest, last.state_digest);
  EXPECT_EQ(rebuilt.view_digests, last.view_digests);
  EXPECT_EQ(rebuilt.view_rows, last.view_rows);

  // A fold in memory, never stored, renders the same views, row for row (a
  // duplicate row key would have been lost in the store).
  projections::LedgerSource source(ledger_.get());
  projections::Projector memory(&source);
  ASSERT_OK(projections::FoldLedger(ledger_.get(), 0, ledger_->size(), &memory));
  EXPECT_EQ(HexEncode(memory.state().Digest()), rebuilt.state_digest);
  const auto rendered =
      projections::RenderAllText(memory, projections::LogContextAt(ledger_.get(), ledger_->size()));
  ASSERT_EQ(rendered.size(), rebuilt.view_digests.size());
  for (size_t i = 0; i < rendered.size(); ++i) {
    EXPECT_EQ(HexEncode(rendered[i].digest), rebuilt.view_digests[i].second) << rendered[i].name;
    EXPECT_EQ(rendered[i].rows.size(), rebuilt.view_rows[i].second) << rendered[i].name;
  }

  // The log did correct and void: the compliance view lists them as applied.
  size_t applied = 0, corrections = 0, voids = 0;
  for (const auto& r : Must(store->ReadView("compliance"))) {
    if (r.row["row"] != "amendment" || r.row["outcome"] != "applied") continue;
    ++applied;
    (r.row["kind"] == "void" ? voids : corrections)++;
  }
  EXPECT_GT(corrections, 100u);
  EXPECT_GT(voids, 100u);
  EXPECT_EQ(applied, corrections + voids);
}

TEST_F(StoreTest, ARebuildSwapsInANewGenerationWithTheSameFigures) {
  AppendAll(Generate(3000), 0, 3000);
  const std::string path = dir_.path() + "/store";
  StoreStatus first = Update(path);
  EXPECT_EQ(first.generation, 1u);
  {
    auto store = Must(ProjectionStore::Open(path));
    UpdateReport report;
    ASSERT_OK(store->Rebuild(ledger_.get(), &report));
    EXPECT_EQ(report.to, ledger_->size());
  }
  StoreStatus second = Update(path);
  EXPECT_EQ(second.generation, 2u);
  EXPECT_EQ(second.state_digest, first.state_digest);
  EXPECT_EQ(second.view_digests, first.view_digests);
}

TEST_F(StoreTest, BeforeAnyBuildTheStoreSaysWhatToRun) {
  auto store = Must(ProjectionStore::Open(dir_.path() + "/store"));
  auto status = store->GetStatus();
  EXPECT_EQ(status.status().code(), Status::Code::kNotFound);
  EXPECT_NE(status.status().message().find("evident project rebuild"), std::string::npos);
  auto unknown = store->ReadView("popularity");
  EXPECT_EQ(unknown.status().code(), Status::Code::kInvalidArgument);
}

TEST_F(StoreTest, ADatabaseThatIsNotAProjectionStoreIsRefused) {
  const std::string path = dir_.path() + "/other";
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, path, &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "meta/format", "something-else/3").ok());
    delete db;
  }
  auto store = ProjectionStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find("not an Evident projection store"), std::string::npos);

  // The ledger's own database has column families a projection store lacks.
  ledger_.reset();
  auto ledger_db = ProjectionStore::Open(Ledger::DatabasePath(dir_.path()));
  ASSERT_FALSE(ledger_db.ok());
  EXPECT_NE(ledger_db.status().message().find(Ledger::DatabasePath(dir_.path())), std::string::npos)
      << ledger_db.status().ToString();
}

// A store of an older format holds views folded under older rules: opening
// it empties it, and the next update folds the log afresh.
TEST_F(StoreTest, AStoreOfAnOlderFormatIsEmptiedAndRefolded) {
  AppendAll(Generate(300), 0, 300);
  const std::string path = dir_.path() + "/store";
  const StoreStatus fresh = Update(path);
  {
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), path, &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "meta/format", "evident-projections/2").ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "g-stale", "left by the older format").ok());
    delete db;
  }
  UpdateReport report;
  {
    auto store = Must(ProjectionStore::Open(path));
    ASSERT_TRUE(store->Update(ledger_.get(), &report).ok());
  }
  EXPECT_EQ(report.from, 0u);  // folded from the start, not resumed
  const StoreStatus refolded = Update(path);
  EXPECT_EQ(refolded.position, fresh.position);
  EXPECT_EQ(refolded.state_digest, fresh.state_digest);
  EXPECT_EQ(refolded.view_digests, fresh.view_digests);
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), path, &db).ok());
  std::string value;
  EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), "g-stale", &value).IsNotFound());
  ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), "meta/format", &value).ok());
  EXPECT_EQ(value, "evident-projections/4");
  delete db;
}

TEST_F(StoreTest, AStoreBuiltFromAnotherLogIsRefused) {
  AppendAll(Generate(300), 0, 300);
  const std::string path = dir_.path() + "/store";
  Update(path);
  // Another district's ledger, of a different size and then of the same size.
  TempDir other_dir;
  PrivateKey other_admin = Must(PrivateKey::Generate());
  PrivateKey other_key = Must(PrivateKey::Generate());
  auto other = Must(Ledger::Create(other_dir.path(), "evident.example/other", other_key));
  auto registration = [&](uint64_t id, const char* principal, const char* role,
                          const PrivateKey& key) {
    return Sign(other_admin,
                EventJson(IdHex(id), "KeyRegistered", "",
                          std::string("\"principal_id\":\"") + principal + "\",\"role\":\"" + role +
                              "\",\"public_key\":\"" + HexEncode(key.public_key().raw()) + "\""));
  };
  ASSERT_TRUE(other
                  ->Append({registration(1, "admin", "Admin", other_admin),
                            registration(2, "ledger", "Ledger", other_key)})
                  .ok());
  auto store = Must(ProjectionStore::Open(path));
  UpdateReport report;
  Status s = store->Update(other.get(), &report);
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("evident project rebuild"), std::string::npos);
  // The store still answers for its own log.
  EXPECT_EQ(Must(store->GetStatus()).position, ledger_->size());
}

}  // namespace
}  // namespace evident::testing
