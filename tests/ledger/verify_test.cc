// `verify` against a log changed behind the ledger's back, directly in RocksDB.

#include "ledger/verify.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <fstream>
#include <random>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/key_registry.h"
#include "ledger/note.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::AttendanceJson;
using testing::IdHex;
using testing::Must;

// RocksDB opened directly, as someone with disk access would.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::Options(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& name : names) cfs.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(rocksdb::Options(), path, cfs, &handles_, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_.reset(db);
  }
  ~RawDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  }
  rocksdb::ColumnFamilyHandle* cf(Column c) {
    for (auto* h : handles_) {
      if (h->GetName() == ColumnName(c)) return h;
    }
    ADD_FAILURE() << "no column family " << ColumnName(c);
    return nullptr;
  }
  std::string Get(Column c, const std::string& key) {
    std::string v;
    EXPECT_TRUE(db_->Get(rocksdb::ReadOptions(), cf(c), key, &v).ok());
    return v;
  }
  void Put(Column c, const std::string& key, const std::string& value) {
    ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), cf(c), key, value).ok());
  }
  void Delete(Column c, const std::string& key) {
    ASSERT_TRUE(db_->Delete(rocksdb::WriteOptions(), cf(c), key).ok());
  }
  std::vector<std::string> Keys(Column c) {
    std::vector<std::string> keys;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(c)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) keys.push_back(it->key().ToString());
    return keys;
  }
  void DropColumn(Column c) {
    rocksdb::ColumnFamilyHandle* handle = cf(c);
    ASSERT_TRUE(db_->DropColumnFamily(handle).ok());
    handles_.erase(std::find(handles_.begin(), handles_.end(), handle));
    db_->DestroyColumnFamilyHandle(handle);
  }
  void Flush() {
    for (auto* h : handles_) ASSERT_TRUE(db_->Flush(rocksdb::FlushOptions(), h).ok());
  }

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

class VerifyTest : public testing::LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    hr_ = RegisterKey("hr", "Integration", "[\"AttendanceRecorded\"]");
    std::vector<SignedEvent> events;
    for (int i = 0; i < kEvents; ++i) {
      events.push_back(Sign(*hr_, AttendanceJson(IdHex(100 + i), "p-" + std::to_string(i), 30)));
    }
    Must(ledger_->Append(std::move(events)));
    size_ = ledger_->size();
    ledger_.reset();  // tampering needs the database to itself
  }

  std::string DbPath() { return Ledger::DatabasePath(dir_.path()); }

  // Turns the closed ledger into what format 1 wrote: event ids indexed
  // alone, and no subjects column.
  void MakeFormatOne() {
    RawDb db(DbPath());
    for (const std::string& key : db.Keys(Column::kEventIds)) {
      const std::string value = db.Get(Column::kEventIds, key);
      db.Delete(Column::kEventIds, key);
      db.Put(Column::kEventIds, key.substr(0, kEventIdBytes), value);
    }
    db.Put(Column::kMeta, "format", "evident-ledger/1");
    db.DropColumn(Column::kSubjects);
  }

  VerifyReport Verify() {
    auto storage = Must(OpenRocksStorage(DbPath(), OpenMode::kReadWrite));
    return Must(VerifyLog(storage.get()));
  }

  static constexpr int kEvents = 20;
  std::optional<PrivateKey> hr_;
  uint64_t size_ = 0;
};

TEST_F(VerifyTest, UntouchedLogVerifies) {
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok()) << r.problem;
  EXPECT_EQ(r.entries, size_);
  EXPECT_EQ(r.signatures, size_);
  EXPECT_EQ(r.key_events, 3u);
}

// Every single-byte change anywhere in a stored entry is caught at that
// entry's position: the signature covers the event, and the Merkle leaf (and
// the signed checkpoints above it) covers every byte, the ledger's own
// recorded-at time and FlatBuffers padding included.
TEST_F(VerifyTest, ChangedByteInAnEntryIsNamedByPosition) {
  const uint64_t position = 7;
  const std::string key = EncodeKey64(position);
  std::string original;
  {
    RawDb db(DbPath());
    original = db.Get(Column::kEntries, key);
  }
  int checked = 0;
  for (size_t offset = 0; offset < original.size(); offset += 4) {
    std::string tampered = original;
    tampered[offset] ^= 0x20;
    {
      RawDb db(DbPath());
      db.Put(Column::kEntries, key, tampered);
    }
    VerifyReport r = Verify();
    EXPECT_FALSE(r.ok()) << "byte " << offset;
    EXPECT_EQ(r.first_bad_position, position) << "byte " << offset << ": " << r.problem;
    ++checked;
    RawDb db(DbPath());
    db.Put(Column::kEntries, key, original);
  }
  EXPECT_GT(checked, 50);
  EXPECT_TRUE(Verify().ok());
}

