// A reader that goes away must not kill us: `cluster-sim status | head`, a
// daemon whose output pipe was closed. Without SIGPIPE ignored, the first
// write into the closed pipe ends the process with signal 13; with it, the
// write fails and the command (or the daemon's shutdown) ends normally.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/cli_test_util.h"
#include "tests/time_scale.h"

extern char** environ;

namespace cs::testing {
namespace {

using std::chrono::seconds;

// cluster-sim `args` with stdout and stderr into a pipe; returns the pid
// and the pipe's read end (the caller closes it when it wants the reader gone).
pid_t SpawnIntoPipe(std::vector<std::string> args, int* read_fd) {
  args.insert(args.begin(), BinaryPath());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  *read_fd = fds[0];
  return pid;
}

// How `pid` ended ("exit N" or "signal N"), or "running" after `limit`
// (then it is killed and reaped).
std::string WaitFor(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return "running";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "exit " + std::to_string(WEXITSTATUS(status));
}

// Reads from `fd` until `needle` has been seen or the pipe ends; returns what was read.
std::string ReadUntil(int fd, const std::string& needle) {
  std::string out;
  char buf[4096];
  while (out.find(needle) == std::string::npos) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0 && errno != EINTR) break;
    if (n > 0) out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

class BrokenPipeTest : public CliTest {};

TEST_F(BrokenPipeTest, ACommandWhoseReaderHasGoneEndsNormally) {
  Setup({"--server_count", "4"});
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--config", Config(), "status"},
                                               std::vector<std::string>{"--config", Config(), "status", "--json"},
                                               std::vector<std::string>{"--version"}}) {
    int fd = -1;
    const pid_t pid = SpawnIntoPipe(args, &fd);
    ASSERT_GT(pid, 0);
    close(fd);  // the reader is gone before the first write
    EXPECT_EQ(WaitFor(pid, Scaled(seconds(60))), "exit 0") << args.back();
  }
}

TEST_F(BrokenPipeTest, TheManagerDaemonOutlivesItsOutputReaderAndStopsCleanly) {
  int fd = -1;
  const pid_t pid = SpawnIntoPipe({"manager", "--listen", "127.0.0.1:0", "--dir", Tmp("mgr")}, &fd);
  ASSERT_GT(pid, 0);
  const std::string out = ReadUntil(fd, "CA certificate:");
  close(fd);
  ASSERT_NE(out.find("listening on https://127.0.0.1:"), std::string::npos) << out;
  kill(pid, SIGTERM);  // it says "stopping" into the closed pipe
  EXPECT_EQ(WaitFor(pid, Scaled(seconds(60))), "exit 0");
}

}  // namespace
}  // namespace cs::testing
