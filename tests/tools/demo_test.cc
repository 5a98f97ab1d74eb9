// The demo district (evident demo-data) and the demo run (evident demo).

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ledger/entry.h"
#include "ledger/event.h"
#include "ledger/event_json.h"
#include "ledger/key_registry.h"
#include "ledger/ledger.h"
#include "tests/testutil/test_util.h"
#include "tools/demo/district.h"

namespace evident {
namespace {

using nlohmann::json;
using testing::Must;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<json> Parsed(const demo::District& d) {
  std::vector<json> out;
  for (const demo::DemoEvent& e : d.events) out.push_back(json::parse(e.json));
  return out;
}

TEST(DemoDataTest, TheSameSeedGivesTheSameRecordsAndAnotherSeedOthers) {
  const demo::District a = demo::GenerateDistrict({7, 6});
  const demo::District b = demo::GenerateDistrict({7, 6});
  const demo::District c = demo::GenerateDistrict({8, 6});
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    ASSERT_EQ(a.events[i].json, b.events[i].json) << "event " << i;
    ASSERT_EQ(a.events[i].source, b.events[i].source) << "event " << i;
  }
  size_t same = 0;
  for (size_t i = 0; i < std::min(a.events.size(), c.events.size()); ++i) {
    same += a.events[i].json == c.events[i].json;
  }
  EXPECT_LT(same, a.events.size() / 100) << "another seed should give other records";
}

// The default district against the sizes asked of it: about 40 sites,
// 2,000-3,000 staff, a few hundred parents and community members, 100+
// programmes of every design, two fiscal years.
TEST(DemoDataTest, TheDefaultDistrictHasTheSizeAndSpreadAskedOfIt) {
  const demo::District d = demo::GenerateDistrict({});
  std::map<std::string, int> people, types, activities;
  std::set<std::string> sites, years;
  for (const json& e : Parsed(d)) {
    const std::string type = e["event_type"];
    ++types[type];
    years.insert(e["occurred_at"].get<std::string>().substr(0, 7) >= "2025-07" ? "FY2026"
                                                                               : "FY2025");
    if (type == "PersonRegistered") ++people[e["body"]["participant_group"]];
    if (type == "SiteRegistered") sites.insert(e["subject"]["site_id"]);
    if (type == "ProgramDefined") ++activities[e["body"]["activity_type"]];
  }
  EXPECT_EQ(sites.size(), 40u);
  const int staff = people["Certificated"] + people["Classified"] + people["Administrator"] +
                    people["NewEmployeeOnboarding"];
  EXPECT_GE(staff, 2000);
  EXPECT_LE(staff, 3000);
  EXPECT_GT(people["NewEmployeeOnboarding"], 50);
  EXPECT_GT(people["Administrator"], 40);
  const int families = people["ParentCaregiver"] + people["CommunityMember"];
  EXPECT_GE(families, 200);
  EXPECT_LE(families, 600);
  EXPECT_GE(types["ProgramDefined"], 100);
  for (const char* a : {"Workshop", "Conference", "CoachingCycle", "LearningCommunity", "Mentoring",
                        "LessonStudy", "Onboarding", "ParentCommunityWorkshop"}) {
    EXPECT_GT(activities[a], 0) << a;
  }
  EXPECT_EQ(years, (std::set<std::string>{"FY2025", "FY2026"}));
  // Evidence at all five levels, expectations, money, and amendments.
  for (const char* t :
       {"ReactionSurveySubmitted", "LearningAssessed", "OrganizationalSupportRecorded",
        "ObservationRecorded", "StudentOutcomeMeasured", "GoalSet", "EvaluationRatingFinalized",
        "BudgetAllocated", "CostIncurred", "SubstituteCoverageRecorded", "RecordCorrected",
        "RecordVoided"}) {
    EXPECT_GT(types[t], 0) << t;
  }
  EXPECT_GT(d.facts.no_shows, 0);
  EXPECT_GT(d.facts.underserved_sites, 0);
  EXPECT_EQ(d.facts.corrections, types["RecordCorrected"]);
  EXPECT_EQ(d.facts.voids, types["RecordVoided"]);
}

// Every line is an event `evident append` accepts, sent by a system whose
// key may sign its type, and its systems' streams are each in date order.
TEST(DemoDataTest, EveryEventParsesAndItsSystemMaySendIt) {
  const demo::District d = demo::GenerateDistrict({3, 6});
  std::map<std::string, std::set<std::string>> allowed;
  for (const demo::SourceSystem& s : demo::SourceSystems()) {
    allowed[s.id].insert(s.event_types.begin(), s.event_types.end());
  }
  auto codec = Must(EventJsonCodec::Create());
  std::map<std::string, std::string> last_date;
  for (const demo::DemoEvent& e : d.events) {
    ASSERT_TRUE(codec->FromJson(e.json).ok()) << codec->FromJson(e.json).status().ToString() << "\n"
                                              << e.json;
    const json j = json::parse(e.json);
    ASSERT_EQ(j["source_system"], e.source);
    ASSERT_TRUE(allowed[e.source].count(e.type)) << e.source << " sends " << e.type;
    ASSERT_LE(last_date[e.source], e.occurred_at) << e.json;
    last_date[e.source] = e.occurred_at;
  }
}

// A correction or void must come after what it amends, in the stream of the
// system that sent it: only then is it in the log after it, however the
// systems' streams interleave.
TEST(DemoDataTest, EveryAmendmentFollowsWhatItAmendsInTheSameSystemsStream) {
  const demo::District d = demo::GenerateDistrict({3, 6});
  std::map<std::string, std::string> source_of;  // event id -> system
  int amendments = 0;
  for (const json& e : Parsed(d)) {
    const std::string type = e["event_type"];
    if (type == "RecordCorrected" || type == "RecordVoided") {
      const std::string target = e["body"]["amends_event_id"];
      ASSERT_TRUE(source_of.count(target)) << "amends an id not sent before: " << e.dump();
      EXPECT_EQ(source_of[target], e["source_system"]) << e.dump();
      ++amendments;
    }
    source_of[e["event_id"]] = e["source_system"];
  }
  EXPECT_GT(amendments, 5);
}

class DemoTest : public ::testing::Test {
 protected:
  struct Run {
    int exit_code;
    std::string out, err, dir;
  };

