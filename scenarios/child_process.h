// ChildProcess: a cluster-sim process the runner starts for its own world
// (the built-in manager, `register`, `run`, `setup`), its stdout and stderr
// going to a log file the runner waits on. Every wait is bounded; the
// destructor SIGKILLs a child still running. Only processes it started are
// ever signalled, by their pid.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace cs::scenarios {

class ChildProcess {
 public:
  // Starts `binary args...`; output to `log_path` (appended, so a restarted
  // daemon's log follows its predecessor's: wait from its size taken
  // before the start with FileSize).
  static Result<std::unique_ptr<ChildProcess>> Start(const std::string& binary, const std::vector<std::string>& args,
                                                     const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits until the log matches `pattern` (ECMAScript regex) from `from`
  // onwards; answers the first capture group (or the match). Unavailable
  // when the time is up, FailedPrecondition when the process exited.
  Result<std::string> WaitForOutput(const std::string& pattern, std::chrono::milliseconds timeout,
                                    size_t from = 0) const;
  // The log from byte `from` on.
  std::string Output(size_t from = 0) const;
  bool Running();
  // Waits for the exit; the exit status, or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // SIGTERM, bounded wait, then SIGKILL. Answers the exit status (-1: killed).
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // SIGKILL and reap: `kill -9`.
  void Kill();
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

 private:
  ChildProcess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  pid_t pid_;
  std::string log_path_;
  std::optional<int> exit_status_;
};

// The size of a file in bytes; 0 when it does not exist.
size_t FileSize(const std::string& path);

}  // namespace cs::scenarios
