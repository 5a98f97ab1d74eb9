// Retraction is exact: what a correction or void takes back is precisely
// what the original put in, for every fact type.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "ledger/sha256.h"
#include "tests/projections/projection_fixture.h"

namespace evident::testing {
namespace {

const std::set<std::string> kGovernance = {"RecordCorrected", "RecordVoided", "KeyRegistered",
                                           "KeyRevoked", "AuditAttested"};

class RetractionTest : public ProjectionTest {
 protected:
  std::vector<std::string> Run(const std::string& cmd) {
    const std::string path = dir_.path() + "/out.jsonl";
    EXPECT_EQ(std::system((cmd + " > " + path).c_str()), 0) << cmd;
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  void AppendSigned(const std::vector<std::string>& lines) {
    std::vector<SignedEvent> batch;
    for (const auto& l : lines) batch.push_back(Sign(*admin_, l));
    ASSERT_OK(ledger_->Append(std::move(batch)).status());
  }
  // The digest of every table a fact can change (not the governance ones),
  // and whether any of them holds a row.
  static std::pair<std::string, bool> Facts(const projections::FactState& state) {
    static const std::set<std::string> kGovernanceTables = {"amendment", "amended", "principal",
                                                            "counter"};
    std::vector<std::string> rows;
    for (const auto* t : state.tables()) {
      if (kGovernanceTables.count(t->name())) continue;
      t->ForEachEncoded([&](const std::string& k, const std::string& v) {
        rows.push_back(t->name() + '\0' + k + '\0' + v);
      });
    }
    std::sort(rows.begin(), rows.end());
    std::string all;
    for (const auto& r : rows) all += Sha256(r);
    return {Sha256(all), !rows.empty()};
  }
};

TEST_F(RetractionTest, CorrectingWithTheSameBodyChangesNoFactAndVoidingEverythingLeavesNone) {
  std::vector<std::string> events = Run(std::string(GEN_EVENTS_BIN) + " --count 1500 --seed 5");
  for (const auto& line : Run(std::string(EVIDENT_BIN) + " schema --examples")) {
    if (!kGovernance.count(nlohmann::json::parse(line)["event_type"])) events.push_back(line);
  }
  AppendSigned(events);
  const auto [before, any] = Facts(Fold()->state());
  ASSERT_TRUE(any);

  std::vector<std::string> corrections, voids;
  for (const auto& line : events) {
    auto e = nlohmann::json::parse(line);
    nlohmann::json c = {{"amends_event_id", e["event_id"]},
                        {"reason_code", "restated"},
                        {"body_type", e["event_type"]},
                        {"body", e["body"]}};
    corrections.push_back(EventJson(IdHex(next_id_++), "RecordCorrected", "",
                                    c.dump().substr(1, c.dump().size() - 2)));
    voids.push_back(EventJson(IdHex(next_id_++), "RecordVoided", "",
                              "\"amends_event_id\":\"" + e["event_id"].get<std::string>() +
                                  "\",\"reason_code\":\"withdrawn\""));
  }
  AppendSigned(corrections);
  EXPECT_EQ(Facts(Fold()->state()).first, before);

  AppendSigned(voids);
  auto projector = Fold();
  EXPECT_FALSE(Facts(projector->state()).second);
  size_t applied = 0;
  for (const auto& [key, a] : projector->state().amendment.rows())
    applied += a.outcome == "applied";
  EXPECT_EQ(applied, 2 * events.size());
}

}  // namespace
}  // namespace evident::testing
