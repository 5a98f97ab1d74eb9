#pragma once

// The evident command line, run as a user would run it: a fixture that runs
// the built binary in a temp dir and gives back its exit code and output.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/testutil/test_util.h"

extern char** environ;

namespace evident {

struct CommandResult {
  int exit_code;
  std::string out;
  std::string err;
};

inline std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

inline size_t CountLines(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

class CliTest : public ::testing::Test {
 protected:
  CommandResult Evident(const std::vector<std::string>& args) { return Exec(EVIDENT_BIN, args); }

  CommandResult Exec(const std::string& bin, const std::vector<std::string>& args,
                     const std::string& stdout_path = "") {
    std::string cmd = Quote(bin);
    for (const auto& a : args) cmd += " " + Quote(a);
    const std::string out = stdout_path.empty() ? dir_.path() + "/stdout" : stdout_path;
    const std::string err = dir_.path() + "/stderr";
    cmd += " >" + Quote(out) + " 2>" + Quote(err) + " </dev/null";
    int status = std::system(cmd.c_str());
    return {WEXITSTATUS(status), stdout_path.empty() ? ReadFile(out) : "", ReadFile(err)};
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = dir_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  void Init() {
    CommandResult r = Evident({"init", "--ledger", ledger_, "--origin", "evident.example/cli"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Everything a reader can see of the ledger.
  std::string Snapshot() {
    CommandResult r = Evident({"log", "--ledger", ledger_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  // `evident serve` of the ledger in the background on a free port, its
  // standard output in `out` (and `out`.err); `*port` stays empty if it did
  // not start within 10 s.
  void StartServer(const std::string& out, pid_t* pid, std::string* port) {
    std::vector<std::string> args = {EVIDENT_BIN, "serve", "--ledger", ledger_, "--listen",
                                     "127.0.0.1:0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (out + ".err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int spawned = posix_spawn(pid, EVIDENT_BIN, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return;
    for (int i = 0; i < 200 && port->empty(); ++i) {
      const std::string text = ReadFile(out);
      const size_t at = text.find(" over TLS");
      if (at != std::string::npos) {
        *port = text.substr(text.rfind(':', at) + 1, at - text.rfind(':', at) - 1);
      }
      if (port->empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  // SIGTERM to the server; its exit status (-1 if it did not exit itself).
  int StopServer(pid_t pid) {
    if (kill(pid, SIGTERM) != 0) return -1;
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
  }

  testing::TempDir dir_;
  std::string ledger_ = dir_.path() + "/ledger";
  std::string admin_ = ledger_ + "/keys/admin.pem";
};

}  // namespace evident
