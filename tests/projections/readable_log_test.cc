// An event log that nothing can make unreadable: whatever raw event the
// appender accepts, every reader of the log reads back -- `evident log` and
// `tail` (the JSON codec), an export bundle and its offline check, every
// projection and the board report. The events are an attacker's: valid
// events of every type with bytes overwritten (NaN, infinities, extreme
// integers, enum values the schema lacks, random bytes), re-signed with a
// valid key.

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "ledger/bundle.h"
#include "ledger/coding.h"
#include "ledger/entry.h"
#include "projections/report/compute.h"
#include "projections/store.h"
#include "tests/projections/projection_fixture.h"

namespace evident {
namespace {

using testing::Must;

// One valid event of each non-key type: the JSON fuzz target's seeds.
std::vector<std::string> SeedEvents() {
  std::vector<std::string> seeds;
  const std::filesystem::path dir =
      std::filesystem::path(EVIDENT_SOURCE_DIR) / "tests/fuzz/corpus/event_json";
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    const std::string name = file.path().filename().string();
    if (file.path().extension() != ".json" || name.rfind("Key", 0) == 0) continue;
    std::ifstream in(file.path());
    std::stringstream text;
    text << in.rdbuf();
    seeds.push_back(text.str());
  }
  std::sort(seeds.begin(), seeds.end());  // the same order on every file system
  return seeds;
}

// Overwrites one to three spans of `bytes` (past the root offset and file
// identifier) with values a hostile writer would choose.
void Mutate(std::mt19937& rng, std::string* bytes) {
  const int changes = 1 + int(rng() % 3);
  for (int c = 0; c < changes; ++c) {
    const size_t at = 8 + rng() % (bytes->size() - 8);
    auto put = [&](const void* value, size_t n) {
      if (at + n <= bytes->size()) std::memcpy(bytes->data() + at, value, n);
    };
    switch (rng() % 8) {
      case 0: {
        const float v[] = {std::numeric_limits<float>::quiet_NaN(),
                           std::numeric_limits<float>::infinity(),
                           -std::numeric_limits<float>::infinity(), 3.4e38f, -1.0f};
        put(&v[rng() % 5], sizeof(float));
        break;
      }
      case 1: {
        const int64_t v[] = {INT64_MAX, INT64_MIN, -1, 1000000000001};
        put(&v[rng() % 4], sizeof(int64_t));
        break;
      }
      case 2: {
        const uint8_t v[] = {99, 0xF9, 0, 2, 0xFF};
        put(&v[rng() % 5], 1);
        break;
      }
      case 3: {
        const int32_t v[] = {0, -1, INT32_MAX, 1441};
        put(&v[rng() % 4], sizeof(int32_t));
        break;
      }
      default: {
        const uint8_t v = uint8_t(rng());
        put(&v, 1);
      }
    }
  }
}

class ReadableLogTest : public testing::ProjectionTest {};

TEST_F(ReadableLogTest, EveryEventTheAppenderAcceptsIsReadBackByEveryReader) {
  std::vector<std::string> seeds;
  for (const std::string& json : SeedEvents()) seeds.push_back(Must(codec_->FromJson(json)));
  ASSERT_GE(seeds.size(), 20u);

  std::mt19937 rng(20261207);
  int accepted = 0, refused = 0;
  uint64_t next_id = 1;
  for (int i = 0; i < 1500; ++i) {
    std::string bytes = seeds[rng() % seeds.size()];
    Mutate(rng, &bytes);
    auto parsed = ParseEvent(bytes);
    if (!parsed.ok()) continue;  // the FlatBuffers verifier's refusals are not the question
    // A fresh id for each, so that no refusal is an idempotency conflict.
    const std::string id = std::string(8, '\x5a') + EncodeKey64(next_id++);
    const size_t id_at = parsed.value()->event_id()->bytes()->data() -
                         reinterpret_cast<const uint8_t*>(bytes.data());
    bytes.replace(id_at, id.size(), id);
    auto results = ledger_->Append({SignEvent(*admin_, bytes)});
    if (results.ok()) {
      ++accepted;
    } else {
      // Refused for a rule (or, for an amendment, a target not in the log),
      // never for a fault of the ledger's own.
      EXPECT_NE(results.status().code(), Status::Code::kIOError) << results.status().ToString();
      EXPECT_NE(results.status().code(), Status::Code::kCorruption)
          << results.status().ToString();
      ++refused;
    }
  }
  // Both sides are exercised: hostile bytes that break a rule, and changed
  // bytes that still keep every rule.
  EXPECT_GE(accepted, 100);
  EXPECT_GE(refused, 100);

  // `evident log` and `tail`: each entry prints as JSON that reads back as an
  // event the rules accept.
  const uint64_t size = ledger_->size();
  for (uint64_t p = 0; p < size; ++p) {
    const std::string entry_bytes = Must(ledger_->ReadEntry(p));
    const schema::Entry* entry = Must(ParseEntry(entry_bytes));
    const std::string event(AsView(entry->event()));
    auto json = codec_->ToJson(event);
    ASSERT_TRUE(json.ok()) << "position " << p << ": " << json.status().ToString();
    auto again = codec_->FromJson(json.value());
    EXPECT_TRUE(again.ok()) << "position " << p << " printed as " << json.value() << ": "
                            << again.status().ToString();
  }

  // An export of the whole log, checked offline.
  testing::TempDir out;
  const std::string bundle = out.path() + "/bundle";
  ASSERT_OK(WriteBundle(ledger_.get(), bundle, 0, size));
  const BundleReport report = Must(VerifyBundle(bundle, std::nullopt));
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.entries, size);

  // Every view, the figures and the board report of each year the seeds use.
  auto projector = Fold();
  const projections::LogContext log = projections::LogContextAt(ledger_.get(), size);
  for (const auto& view : projections::RenderAllText(*projector, log)) {
    EXPECT_FALSE(view.name.empty());
  }
  for (int32_t year : {2025, 2026}) {
    auto summary = projections::report::BoardSummaryFromLedger(
        ledger_.get(), {year, size, projections::kNoDay, ""});
    if (summary.ok()) {
      EXPECT_FALSE(summary->dump().empty());
    } else {
      EXPECT_NE(summary.status().message().find("nothing is recorded"), std::string::npos)
          << summary.status().ToString();
    }
  }
}

}  // namespace
}  // namespace evident
