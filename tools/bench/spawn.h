#pragma once

// Starting another program from the bench tools (the server under attack,
// the load scenarios' children).

#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace evident::bench {

// Forks and runs the program `argv[0]` with `argv`. In the child, `prepare`
// runs first (to move descriptors into place); a program that cannot be run
// is reported on stderr and the child exits 127. Returns the child's pid, or
// -1 if the fork failed. Standard output is flushed first, or the child
// would print what is buffered again.
inline pid_t ForkExec(const std::vector<std::string>& argv, const std::function<void()>& prepare) {
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  prepare();
  std::vector<char*> args;
  for (const std::string& s : argv) args.push_back(const_cast<char*>(s.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  std::perror(args[0]);
  std::_Exit(127);
}

}  // namespace evident::bench
