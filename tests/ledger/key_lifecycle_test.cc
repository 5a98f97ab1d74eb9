// Keys over a log's life (DESIGN.md invariant 4): an integration's key and
// the ledger's own checkpoint key are rotated mid-log and the old ones
// revoked. From its revocation on an old key signs nothing the log accepts,
// and everything it signed before still verifies, to the whole log's verify,
// to an offline bundle, and to an auditor holding only the old checkpoints
// and the old ledger key.

#include <gtest/gtest.h>

#include "ledger/bundle.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/proof.h"
#include "ledger/note.h"
#include "ledger/verify.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::AttendanceJson;
using testing::IdHex;
using testing::Must;

class KeyLifecycleTest : public testing::LedgerFixture {
 protected:
  // Appends `n` attendance events signed by `key`.
  Status AppendAttendance(const PrivateKey& key, int n) {
    std::vector<SignedEvent> events;
    for (int i = 0; i < n; ++i) {
      events.push_back(Sign(key, AttendanceJson(IdHex(next_event_++), "p-" + std::to_string(i), 45)));
    }
    return ledger_->Append(std::move(events)).status();
  }

  NoteVerifier VerifierOf(const PrivateKey& key) {
    return Must(NoteVerifier::Create(ledger_->origin(), key.public_key()));
  }

  // Opens the ledger again, signing checkpoints from now on with `key`.
  void ReopenWithLedgerKey(const PrivateKey& key) {
    ledger_key_ = key;
    Reopen();
  }

  uint64_t next_event_ = 5000;
};

TEST_F(KeyLifecycleTest, RotatedAndRevokedKeysSignNothingNewAndTheOldRangeStillVerifies) {
  const PrivateKey old_ledger_key = *ledger_key_;
  const PrivateKey hr1 = RegisterKey("hr", "Integration", "[\"AttendanceRecorded\"]");
  ASSERT_OK(AppendAttendance(hr1, 5));
  const uint64_t old_size = ledger_->size();
  const std::string old_note = Must(ledger_->CheckpointNote(old_size));

  // The integration's key is rotated: the new key is registered, signs, and
  // the old one is revoked.
  const PrivateKey hr2 = RegisterKey("hr", "Integration", "[\"AttendanceRecorded\"]");
  ASSERT_OK(AppendAttendance(hr2, 3));
  ASSERT_OK(RevokeKey(hr1, "Rotated"));
  const uint64_t after_revocation = ledger_->size();
  Status refused = AppendAttendance(hr1, 1);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("revoked"), std::string::npos) << refused.ToString();
  EXPECT_EQ(ledger_->size(), after_revocation);

  // The ledger's key is rotated the same way: the new key is registered (its
  // checkpoint still signed by the old), the ledger reopened with it, and
  // then the old one is revoked.
  const PrivateKey new_ledger_key = RegisterKey("ledger", "Ledger");
  ReopenWithLedgerKey(new_ledger_key);
  ASSERT_OK(AppendAttendance(hr2, 4));
  ASSERT_OK(RevokeKey(old_ledger_key, "Rotated"));
  ASSERT_OK(AppendAttendance(hr2, 2));
  const uint64_t size = ledger_->size();

  // A ledger opened with the revoked checkpoint key cannot append: what it
  // would sign would not verify.
  ReopenWithLedgerKey(old_ledger_key);
  Status stale = AppendAttendance(hr2, 1);
  EXPECT_EQ(stale.code(), Status::Code::kFailedPrecondition) << stale.ToString();
  EXPECT_EQ(ledger_->size(), size);
  ReopenWithLedgerKey(new_ledger_key);

  // The whole log verifies: every signature against the key valid at its
  // position, every checkpoint against the ledger key active at its size.
  VerifyReport report = Must(VerifyLog(ledger_->storage()));
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.entries, size);
  // Registered: admin, ledger, hr1, hr2, the new ledger key; revoked: hr1,
  // the old ledger key.
  EXPECT_EQ(report.key_events, 7u);

  // The newest checkpoint is the new key's; the old key cannot open it.
  const std::string newest = Must(ledger_->LatestCheckpointNote());
  EXPECT_TRUE(OpenCheckpoint(newest, VerifierOf(new_ledger_key)).ok());
  EXPECT_FALSE(OpenCheckpoint(newest, VerifierOf(old_ledger_key)).ok());
  EXPECT_EQ(Must(ledger_->CheckpointVerifier()).Vkey(), VerifierOf(new_ledger_key).Vkey());

  // An auditor who holds only the old ledger key and the old checkpoint
  // still checks an old entry against it, and then that the newest tree
  // (opened with the new key, which the log's own history hands over)
  // extends the old one.
  const Checkpoint old_checkpoint = Must(OpenCheckpoint(old_note, VerifierOf(old_ledger_key)));
  const uint64_t index = old_size - 2;
  EXPECT_OK(merkle::VerifyInclusion(index, old_checkpoint.size,
                                    merkle::LeafHash(Must(ledger_->ReadEntry(index))),
                                    Must(ledger_->InclusionProof(index, old_checkpoint.size)),
                                    old_checkpoint.root));
  const Checkpoint new_checkpoint = Must(OpenCheckpoint(newest, VerifierOf(new_ledger_key)));
  EXPECT_OK(merkle::VerifyConsistency(old_checkpoint.size, new_checkpoint.size,
                                      old_checkpoint.root, new_checkpoint.root,
                                      Must(ledger_->ConsistencyProof(old_size, size))));

  // And offline: a bundle of the old range, with the key history that hands
  // the checkpoint over to the new key, checks with the new key.
  const std::string bundle = dir_.path() + "/bundle";
  ASSERT_OK(WriteBundle(ledger_.get(), bundle, kGenesisSize, old_size));
  BundleReport checked = Must(VerifyBundle(bundle, VerifierOf(new_ledger_key)));
  EXPECT_TRUE(checked.ok()) << checked.problem;
  EXPECT_EQ(checked.entries, old_size - kGenesisSize);
  BundleReport with_old_key = Must(VerifyBundle(bundle, VerifierOf(old_ledger_key)));
  EXPECT_FALSE(with_old_key.ok()) << "the bundle's checkpoint is the new key's";
}

}  // namespace
}  // namespace evident
