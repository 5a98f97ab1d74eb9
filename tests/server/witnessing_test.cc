// The ledger's side of witnessing: checkpoints offered in rounds, the
// cosignatures kept, a witness that is down or lies holding nothing up.
//
// The witnesses here are fakes that follow C2SP tlog-witness in the little
// they need (old size, 409 with the size held, 200 with a cosignature
// line); the real witness is tested against the specification elsewhere.

#include "server/witnessing.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/merkle/proof.h"
#include "tests/testutil/test_util.h"

namespace evident::server {
namespace {

using testing::AttendanceJson;
using testing::IdHex;
using testing::Must;

class FakeWitness {
 public:
  explicit FakeWitness(std::string name)
      : name_(std::move(name)),
        key_(Must(PrivateKey::Generate())),
        endpoint_{Must(CosignatureVerifier::Create(name_, key_.public_key())), "https://fake", ""} {}

  const WitnessEndpoint& endpoint() const { return endpoint_; }
  std::string vkey() const { return endpoint_.verifier.Vkey(); }

  StatusOr<WitnessReply> Answer(const std::string& body) {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_;
    if (down_) return Status::IOError("connection refused");
    const size_t blank = body.find("\n\n");
    const uint64_t old_size = std::stoull(body.substr(4, body.find('\n') - 4));
    const std::string note = body.substr(blank + 2);
    const std::string text = note.substr(0, note.find("\n\n") + 1);
    const Checkpoint checkpoint = Must(ParseCheckpointText(text));
    if (old_size != held_) return WitnessReply{409, std::to_string(held_) + "\n"};
    if (checkpoint.size < held_) return WitnessReply{422, "smaller\n"};
    held_ = checkpoint.size;
    sizes_.push_back(checkpoint.size);
    if (lie_) return WitnessReply{200, CosignatureLine(text + "x", name_, key_, 1)};
    return WitnessReply{200, CosignatureLine(text, name_, key_, 1700000000)};
  }

  void set_down(bool down) {
    std::lock_guard<std::mutex> lock(mu_);
    down_ = down;
  }
  void set_lie(bool lie) {
    std::lock_guard<std::mutex> lock(mu_);
    lie_ = lie;
  }
  void set_held(uint64_t held) {
    std::lock_guard<std::mutex> lock(mu_);
    held_ = held;
  }
  std::vector<uint64_t> sizes() {
    std::lock_guard<std::mutex> lock(mu_);
    return sizes_;
  }
  int requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  const std::string name_;
  const PrivateKey key_;
  const WitnessEndpoint endpoint_;
  std::mutex mu_;
  uint64_t held_ = 0;
  bool down_ = false, lie_ = false;
  int requests_ = 0;
  std::vector<uint64_t> sizes_;
};

class WitnessingTest : public testing::LedgerFixture {
 protected:
  void AppendSome(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_OK(ledger_->Append({Sign(*admin_, AttendanceJson(IdHex(++next_id_), "p-1", 30))})
                    .status());
    }
  }

  std::unique_ptr<Witnessing> StartWith(std::vector<FakeWitness*> fakes, size_t quorum) {
    WitnessingOptions options;
    for (FakeWitness* f : fakes) options.witnesses.push_back(f->endpoint());
    options.quorum = quorum;
    options.retry_initial = std::chrono::milliseconds(10);
    options.retry_max = std::chrono::milliseconds(50);
    options.poll = std::chrono::milliseconds(5);
    options.round_interval = std::chrono::milliseconds(20);
    options.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_ += line + "\n";
    };
    auto poster = [fakes](const WitnessEndpoint& w, const std::string& body) {
      for (FakeWitness* f : fakes) {
        if (f->endpoint().verifier.name() == w.verifier.name()) return f->Answer(body);
      }
      return StatusOr<WitnessReply>(Status::NotFound("no such witness"));
    };
    return Must(Witnessing::Start(ledger_.get(), std::move(options), poster));
  }

