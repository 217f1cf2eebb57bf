// RemoteOperations: how an integration test acts on servers "out of band",
// behind the manager's back, as the manager's own test suite does
// (tests/integration/core/remote_operations.py). SimulatorRemoteOperations
// is the implementation for this simulator: each call is one request to the
// running daemon's control API (sim/control/control_server.h). Hosts are
// named by fqdn (a nodename or address works too); calls block until the
// daemon answers. Errors carry the daemon's message.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs {

class RemoteOperations {
 public:
  virtual ~RemoteOperations() = default;

  // --- The original SimulatorRemoteOperations. ---
  virtual Result<bool> HostContactable(const std::string& address) = 0;
  // `fqdn` nullopt: every host (the original could only do all).
  virtual Status FailConnections(bool fail, const std::optional<std::string>& fqdn = std::nullopt) = 0;
  virtual Status DropResponses(bool drop, const std::optional<std::string>& fqdn = std::nullopt) = 0;
  virtual Status FormatBlockDevice(const std::string& fqdn, const std::string& path, const std::string& fs_type) = 0;
  virtual Status StopTarget(const std::string& fqdn, const std::string& ha_label) = 0;
  virtual Status StartTarget(const std::string& fqdn, const std::string& ha_label) = 0;
  virtual Status StartLnet(const std::string& fqdn) = 0;
  virtual Status StopLnet(const std::string& fqdn) = 0;
  virtual Status StartPacemaker(const std::string& fqdn) = 0;
  virtual Status StopPacemaker(const std::string& fqdn) = 0;
  virtual Status StartCorosync(const std::string& fqdn) = 0;
  virtual Status StopCorosync(const std::string& fqdn) = 0;
  virtual Result<int> GetCorosyncPort(const std::string& fqdn) = 0;
  // A server (its running targets' tunables) or a Lustre client address.
  virtual Result<std::string> ReadProc(const std::string& address, const std::string& path) = 0;
  // mount_path: "<mgs nids>:/<fsname>", as the manager's filesystem reports it.
  virtual Status MountFilesystem(const std::string& client_address, const std::string& mount_path) = 0;
  virtual Status UnmountFilesystem(const std::string& client_address, const std::string& mount_path) = 0;
  virtual Result<bool> GetResourceRunning(const std::string& fqdn, const std::string& ha_label) = 0;
  virtual Status CheckHaConfig(const std::vector<std::string>& fqdns, const std::string& filesystem_name) = 0;
  virtual Status ClearLnetConfig(const std::vector<std::string>& fqdns) = 0;
  virtual Status ResetServer(const std::string& fqdn) = 0;
  virtual Status KillServer(const std::string& fqdn) = 0;
  virtual Status AwaitServerBoot(const std::string& fqdn, bool restart = true,
                                 std::chrono::seconds timeout = std::chrono::seconds(300)) = 0;
  virtual Status UnmountClients() = 0;
  virtual Status ClearHa(const std::vector<std::string>& fqdns) = 0;
  virtual Status InjectLogMessage(const std::string& fqdn, const std::string& message) = 0;
  virtual Status InstallUpgrades() = 0;
  virtual Status ScanPackages() = 0;
  // [epoch, version, release, arch]
  virtual Result<Json> GetPackageVersion(const std::string& fqdn, const std::string& package) = 0;
  // Stops what runs on the node and saves the cluster's configuration;
  // returns the labels it stopped, to give back to RestoreCib.
  virtual Result<std::vector<std::string>> BackupCib(const std::string& fqdn) = 0;
  virtual Status RestoreCib(const std::string& fqdn, const std::vector<std::string>& start_targets) = 0;
  virtual Status SetNodeStandby(const std::string& fqdn) = 0;
  virtual Status SetNodeOnline(const std::string& fqdn) = 0;

