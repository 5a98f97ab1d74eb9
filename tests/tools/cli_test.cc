// The evident command line, run as a user would run it.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "tests/testutil/test_util.h"
#include "tests/tools/cli_fixture.h"

namespace evident {
namespace {

using testing::AttendanceJson;
using testing::IdHex;
using testing::ModeOf;

TEST_F(CliTest, ServeChecksItsConfigFileAndFlagsOverrideIt) {
  Init();
  const std::string good = Write("good.conf", "# settings\nledger = " + ledger_ +
                                                  "\nlisten = 127.0.0.1:7777\n"
                                                  "metrics = 127.0.0.1:9420  # scrape here\n");
  CommandResult ok = Evident({"serve", "--config", good, "--check-config"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("config ok: ledger " + ledger_), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("listen 127.0.0.1:7777 over TLS"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("metrics 127.0.0.1:9420"), std::string::npos) << ok.out;
  CommandResult over = Evident({"serve", "--config", good, "--listen", "127.0.0.1:8888",
                                "--check-config"});
  EXPECT_NE(over.out.find("listen 127.0.0.1:8888"), std::string::npos) << over.out;

  const std::string typo = Write("typo.conf", "ledger = " + ledger_ + "\n\nlisen = :1\n");
  CommandResult bad = Evident({"serve", "--config", typo, "--check-config"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find(typo + ":3: unknown setting \"lisen\""), std::string::npos) << bad.err;
  const std::string no_tls = Write("notls.conf", "ledger = " + ledger_ + "\ncert = /absent.pem\n");
  CommandResult missing = Evident({"serve", "--config", no_tls, "--check-config"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("/absent.pem"), std::string::npos) << missing.err;
  // The server's own checks: a certificate that does not load is caught here too.
  const std::string junk = Write("junk.pem", "not a certificate\n");
  CommandResult bad_cert = Evident({"serve", "--config", good, "--cert", junk, "--check-config"});
  EXPECT_EQ(bad_cert.exit_code, 1);
  EXPECT_NE(bad_cert.err.find("TLS certificate"), std::string::npos) << bad_cert.err;
  CommandResult version = Evident({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("evident ", 0), 0u) << version.out;
}

TEST_F(CliTest, MetricsOffLoopbackAreRefusedWithTheReasonUnlessMadePublic) {
  Init();
  CommandResult open = Evident({"serve", "--ledger", ledger_, "--listen", "127.0.0.1:0",
                                "--metrics", "0.0.0.0:9420", "--check-config"});
  EXPECT_EQ(open.exit_code, 1);
  EXPECT_NE(open.err.find("0.0.0.0 is not a loopback address"), std::string::npos) << open.err;
  EXPECT_NE(open.err.find("name the principals"), std::string::npos) << open.err;
  EXPECT_NE(open.err.find("--metrics-public"), std::string::npos) << open.err;
  CommandResult meant =
      Evident({"serve", "--ledger", ledger_, "--listen", "127.0.0.1:0", "--metrics", "0.0.0.0:9420",
               "--metrics-public", "--check-config"});
  EXPECT_EQ(meant.exit_code, 0) << meant.err;
  CommandResult v6 =
      Evident({"serve", "--ledger", ledger_, "--metrics", "[::1]:9420", "--check-config"});
  EXPECT_EQ(v6.exit_code, 0) << v6.err;
}

TEST_F(CliTest, InitAppendVerifyAndReappend) {
  Init();
  std::string events = dir_.path() + "/events.jsonl";
  ASSERT_EQ(Exec(GEN_EVENTS_BIN, {"--count", "500", "--seed", "3"}, events).exit_code, 0);

  CommandResult append = Evident({"append", "--ledger", ledger_, "--key", admin_, events});
  ASSERT_EQ(append.exit_code, 0) << append.err;
  EXPECT_NE(append.out.find("appended 500 events at positions 2..501"), std::string::npos)
      << append.out;

  CommandResult verify = Evident({"verify", "--ledger", ledger_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find("ok: 502 entries"), std::string::npos) << verify.out;

  CommandResult again = Evident({"append", "--ledger", ledger_, "--key", admin_, events});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("appended 0 events; 500 were already"), std::string::npos) << again.out;
  EXPECT_EQ(CountLines(Snapshot()), 502u);
}

TEST_F(CliTest, InitUnderAnOpenUmaskLeavesTheLedgerAndItsKeysToTheOwnerAlone) {
  const mode_t old_umask = ::umask(022);  // the evident children inherit it
  Init();
  CommandResult keygen = Evident({"keygen", "--out", dir_.path() + "/integration.pem"});
  ::umask(old_umask);
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  for (const std::string& dir : {ledger_, ledger_ + "/db", ledger_ + "/keys"}) {
    EXPECT_EQ(ModeOf(dir), "0700") << dir;
  }
  for (const std::string& key : {admin_, ledger_ + "/keys/ledger.pem",
                                 ledger_ + "/keys/tls-key.pem", dir_.path() + "/integration.pem"}) {
    EXPECT_EQ(ModeOf(key), "0600") << key;
  }
  // The projection store, made when the views are first brought up to date.
  ASSERT_EQ(Evident({"project", "update", "--ledger", ledger_}).exit_code, 0);
  EXPECT_EQ(ModeOf(ledger_ + "/projections"), "0700");
}

TEST_F(CliTest, InitNeverWritesTheTlsKeyIntoAFileThatIsThereAlready) {
  // Someone who could read a file made before the key went into it would
  // read the key.
  std::filesystem::create_directories(ledger_ + "/keys");
  const std::string planted = ledger_ + "/keys/tls-key.pem";
  std::ofstream(planted) << "";
  CommandResult init = Evident({"init", "--ledger", ledger_});
  EXPECT_NE(init.exit_code, 0);
  EXPECT_NE(init.err.find("tls-key.pem exists already"), std::string::npos) << init.err;
  EXPECT_EQ(ReadFile(planted), "");
}

TEST_F(CliTest, LogPrintsEventsInTheFormAppendReads) {
  Init();
  Write("one.jsonl", AttendanceJson(IdHex(5), "p-1", 45) + "\n");
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, dir_.path() + "/one.jsonl"})
                .exit_code,
            0);
  CommandResult log = Evident({"log", "--ledger", ledger_, "--from", "2"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  ASSERT_EQ(CountLines(log.out), 1u);
  auto line = nlohmann::json::parse(log.out);
  EXPECT_EQ(line["sequence"], 2);
  EXPECT_EQ(line["event"]["body"]["credited_minutes"], 45);
  // Feeding the logged event back appends nothing: the bytes are identical.
  std::string back = Write("back.jsonl", line["event"].dump() + "\n");
  CommandResult again = Evident({"append", "--ledger", ledger_, "--key", admin_, back});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("1 were already"), std::string::npos) << again.out;
}

struct BadInput {
  const char* name;
  std::string file_content;  // the events file
  std::string key_content;   // "" = use the admin key
  std::string expected;      // in the one stderr line
};

TEST_F(CliTest, BadInputGivesOneClearLineAndLeavesTheLedgerUnchanged) {
  Init();
  const std::string good =
      AttendanceJson(IdHex(1), "p", 5) + "\n" + AttendanceJson(IdHex(2), "p", 5) + "\n";
  const std::string missing_field =
      R"({"event_id":")" + IdHex(3) +
      R"(","event_type":"AttendanceRecorded","occurred_at":"2025-01-15T16:00:00Z","district_id":"d","source_system":"s","subject":{"person_id":"p","program_id":"q","session_id":"r"},"body":{"attendance_date":"2025-01-15","credited_minutes":5}})";
  const std::vector<BadInput> cases = {
      {"malformed JSON", good + "{\"event_id\": \n", "", "events.jsonl:3: malformed JSON"},
      {"unknown event type", good + R"({"event_id":"00","event_type":"TeacherPromoted"})" + "\n",
       "", "events.jsonl:3: unknown event type \"TeacherPromoted\""},
      {"missing field", good + missing_field + "\n", "",
       "events.jsonl:3: missing field \"body.attendance_event_category\""},
      {"bad key file", good, "-----BEGIN PRIVATE KEY-----\nnot base64\n", "not a PEM private key"},
      {"unregistered key", good, "generate", "is not registered in this ledger"},
  };
  const std::string before = Snapshot();
  ASSERT_EQ(CountLines(before), 2u);
  for (const BadInput& c : cases) {
    SCOPED_TRACE(c.name);
    std::string events = Write("events.jsonl", c.file_content);
    std::string key = admin_;
    if (c.key_content == "generate") {
      key = dir_.path() + "/stranger.pem";
      std::filesystem::remove(key);
      ASSERT_EQ(Evident({"keygen", "--out", key}).exit_code, 0);
    } else if (!c.key_content.empty()) {
      key = Write("bad.pem", c.key_content);
    }
    CommandResult r = Evident({"append", "--ledger", ledger_, "--key", key, events});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(CountLines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_EQ(r.err.rfind("evident append: ", 0), 0u) << r.err;
    EXPECT_EQ(Snapshot(), before);
  }
  CommandResult verify = Evident({"verify", "--ledger", ledger_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

TEST_F(CliTest, MissingFilesAndLedgersAreClearErrors) {
  Init();
  CommandResult no_input =
      Evident({"append", "--ledger", ledger_, "--key", admin_, dir_.path() + "/nope.jsonl"});
  EXPECT_EQ(no_input.exit_code, 1);
  EXPECT_NE(no_input.err.find("cannot open"), std::string::npos) << no_input.err;
  CommandResult no_key =
      Evident({"append", "--ledger", ledger_, "--key", dir_.path() + "/nope.pem"});
  EXPECT_EQ(no_key.exit_code, 1);
  EXPECT_NE(no_key.err.find("cannot open key file"), std::string::npos) << no_key.err;
  CommandResult no_ledger = Evident({"verify", "--ledger", dir_.path() + "/elsewhere"});
  EXPECT_EQ(no_ledger.exit_code, 1);
  EXPECT_NE(no_ledger.err.find("evident init"), std::string::npos) << no_ledger.err;
  CommandResult twice = Evident({"init", "--ledger", ledger_});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_EQ(CountLines(Snapshot()), 2u);
}

TEST_F(CliTest, EverySubcommandHasHelpAndUnknownFlagsAreRefused) {
  for (const char* cmd : {"init", "keygen", "append", "log", "verify", "project", "query"}) {
    CommandResult help = Evident({cmd, "--help"});
    EXPECT_EQ(help.exit_code, 0) << cmd;
    EXPECT_EQ(help.out.rfind(std::string("usage: evident ") + cmd, 0), 0u) << help.out;
  }
  CommandResult top = Evident({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  CommandResult typo = Evident({"verify", "--ledgr", "x"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown flag --ledgr"), std::string::npos);
}

TEST_F(CliTest, KeygenPrintsARegistrationTheAdminCanAppend) {
  Init();
  std::string key = dir_.path() + "/hr.pem";
  std::string reg = dir_.path() + "/reg.jsonl";
  CommandResult gen = Exec(
      EVIDENT_BIN,
      {"keygen", "--out", key, "--principal", "hr-system", "--allow", "AttendanceRecorded"}, reg);
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, reg}).exit_code, 0);
  // The system speaks only as itself (key rule 6).
  std::string attendance = AttendanceJson(IdHex(9), "p", 5);
  Write("other.jsonl", attendance + "\n");
  CommandResult other =
      Evident({"append", "--ledger", ledger_, "--key", key, dir_.path() + "/other.jsonl"});
  EXPECT_NE(other.exit_code, 0);
  EXPECT_NE(other.err.find("source_system is \"hr-system\""), std::string::npos) << other.err;
  attendance.replace(attendance.find("\"test\""), 6, "\"hr-system\"");
  Write("att.jsonl", attendance + "\n");
  CommandResult att =
      Evident({"append", "--ledger", ledger_, "--key", key, dir_.path() + "/att.jsonl"});
  EXPECT_EQ(att.exit_code, 0) << att.err;
  EXPECT_EQ(CountLines(Snapshot()), 4u);
}

}  // namespace
}  // namespace evident

namespace evident {
namespace {

TEST_F(CliTest, DocsEventsMdIsTheSchemaCommandsOutput) {
  CommandResult schema = Evident({"schema"});
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  const std::string doc = ReadFile(std::string(EVIDENT_SOURCE_DIR) + "/docs/events.md");
  const std::string marker = "<!-- Everything below is the output of `evident schema`";
  size_t at = doc.find(marker);
  ASSERT_NE(at, std::string::npos);
  size_t body = doc.find('\n', at) + 1;
  EXPECT_EQ(doc.substr(body), schema.out)
      << "docs/events.md is out of date: regenerate its lower part with 'evident schema'";
}

TEST_F(CliTest, SchemaExamplesAreValidEventsOfEveryType) {
  CommandResult examples = Evident({"schema", "--examples"});
  ASSERT_EQ(examples.exit_code, 0) << examples.err;
  auto codec = testing::Must(EventJsonCodec::Create());
  std::istringstream lines(examples.out);
  std::string line;
  std::set<std::string> types;
  while (std::getline(lines, line)) {
    auto bytes = codec->FromJson(line);
    EXPECT_TRUE(bytes.ok()) << line << "\n" << bytes.status().ToString();
    types.insert(nlohmann::json::parse(line)["event_type"].get<std::string>());
  }
  EXPECT_EQ(types.size(), codec->EventTypes().size());
}

}  // namespace
}  // namespace evident

namespace evident {
namespace {

// An auditor's round: checkpoints and the ledger's key, proofs made by the
// ledger, checked with nothing but those files.
TEST_F(CliTest, ProofsCheckOfflineAndAFlippedHashFails) {
  Init();
  std::string events = dir_.path() + "/events.jsonl";
  ASSERT_EQ(Exec(GEN_EVENTS_BIN, {"--count", "300", "--seed", "5"}, events).exit_code, 0);
  auto save = [&](const std::vector<std::string>& args, const std::string& name) {
    std::string path = dir_.path() + "/" + name;
    CommandResult r = Exec(EVIDENT_BIN, args, path);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return path;
  };
  ASSERT_EQ(
      Evident({"append", "--ledger", ledger_, "--key", admin_, "--batch", "100", events}).exit_code,
      0);
  const std::string old_cp = save({"checkpoint", "--ledger", ledger_, "--size", "102"}, "cp102");
  const std::string new_cp = save({"checkpoint", "--ledger", ledger_}, "cp302");
  const std::string vkey = save({"pubkey", "--ledger", ledger_}, "vkey");
  const std::string incl = save({"prove", "--ledger", ledger_, "--index", "57"}, "incl.json");
  const std::string tlog =
      save({"prove", "--ledger", ledger_, "--index", "57", "--tlog-proof"}, "p.tlog-proof");
  const std::string cons =
      save({"prove", "--ledger", ledger_, "--consistency", "102", "302"}, "cons.json");

  CommandResult ok = Evident({"check-proof", "--vkey-file", vkey, "--checkpoint", new_cp, incl});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("ok: entry 57 is in evident.example/cli at size 302"), std::string::npos);
  EXPECT_EQ(Evident({"check-proof", "--vkey-file", vkey, tlog}).exit_code, 0);
  CommandResult grew = Evident({"check-proof", "--vkey-file", vkey, "--old-checkpoint", old_cp,
                                "--checkpoint", new_cp, cons});
  EXPECT_EQ(grew.exit_code, 0) << grew.err;

  // One hash of the proof flipped.
  auto proof = nlohmann::json::parse(ReadFile(incl));
  std::string h = proof["proof"][2];
  h[0] = h[0] == '0' ? '1' : '0';
  proof["proof"][2] = h;
  std::string flipped = Write("flipped.json", proof.dump());
  CommandResult bad =
      Evident({"check-proof", "--vkey-file", vkey, "--checkpoint", new_cp, flipped});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("FAILED"), std::string::npos) << bad.err;
  // The right proof against the wrong checkpoint, or the wrong key.
  EXPECT_EQ(Evident({"check-proof", "--vkey-file", vkey, "--checkpoint", old_cp, incl}).exit_code,
            1);
  testing::TempDir other;
  ASSERT_EQ(Evident({"init", "--ledger", other.path() + "/l", "--origin", "evident.example/cli"})
                .exit_code,
            0);
  const std::string other_vkey = save({"pubkey", "--ledger", other.path() + "/l"}, "other-vkey");
  CommandResult wrong_key =
      Evident({"check-proof", "--vkey-file", other_vkey, "--checkpoint", new_cp, incl});
  EXPECT_EQ(wrong_key.exit_code, 1);
  EXPECT_NE(wrong_key.err.find("checkpoint"), std::string::npos) << wrong_key.err;
  // Sizes without a checkpoint cannot be proved against.
  CommandResult no_cp = Evident({"prove", "--ledger", ledger_, "--index", "5", "--size", "150"});
  EXPECT_EQ(no_cp.exit_code, 1);
  EXPECT_NE(no_cp.err.find("no checkpoint at size 150"), std::string::npos) << no_cp.err;
}

}  // namespace
}  // namespace evident

namespace evident {
namespace {

// One process appends; auditors read beside it.
TEST_F(CliTest, ReadersRunBesideTheWriterAndASecondWriterIsRefused) {
  Init();
  auto writer = Ledger::Open(ledger_, OpenMode::kReadWrite);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  CommandResult verify = Evident({"verify", "--ledger", ledger_});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(Evident({"checkpoint", "--ledger", ledger_}).exit_code, 0);
  Write("one.jsonl", AttendanceJson(IdHex(5), "p", 5) + "\n");
  CommandResult second =
      Evident({"append", "--ledger", ledger_, "--key", admin_, dir_.path() + "/one.jsonl"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("in use by another process"), std::string::npos) << second.err;
  EXPECT_EQ(CountLines(second.err), 1u);
}

TEST_F(CliTest, ProjectAndQueryFollowTheLogAndFilter) {
  Init();
  std::string events = dir_.path() + "/events.jsonl";
  ASSERT_EQ(
      Exec(GEN_EVENTS_BIN, {"--count", "2000", "--seed", "4", "--amend", "20"}, events).exit_code,
      0);
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, events}).exit_code, 0);
  CommandResult rebuild = Evident({"project", "rebuild", "--ledger", ledger_});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_NE(rebuild.out.find("position     2002"), std::string::npos) << rebuild.out;

  // One more event: a query brings the views up to date before answering.
  Write("one.jsonl", AttendanceJson(IdHex(77), "p-cli", 90) + "\n");
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, dir_.path() + "/one.jsonl"})
                .exit_code,
            0);
  CommandResult q = Evident({"query", "reciprocity", "--ledger", ledger_, "--person", "p-cli"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  auto doc = nlohmann::json::parse(q.out);
  EXPECT_EQ(doc["tree_size"], 2003);
  EXPECT_EQ(doc["checkpoint_verified"], true);
  ASSERT_EQ(doc["rows"].size(), 2u) << q.out;  // its programme row and its year row
  for (const auto& row : doc["rows"]) EXPECT_EQ(row["person"], "p-cli");
  EXPECT_EQ(doc["rows"][0]["district_side"]["hours"], 1.5);

  // Status after the query: the store followed the log.
  CommandResult status = Evident({"project", "status", "--ledger", ledger_});
  EXPECT_NE(status.out.find("position     2003"), std::string::npos) << status.out;

  // CSV: a header, then one line per row.
  CommandResult csv =
      Evident({"query", "compliance", "--ledger", ledger_, "--row", "amendment", "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("row,position,event_id,kind,amends_event_id", 0), 0u) << csv.out;
  EXPECT_GT(CountLines(csv.out), 5u);

  // --verify re-checks the whole log and says so in the compliance view.
  CommandResult verified =
      Evident({"query", "compliance", "--ledger", ledger_, "--row", "log", "--verify"});
  ASSERT_EQ(verified.exit_code, 0) << verified.err;
  auto log_row = nlohmann::json::parse(verified.out)["rows"][0];
  EXPECT_EQ(log_row["full_verification"].get<std::string>().rfind("ok: 2003 entries verified", 0),
            0u)
      << verified.out;
  EXPECT_EQ(log_row["checkpoint_signature_verified"], true);

  // The view as of an earlier size is folded afresh and says so.
  CommandResult past = Evident({"query", "accountability", "--ledger", ledger_, "--size", "2002"});
  ASSERT_EQ(past.exit_code, 0) << past.err;
  EXPECT_EQ(nlohmann::json::parse(past.out)["tree_size"], 2002);

  CommandResult unknown = Evident({"query", "popularity", "--ledger", ledger_});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("reciprocity, accountability, equity or compliance"),
            std::string::npos);
  CommandResult bad_date =
      Evident({"query", "equity", "--ledger", ledger_, "--as-of-date", "May 1"});
  EXPECT_EQ(bad_date.exit_code, 1);
  EXPECT_NE(bad_date.err.find("YYYY-MM-DD"), std::string::npos);
}

TEST_F(CliTest, ReportBoardWritesAReportThatVerifiesUntilEdited) {
  Init();
  std::string events = dir_.path() + "/events.jsonl";
  ASSERT_EQ(Exec(GEN_EVENTS_BIN, {"--count", "1500", "--seed", "9"}, events).exit_code, 0);
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, events}).exit_code, 0);
  const std::string out = dir_.path() + "/board";
  CommandResult board =
      Evident({"report", "board", "--ledger", ledger_, "--fiscal-year", "2025", "--out", out});
  ASSERT_EQ(board.exit_code, 0) << board.err;
  EXPECT_NE(board.out.find("tree size 1502"), std::string::npos) << board.out;
  for (const char* file : {"report.html", "report.pdf", "report.md", "summary.json",
                           "investment_by_source.csv", "guskey.csv", "obligations.csv"}) {
    EXPECT_FALSE(ReadFile(out + "/" + file).empty()) << file;
  }

