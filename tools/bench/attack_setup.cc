#include "tools/bench/attack_setup.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ledger/coding.h"
#include "ledger/event_json.h"
#include "ledger/ledger.h"
#include "tools/bench/gen_util.h"
#include "tools/bench/spawn.h"

namespace evident::bench {
namespace {

// Event ids of the setup's own events.
constexpr uint64_t kSetupSeed = 0xa77ac0;
std::string Id(uint64_t n) { return gen::EventId(kSetupSeed, n); }

// Runs `argv` to its end with its output discarded; OK when it exits 0.
Status RunQuietly(const std::vector<std::string>& argv) {
  const pid_t pid = ForkExec(argv, [] { (void)!std::freopen("/dev/null", "w", stdout); });
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    return Status::IOError(argv[0] + " " + argv[1] + " failed");
  }
  return Status::OK();
}

// A programme whose title is `title_bytes` long.
std::string LargeProgram(uint64_t n, size_t title_bytes) {
  const std::string id = "pd-large-" + std::to_string(n);
  return EnvelopeJson(Id(n), "ProgramDefined", "admin", "\"program_id\":\"" + id + "\"",
                      "\"professional_development_title\":\"" + std::string(title_bytes, 't') +
                          "\",\"offered_by\":\"District\",\"delivery_method\":\"Onsite\","
                          "\"total_hours\":1,\"activity_type\":\"Workshop\"");
}

StatusOr<PrivateKey> NewKey(const std::string& dir, const std::string& name) {
  auto key = PrivateKey::Generate();
  if (!key.ok()) return key.status();
  EVIDENT_RETURN_IF_ERROR(key.value().SaveFile(dir + "/keys/" + name + ".pem"));
  return key;
}

Status AppendJson(Ledger* ledger, const PrivateKey& admin, const std::vector<std::string>& json) {
  auto codec = EventJsonCodec::Create();
  if (!codec.ok()) return codec.status();
  std::vector<SignedEvent> events;
  for (const std::string& j : json) {
    auto bytes = codec.value()->FromJson(j);
    if (!bytes.ok()) return bytes.status();
    events.push_back(SignEvent(admin, std::move(bytes.value())));
  }
  return ledger->Append(std::move(events)).status();
}

}  // namespace

std::string EnvelopeJson(const std::string& id_hex, const std::string& type,
                         const std::string& source_system, const std::string& subject,
                         const std::string& body) {
  return "{\"event_id\":\"" + id_hex + "\",\"event_type\":\"" + type +
         "\",\"occurred_at\":\"2026-01-15T16:00:00Z\",\"effective_date\":\"2026-01-15\","
         "\"district_id\":\"attack-usd\",\"source_system\":\"" +
         source_system + "\",\"subject\":{" + subject + "},\"body\":{" + body + "}}";
}

std::string RegistrationJson(const std::string& id_hex, const std::string& principal_json,
                             const char* role, const PrivateKey& key, const char* allowed) {
  return EnvelopeJson(id_hex, "KeyRegistered", "admin", "",
                      "\"principal_id\":\"" + principal_json + "\",\"role\":\"" + role +
                          "\",\"public_key\":\"" + HexEncode(key.public_key().raw()) +
                          "\",\"allowed_event_types\":" + allowed);
}

