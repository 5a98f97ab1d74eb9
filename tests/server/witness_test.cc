// The witness (server/witness/witness.h), request by request: each answer of
// C2SP tlog-witness, the split view it must refuse whatever old size is
// claimed, its state across reopening, and a save that fails.

#include "server/witness/witness.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "ledger/coding.h"
#include "ledger/cosignature.h"
#include "server/witness/request.h"
#include "server/witness/state.h"
#include "tests/server/witness_util.h"

namespace evident::testing {
namespace {

using server::http::Response;
using server::witness::LogState;
using server::witness::StateStore;
using server::witness::Witness;

constexpr uint64_t kNow = 1700000000;
constexpr char kWitnessName[] = "county.example/witness";

// A store in memory whose Put can be made to fail.
class FakeStore : public StateStore {
 public:
  StatusOr<std::optional<LogState>> Get(const std::string& origin) override {
    std::lock_guard lock(mu_);
    auto it = states_.find(origin);
    if (it == states_.end()) return std::optional<LogState>();
    return std::optional<LogState>(it->second);
  }
  Status Put(const std::string& origin, const LogState& state) override {
    if (fail_puts) return Status::IOError("disk full (fake)");
    std::lock_guard lock(mu_);
    states_[origin] = state;
    return Status::OK();
  }
  std::atomic<bool> fail_puts{false};

 private:
  std::mutex mu_;
  std::map<std::string, LogState> states_;
};

// "200 <body>", "409 <body>": one line to compare.
std::string Answer(const Response& r) { return std::to_string(r.status) + " " + r.body; }

class WitnessTest : public ::testing::Test {
 protected:
  WitnessTest()
      : log_("district-a.example/log", Must(PrivateKey::Generate())),
        other_("district-b.example/log", Must(PrivateKey::Generate())),
        witness_key_(Must(PrivateKey::Generate())) {
    log_.Grow(20, "a");
    other_.Grow(5, "b");
  }

  void SetUp() override { Start(std::make_unique<FakeStore>()); }

  void Start(std::unique_ptr<StateStore> store) {
    witness_.reset();
    server::witness::WitnessOptions options;
    options.name = kWitnessName;
    options.logs = {Must(NoteVerifier::FromVkey(log_.Vkey())),
                    Must(NoteVerifier::FromVkey(other_.Vkey()))};
    options.now = [] { return kNow; };
    witness_ = Must(Witness::Create(options, witness_key_, std::move(store)));
  }

  // "" if `response` is a 200 carrying exactly one valid cosignature by the
  // witness on `log`'s checkpoint of `size`, with time kNow; else why not.
  std::string CosignatureError(const Response& response, const TestLog& log, uint64_t size) {
    if (response.status != 200) return "status " + Answer(response);
    auto verifier = Must(CosignatureVerifier::Create(kWitnessName, witness_key_.public_key()));
    auto with = ParseNote(AddSignatureLines(log.Note(size), {response.body}));
    if (!with.ok()) return "the reply is not a signature line: " + response.body;
    if (with->signatures.size() != 2) return "expected one cosignature line: " + response.body;
    auto time = verifier.VerifyNote(with.value());
    if (!time.ok()) return time.status().ToString();
    if (time.value() != kNow) return "time " + std::to_string(time.value());
    return "";
  }