  CommandResult ok = Evident({"report", "verify", out, "--ledger", ledger_});
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("ok: every figure matches"), std::string::npos) << ok.out;

  // Entries appended after the report do not change it: it is recomputed at
  // its own checkpoint.
  Write("one.jsonl", AttendanceJson(IdHex(78), "p-late", 90) + "\n");
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, dir_.path() + "/one.jsonl"})
                .exit_code,
            0);
  EXPECT_EQ(Evident({"report", "verify", out, "--ledger", ledger_}).exit_code, 0);

  // From an export bundle of the whole log, too.
  const std::string bundle = dir_.path() + "/bundle";
  ASSERT_EQ(Evident({"export", "--ledger", ledger_, "--from", "0", "--out", bundle}).exit_code, 0);
  CommandResult from_bundle = Evident({"report", "verify", out, "--bundle", bundle});
  EXPECT_EQ(from_bundle.exit_code, 0) << from_bundle.out << from_bundle.err;

  // One figure edited in the markdown: verify fails and says where.
  std::string md = ReadFile(out + "/report.md");
  const size_t at = md.find("people took part");
  ASSERT_NE(at, std::string::npos);
  md.insert(at, "1");
  Write("board/report.md", md);
  CommandResult edited = Evident({"report", "verify", out, "--ledger", ledger_});
  EXPECT_EQ(edited.exit_code, 1);
  EXPECT_NE(edited.out.find("MISMATCH: report.md line"), std::string::npos) << edited.out;

  CommandResult exists =
      Evident({"report", "board", "--ledger", ledger_, "--fiscal-year", "2025", "--out", out});
  EXPECT_EQ(exists.exit_code, 1);
  EXPECT_NE(exists.err.find("already exists"), std::string::npos) << exists.err;
  CommandResult no_year = Evident({"report", "board", "--ledger", ledger_, "--out", out + "2"});
  EXPECT_EQ(no_year.exit_code, 1);
  EXPECT_NE(no_year.err.find("--fiscal-year"), std::string::npos);
  CommandResult no_report =
      Evident({"report", "verify", dir_.path() + "/nothing", "--ledger", ledger_});
  EXPECT_EQ(no_report.exit_code, 1);
  EXPECT_NE(no_report.err.find("summary.json"), std::string::npos) << no_report.err;
}