TEST_F(VerifyTest, ChangedMerkleNodeIsNamed) {
  // Node (level 1, index 4) covers positions 8 and 9; it is written with entry 9.
  std::string node_key(1, '\x01');
  node_key += EncodeKey64(4);
  {
    RawDb db(DbPath());
    std::string node = db.Get(Column::kMerkle, node_key);
    ASSERT_EQ(node.size(), 32u);
    node[0] ^= 1;
    db.Put(Column::kMerkle, node_key, node);
  }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, 9u) << r.problem;
  EXPECT_NE(r.problem.find("Merkle node (level 1, index 4)"), std::string::npos) << r.problem;
}

TEST_F(VerifyTest, ForgedOrChangedCheckpointIsNamed) {
  const std::string key = EncodeKey64(size_);
  std::string original;
  { original = RawDb(DbPath()).Get(Column::kCheckpoints, key); }
  Checkpoint c = Must(ParseCheckpointText(Must(ParseNote(original)).text));
  // Signed by a key that is not the ledger's, under the ledger's name.
  PrivateKey forger = Must(PrivateKey::Generate());
  { RawDb(DbPath()).Put(Column::kCheckpoints, key, SignNote(CheckpointText(c), c.origin, forger)); }
  VerifyReport forged = Verify();
  EXPECT_EQ(forged.first_bad_position, size_ - 1) << forged.problem;
  EXPECT_NE(forged.problem.find("checkpoint at size " + std::to_string(size_)), std::string::npos);
  // One changed byte of the stored note.
  std::string changed = original;
  changed[changed.size() / 2] ^= 0x01;
  { RawDb(DbPath()).Put(Column::kCheckpoints, key, changed); }
  EXPECT_EQ(Verify().first_bad_position, size_ - 1);
  // Signed by the real ledger key, but over another root.
  c.root[0] ^= 1;
  {
    RawDb(DbPath()).Put(Column::kCheckpoints, key,
                        SignNote(CheckpointText(c), c.origin, *ledger_key_));
  }
  VerifyReport wrong_root = Verify();
  EXPECT_NE(wrong_root.problem.find("but the entries give"), std::string::npos)
      << wrong_root.problem;
}

TEST_F(VerifyTest, EntriesNoCheckpointCoversAreNamed) {
  { RawDb(DbPath()).Delete(Column::kCheckpoints, EncodeKey64(size_)); }
  VerifyReport r = Verify();
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.problem.find("no signed checkpoint covers"), std::string::npos) << r.problem;
}

TEST_F(VerifyTest, MissingEntryIsNamed) {
  { RawDb(DbPath()).Delete(Column::kEntries, EncodeKey64(5)); }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, 5u) << r.problem;
}

TEST_F(VerifyTest, ReorderedEntriesAreNamed) {
  {
    RawDb db(DbPath());
    std::string a = db.Get(Column::kEntries, EncodeKey64(9));
    std::string b = db.Get(Column::kEntries, EncodeKey64(10));
    db.Put(Column::kEntries, EncodeKey64(9), b);
    db.Put(Column::kEntries, EncodeKey64(10), a);
  }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, 9u) << r.problem;
}

TEST_F(VerifyTest, EntryAppendedBehindTheLedgersBackIsCaught) {
  // A copy of entry 4 written as a new last entry.
  {
    RawDb db(DbPath());
    db.Put(Column::kEntries, EncodeKey64(size_), db.Get(Column::kEntries, EncodeKey64(4)));
  }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, size_) << r.problem;
}

TEST_F(VerifyTest, EventIdIndexDamageIsNamed) {
  // hr's event at position 6, mapped to position 7.
  const std::string key = EventIndexKey(Must(HexDecode(IdHex(100 + 3))), "hr");
  { RawDb(DbPath()).Put(Column::kEventIds, key, EncodeKey64(7)); }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, 6u) << r.problem;
  EXPECT_NE(r.problem.find(IdHex(103) + " of hr"), std::string::npos) << r.problem;
}

// The index key holds the principal: hr's event indexed as another's is a
// stray, and hr's own key is missing.
TEST_F(VerifyTest, AnEventIndexedUnderAnotherPrincipalIsNamed) {
  const std::string id = Must(HexDecode(IdHex(100 + 3)));  // hr's event at position 6
  {
    RawDb db(DbPath());
    db.Put(Column::kEventIds, EventIndexKey(id, "lms"), EncodeKey64(6));
    db.Delete(Column::kEventIds, EventIndexKey(id, "hr"));
  }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, 6u) << r.problem;
}

