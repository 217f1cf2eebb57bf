// Running a program as a person at a terminal would: a pseudo-terminal
// (forkpty) as its stdin, stdout and stderr, for tests of what is shown
// only on a terminal (the live lines of `run`, `register`, `bench`).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace cs::testing {

struct TerminalRun {
  int status = -1;     // exit status; -1 when it was killed at its bound
  std::string output;  // everything written to the terminal
};

// Runs argv[0] with argv. When `stop_when` holds for the output so far,
// sends `signal` once. Bounded: killed after timeout_s.
TerminalRun RunOnTerminal(const std::vector<std::string>& argv, int timeout_s,
                          const std::function<bool(const std::string&)>& stop_when = {}, int signal = 2 /* SIGINT */);

}  // namespace cs::testing
