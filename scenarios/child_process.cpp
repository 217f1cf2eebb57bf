// Child processes of the runner's own world (see child_process.h).
#include "scenarios/child_process.h"

#include <fcntl.h>
#include <cstring>
#include <memory>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "util/broken_pipe.h"

extern char** environ;

namespace cs::scenarios {

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const std::string& binary,
                                                          const std::vector<std::string>& args,
                                                          const std::string& log_path) {
  std::vector<std::string> storage = {binary};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // A fresh signal mask: the runner may block SIGINT/SIGTERM in its threads.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  RestoreBrokenPipeDefault(attr);  // we ignore SIGPIPE; the child starts with the default
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Status::IoError("cannot start " + binary + ": " + std::strerror(rc));
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, log_path));
}

ChildProcess::~ChildProcess() {
  if (!exit_status_) Kill();
}

std::string ChildProcess::Output(size_t from) const {
  std::ifstream in(log_path_, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(from));
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t FileSize(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<size_t>(size);
}

bool ChildProcess::Running() {
  if (exit_status_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -100 - WTERMSIG(status);
    return false;
  }
  return true;
}

Result<std::string> ChildProcess::WaitForOutput(const std::string& pattern, std::chrono::milliseconds timeout,
                                                size_t from) const {
  const std::regex re(pattern);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const std::string tail = Output(from);
    std::smatch m;
    if (std::regex_search(tail, m, re)) return m.size() > 1 ? m[1].str() : m[0].str();
    if (!const_cast<ChildProcess*>(this)->Running()) {
      return Status::FailedPrecondition("the process exited (status " + std::to_string(exit_status_.value_or(-1)) +
                                        "); its log " + log_path_ + " ends: " + tail.substr(tail.size() > 600 ? tail.size() - 600 : 0));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Unavailable("timed out after " + std::to_string(timeout.count() / 1000) + " s waiting for '" +
                                 pattern + "' in " + log_path_);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return exit_status_;
}

int ChildProcess::Stop(std::chrono::milliseconds timeout) {
  if (exit_status_) return *exit_status_;
  kill(pid_, SIGTERM);
  if (std::optional<int> s = Wait(timeout)) return *s;
  Kill();
  return -1;
}

void ChildProcess::Kill() {
  if (exit_status_) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_status_ = -100 - SIGKILL;
}

}  // namespace cs::scenarios