StatusOr<AttackKeys> MakeAttackLedger(const std::string& evident, const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir + "/keys", ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  const std::string ledger_dir = dir + "/ledger";
  EVIDENT_RETURN_IF_ERROR(
      RunQuietly({evident, "init", "--ledger", ledger_dir, "--origin", "evident.example/attack"}));
  auto admin = PrivateKey::LoadFile(ledger_dir + "/keys/admin.pem");
  if (!admin.ok()) return admin.status();
  std::vector<PrivateKey> keys;
  for (const char* name : {kLms, kHr, "auditor", "board"}) {
    auto key = NewKey(dir, name);
    if (!key.ok()) return key.status();
    keys.push_back(key.value());
  }
  AttackKeys out{admin.value(), keys[0], keys[1], keys[2], keys[3]};
  const char* allowed =
      "[\"AttendanceRecorded\",\"ReactionSurveySubmitted\",\"CostIncurred\",\"PersonRegistered\"]";
  auto ledger = Ledger::Open(ledger_dir);
  if (!ledger.ok()) return ledger.status();
  EVIDENT_RETURN_IF_ERROR(
      AppendJson(ledger.value().get(), out.admin,
                 {RegistrationJson(Id(0), kLms, "Integration", out.lms, allowed),
                  RegistrationJson(Id(1), kHr, "Integration", out.hr, allowed),
                  RegistrationJson(Id(2), "auditor", "Auditor", out.auditor, "[]"),
                  RegistrationJson(Id(3), "board", "Board", out.board, "[]")}));
  for (uint64_t batch = 0; batch < 3; ++batch) {
    std::vector<std::string> large;
    for (uint64_t i = 0; i < 100; ++i) large.push_back(LargeProgram(100 + batch * 100 + i, 40000));
    EVIDENT_RETURN_IF_ERROR(AppendJson(ledger.value().get(), out.admin, large));
  }
  return out;
}

StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(const std::string& evident,
                                                              const std::string& dir) {
  std::unique_ptr<ServerProcess> p(new ServerProcess);
  p->log_path_ = dir + "/serve.log";
  const std::string ledger_dir = dir + "/ledger";
  std::ifstream cert_file(ledger_dir + "/keys/tls-cert.pem");
  std::stringstream cert;
  cert << cert_file.rdbuf();
  p->client_.host = "localhost";
  p->client_.trusted_cert_pem = cert.str();
  p->client_.timeout = std::chrono::milliseconds(10000);
  int out[2];
  if (::pipe(out) != 0) return Status::IOError("pipe");
  const std::vector<std::string> argv = {evident,    "serve",       "--ledger",   ledger_dir,
                                         "--listen", "127.0.0.1:0", "--log-file", p->log_path_};
  p->pid_ = ForkExec(argv, [&] {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
  });
  ::close(out[1]);
  if (p->pid_ < 0) {
    ::close(out[0]);
    return Status::IOError("fork");
  }
  // "serving DIR (ORIGIN, N entries) on 127.0.0.1:PORT over TLS"; the rest
  // of its output is not read (a line or two, within the pipe's buffer).
  // The pipe stays open until the server is stopped, so that its last
  // lines do not meet a closed pipe.
  p->output_ = ::fdopen(out[0], "r");
  char line[4096];
  const bool said = std::fgets(line, sizeof(line), p->output_) != nullptr;
  const char* at = said ? std::strstr(line, " on 127.0.0.1:") : nullptr;
  if (at == nullptr) return Status::IOError("evident serve did not start; see " + p->log_path_);
  p->port_ = uint16_t(std::strtoul(at + std::strlen(" on 127.0.0.1:"), nullptr, 10));
  p->client_.port = p->port_;
  return p;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) (void)Stop();
  if (output_ != nullptr) std::fclose(output_);
}

bool ServerProcess::Alive() const {
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string pid, name, state;
  // "PID (NAME) STATE ..."; the name is evident's own, without spaces.
  if (!(stat >> pid >> name >> state)) return false;
  return state != "Z" && state != "X";
}

double ServerProcess::RssMiB() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  }
  return 0;
}

Status ServerProcess::Stop() {
  if (pid_ <= 0) return Status::FailedPrecondition("the server is not running");
  const pid_t pid = pid_;
  pid_ = -1;
  ::kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::OK();
      return Status::IOError(WIFSIGNALED(status)
                                 ? "the server died of signal " + std::to_string(WTERMSIG(status))
                                 : "the server exited " + std::to_string(WEXITSTATUS(status)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return Status::IOError("the server did not stop within 20 s of SIGTERM");
}

}  // namespace evident::bench