// Format 1's 16-byte keys, left behind by the migration, are never read.
TEST_F(VerifyTest, FormatOnesKeysAreIgnored) {
  { RawDb(DbPath()).Put(Column::kEventIds, Must(HexDecode(IdHex(103))), EncodeKey64(7)); }
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok()) << r.problem;
}

// A format-1 ledger (the event_ids index keyed by the id alone) is read by
// nothing until a writer migrates it; migrated, it verifies, each event is
// its signer's duplicate, and another principal may use the same ids.
TEST_F(VerifyTest, AFormatOneLedgerIsMigratedWhenOpenedToWrite) {
  MakeFormatOne();
  {
    auto read_only = Ledger::Open(dir_.path(), OpenMode::kReadOnly);
    EXPECT_EQ(read_only.status().code(), Status::Code::kFailedPrecondition);
    EXPECT_NE(read_only.status().message().find("format 1"), std::string::npos)
        << read_only.status().ToString();
  }

  Reopen();  // to write, with the ledger key
  const SignedEvent again = Sign(*hr_, AttendanceJson(IdHex(100 + 3), "p-3", 30));
  auto dup = Must(ledger_->Append({again}));
  EXPECT_TRUE(dup[0].duplicate);
  EXPECT_EQ(dup[0].sequence, 6u);
  PrivateKey lms = RegisterKey("lms", "Integration", "[\"AttendanceRecorded\"]");
  EXPECT_FALSE(
      Must(ledger_->Append({Sign(lms, AttendanceJson(IdHex(100 + 3), "p-3", 30))}))[0].duplicate);
  ledger_.reset();
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok()) << r.problem;
  EXPECT_EQ(r.entries, size_ + 2);
}

TEST_F(VerifyTest, StrayEventIdIsReported) {
  {
    RawDb(DbPath()).Put(Column::kEventIds, EventIndexKey(Must(HexDecode(IdHex(999))), "hr"),
                        EncodeKey64(3));
  }
  VerifyReport r = Verify();
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.problem.find(IdHex(999)), std::string::npos) << r.problem;
}

TEST_F(VerifyTest, KeyEventsIndexDamageIsNamed) {
  { RawDb(DbPath()).Delete(Column::kKeyEvents, EncodeKey64(1)); }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, 1u) << r.problem;
}

TEST_F(VerifyTest, EntryResignedByAnUnregisteredKeyIsNamed) {
  // Re-sign entry 8's event with a key that is not registered, keeping the
  // entry well-formed: the key rule, not the parser, must catch it.
  PrivateKey stranger = Must(PrivateKey::Generate());
  {
    RawDb db(DbPath());
    const std::string bytes = db.Get(Column::kEntries, EncodeKey64(8));
    const schema::Entry* e = Must(ParseEntry(bytes));
    SignedEvent forged = SignEvent(stranger, std::string(AsView(e->event())));
    db.Put(Column::kEntries, EncodeKey64(8), BuildEntry(8, e->recorded_at_micros(), forged));
  }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, 8u);
  EXPECT_NE(r.problem.find("not registered"), std::string::npos) << r.problem;
}

TEST_F(VerifyTest, AnAmendmentOfAnotherSystemsEventIsNamed) {
  // The PD system voids its own event; then, behind the ledger's back, that
  // void is re-signed by the same PD key to name one of the HR system's
  // events instead, under the same event id. The entry is well-formed and
  // its signature good: the amendment rule must catch it before the tree.
  Reopen();
  PrivateKey pd = RegisterKey("pd", "Integration", "[\"AttendanceRecorded\",\"RecordVoided\"]");
  auto void_of = [](const std::string& target) {
    return testing::EventJson(IdHex(501), "RecordVoided", "",
                              "\"amends_event_id\":\"" + target +
                                  "\",\"reason_code\":\"entered-in-error\"");
  };
  Must(ledger_->Append({Sign(pd, AttendanceJson(IdHex(500), "p-1", 30))}));
  Must(ledger_->Append({Sign(pd, void_of(IdHex(500)))}));
  const uint64_t at = ledger_->size() - 1;
  const SignedEvent forged = Sign(pd, void_of(IdHex(100 + 3)));  // hr's event at position 6
  ASSERT_TRUE(Must(VerifyLog(ledger_->storage())).ok());
  ledger_.reset();
  {
    RawDb db(DbPath());
    const std::string stored = db.Get(Column::kEntries, EncodeKey64(at));  // e points into it
    const schema::Entry* e = Must(ParseEntry(stored));
    db.Put(Column::kEntries, EncodeKey64(at), BuildEntry(at, e->recorded_at_micros(), forged));
  }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, at) << r.problem;
  EXPECT_NE(r.problem.find("key rule broken: key " + ShortKeyId(pd.public_key().key_id()) +
                           " (pd, Integration) amends only earlier events of pd, and none of "
                           "them holds event " +
                           IdHex(103)),
            std::string::npos)
      << r.problem;
}

