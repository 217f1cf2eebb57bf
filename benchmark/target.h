// Target: what a benchmark mode drives, as the original benchmark.py's
// Benchmark base class did: a manager that speaks the IML REST API (a
// logged-in session with the CSRF dance) and a simulator daemon's control
// API (add_su, register_many, set_log_rate, remove_all_servers, ...).
// It also holds the helpers every mode shares: registration tokens,
// waiting on commands, the queues of system_status/, and reset (every
// server gone from simulator and manager, every simulator controller gone
// from storage_resource/). Every wait is bounded by a deadline.
// Thread-safe: each call takes its own lock; the monitors use clients of
// their own (NewClient) so that sampling never waits behind a mode.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "benchmark/recorder.h"
#include "fakes/json_helpers.h"
#include "manager/manager_client.h"
#include "sim/control/remote_operations.h"
#include "util/status.h"

namespace cs::benchmark {

using Deadline = std::chrono::steady_clock::time_point;

struct TargetOptions {
  std::string url;          // the manager, "https://host:port/"
  std::string ca_pem;       // "": do not verify (as the original did)
  std::string username = "admin";
  std::string password = "lustre";
  std::string control_url;  // the simulator daemon's control API
  // One registration call a mode measures (register, register_many): when
  // it gets no answer in time, the load has outgrown the simulator. Set-up
  // and clean-up calls (add_su, set_log_rate, remove_all_servers, ...) are
  // not findings: they wait at least kHousekeepingTimeout.
  std::chrono::milliseconds control_timeout{120000};
};

inline constexpr std::chrono::milliseconds kHousekeepingTimeout{120000};

// Why connecting failed, so that the CLI can say it in one line.
enum class ConnectProblem { kNone, kManagerSilent, kCredentialsRefused, kSimulatorSilent };

class Target {
 public:
  static Result<std::unique_ptr<Target>> Connect(const TargetOptions& options, ConnectProblem* problem);
  ~Target();

  // A new logged-in REST client (for a monitor thread).
  Result<std::unique_ptr<manager::ManagerClient>> NewClient() const;

  // path relative to the manager's URL ("api/host/?limit=0").
  Result<Json> Rest(const std::string& method, const std::string& path, const Json& body = nullptr);
  // A set-up or clean-up operation: waits max(control_timeout, kHousekeepingTimeout).
  Result<Json> Control(const std::string& operation, const Json& args);
  // An operation whose time is what a mode measures: waits control_timeout.
  Result<Json> MeasuredControl(const std::string& operation, const Json& args);

  // A registration token's secret for `credits` servers.
  Result<std::string> RegistrationSecret(int credits);
  // Waits until every command is complete; an errored or cancelled one, or
  // the deadline, is an error naming it.
  Status WaitForCommands(const std::vector<int64_t>& ids, Deadline deadline);
  // system_status/'s rabbitmq.queues.
  Result<std::vector<Json>> Queues();
  // Removes every server (simulator, then manager: ForceRemoveHostJob in
  // groups of 4 as the original did) and every simulator_controller Couplet.
  Status Reset(Deadline deadline);

  const TargetOptions& options() const { return options_; }

  // Set by SIGINT: waits end early with an "interrupted" error.
  void SetInterruptFlag(const std::atomic<bool>* flag) { interrupted_ = flag; }
  bool interrupted() const { return interrupted_ && interrupted_->load(); }
  // Sleeps up to `d`, in short slices; false when interrupted.
  bool Sleep(std::chrono::milliseconds d) const;

  // Every request the benchmark made (modes and monitors): the CSV files,
  // the HTML report and the live line read it. A monitor with a client of
  // its own records its GETs with RecordRest.
  RequestRecorder& recorder() { return recorder_; }
  void RecordRest(const std::string& method, const std::string& path, std::chrono::steady_clock::time_point started,
                  const Result<Json>& answer);
  uint64_t requests() const { return recorder_.requests(); }
  uint64_t failures() const { return recorder_.failures(); }

 private:
  explicit Target(TargetOptions options) : options_(std::move(options)) {}
  TargetOptions options_;
  const std::atomic<bool>* interrupted_ = nullptr;
  RequestRecorder recorder_;
  std::mutex mu_;
  std::unique_ptr<manager::ManagerClient> rest_;
  std::unique_ptr<SimulatorRemoteOperations> housekeeping_;  // kHousekeepingTimeout or more
  std::unique_ptr<SimulatorRemoteOperations> measured_;      // control_timeout
};

// The command id in a registration answer, an error when it has none.
Result<int64_t> CommandIdOf(const Json& registration);

}  // namespace cs::benchmark