  // --- Beyond the original: more faults and the agent process. ---
  virtual Status SetLatency(std::chrono::milliseconds latency, const std::optional<std::string>& fqdn = std::nullopt) = 0;
  virtual Status ManagerUnreachable(bool unreachable, const std::optional<std::string>& fqdn = std::nullopt) = 0;
  virtual Status KillAgent(const std::string& fqdn) = 0;
  virtual Status RestartAgent(const std::string& fqdn) = 0;
  virtual Status ClearFaults() = 0;

  // Any control operation by name, with named arguments (docs/control-api.md).
  virtual Result<Json> Call(const std::string& operation, const Json& args) = 0;
};

struct SimulatorRemoteOptions {
  std::string url = "http://127.0.0.1:8743/";
  std::optional<std::string> token;
  std::chrono::milliseconds timeout{330000};  // await_server_boot may wait 300 s
};

// Talks to the daemon's control API over HTTP. Thread-safe.
class SimulatorRemoteOperations final : public RemoteOperations {
 public:
  static Result<std::unique_ptr<SimulatorRemoteOperations>> Connect(SimulatorRemoteOptions options);
  ~SimulatorRemoteOperations() override;

  Result<bool> HostContactable(const std::string& address) override;
  Status FailConnections(bool fail, const std::optional<std::string>& fqdn) override;
  Status DropResponses(bool drop, const std::optional<std::string>& fqdn) override;
  Status FormatBlockDevice(const std::string& fqdn, const std::string& path, const std::string& fs_type) override;
  Status StopTarget(const std::string& fqdn, const std::string& ha_label) override;
  Status StartTarget(const std::string& fqdn, const std::string& ha_label) override;
  Status StartLnet(const std::string& fqdn) override;
  Status StopLnet(const std::string& fqdn) override;
  Status StartPacemaker(const std::string& fqdn) override;
  Status StopPacemaker(const std::string& fqdn) override;
  Status StartCorosync(const std::string& fqdn) override;
  Status StopCorosync(const std::string& fqdn) override;
  Result<int> GetCorosyncPort(const std::string& fqdn) override;
  Result<std::string> ReadProc(const std::string& address, const std::string& path) override;
  Status MountFilesystem(const std::string& client_address, const std::string& mount_path) override;
  Status UnmountFilesystem(const std::string& client_address, const std::string& mount_path) override;
  Result<bool> GetResourceRunning(const std::string& fqdn, const std::string& ha_label) override;
  Status CheckHaConfig(const std::vector<std::string>& fqdns, const std::string& filesystem_name) override;
  Status ClearLnetConfig(const std::vector<std::string>& fqdns) override;
  Status ResetServer(const std::string& fqdn) override;
  Status KillServer(const std::string& fqdn) override;
  Status AwaitServerBoot(const std::string& fqdn, bool restart, std::chrono::seconds timeout) override;
  Status UnmountClients() override;
  Status ClearHa(const std::vector<std::string>& fqdns) override;
  Status InjectLogMessage(const std::string& fqdn, const std::string& message) override;
  Status InstallUpgrades() override;
  Status ScanPackages() override;
  Result<Json> GetPackageVersion(const std::string& fqdn, const std::string& package) override;
  Result<std::vector<std::string>> BackupCib(const std::string& fqdn) override;
  Status RestoreCib(const std::string& fqdn, const std::vector<std::string>& start_targets) override;
  Status SetNodeStandby(const std::string& fqdn) override;
  Status SetNodeOnline(const std::string& fqdn) override;
  Status SetLatency(std::chrono::milliseconds latency, const std::optional<std::string>& fqdn) override;
  Status ManagerUnreachable(bool unreachable, const std::optional<std::string>& fqdn) override;
  Status KillAgent(const std::string& fqdn) override;
  Status RestartAgent(const std::string& fqdn) override;
  Status ClearFaults() override;
  Result<Json> Call(const std::string& operation, const Json& args) override;

  class Impl;

 private:
  explicit SimulatorRemoteOperations(std::unique_ptr<Impl> impl);
  Status Act(const std::string& operation, const Json& args);
  std::unique_ptr<Impl> impl_;
};

// The status a control API error response stands for (404 -> NotFound, ...).
Status StatusFromHttp(int http_status, const std::string& message);

}  // namespace cs