  TestLog log_;
  TestLog other_;
  PrivateKey witness_key_;
  std::unique_ptr<Witness> witness_;
};

TEST_F(WitnessTest, CosignsAFirstCheckpointFromOldSizeZero) {
  EXPECT_EQ(CosignatureError(witness_->AddCheckpoint(log_.Body(0, 7)), log_, 7), "");
}

TEST_F(WitnessTest, CosignsAnExtensionWhoseProofVerifies) {
  ASSERT_EQ(witness_->AddCheckpoint(log_.Body(0, 7)).status, 200);
  EXPECT_EQ(CosignatureError(witness_->AddCheckpoint(log_.Body(7, 13)), log_, 13), "");
  EXPECT_EQ(CosignatureError(witness_->AddCheckpoint(log_.Body(13, 20)), log_, 20), "");
}

// Worked by hand from RFC 9162: PROOF(2, D[3]) = [leaf 2], and
// MTH(D[3]) = H(1 || H(1 || leaf0 || leaf1) || leaf2).
TEST_F(WitnessTest, CosignsAHandWorkedProofFromTwoToThree) {
  const PrivateKey key = Must(PrivateKey::Generate());
  const std::string origin = "hand.example/log";
  const std::string l0 = merkle::LeafHash("zero"), l1 = merkle::LeafHash("one"),
                    l2 = merkle::LeafHash("two");
  const std::string root2 = merkle::NodeHash(l0, l1);
  const std::string root3 = merkle::NodeHash(root2, l2);
  server::witness::WitnessOptions options{kWitnessName,
                                          {Must(NoteVerifier::Create(origin, key.public_key()))},
                                          [] { return kNow; },
                                          {}};
  auto witness = Must(Witness::Create(options, witness_key_, std::make_unique<FakeStore>()));
  const std::string note2 = SignNote(CheckpointText({origin, 2, root2}), origin, key);
  const std::string note3 = SignNote(CheckpointText({origin, 3, root3}), origin, key);
  ASSERT_EQ(witness->AddCheckpoint("old 0\n\n" + note2).status, 200);
  EXPECT_EQ(witness->AddCheckpoint("old 2\n" + Base64Encode(l2) + "\n\n" + note3).status, 200);
  EXPECT_EQ(Answer(witness->AddCheckpoint("old 3\n\n" + note2)),
            "400 old size 3 is over the checkpoint's size 2\n");
}

TEST_F(WitnessTest, CosignsTheSameCheckpointAgain) {
  ASSERT_EQ(witness_->AddCheckpoint(log_.Body(0, 7)).status, 200);
  EXPECT_EQ(CosignatureError(witness_->AddCheckpoint(log_.Body(7, 7)), log_, 7), "");
}

TEST_F(WitnessTest, UnknownOriginIsNotFound) {
  TestLog stranger("stranger.example/log", Must(PrivateKey::Generate()));
  stranger.Grow(3, "s");
  EXPECT_EQ(Answer(witness_->AddCheckpoint(stranger.Body(0, 3))),
            "404 this witness does not witness the log \"stranger.example/log\"\n");
}

TEST_F(WitnessTest, ACheckpointTheLogDidNotSignIsForbidden) {
  // Same origin and leaves, another key: the witness knows the name only.
  TestLog impostor(log_.origin(), Must(PrivateKey::Generate()));
  impostor.Grow(7, "a");
  EXPECT_EQ(witness_->AddCheckpoint(impostor.Body(0, 7)).status, 403);
  // The log's own signature with a byte of the text changed.
  std::string note = log_.Note(7);
  note[note.find('\n') + 1] = '8';
  EXPECT_EQ(witness_->AddCheckpoint("old 0\n\n" + note).status, 403);
}

TEST_F(WitnessTest, MalformedRequestsAreBadRequests) {
  const std::string note = log_.Note(7);
  const std::string hash = Base64Encode(std::string(32, 'x'));
  std::string too_long;
  for (int i = 0; i < 64; ++i) too_long += hash + "\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "the body has no old size line"},
      {"old 0", "the body has no old size line"},
      {"new 0\n\n" + note, "the body must start with the line \"old SIZE\""},
      {"old 07\n\n" + note, "old size \"07\" is not a decimal number without leading zeros"},
      {"old -1\n\n" + note, "old size \"-1\" is not a decimal number without leading zeros"},
      {"old \n\n" + note, "old size \"\" is not a decimal number without leading zeros"},
      {"old 0\n" + note, "consistency proof line 1 is not the base64 of a 32-byte hash"},
      {"old 0\n" + Base64Encode("short") + "\n\n" + note,
       "consistency proof line 1 is not the base64 of a 32-byte hash"},
      {"old 0\n" + too_long + "\n" + note, "the consistency proof has more than 63 lines"},
      {"old 0\n" + hash + "\n", "the body has no empty line before the checkpoint"},
      {"old 0\n\n", "the body has no checkpoint"},
      {"old 0\n\n" + log_.Text(7),
       "the checkpoint: a signed note needs a blank line before its signatures"},
      {"old 9\n\n" + note, "old size 9 is over the checkpoint's size 7"},
  };
  for (const auto& [body, message] : cases) {
    EXPECT_EQ(Answer(witness_->AddCheckpoint(body)), "400 " + message + "\n") << body;
  }
}

TEST_F(WitnessTest, AnOldSizeOtherThanTheWitnessesIsAConflictNamingItsSize) {
  const Response first = witness_->AddCheckpoint(log_.Body(3, 7));
  EXPECT_EQ(Answer(first), "409 0\n");
  EXPECT_EQ(first.content_type, "text/x.tlog.size");
  ASSERT_EQ(witness_->AddCheckpoint(log_.Body(0, 7)).status, 200);
  const Response second = witness_->AddCheckpoint(log_.Body(5, 12));
  EXPECT_EQ(Answer(second), "409 7\n");
  EXPECT_EQ(second.content_type, "text/x.tlog.size");
  EXPECT_EQ(Answer(witness_->AddCheckpoint(log_.Body(0, 12))), "409 7\n");
}

TEST_F(WitnessTest, AProofThatDoesNotVerifyIsUnprocessable) {
  ASSERT_EQ(witness_->AddCheckpoint(log_.Body(0, 7)).status, 200);
  std::vector<std::string> proof = log_.Proof(7, 13);
  proof[0][0] ^= 1;
  auto bad = witness_->AddCheckpoint(server::witness::AddCheckpointBody(7, proof, log_.Note(13)));
  EXPECT_EQ(bad.status, 422) << bad.body;
  proof = log_.Proof(7, 13);
  proof.pop_back();
  EXPECT_EQ(
      witness_->AddCheckpoint(server::witness::AddCheckpointBody(7, proof, log_.Note(13))).status,
      422);
  // The proof of another pair of sizes.
  EXPECT_EQ(
      witness_
          ->AddCheckpoint(server::witness::AddCheckpointBody(7, log_.Proof(6, 13), log_.Note(13)))
          .status,
      422);
  // Nothing was saved: 7 is still the size held.
  EXPECT_EQ(Answer(witness_->AddCheckpoint(log_.Body(0, 13))), "409 7\n");
}

TEST_F(WitnessTest, ASizeZeroCheckpointMustHaveTheEmptyRoot) {
  const PrivateKey& key = log_.key();
  const std::string bad =
      SignNote(CheckpointText({log_.origin(), 0, merkle::LeafHash("x")}), log_.origin(), key);
  EXPECT_EQ(witness_->AddCheckpoint("old 0\n\n" + bad).status, 422);
  EXPECT_EQ(CosignatureError(witness_->AddCheckpoint(log_.Body(0, 0)), log_, 0), "");
  EXPECT_EQ(CosignatureError(witness_->AddCheckpoint(log_.Body(0, 4)), log_, 4), "");
}

TEST_F(WitnessTest, AProofFromSizeZeroOrBetweenEqualSizesMustBeEmpty) {
  const std::string hash = Base64Encode(log_.Root(2));
  EXPECT_EQ(witness_->AddCheckpoint("old 0\n" + hash + "\n\n" + log_.Note(4)).status, 422);
  ASSERT_EQ(witness_->AddCheckpoint(log_.Body(0, 4)).status, 200);
  EXPECT_EQ(witness_->AddCheckpoint("old 4\n" + hash + "\n\n" + log_.Note(4)).status, 422);
}

TEST_F(WitnessTest, TheSameSizeWithAnotherRootIsAConflict) {
  ASSERT_EQ(witness_->AddCheckpoint(log_.Body(0, 4)).status, 200);
  TestLog fork(log_.origin(), log_.key());
  fork.Grow(4, "fork");
  EXPECT_EQ(witness_->AddCheckpoint(fork.Body(4, 4)).status, 409);
}

TEST_F(WitnessTest, ASmallerTreeIsNeverCosigned) {
  ASSERT_EQ(witness_->AddCheckpoint(log_.Body(0, 12)).status, 200);
  for (uint64_t size = 0; size < 12; ++size) {
    for (uint64_t old = 0; old <= 20; ++old) {
      const std::string body = server::witness::AddCheckpointBody(
          old, old <= size ? log_.Proof(old, size) : std::vector<std::string>{}, log_.Note(size));
      const int status = witness_->AddCheckpoint(body).status;
      EXPECT_TRUE(status == 400 || status == 409)
          << "size " << size << " old " << old << ": " << status;
    }
  }
}

TEST_F(WitnessTest, EachLogHasItsOwnState) {
  ASSERT_EQ(witness_->AddCheckpoint(log_.Body(0, 12)).status, 200);
  EXPECT_EQ(CosignatureError(witness_->AddCheckpoint(other_.Body(0, 5)), other_, 5), "");
  EXPECT_EQ(
      Answer(witness_->AddCheckpoint(server::witness::AddCheckpointBody(12, {}, other_.Note(5)))),
      "400 old size 12 is over the checkpoint's size 5\n");
}

// Two ledgers with one key and origin, the same first 8 entries, then
// different ones: a split view. Once the witness has cosigned one side past
// the split, no request for the other side gets a cosignature, whatever old
// size it claims and with the proof the other side would give for it.
TEST_F(WitnessTest, ASplitViewIsNeverCosignedWhateverOldSizeIsClaimed) {
  for (bool honest_first : {true, false}) {
    Start(std::make_unique<FakeStore>());
    TestLog a(log_.origin(), log_.key()), b(log_.origin(), log_.key());
    a.Grow(8, "common");
    b.Grow(8, "common");
    a.Grow(12, "a");
    b.Grow(12, "b");
    TestLog& first = honest_first ? a : b;
    TestLog& second = honest_first ? b : a;
    ASSERT_EQ(witness_->AddCheckpoint(first.Body(0, 5)).status, 200);
    ASSERT_EQ(witness_->AddCheckpoint(first.Body(5, 11)).status, 200);
    for (uint64_t size = 9; size <= 20; ++size) {
      for (uint64_t old = 0; old <= size; ++old) {
        const Response r = witness_->AddCheckpoint(second.Body(old, size));
        EXPECT_TRUE(r.status == 409 || r.status == 422)
            << "size " << size << " old " << old << ": " << Answer(r);
      }
    }
    // The first side still extends.
    EXPECT_EQ(witness_->AddCheckpoint(first.Body(11, 20)).status, 200);
  }
}

TEST_F(WitnessTest, TheStateSurvivesReopeningTheDatabase) {
  TempDir dir;
  Start(Must(server::witness::OpenRocksStateStore(dir.path() + "/db")));
  ASSERT_EQ(witness_->AddCheckpoint(log_.Body(0, 9)).status, 200);
  witness_.reset();  // closes the database
  Start(Must(server::witness::OpenRocksStateStore(dir.path() + "/db")));
  EXPECT_EQ(Answer(witness_->AddCheckpoint(log_.Body(0, 12))), "409 9\n");
  EXPECT_EQ(witness_->AddCheckpoint(log_.Body(9, 12)).status, 200);
}

TEST_F(WitnessTest, NothingIsCosignedWhenTheStateCannotBeSaved) {
  auto store = std::make_unique<FakeStore>();
  FakeStore* fake = store.get();
  Start(std::move(store));
  fake->fail_puts = true;
  EXPECT_EQ(Answer(witness_->AddCheckpoint(log_.Body(0, 9))),
            "500 nothing cosigned: disk full (fake)\n");
  fake->fail_puts = false;
  EXPECT_EQ(witness_->AddCheckpoint(log_.Body(0, 9)).status, 200);
}

// Many requests at once from the same old size: one wins, the others find
// the size it saved.
TEST_F(WitnessTest, ConcurrentRequestsForOneLogAreSerialised) {
  std::atomic<int> cosigned{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (uint64_t size = 5; size <= 20; ++size) {
    threads.emplace_back([&, size] {
      const int status = witness_->AddCheckpoint(log_.Body(0, size)).status;
      (status == 200 ? cosigned : conflicts) += 1;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(cosigned, 1);
  EXPECT_EQ(conflicts, 15);
}

TEST_F(WitnessTest, CreateRefusesABadConfiguration) {
  server::witness::WitnessOptions options{
      "bad name", {Must(NoteVerifier::FromVkey(log_.Vkey()))}, {}, {}};
  EXPECT_EQ(Witness::Create(options, witness_key_, std::make_unique<FakeStore>()).status().code(),
            Status::Code::kInvalidArgument);
  options.name = kWitnessName;
  options.logs.push_back(options.logs.front());
  EXPECT_EQ(
      Witness::Create(options, witness_key_, std::make_unique<FakeStore>()).status().message(),
      "two keys for the log \"district-a.example/log\"; give each log (origin) once");
  options.logs.clear();
  EXPECT_EQ(
      Witness::Create(options, witness_key_, std::make_unique<FakeStore>()).status().message(),
      "a witness needs at least one log");
}

TEST_F(WitnessTest, TheVkeyIsTheCosignersOfType4) {
  const auto verifier = Must(CosignatureVerifier::FromVkey(witness_->Vkey()));
  EXPECT_EQ(verifier.name(), kWitnessName);
  EXPECT_EQ(verifier.key().raw(), witness_key_.public_key().raw());
}

}  // namespace
}  // namespace evident::testing