  // Waits (up to a minute: a condition, not a timing) for `done`.
  template <typename F>
  bool Eventually(F done) {
    for (int i = 0; i < 6000; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }

  // Whether the witnessing's log has a line containing `text` (waiting for
  // it as Eventually does).
  bool Logged(const std::string& text) {
    const bool found = Eventually([&] {
      std::lock_guard<std::mutex> lock(log_mu_);
      return log_.find(text) != std::string::npos;
    });
    if (!found) {
      std::lock_guard<std::mutex> lock(log_mu_);
      ADD_FAILURE() << "no line with \"" << text << "\" in:\n" << log_;
    }
    return found;
  }

  WitnessPolicy Policy(std::vector<FakeWitness*> fakes, size_t quorum) {
    std::vector<std::string> vkeys;
    for (FakeWitness* f : fakes) vkeys.push_back(f->vkey());
    return Must(MakeWitnessPolicy(vkeys, quorum));
  }

  uint64_t next_id_ = 1000;
  std::mutex log_mu_;
  std::string log_;
};

TEST_F(WitnessingTest, BothWitnessesCosignTheNewestCheckpoint) {
  FakeWitness county("county.example"), state("state.example");
  auto witnessing = StartWith({&county, &state}, 0);
  AppendSome(5);
  const uint64_t size = ledger_->size();
  const WitnessPolicy both = Policy({&county, &state}, 0);
  ASSERT_TRUE(Eventually([&] {
    auto s = ledger_->NewestCosignedSize(both);
    return s.ok() && s.value() == size;
  }));
  const std::string note = Must(ledger_->CosignedCheckpointNote(size));
  EXPECT_OK(CheckWitnessPolicy(note, both));
  EXPECT_OK(OpenCheckpoint(note, Must(ledger_->CheckpointVerifier())).status());
  // The thread that stored the second cosignature then marks the size
  // trusted: wait for it.
  EXPECT_TRUE(Eventually([&] { return Must(witnessing->TrustedCheckpoint()) == note; }));
  // Each witness saw sizes that only grew, and the rounds gave both the same.
  for (FakeWitness* f : {&county, &state}) {
    const auto sizes = f->sizes();
    EXPECT_TRUE(std::is_sorted(sizes.begin(), sizes.end()));
    EXPECT_EQ(sizes.back(), size);
  }
  EXPECT_EQ(county.sizes(), state.sizes());
  ASSERT_TRUE(Eventually([&] {
    return witnessing->RenderMetrics().find("evident_cosigning_lag_entries 0\n") !=
           std::string::npos;
  }));
}

TEST_F(WitnessingTest, AWitnessThatIsDownStopsNothingAndCatchesUpAfter) {
  FakeWitness county("county.example"), state("state.example");
  state.set_down(true);
  auto witnessing = StartWith({&county, &state}, 2);
  AppendSome(3);
  const WitnessPolicy county_only = Policy({&county}, 1);
  const WitnessPolicy both = Policy({&county, &state}, 0);
  ASSERT_TRUE(Eventually([&] {
    auto s = ledger_->NewestCosignedSize(county_only);
    return s.ok() && s.value() == ledger_->size();
  }));
  AppendSome(3);  // appends go on while a witness is down
  ASSERT_TRUE(Eventually([&] {
    auto s = ledger_->NewestCosignedSize(county_only);
    return s.ok() && s.value() == ledger_->size();
  }));
  EXPECT_EQ(ledger_->NewestCosignedSize(both).status().code(), Status::Code::kNotFound);
  const std::string metrics = witnessing->RenderMetrics();
  EXPECT_NE(metrics.find("evident_witness_up{witness=\"state.example\"} 0"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("evident_cosigned_size 0\n"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("evident_cosigning_lag_entries 0\n"), std::string::npos) << metrics;
  EXPECT_TRUE(Logged("witness state.example did not cosign"));

  // Back up, holding a size from before (it says so with 409): it catches up.
  state.set_held(kGenesisSize);
  state.set_down(false);
  ASSERT_TRUE(Eventually([&] {
    auto s = ledger_->NewestCosignedSize(both);
    return s.ok() && s.value() == ledger_->size();
  }));
  ASSERT_TRUE(Eventually([&] {
    return witnessing->RenderMetrics().find("evident_witness_up{witness=\"state.example\"} 1") !=
           std::string::npos;
  }));
}

TEST_F(WitnessingTest, ACosignatureThatDoesNotVerifyIsNotKept) {
  FakeWitness county("county.example");
  county.set_lie(true);
  auto witnessing = StartWith({&county}, 0);
  AppendSome(2);
  ASSERT_TRUE(Eventually([&] { return county.requests() >= 2; }));
  // The line is written once the answer is judged, after the request counted.
  EXPECT_TRUE(Logged("without a cosignature that verifies"));
  EXPECT_EQ(ledger_->NewestCosignedSize({}).status().code(), Status::Code::kNotFound);
}

TEST_F(WitnessingTest, AWitnessHoldingALargerTreeIsReportedNotFollowed) {
  FakeWitness county("county.example");
  county.set_held(1000000);  // another log under our origin got there first
  auto witnessing = StartWith({&county}, 0);
  AppendSome(1);
  ASSERT_TRUE(Logged("larger than this log's"));
  EXPECT_EQ(ledger_->NewestCosignedSize({}).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace evident::server
