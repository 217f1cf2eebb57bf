// Helpers for the integration tests: run the built cluster-sim binary with
// arguments (no shell), capture its output and exit status, and manage
// throw-away state directories.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cs::testing {

struct CliResult {
  int exit_code = -1;    // the exit status, or -1 when killed by a signal
  int term_signal = 0;   // the signal that ended it, if any
  bool timed_out = false;
  std::string out;
  std::string err;

  // stderr split into lines (without the newlines).
  std::vector<std::string> ErrLines() const;
  // "exit 2, stdout: ..., stderr: ..." for failure messages.
  std::string Describe() const;
};

// The path of the binary under test (CS_BINARY).
std::string BinaryPath();

// Runs `binary args...`, waits for it (killing it with SIGKILL after
// `timeout`, scaled for sanitizer builds: tests/time_scale.h) and returns
// what it printed and how it ended.
CliResult RunCli(const std::vector<std::string>& args,
                 std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The same for another program (cluster-power), by path.
CliResult RunProgram(const std::string& program, const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Runs cluster-sim with `--config dir` prepended.
CliResult RunWithConfig(const std::string& dir, const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Starts the binary in the background with its output thrown away; the
// caller kills and reaps it (KillAndReap).
pid_t SpawnCli(const std::vector<std::string>& args);
// SIGKILLs `pid` and waits for it. Returns true when it had already exited
// by itself (with status 0) before the signal landed.
bool KillAndReap(pid_t pid);

// A fresh directory under /tmp (mkdtemp), removed with its contents when
// the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Every regular file directly in `dir`, by name, with its contents.
std::map<std::string, std::string> ReadDirFiles(const std::string& dir);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& contents);
bool PathExists(const std::string& path);

}  // namespace cs::testing
