// DaemonProcess: a cluster-sim daemon (`run`, `register`, `manager`) started
// by a test in the background, its stdout and stderr going to a file the
// test can wait on. Stop() sends SIGTERM and returns the exit status; the
// destructor SIGKILLs whatever is still running. Every wait is bounded.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace cs::testing {

class DaemonProcess {
 public:
  // Runs the cluster-sim binary with `args`, output to `log_path`.
  DaemonProcess(const std::vector<std::string>& args, std::string log_path);
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Waits until the output contains `text` (true) or the time is up or the
  // process has exited (false). Every limit here and in Eventually is
  // scaled for sanitizer builds (tests/time_scale.h).
  bool WaitForOutput(const std::string& text,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  std::string Output() const;
  bool Running() const;
  // `signal` (SIGTERM), then waits (bounded) for the exit; returns the exit
  // status, -1 when it had to be killed, or -100 - N when it died of signal N.
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(20), int signal = 15 /* SIGTERM */);

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  mutable int exit_status_ = -2;
};

// A base for the PDU ports of one test: distinct per process and per call,
// so tests running in parallel do not collide (offset added to 2300).
int UniquePortOffset();

// Polls `condition` every 50 ms until it holds or `timeout` (scaled for
// sanitizer builds) passes.
bool Eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace cs::testing
