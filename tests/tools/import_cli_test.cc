// `evident import` as an operator runs it: the shipped samples into a fresh
// ledger, a file with bad rows refused whole, --partial and --dry-run.

#include "tests/tools/cli_fixture.h"

namespace evident {
namespace {

const std::string kMappings = std::string(EVIDENT_SOURCE_DIR) + "/tools/import/mappings/";
const std::string kSamples = std::string(EVIDENT_SOURCE_DIR) + "/tools/import/samples/";

class ImportCliTest : public CliTest {
 protected:
  CommandResult Import(const std::string& mapping, const std::vector<std::string>& files,
                       const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"import",     "--map", kMappings + mapping + ".json",
                                     "--ledger",   ledger_, "--key",
                                     admin_,       "--param", "district_id=lea-0640001"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), files.begin(), files.end());
    return Evident(args);
  }
};

TEST_F(ImportCliTest, TheShippedSamplesImportAndVerify) {
  Init();
  const std::vector<std::pair<std::string, std::string>> samples = {
      {"edfi-pd-events", "pd-events.csv"},
      {"edfi-staff", "staff.jsonl"},
      {"edfi-pd-attendance", "pd-attendance.csv"},
      {"edfi-evaluation-ratings", "evaluation-ratings.csv"},
      {"edfi-performance-evaluation-ratings", "performance-evaluation-ratings.csv"},
      {"finance-pd-costs", "pd-costs.csv"},
      {"ceds-staff-pd-activity", "staff-pd-activity.csv"}};
  for (const auto& [mapping, sample] : samples) {
    CommandResult r = Import(mapping, {kSamples + sample});
    ASSERT_EQ(r.exit_code, 0) << sample << ": " << r.err;
    EXPECT_NE(r.out.find(" 0 rejected"), std::string::npos) << r.out;
  }
  CommandResult verify = Evident({"verify", "--ledger", ledger_});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  // 2 set-up entries, then 4 + 16 + 13 + 5 + 5 + 7 + 5 imported events.
  EXPECT_NE(verify.out.find("ok: 57 entries"), std::string::npos) << verify.out;

  const std::string before = Snapshot();
  CommandResult again = Import("edfi-pd-attendance", {kSamples + "pd-attendance.csv"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 new events, 0 corrections, 13 unchanged; appended 0 events"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ImportCliTest, AFileWithBadRowsAppendsNothingUnlessPartial) {
  Init();
  const std::string bad = Write(
      "bad.csv",
      "AttendanceDate,Namespace,PersonId,ProfessionalDevelopmentTitle,SourceSystemDescriptor,"
      "AttendanceEventCategoryDescriptor,AttendanceEventReason,AttendedMinutes\n"
      "2025-08-11,ns,p-1,t,ssd,In Attendance,,360\n"
      "2025-08-11,ns,p-2,t,ssd,In Attendance,,-5\n"
      "2025-08-12,ns,p-1,t,ssd,In Attendance,,300\n");
  const std::string before = Snapshot();
  CommandResult refused = Import("edfi-pd-attendance", {bad});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find(bad + ":3: column 8 (AttendedMinutes): "), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("1 records rejected; nothing was appended"), std::string::npos)
      << refused.err;
  EXPECT_EQ(Snapshot(), before);

  CommandResult dry = Import("edfi-pd-attendance", {bad}, {"--partial", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(CountLines(dry.out), 2u) << dry.out;  // the two good rows, as JSON Lines
  EXPECT_NE(dry.out.find("\"source\":\"" + bad + ":2\""), std::string::npos) << dry.out;
  EXPECT_EQ(Snapshot(), before);

  CommandResult partial = Import("edfi-pd-attendance", {bad}, {"--partial"});
  ASSERT_EQ(partial.exit_code, 0) << partial.err;
  EXPECT_NE(partial.out.find("appended 2 events at positions 2..3"), std::string::npos)
      << partial.out;
}

TEST_F(ImportCliTest, AMissingFileOrMappingIsNamed) {
  Init();
  CommandResult r = Import("edfi-pd-attendance", {dir_.path() + "/absent.csv"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("absent.csv"), std::string::npos) << r.err;
  CommandResult m = Import("no-such-mapping", {kSamples + "pd-attendance.csv"});
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_NE(m.err.find("no-such-mapping.json"), std::string::npos) << m.err;
}

TEST_F(ImportCliTest, AnIntegrationImportsThroughTheServerAndItsEditsBecomeCorrections) {
  Init();
  // The PD system's key may append attendance and its corrections.
  const std::string pd = dir_.path() + "/pd.pem";
  CommandResult keygen = Evident({"keygen", "--out", pd, "--principal", "pd-system", "--allow",
                                  "AttendanceRecorded,RecordCorrected"});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  const std::string reg = Write("register.jsonl", keygen.out);
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, reg}).exit_code, 0);
  // Other systems' events first: more than one read window of the log that
  // holds none of this key's (the server sends an integration only its own).
  const std::string others = dir_.path() + "/others.jsonl";
  ASSERT_EQ(Exec(GEN_EVENTS_BIN, {"--count", "1100", "--seed", "9"}, others).exit_code, 0);
  ASSERT_EQ(Evident({"append", "--ledger", ledger_, "--key", admin_, others}).exit_code, 0);

  const std::string out = dir_.path() + "/serve.out";
  pid_t pid = 0;
  std::string port;
  StartServer(out, &pid, &port);
  ASSERT_FALSE(port.empty()) << ReadFile(out) << ReadFile(out + ".err");
  const std::vector<std::string> remote = {"--server", "localhost:" + port, "--trust",
                                           ledger_ + "/keys/tls-cert.pem"};
  auto import = [&](const std::string& file) {
    // The system's events name it as their source (key rule 6).
    std::vector<std::string> args = {"import",  "--map", kMappings + "edfi-pd-attendance.json",
                                     "--param", "source_system=pd-system",
                                     "--key",   pd};
    args.insert(args.end(), remote.begin(), remote.end());
    args.push_back(file);
    return Evident(args);
  };
  const std::string sample = ReadFile(kSamples + "pd-attendance.csv");
  CommandResult first = import(Write("a.csv", sample));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("13 new events"), std::string::npos) << first.out;

  std::string edited = sample;
  const std::string row = "p-1005,reading-foundations-coaching";
  const size_t at = edited.find(row);
  ASSERT_NE(at, std::string::npos);
  const size_t end = edited.find('\n', at);
  edited.replace(end - 2, 2, "60");  // the tardy row's 75 minutes become 60
  CommandResult second = import(Write("b.csv", edited));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("0 new events, 1 corrections, 12 unchanged; appended 1 events"),
            std::string::npos)
      << second.out;
  CommandResult third = import(Write("c.csv", edited));
  EXPECT_NE(third.out.find("0 new events, 0 corrections, 13 unchanged; appended 0 events"),
            std::string::npos)
      << third.out;

  // A backup of the running server, restored and verified.
  const std::string backup = dir_.path() + "/backup";
  std::vector<std::string> args = {"backup", backup, "--key", admin_};
  args.insert(args.end(), remote.begin(), remote.end());
  CommandResult backed = Evident(args);
  ASSERT_EQ(backed.exit_code, 0) << backed.err;
  // 2 set-up entries, the key, 1,100 others, 13 imported, 1 correction.
  EXPECT_NE(backed.out.find(": 1117 entries"), std::string::npos) << backed.out;
  EXPECT_EQ(StopServer(pid), 0) << ReadFile(out + ".err");
  CommandResult restored =
      Evident({"restore", backup, "--ledger", dir_.path() + "/restored"});
  EXPECT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_NE(restored.out.find("ok: 1117 entries verified"), std::string::npos) << restored.out;
}

}  // namespace
}  // namespace evident