  Run Demo(const std::string& name, uint64_t seed, const std::string& more = "") {
    Run r;
    r.dir = dir_.path() + "/" + name;
    const std::string cmd = std::string(EVIDENT_BIN) + " demo --plain --sites 6 --seed " +
                            std::to_string(seed) + " --dir " + r.dir + more + " >" + r.dir +
                            ".out 2>" + r.dir + ".err </dev/null";
    const int status = std::system(cmd.c_str());
    r.exit_code = WEXITSTATUS(status);
    r.out = ReadFile(r.dir + ".out");
    r.err = ReadFile(r.dir + ".err");
    return r;
  }

  // Each stored event's bytes, sorted, leaving out the key events (their
  // keys are new each run); and the number of key events.
  // The ledger's events (sorted, the office's decisions apart: they cite a
  // root, which depends on the keys and the streams' interleaving), and how
  // many key events and decisions it holds.
  struct Stored {
    std::vector<std::string> events;
    size_t key_events = 0, decisions = 0;
    bool operator==(const Stored& o) const {
      return events == o.events && key_events == o.key_events && decisions == o.decisions;
    }
  };
  static Stored Contents(const std::string& ledger_dir) {
    auto ledger = Must(Ledger::Open(ledger_dir, OpenMode::kReadOnly));
    std::vector<std::string> events;
    size_t key_events = 0, decisions = 0;
    Status s = ledger->Scan(0, ledger->size(), [&](uint64_t, std::string_view bytes) {
      const SignedEvent signed_event = SignedEventOf(ParseEntry(bytes).value());
      const schema::Event* event = ParseEvent(signed_event.event).value();
      if (KeyRegistry::IsKeyEvent(event->body_type())) {
        ++key_events;
      } else if (event->body_type() == schema::Body::ProgramReviewed) {
        ++decisions;
      } else {
        events.push_back(signed_event.event);
      }
      return true;
    });
    EXPECT_OK(s);
    std::sort(events.begin(), events.end());
    return {events, key_events, decisions};
  }

