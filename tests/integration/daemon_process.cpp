#include "tests/integration/daemon_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "tests/integration/run_cli.h"
#include "tests/time_scale.h"

extern char** environ;

namespace cs::testing {

DaemonProcess::DaemonProcess(const std::vector<std::string>& args, std::string log_path)
    : log_path_(std::move(log_path)) {
  std::vector<std::string> argv_storage = {BinaryPath()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
  posix_spawn_file_actions_destroy(&actions);
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && exit_status_ == -2) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string DaemonProcess::Output() const { return PathExists(log_path_) ? ReadFile(log_path_) : ""; }

bool DaemonProcess::Running() const {
  if (pid_ <= 0 || exit_status_ != -2) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    // -100 - N: died of signal N (a crash shows as -106, -111, ...).
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -100 - WTERMSIG(status);
    return false;
  }
  return true;
}

bool DaemonProcess::WaitForOutput(const std::string& text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + Scaled(timeout);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Output().find(text) != std::string::npos) return true;
    if (!Running()) return Output().find(text) != std::string::npos;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int DaemonProcess::Stop(std::chrono::milliseconds timeout, int signal) {
  if (pid_ <= 0) return -1;
  if (exit_status_ != -2) return exit_status_;
  kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() + Scaled(timeout);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Running()) return exit_status_;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  exit_status_ = -1;
  return -1;
}

int UniquePortOffset() {
  static std::atomic<int> calls{0};
  // PDU ports 2300 + offset + k land in 10000..29999: below Linux's
  // ephemeral range (32768 and up), where an outgoing connection of this
  // very test may already own the port, and spread by pid and call so
  // tests running in parallel do not meet.
  const int slot = static_cast<int>((static_cast<unsigned>(getpid()) * 37u + static_cast<unsigned>(calls++)) % 2500u);
  return 7700 + slot * 8;
}
bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + Scaled(timeout);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

}  // namespace cs::testing
