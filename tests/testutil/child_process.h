#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

// Child processes for the crash tests, which kill them again and again.
namespace evident::testing {

// A started child: its pid, and the read end of a pipe on its standard
// output, which the caller closes.
struct SpawnedChild {
  pid_t pid = -1;
  int out = -1;
};

// Starts `args[0]` with `args`, its standard output on a pipe and its
// standard error appended to `err_path`. Aborts the test binary if the child
// cannot be started: nothing a crash test checks would mean anything then.
SpawnedChild SpawnWithStdoutPipe(std::vector<std::string> args, const std::string& err_path);

// How many kills a crash test makes: EVIDENT_CRASH_KILLS when set, else
// `default_kills`.
int CrashKills(int default_kills);

}  // namespace evident::testing