TEST_F(CliTest, ServeTakesAppendsTailsAndProofsOverTlsAndStopsCleanlyOnSigterm) {
  Init();
  const std::string out = dir_.path() + "/serve.out";
  pid_t pid = 0;
  std::string port;
  StartServer(out, &pid, &port);
  ASSERT_FALSE(port.empty()) << ReadFile(out) << ReadFile(out + ".err");
  const std::string server = "localhost:" + port, trust = ledger_ + "/keys/tls-cert.pem";

  std::string events = dir_.path() + "/events.jsonl";
  ASSERT_EQ(Exec(GEN_EVENTS_BIN, {"--count", "300", "--seed", "5"}, events).exit_code, 0);
  CommandResult append =
      Evident({"append", "--server", server, "--trust", trust, "--key", admin_, events});
  ASSERT_EQ(append.exit_code, 0) << append.err;
  EXPECT_NE(append.out.find("appended 300 events at positions 2..301"), std::string::npos)
      << append.out;
  CommandResult tail = Evident({"tail", "--server", server, "--trust", trust, "--key", admin_,
                                "--from", "299", "--limit", "3"});
  ASSERT_EQ(tail.exit_code, 0) << tail.err;
  ASSERT_EQ(CountLines(tail.out), 3u) << tail.out;
  EXPECT_EQ(nlohmann::json::parse(tail.out.substr(0, tail.out.find('\n')))["sequence"], 299);

  // A proof fetched from the server checks offline against the ledger's key.
  CommandResult proof = Evident({"prove", "--server", server, "--trust", trust, "--key", admin_,
                                 "--index", "120", "--tlog-proof"});
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  Write("entry.tlog-proof", proof.out);
  CommandResult vkey = Evident({"pubkey", "--ledger", ledger_});
  Write("ledger.vkey", vkey.out);
  CommandResult checked = Evident({"check-proof", "--vkey-file", dir_.path() + "/ledger.vkey",
                                   dir_.path() + "/entry.tlog-proof"});
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;

  // Without the certificate, or with a wrong one, nothing connects.
  CommandResult untrusted = Evident({"tail", "--server", server, "--key", admin_});
  EXPECT_EQ(untrusted.exit_code, 1);
  EXPECT_NE(untrusted.err.find("--trust"), std::string::npos);

  EXPECT_EQ(StopServer(pid), 0) << ReadFile(out + ".err");
  EXPECT_NE(ReadFile(out).find("stopped; the ledger holds 302 entries"), std::string::npos)
      << ReadFile(out);
  CommandResult verify = Evident({"verify", "--ledger", ledger_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace evident

namespace evident {
namespace {

// The words of the command line (docs/operations.md): one flag for one
// meaning, retired spellings refused with the new ones, and errors that say
// what to write instead.

struct Refusal {
  std::vector<std::string> args;
  std::string expected;  // the start of the one stderr line
};

TEST_F(CliTest, RetiredSpellingsAreRefusedNamingTheNewOnes) {
  Init();
  const std::string out = dir_.path() + "/board";
  const std::vector<std::string> board = {"report", "board", "--ledger", ledger_, "--out", out};
  auto with = [](std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  const std::vector<Refusal> cases = {
      {{"query", "accountability", "--ledger", ledger_, "--fy", "2025"},
       "evident query: --fy is now --fiscal-year"},
      {{"query", "reciprocity", "--ledger", ledger_, "--programme", "pd-1"},
       "evident query: --programme is now --program"},
      {{"query", "equity", "--ledger", ledger_, "--as-of", "2025-06-30"},
       "evident query: --as-of is now --as-of-date"},
      {with(board, {"--fiscal-year", "2025", "--as-of", "2"}),
       "evident report: --as-of is now --size"},
      {with(board, {"--fiscal-year", "2025", "--date", "2025-06-30"}),
       "evident report: --date is now --as-of-date"},
      {with(board, {"--fy", "2025"}), "evident report: --fy is now --fiscal-year"},
  };
  for (const Refusal& c : cases) {
    SCOPED_TRACE(c.expected);
    CommandResult r = Evident(c.args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.rfind(c.expected, 0), 0u) << r.err;
    EXPECT_EQ(CountLines(r.err), 1u) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(out));
}

// `evident --help`'s command names.
std::vector<std::string> CommandNames(const std::string& usage) {
  std::vector<std::string> names;
  std::istringstream lines(usage.substr(usage.find("COMMANDS\n") + 9));
  std::string line;
  while (std::getline(lines, line) && !line.empty()) {
    names.push_back(line.substr(4, line.find(' ', 4) - 4));
  }
  return names;
}

// Every "--name" a text writes, but --help.
std::set<std::string> FlagsNamedIn(const std::string& text) {
  std::set<std::string> names;
  for (size_t at = text.find("--"); at != std::string::npos; at = text.find("--", at + 2)) {
    size_t end = at + 2;
    while (end < text.size() && (std::islower(text[end]) || text[end] == '-')) ++end;
    if (end > at + 2 && text.compare(at, end - at, "--help") != 0) {
      names.insert(text.substr(at + 2, end - at - 2));
    }
  }
  return names;
}

// The flags named in "unknown flag --x; it takes --a, --b and --c (see ...)".
std::set<std::string> FlagsTaken(const std::string& refusal) {
  const size_t from = refusal.find("it takes ");
  if (from == std::string::npos) return {};
  return FlagsNamedIn(refusal.substr(from, refusal.find(" (see ") - from));
}

// Each command's --help names exactly the flags it says it takes when
// refusing one it does not, and it parses every one of them. Nothing runs:
// the flags are followed by one no command takes.
TEST_F(CliTest, EveryCommandAcceptsExactlyTheFlagsItsHelpNames) {
  const std::vector<std::string> commands = CommandNames(Evident({"--help"}).out);
  ASSERT_GE(commands.size(), 20u);
  for (const std::string& command : commands) {
    SCOPED_TRACE(command);
    CommandResult help = Evident({command, "--help"});
    ASSERT_EQ(help.exit_code, 0);
    const std::set<std::string> named = FlagsNamedIn(help.out);
    CommandResult refusal = Evident({command, "--not-a-flag"});
    EXPECT_EQ(refusal.exit_code, 2);
    EXPECT_EQ(FlagsTaken(refusal.err), named) << help.out << refusal.err;
    std::vector<std::string> all = {command};
    for (const std::string& flag : named) all.insert(all.end(), {"--" + flag, "x"});
    all.push_back("--not-a-flag");
    CommandResult r = Evident(all);
    EXPECT_NE(r.err.find("unknown flag --not-a-flag"), std::string::npos) << r.err;
  }
}

TEST_F(CliTest, ReportBoardAndQueryTakeTheSameWordsForSizeDateYearAndProgram) {
  Init();
  std::string events = dir_.path() + "/events.jsonl";
  ASSERT_EQ(Exec(GEN_EVENTS_BIN, {"--count", "400", "--seed", "6"}, events).exit_code, 0);
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, events}).exit_code, 0);

  const std::string out = dir_.path() + "/board";
  CommandResult board = Evident({"report", "board", "--ledger", ledger_, "--fiscal-year", "2025",
                                 "--size", "402", "--as-of-date", "2025-06-30", "--out", out});
  ASSERT_EQ(board.exit_code, 0) << board.err;
  EXPECT_NE(board.out.find("figures as of 2025-06-30, tree size 402"), std::string::npos)
      << board.out;
  // The report names the command that recomputes it in the same words.
  auto summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  EXPECT_EQ(summary["recompute"]["report"],
            "evident report board --ledger LEDGER --fiscal-year 2025 --size 402 --as-of-date "
            "2025-06-30 --out DIR");

  CommandResult all = Evident({"query", "accountability", "--ledger", ledger_});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const nlohmann::json rows = nlohmann::json::parse(all.out)["rows"];
  // Without a day given, the answer says it judged on the last entry's day.
  EXPECT_EQ(nlohmann::json::parse(all.out)["as_of_from"], "last entry");
  std::string program;
  for (const auto& row : rows) {
    if (program.empty() && row.contains("program")) program = row["program"];
  }
  ASSERT_FALSE(program.empty()) << all.out;
  CommandResult one = Evident({"query", "accountability", "--ledger", ledger_, "--program", program,
                               "--fiscal-year", "2025", "--as-of-date", "2025-06-30"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto doc = nlohmann::json::parse(one.out);
  EXPECT_EQ(doc["as_of"], "2025-06-30");
  EXPECT_EQ(doc["as_of_from"], "given");
  ASSERT_FALSE(doc["rows"].empty()) << one.out;
  EXPECT_LT(doc["rows"].size(), rows.size());
  for (const auto& row : doc["rows"]) {
    EXPECT_EQ(row["program"], program);
    EXPECT_TRUE(row.value("fiscal_year", 0) == 2025 || row.value("school_year", 0) == 2025) << row;
  }
}

TEST_F(CliTest, ReportVerifyTakesTheLedgersKeyAsVkeyOrVkeyFile) {
  Init();
  std::string events = dir_.path() + "/events.jsonl";
  ASSERT_EQ(Exec(GEN_EVENTS_BIN, {"--count", "300", "--seed", "8"}, events).exit_code, 0);
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, events}).exit_code, 0);
  const std::string out = dir_.path() + "/board", bundle = dir_.path() + "/bundle";
  ASSERT_EQ(Evident({"report", "board", "--ledger", ledger_, "--fiscal-year", "2025", "--out", out})
                .exit_code,
            0);
  ASSERT_EQ(Evident({"export", "--ledger", ledger_, "--from", "0", "--out", bundle}).exit_code, 0);
  const std::string vkey = Evident({"pubkey", "--ledger", ledger_}).out;
  const std::string vkey_file = Write("ledger.vkey", vkey);

  CommandResult given = Evident(
      {"report", "verify", out, "--bundle", bundle, "--vkey", vkey.substr(0, vkey.find('\n'))});
  EXPECT_EQ(given.exit_code, 0) << given.out << given.err;
  EXPECT_NE(given.out.find("(checkpoint signature verified)"), std::string::npos) << given.out;
  CommandResult from_file =
      Evident({"report", "verify", out, "--bundle", bundle, "--vkey-file", vkey_file});
  EXPECT_EQ(from_file.exit_code, 0) << from_file.out << from_file.err;
  EXPECT_NE(from_file.out.find("(checkpoint signature verified)"), std::string::npos)
      << from_file.out;
  // The file's name where the key belongs: the error says which flag takes a file.
  CommandResult mixed_up =
      Evident({"report", "verify", out, "--bundle", bundle, "--vkey", vkey_file});
  EXPECT_EQ(mixed_up.exit_code, 1);
  EXPECT_NE(mixed_up.err.find("--vkey-file " + vkey_file), std::string::npos) << mixed_up.err;
}

TEST_F(CliTest, AnIdThatIsNotOneIsRefusedSayingWhatAnIdMayBe) {
  Init();
  std::string line = AttendanceJson(IdHex(1), "p", 5);
  line.replace(line.find(IdHex(1)), IdHex(1).size(), "INV-100");
  const std::string events = Write("events.jsonl", line + "\n");
  CommandResult r = Evident({"append", "--ledger", ledger_, "--key", admin_, events});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("events.jsonl:1: \"event_id\" must be an id of 16 bytes: 32 hex digits, "
                       "or a UUID such as "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("got \"INV-100\""), std::string::npos) << r.err;
  EXPECT_EQ(CountLines(Snapshot()), 2u);
}

// How often `what` occurs in `text`.
size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// An event the ledger refuses only when appending (its id holds other
// bytes already) is named by file and line, not also by its place in a batch.
TEST_F(CliTest, AnAppendErrorNamesTheFileAndLineOnlyOnce) {
  Init();
  Write("first.jsonl", AttendanceJson(IdHex(1), "p", 5) + "\n");
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, dir_.path() + "/first.jsonl"})
                .exit_code,
            0);
  const std::string events =
      Write("x.jsonl", AttendanceJson(IdHex(2), "p", 5) + "\n" + AttendanceJson(IdHex(3), "p", 5) +
                           "\n" + AttendanceJson(IdHex(1), "p", 99) + "\n");
  auto check = [&](const CommandResult& r) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err.rfind("evident append: " + events + ":3: ", 0), 0u) << r.err;
    EXPECT_EQ(Occurrences(r.err, "x.jsonl"), 1u) << r.err;
    for (const char* batch_index : {"event 0:", "event 0 (", "event 2:", "event 2 ("}) {
      EXPECT_EQ(r.err.find(batch_index), std::string::npos) << r.err;
    }
    EXPECT_NE(r.err.find("event " + IdHex(1) + ": "), std::string::npos) << r.err;
  };
  check(Evident({"append", "--ledger", ledger_, "--key", admin_, events}));
  check(Evident({"append", "--ledger", ledger_, "--key", admin_, "--batch", "1", events}));

  const std::string out = dir_.path() + "/serve.out";
  pid_t pid = 0;
  std::string port;
  StartServer(out, &pid, &port);
  ASSERT_FALSE(port.empty()) << ReadFile(out) << ReadFile(out + ".err");
  check(Evident({"append", "--server", "localhost:" + port, "--trust",
                 ledger_ + "/keys/tls-cert.pem", "--key", admin_, events}));
  EXPECT_EQ(StopServer(pid), 0);
}

}  // namespace
}  // namespace evident