// Key rule 7 on audit. A format-1 ledger's migration builds the subjects
// index from its registrations; after it, a registration of another
// system's person put in behind the ledger's back (well-formed, signed by the
// system's own key) is named at its position.
TEST_F(VerifyTest, ARegistrationOfAnotherSystemsPersonIsNamed) {
  Reopen();
  const std::string allowed = "[\"PersonRegistered\"]";
  PrivateKey hr = RegisterKey("hr-system", "Integration", allowed);
  PrivateKey pd = RegisterKey("pd-system", "Integration", allowed);
  auto person = [](uint64_t id, const std::string& who) {
    return testing::EventJson(IdHex(id), "PersonRegistered", "\"person_id\":\"" + who + "\"",
                              "\"participant_group\":\"Certificated\"");
  };
  Must(ledger_->Append({Sign(hr, person(600, "e-1"))}));
  Must(ledger_->Append({Sign(pd, person(601, "f-1"))}));
  ledger_.reset();
  MakeFormatOne();
  Reopen();
  EXPECT_EQ(ledger_->Append({Sign(pd, person(602, "e-1"))}).status().code(),
            Status::Code::kPermissionDenied);
  Must(ledger_->Append({Sign(hr, person(603, "e-1"))}));
  Must(ledger_->Append({Sign(pd, person(604, "f-2"))}));
  const uint64_t at = ledger_->size() - 1;
  const SignedEvent forged = Sign(pd, person(604, "e-1"));
  ASSERT_TRUE(Must(VerifyLog(ledger_->storage())).ok());
  ledger_.reset();
  {
    RawDb db(DbPath());
    const std::string stored = db.Get(Column::kEntries, EncodeKey64(at));
    const schema::Entry* e = Must(ParseEntry(stored));
    db.Put(Column::kEntries, EncodeKey64(at), BuildEntry(at, e->recorded_at_micros(), forged));
  }
  VerifyReport r = Verify();
  EXPECT_EQ(r.first_bad_position, at) << r.problem;
  EXPECT_NE(r.problem.find("key rule broken: pd-system registers only what no other system has "
                           "registered, and person e-1 is another system's"),
            std::string::npos)
      << r.problem;
}

TEST_F(VerifyTest, SubjectsIndexDamageIsNamed) {
  Reopen();
  PrivateKey hr = RegisterKey("hr-system", "Integration", "[\"PersonRegistered\"]");
  Must(ledger_->Append({Sign(hr, testing::EventJson(IdHex(600), "PersonRegistered",
                                                    "\"person_id\":\"e-1\"",
                                                    "\"participant_group\":\"Certificated\""))}));
  ledger_.reset();
  ASSERT_TRUE(Verify().ok());
  {
    RawDb db(DbPath());
    const std::vector<std::string> keys = db.Keys(Column::kSubjects);
    ASSERT_EQ(keys.size(), 2u);  // e-1's owner, and what its registration owns
    db.Put(Column::kSubjects, keys[0], "");  // released behind the ledger's back
  }
  VerifyReport r = Verify();
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.problem.find("subjects index"), std::string::npos) << r.problem;
}

