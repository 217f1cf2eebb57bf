#include "tests/util/terminal_run.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace cs::testing {

TerminalRun RunOnTerminal(const std::vector<std::string>& argv, int timeout_s,
                          const std::function<bool(const std::string&)>& stop_when, int signal) {
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (std::string& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  TerminalRun run;
  int terminal = -1;
  const pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid < 0) return run;
  if (pid == 0) {
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  bool signalled = false;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{terminal, POLLIN, 0};
    if (poll(&p, 1, 200) > 0) {
      const ssize_t n = read(terminal, buf, sizeof buf);
      if (n <= 0) break;  // EIO: the child closed the terminal (it exited)
      run.output.append(buf, static_cast<size_t>(n));
    }
    if (!signalled && stop_when && stop_when(run.output)) {
      kill(pid, signal);
      signalled = true;
    }
  }
  int status = 0;
  pid_t done = 0;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (done == 0) {
    kill(pid, SIGKILL);  // over its bound
    waitpid(pid, &status, 0);
  } else {
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  close(terminal);
  return run;
}

}  // namespace cs::testing
