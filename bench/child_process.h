// ChildProcess: a program the benchmarks start (the built-in manager, the
// simulator), its output in a log file, its CPU time and RSS read from
// /proc, and a bounded stop by PID (SIGTERM, then SIGKILL).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace cs::bench {

class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, std::string log_path);
  ~ChildProcess();  // SIGKILLs a process still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  std::string Output() const;
  // Waits (bounded) until the output matches `pattern` (ECMAScript regex)
  // and returns its first group, or "" when the time is up or it exited.
  std::string WaitForOutput(const std::string& pattern, std::chrono::milliseconds timeout);
  // Waits (bounded) for the exit; the exit status, or -1 when still running.
  int Wait(std::chrono::milliseconds timeout);
  // SIGTERM, bounded wait, then SIGKILL. Returns the exit status (-1: killed).
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // User + system CPU seconds so far, and resident set in KiB (0 if gone).
  double CpuSeconds() const;
  long RssKib() const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  int exit_status_ = -2;  // -2: not reaped yet
};

}  // namespace cs::bench