TEST_F(VerifyTest, CorruptedFileOnDiskFailsVerification) {
  { RawDb(DbPath()).Flush(); }
  bool corrupted = false;
  for (const auto& f : std::filesystem::directory_iterator(DbPath())) {
    if (f.path().extension() != ".sst" || f.file_size() < 2048) continue;
    std::fstream file(f.path(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(200);
    char c = 0;
    file.read(&c, 1);
    file.seekp(200);
    c ^= 0x55;
    file.write(&c, 1);
    corrupted = true;
  }
  ASSERT_TRUE(corrupted);
  auto storage = OpenRocksStorage(DbPath(), OpenMode::kReadWrite);
  if (!storage.ok()) {  // RocksDB may refuse the damaged file at open: also a clear failure
    EXPECT_EQ(storage.status().code(), Status::Code::kCorruption) << storage.status().ToString();
    return;
  }
  auto report = VerifyLog(storage.value().get());
  ASSERT_OK(report.status());
  EXPECT_FALSE(report->ok());
}

// Damage at random, many times over, in every column: a bit flipped in a
// value, a byte added or cut off, a key deleted, a value moved to another
// key. Each time, verify must fail; damage to an entry must be named at that
// entry's position. The damage is undone before the next try.
TEST_F(VerifyTest, RandomDamageToEveryColumnIsFound) {
  std::mt19937_64 rng(9162);
  const Column columns[] = {Column::kEntries, Column::kEventIds, Column::kKeyEvents,
                            Column::kMeta,    Column::kMerkle,   Column::kCheckpoints};
  for (Column column : columns) {
    for (int trial = 0; trial < 25; ++trial) {
      std::string key, original, damaged_key, damaged, how;
      std::optional<std::string> overwritten;  // what was at damaged_key before
      {
        RawDb db(DbPath());
        const std::vector<std::string> keys = db.Keys(column);
        ASSERT_FALSE(keys.empty()) << ColumnName(column);
        key = keys[rng() % keys.size()];
        original = db.Get(column, key);
        damaged_key = key;
        damaged = original;
        switch (rng() % 5) {
          case 0:
            if (!damaged.empty()) {
              damaged[rng() % damaged.size()] ^= char(1 << (rng() % 8));
              how = "a bit flipped";
              break;
            }
            [[fallthrough]];
          case 1:
            damaged.push_back(char(rng()));
            how = "a byte added";
            break;
          case 2:
            if (!damaged.empty()) {
              damaged.resize(rng() % damaged.size());
              how = "cut short";
              break;
            }
            [[fallthrough]];
          case 3:
            damaged_key.clear();
            how = "deleted";
            break;
          default:
            damaged_key[rng() % damaged_key.size()] ^= char(1 << (rng() % 8));
            how = "moved to another key";
        }
        if (damaged_key != key) {
          db.Delete(column, key);
          const std::vector<std::string> keys_now = db.Keys(column);
          if (std::find(keys_now.begin(), keys_now.end(), damaged_key) != keys_now.end()) {
            overwritten = db.Get(column, damaged_key);
          }
        }
        if (!damaged_key.empty()) db.Put(column, damaged_key, damaged);
      }
      VerifyReport r = Verify();
      const std::string what = std::string(ColumnName(column)) + " key " + HexEncode(key) + " " +
                               how + " (trial " + std::to_string(trial) + ")";
      EXPECT_FALSE(r.ok()) << what << " went unnoticed";
      if (column == Column::kEntries && damaged_key == key) {
        EXPECT_EQ(r.first_bad_position, DecodeFixed64BE(key.data())) << what << ": " << r.problem;
      }
      {
        RawDb db(DbPath());
        if (!damaged_key.empty() && damaged_key != key) {
          if (overwritten) {
            db.Put(column, damaged_key, *overwritten);
          } else {
            db.Delete(column, damaged_key);
          }
        }
        db.Put(column, key, original);
      }
    }
  }
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok()) << "the damage was not undone: " << r.problem;
}

// Verify checks signatures of one chunk (4,096 entries) while it reads and
// checks the next: a log of several chunks must count every entry once, and
// damage in a later chunk must be named with every entry before it counted.
TEST_F(VerifyTest, ALogOfSeveralChunksCountsEveryEntryAndNamesLaterDamage) {
  Reopen();
  std::vector<SignedEvent> events;
  for (int i = 0; i < 9000; ++i) {
    events.push_back(Sign(*hr_, AttendanceJson(IdHex(10000 + i), "p-" + std::to_string(i), 45)));
  }
  Must(ledger_->Append(std::move(events)));
  const uint64_t size = ledger_->size();
  ledger_.reset();
  VerifyReport clean = Verify();
  ASSERT_TRUE(clean.ok()) << clean.problem;
  EXPECT_EQ(clean.entries, size);
  EXPECT_EQ(clean.signatures, size);

  const uint64_t position = 6000;  // in the second chunk
  {
    RawDb db(DbPath());
    std::string entry = db.Get(Column::kEntries, EncodeKey64(position));
    entry[entry.size() / 2] ^= 0x01;
    db.Put(Column::kEntries, EncodeKey64(position), entry);
  }
  VerifyReport r = Verify();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_position, position) << r.problem;
  EXPECT_EQ(r.entries, position);
}

}  // namespace
}  // namespace evident
