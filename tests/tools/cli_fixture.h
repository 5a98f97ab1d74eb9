#pragma once

// The evident command line, run as a user would run it: a fixture that runs
// the built binary in a temp dir and gives back its exit code and output.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/testutil/test_util.h"

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

  testing::TempDir dir_;
  std::string ledger_ = dir_.path() + "/ledger";
  std::string admin_ = ledger_ + "/keys/admin.pem";
};

}  // namespace evident
