#include "benchmark/scratch_env.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/child_process.h"

namespace cs::benchmark {

namespace {

using std::chrono::seconds;

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string SelfExecutable() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "cluster-sim" : path.string();
}

Result<std::unique_ptr<ScratchEnv>> ScratchEnv::Start(const ScratchOptions& o) {
  std::unique_ptr<ScratchEnv> env(new ScratchEnv());
  if (o.dir.empty()) {
    char pattern[] = "/tmp/cluster-sim-bench-XXXXXX";
    if (!mkdtemp(pattern)) return Status::IoError("cannot make a scratch directory under /tmp");
    env->dir_ = pattern;
  } else {
    std::error_code ec;
    std::filesystem::create_directories(o.dir, ec);
    if (ec) return Status::IoError("cannot make " + o.dir + ": " + ec.message());
    env->dir_ = o.dir;
  }
  env->keep_dir_ = o.keep_dir || !o.dir.empty();
  if (o.external_url.empty()) {
    CS_RETURN_IF_ERROR(env->StartManager(o));
  } else {
    env->manager_url_ = o.external_url;
  }
  CS_RETURN_IF_ERROR(env->StartSimulator(o));
  return env;
}

Status ScratchEnv::StartManager(const ScratchOptions& o) {
  std::vector<std::string> args = {o.binary, "manager", "--listen", "127.0.0.1:0", "--dir", dir_ + "/manager"};
  if (o.throttle_rx > 0) {
    char rate[32];
    snprintf(rate, sizeof rate, "%g", o.throttle_rx);
    args.insert(args.end(), {"--throttle-rx", rate});
  }
  manager_ = std::make_unique<bench::ChildProcess>(args, dir_ + "/manager.log");
  const std::string port = manager_->WaitForOutput("listening on https://127\\.0\\.0\\.1:(\\d+)/", seconds(60));
  if (port.empty()) return Status::Unavailable("the built-in manager did not start: " + manager_->Output());
  manager_url_ = "https://localhost:" + port + "/";
  Result<std::string> ca = ReadWhole(dir_ + "/manager/ca.crt");
  if (!ca.ok()) return ca.status();
  ca_pem_ = *ca;
  return Status::Ok();
}

Status ScratchEnv::StartSimulator(const ScratchOptions& o) {
  bench::ChildProcess setup({o.binary, "--config", dir_ + "/fleet", "setup", "--server_count", "0", "--worker_count", "0"},
                            dir_ + "/setup.log");
  if (setup.Wait(seconds(120)) != 0) {
    setup.Stop();
    return Status::Internal("the simulator's setup failed: " + setup.Output());
  }
  char poll[32];
  snprintf(poll, sizeof poll, "%g", o.poll_seconds);
  // PDU ports below the ephemeral range, distinct per process.
  const std::string pdu_offset = std::to_string(5000 + static_cast<int>(getpid() % 20000));
  std::vector<std::string> args = {o.binary, "--config", dir_ + "/fleet", "--url", manager_url_};
  if (!ca_pem_.empty()) {
    args.insert(args.end(), {"--ca", dir_ + "/manager/ca.crt"});
  } else if (o.insecure) {
    args.push_back("--insecure");
  }
  args.insert(args.end(), {"run", "--poll-seconds", poll, "--start-spread-seconds", "0", "--control-listen",
                           "127.0.0.1:0", "--pdu-port-offset", pdu_offset});
  simulator_ = std::make_unique<bench::ChildProcess>(args, dir_ + "/simulator.log");
  const std::string address = simulator_->WaitForOutput("control: listening on (127\\.0\\.0\\.1:\\d+)", seconds(60));
  if (address.empty()) return Status::Unavailable("the simulator did not start: " + simulator_->Output());
  control_url_ = "http://" + address + "/";
  return Status::Ok();
}

void ScratchEnv::Stop() {
  if (simulator_) simulator_->Stop(seconds(30));
  if (manager_) manager_->Stop(seconds(30));
  simulator_.reset();
  manager_.reset();
  if (!keep_dir_ && !dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

ScratchEnv::~ScratchEnv() { Stop(); }

}  // namespace cs::benchmark
