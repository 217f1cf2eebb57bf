// ScratchEnv: what `cluster-sim bench` runs against when no --url is
// given, so that it works out of the box: the built-in manager and an
// empty simulator daemon, both this very cluster-sim binary as separate
// processes on 127.0.0.1, in a scratch directory (removed at the end
// unless kept). The manager listens on a free port, the simulator's
// control API too, and its PDUs on ports offset by our PID. Both are
// ended by PID (bench/child_process.h), also when a start fails.
// With an external manager (--url) only the simulator is started here,
// pointed at that manager.
#pragma once

#include <memory>
#include <string>

#include "util/status.h"

namespace cs::bench {
class ChildProcess;
}

namespace cs::benchmark {

struct ScratchOptions {
  std::string binary;            // the cluster-sim executable
  std::string dir;               // "": a fresh directory under /tmp
  bool keep_dir = false;
  double throttle_rx = 0;        // the manager's hidden --throttle-rx
  double poll_seconds = 10;      // the simulated agents' poll period
  std::string external_url;      // non-empty: start no manager; the simulator targets this
  bool insecure = false;         // with external_url: do not verify its certificate
};

class ScratchEnv {
 public:
  static Result<std::unique_ptr<ScratchEnv>> Start(const ScratchOptions& options);
  ~ScratchEnv();  // Stop()s
  // Ends the simulator, then the manager (by PID, bounded); removes the
  // directory unless kept. Idempotent.
  void Stop();

  const std::string& manager_url() const { return manager_url_; }
  const std::string& ca_pem() const { return ca_pem_; }  // "" for an external manager
  const std::string& control_url() const { return control_url_; }
  const std::string& dir() const { return dir_; }

 private:
  ScratchEnv() = default;
  Status StartManager(const ScratchOptions& o);
  Status StartSimulator(const ScratchOptions& o);

  std::string dir_;
  bool keep_dir_ = false;
  std::string manager_url_, ca_pem_, control_url_;
  std::unique_ptr<bench::ChildProcess> manager_, simulator_;
};

// The path of the running executable (/proc/self/exe).
std::string SelfExecutable();

}  // namespace cs::benchmark
