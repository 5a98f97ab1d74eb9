// Every parser of outside input, fed thousands of mutated and truncated
// copies of valid input: each must return a value or an error, never crash or
// read out of bounds (run under tools/run.sh test --sanitize to see the
// latter). Deterministic: a fixed seed. Long fuzzing is libFuzzer's job.

#include <gtest/gtest.h>

#include <random>

#include "ledger/checkpoint.h"
#include "ledger/coding.h"
#include "ledger/entry.h"
#include "ledger/event_json.h"
#include "ledger/note.h"
#include "ledger/proof_files.h"
#include "tests/testutil/test_util.h"

namespace evident {
namespace {

using testing::Must;

// Mutations of `valid`: flipped bytes, truncations, insertions and deletions.
std::vector<std::string> Mutants(const std::string& valid, int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    std::string m = valid;
    int edits = 1 + rng() % 4;
    for (int e = 0; e < edits && !m.empty(); ++e) {
      size_t at = rng() % m.size();
      switch (rng() % 4) {
        case 0:
          m[at] = static_cast<char>(rng());
          break;
        case 1:
          m.resize(at);
          break;
        case 2:
          m.insert(at, 1, static_cast<char>(rng()));
          break;
        case 3:
          m.erase(at, 1 + rng() % 8);
          break;
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

class ParsersRobustnessTest : public testing::LedgerFixture {};

TEST_F(ParsersRobustnessTest, EventAndEntryBytes) {
  SignedEvent e = Sign(*admin_, testing::AttendanceJson(testing::IdHex(9), "p", 5));
  std::string entry = BuildEntry(3, 1000, e);
  int accepted = 0;
  for (const std::string& m : Mutants(e.event, 3000, 1)) {
    auto event = ParseEvent(m);
    if (event.ok()) {
      ++accepted;
      // Whatever passed the verifier must be safe to read and render.
      (void)EventIdOf(event.value());
      (void)codec_->ToJson(m);
    }
  }
  for (const std::string& m : Mutants(entry, 3000, 2)) {
    auto parsed = ParseEntry(m);
    if (parsed.ok()) (void)ParseEvent(std::string(AsView(parsed.value()->event())));
  }
  EXPECT_LT(accepted, 3000);  // the mutations did reach the checks
}

TEST_F(ParsersRobustnessTest, EventJson) {
  const std::string valid = testing::EventJson(
      testing::IdHex(3), "ObservationRecorded", "\"person_id\":\"p-2\"",
      "\"performance_evaluation_type\":\"Walkthrough\",\"evaluation_date\":\"2025-02-03\","
      "\"reviewer_person_id\":\"p-77\",\"element_ratings\":[{\"evaluation_element_title\":"
      "\"3b\",\"rating\":3.5}],\"targeted_practice_observed\":false");
  ASSERT_TRUE(codec_->FromJson(valid).ok());
  int refused = 0;
  for (const std::string& m : Mutants(valid, 3000, 3)) {
    auto bytes = codec_->FromJson(m);
    if (!bytes.ok()) {
      ++refused;
      EXPECT_FALSE(bytes.status().message().empty());
    } else {
      EXPECT_TRUE(ParseEvent(bytes.value()).ok());
    }
  }
  EXPECT_GT(refused, 2000);
}

TEST_F(ParsersRobustnessTest, NotesCheckpointsAndProofFiles) {
  const std::string note =
      SignNote(CheckpointText({"evident.example/test", 7, std::string(32, 'r')}),
               "evident.example/test", *ledger_key_);
  NoteVerifier verifier =
      Must(NoteVerifier::Create("evident.example/test", ledger_key_->public_key()));
  for (const std::string& m : Mutants(note, 3000, 4)) {
    auto c = OpenCheckpoint(m, verifier);
    if (c.ok()) {
      EXPECT_EQ(c->size, 7u);  // only an unchanged signed text can open
    }
  }
  for (const std::string& m : Mutants(verifier.Vkey(), 1000, 5)) (void)NoteVerifier::FromVkey(m);

  InclusionFile f{
      5, 7, std::string(32, 'l'), "entry", {std::string(32, 'a'), std::string(32, 'b')}, "note"};
  for (const std::string& m : Mutants(InclusionJson(f), 2000, 6)) (void)ParseInclusionJson(m);
  for (const std::string& m : Mutants(ConsistencyJson({3, 7, {std::string(32, 'c')}}), 2000, 7)) {
    (void)ParseConsistencyJson(m);
  }
  TlogProof p{"entry", 5, {std::string(32, 'a')}, note};
  for (const std::string& m : Mutants(TlogProofText(p), 2000, 8)) {
    auto parsed = ParseTlogProof(m);
    if (parsed.ok()) (void)CheckTlogProof(parsed.value(), verifier);
  }
  for (const std::string& m : Mutants(Base64Encode("some bytes here"), 1000, 9)) {
    (void)Base64Decode(m);
  }
}

}  // namespace
}  // namespace evident