  testing::TempDir dir_;
};

// The table `id` of a summary.json, and its row whose `field` is `value`.
const json& TableOf(const json& summary, const std::string& id) {
  for (const json& t : summary["tables"]) {
    if (t["id"] == id) return t;
  }
  ADD_FAILURE() << "no table " << id;
  static const json kNone = json::object({{"rows", json::array()}});
  return kNone;
}
const json* RowOf(const json& table, const std::string& field, const json& value) {
  for (const json& r : table["rows"]) {
    if (r.contains(field) && r[field] == value) return &r;
  }
  return nullptr;
}
bool Hidden(const json& row, const std::string& key) {
  for (const json& k : row["suppressed"]) {
    if (k == key) return true;
  }
  return false;
}

// Every 2024-25 figure in the 2025-26 report's comparison equals the figure
// of the 2024-25 report itself, made by the command a board member would run
// at the same checkpoint on the same date, hidden where it is hidden; and
// the decisions' "last year" figures are that report's programme figures.
void ExpectLastYearIsItsOwnReport(const std::string& dir) {
  const json now = json::parse(ReadFile(dir + "/report/summary.json"));
  const std::string own = dir + "/report-2025-at-same-checkpoint";
  const std::string cmd = std::string(EVIDENT_BIN) + " report board --ledger " + dir +
                          "/ledger --fiscal-year 2025 --size " +
                          std::to_string(now["log"]["tree_size"].get<uint64_t>()) +
                          " --as-of-date " + now["as_of_date"].get<std::string>() + " --out " +
                          own + " >/dev/null 2>&1";
  ASSERT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 0) << cmd;
  const json last = json::parse(ReadFile(own + "/summary.json"));
  ASSERT_EQ(last["fiscal_year"], 2025);
  int compared = 0;
  const json& since = TableOf(now, "since_last_year");
  ASSERT_EQ(since["rows"].size(), last["headline"].size());
  for (const json& item : last["headline"]) {
    const json* row = RowOf(since, "key", item["key"]);
    ASSERT_NE(row, nullptr) << item["key"];
    EXPECT_EQ((*row)["fy2025"], item["value"]) << item["key"];
    EXPECT_EQ(Hidden(*row, "fy2025"), item["suppressed"].get<bool>()) << item["key"];
    ++compared;
  }
  const json& programmes = TableOf(last, "programmes_all");
  for (const json& row : TableOf(now, "programmes_both_years")["rows"]) {
    const json* was = RowOf(programmes, "program_id", row["program_id_last"]);
    ASSERT_NE(was, nullptr) << row["program_id"];
    for (const char* key : {"spend_cents", "participants", "changed", "implementation_rate"}) {
      EXPECT_EQ(row[std::string(key) + "_last"], (*was)[key]) << row["program_id"] << " " << key;
      EXPECT_EQ(Hidden(row, std::string(key) + "_last"), Hidden(*was, key));
      ++compared;
    }
  }
  for (const json& row : TableOf(now, "equity_years")["rows"]) {
    const json* was = RowOf(TableOf(last, "equity_poverty"), "quartile", row["quartile"]);
    ASSERT_NE(was, nullptr) << row["quartile"];
    EXPECT_EQ(row["fy2025"], (*was)["spend_per_teacher_cents"]) << row["quartile"];
    ++compared;
  }
  int carried = 0, not_carried = 0;
  for (const json& row : TableOf(now, "decisions_followed")["rows"]) {
    const json* was = RowOf(programmes, "program_id", row["program_id"]);
    ASSERT_NE(was, nullptr) << row["program_id"];
    for (const char* key : {"spend_cents", "changed", "implementation_rate"}) {
      EXPECT_EQ(row[std::string(key) + "_last"], (*was)[key]) << row["program_id"] << " " << key;
      EXPECT_EQ(Hidden(row, std::string(key) + "_last"), Hidden(*was, key));
    }
    ++(row["carried_out"].get<bool>() ? carried : not_carried);
  }
  // The office's review: some carried out, one not.
  EXPECT_GE(carried, 2);
  EXPECT_EQ(not_carried, 1);
  EXPECT_GT(compared, 9 + 4);
}

