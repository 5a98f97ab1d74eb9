#include "tests/testutil/child_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <cstdlib>

extern char** environ;

namespace evident::testing {

SpawnedChild SpawnWithStdoutPipe(std::vector<std::string> args, const std::string& err_path) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  SpawnedChild child;
  if (posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) std::abort();
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  child.out = fds[0];
  return child;
}

int CrashKills(int default_kills) {
  const char* env = std::getenv("EVIDENT_CRASH_KILLS");
  return env != nullptr ? std::atoi(env) : default_kills;
}

}  // namespace evident::testing