TEST_F(DemoTest, RunsEndToEndAndTheSameSeedGivesTheSameContentsAndFigures) {
  const Run first = Demo("first", 11);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  ExpectLastYearIsItsOwnReport(first.dir);
  for (const char* file : {"district.jsonl", "report/report.html", "report/report.pdf",
                           "decisions.jsonl", "report-2024-25/summary.json",
                           "report/summary.json", "report/programmes_all.csv", "bundle/README.txt",
                           "bundle/entries.jsonl", "bundle/checkpoint.txt", "hr-staff.jsonl",
                           "ledger/directory/CURRENT"}) {
    EXPECT_TRUE(std::filesystem::exists(first.dir + "/" + file)) << file;
  }
  for (const char* said :
       {"[9/9]", "one-time codes", "The pages for people", "the follower received all", "key was rotated", "every figure matches",
        "What the report says about 2025", "Try next", "report verify"}) {
    EXPECT_NE(first.out.find(said), std::string::npos) << said << "\n" << first.out;
  }
  const auto [events, key_events, decisions] = Contents(first.dir + "/ledger");
  // Genesis, six systems' keys, and the PD system's rotation.
  EXPECT_EQ(key_events, 2u + 6u + 2u);
  const std::string district = ReadFile(first.dir + "/district.jsonl");
  // The district's events, the office's decisions, and the one programme it
  // defined anew after deciding to revise it.
  const std::string review = ReadFile(first.dir + "/decisions.jsonl");
  const size_t review_lines = size_t(std::count(review.begin(), review.end(), '\n'));
  EXPECT_EQ(decisions + 1, review_lines);
  EXPECT_EQ(events.size(),
            size_t(std::count(district.begin(), district.end(), '\n')) + review_lines - decisions);

  const Run second = Demo("second", 11);
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(district, ReadFile(second.dir + "/district.jsonl"));
  // The same seed, the same names.
  const std::string hr = ReadFile(first.dir + "/hr-staff.jsonl");
  EXPECT_NE(hr.find("\"firstName\""), std::string::npos);
  EXPECT_EQ(hr, ReadFile(second.dir + "/hr-staff.jsonl"));
  const auto [events2, key_events2, decisions2] = Contents(second.dir + "/ledger");
  EXPECT_EQ(key_events2, key_events);
  EXPECT_EQ(decisions2, decisions);
  EXPECT_TRUE(events2 == events) << "the same seed stored other events";
  // The same figures: summary.json apart from the log it names (whose root
  // depends on keys and the streams' interleaving), and every table.
  json a = json::parse(ReadFile(first.dir + "/report/summary.json"));
  json b = json::parse(ReadFile(second.dir + "/report/summary.json"));
  EXPECT_EQ(a["log"]["tree_size"], b["log"]["tree_size"]);
  EXPECT_NE(a["log"]["root_hash"], b["log"]["root_hash"]);
  for (json* s : {&a, &b}) {
    s->erase("log");
    for (json& section : (*s)["sections"]) {
      if (section["id"] == "verification") section.erase("paragraphs");
    }
  }
  EXPECT_EQ(a, b);
  for (const auto& f : std::filesystem::directory_iterator(first.dir + "/report")) {
    if (f.path().extension() != ".csv") continue;
    EXPECT_EQ(ReadFile(f.path().string()),
              ReadFile(second.dir + "/report/" + f.path().filename().string()))
        << f.path().filename();
  }
}

// --keep streams the same district into the last run's ledger: nothing is
// stored twice, and the report comes out the same, file for file.
TEST_F(DemoTest, KeepSendsEverythingAgainAndNothingIsStoredTwice) {
  const Run first = Demo("kept", 12);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const std::string summary = ReadFile(first.dir + "/report/summary.json");
  const std::string html = ReadFile(first.dir + "/report/report.html");
  const auto before = Contents(first.dir + "/ledger");
  const Run again = Demo("kept", 12, " --keep");
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find(" 0 new, "), std::string::npos) << again.out;
  EXPECT_TRUE(Contents(first.dir + "/ledger") == before);
  EXPECT_EQ(ReadFile(first.dir + "/report/summary.json"), summary);
  EXPECT_EQ(ReadFile(first.dir + "/report/report.html"), html);
  const Run other = Demo("kept", 13, " --keep");
  EXPECT_NE(other.exit_code, 0);
  EXPECT_NE(other.err.find("another seed's or size's district"), std::string::npos) << other.err;
}

TEST_F(DemoTest, RefusesAFolderItDidNotMake) {
  const std::string dir = dir_.path() + "/mine";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/notes.txt") << "keep me\n";
  const std::string cmd = std::string(EVIDENT_BIN) + " demo --plain --sites 4 --dir " + dir +
                          " >/dev/null 2>" + dir_.path() + "/err </dev/null";
  EXPECT_NE(WEXITSTATUS(std::system(cmd.c_str())), 0);
  EXPECT_NE(ReadFile(dir_.path() + "/err").find("holds files the demo did not make"),
            std::string::npos);
  EXPECT_EQ(ReadFile(dir + "/notes.txt"), "keep me\n");
}

}  // namespace
}  // namespace evident
