#include "sim/control/remote_operations.h"

#include <future>

#include "net/https_client.h"
#include "net/io_pool.h"
#include "util/json_parse.h"

namespace cs {

namespace {

Json Scope(Json args, const std::optional<std::string>& fqdn) {
  if (fqdn) args["fqdn"] = *fqdn;
  return args;
}

}  // namespace

Status StatusFromHttp(int http_status, const std::string& message) {
  switch (http_status) {
    case 400: return Status::InvalidArgument(message);
    case 401: return Status::FailedPrecondition("unauthorized: " + message);
    case 404: return Status::NotFound(message);
    case 409: return Status::FailedPrecondition(message);
    case 503: return Status::Unavailable(message);
    default: return Status::Internal("control API answered " + std::to_string(http_status) + ": " + message);
  }
}

// A client of its own on a one-thread pool: the caller is a test or a
// person, not the daemon.
class SimulatorRemoteOperations::Impl {
 public:
  explicit Impl(SimulatorRemoteOptions options) : options_(std::move(options)), pool_(1) {}
  ~Impl() {
    client_.reset();
    pool_.Stop();
    pool_.Join();
  }

  Status Open() {
    pool_.Start();
    std::string url = options_.url;
    if (url.empty() || url.back() != '/') url += '/';
    net::ClientOptions client_options;
    client_options.default_timeout = options_.timeout;
    client_options.use_cookies = false;
    client_options.user_agent = "cluster-sim-remote";
    auto client = net::HttpsClient::Create(pool_.context(), url + "api/v1/", client_options);
    if (!client.ok()) return client.status();
    client_ = std::move(*client);
    return Status::Ok();
  }

  Result<Json> Call(const std::string& operation, const Json& args) {
    net::ClientRequest request;
    request.method = "POST";
    request.target = operation;
    request.headers.Set("Content-Type", "application/json");
    if (options_.token) request.headers.Set("Authorization", "Bearer " + *options_.token);
    request.body = args.is_null() ? "{}" : args.dump();
    request.timeout = options_.timeout;
    auto promise = std::make_shared<std::promise<Result<net::Response>>>();
    auto future = promise->get_future();
    client_->Send(std::move(request), [promise](Result<net::Response> r) { promise->set_value(std::move(r)); });
    Result<net::Response> response = future.get();
    if (!response.ok()) return response.status().Context("control API " + operation);
    Json body = ParseUntrustedJsonOrDiscarded(response->body);
    if (response->status != 200) {
      const std::string message = body.is_object() && body.contains("error") && body["error"].is_string()
                                      ? body["error"].get<std::string>()
                                      : response->body.substr(0, 200);
      return StatusFromHttp(response->status, message);
    }
    if (!body.is_object() || !body.contains("result")) {
      return Status::Internal("control API " + operation + " answered without a result");
    }
    return body["result"];
  }

 private:
  SimulatorRemoteOptions options_;
  net::IoPool pool_;
  std::unique_ptr<net::HttpsClient> client_;
};

Result<std::unique_ptr<SimulatorRemoteOperations>> SimulatorRemoteOperations::Connect(SimulatorRemoteOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  CS_RETURN_IF_ERROR(impl->Open());
  return std::unique_ptr<SimulatorRemoteOperations>(new SimulatorRemoteOperations(std::move(impl)));
}

SimulatorRemoteOperations::SimulatorRemoteOperations(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SimulatorRemoteOperations::~SimulatorRemoteOperations() = default;

Result<Json> SimulatorRemoteOperations::Call(const std::string& operation, const Json& args) {
  return impl_->Call(operation, args);
}

Status SimulatorRemoteOperations::Act(const std::string& operation, const Json& args) {
  return Call(operation, args).status();
}

Result<bool> SimulatorRemoteOperations::HostContactable(const std::string& address) {
  auto r = Call("host_contactable", {{"address", address}});
  if (!r.ok()) return r.status();
  return r->is_boolean() && r->get<bool>();
}

Status SimulatorRemoteOperations::FailConnections(bool fail, const std::optional<std::string>& fqdn) {
  return Act("fail_connections", Scope({{"fail", fail}}, fqdn));
}
Status SimulatorRemoteOperations::DropResponses(bool drop, const std::optional<std::string>& fqdn) {
  return Act("drop_responses", Scope({{"drop", drop}}, fqdn));
}
Status SimulatorRemoteOperations::FormatBlockDevice(const std::string& fqdn, const std::string& path,
                                                    const std::string& fs_type) {
  return Act("format_block_device", {{"fqdn", fqdn}, {"path", path}, {"filesystem_type", fs_type}});
}
Status SimulatorRemoteOperations::StopTarget(const std::string& fqdn, const std::string& ha_label) {
  return Act("stop_target", {{"fqdn", fqdn}, {"ha_label", ha_label}});
}
Status SimulatorRemoteOperations::StartTarget(const std::string& fqdn, const std::string& ha_label) {
  return Act("start_target", {{"fqdn", fqdn}, {"ha_label", ha_label}});
}
Status SimulatorRemoteOperations::StartLnet(const std::string& fqdn) { return Act("start_lnet", {{"fqdn", fqdn}}); }
Status SimulatorRemoteOperations::StopLnet(const std::string& fqdn) { return Act("stop_lnet", {{"fqdn", fqdn}}); }
Status SimulatorRemoteOperations::StartPacemaker(const std::string& fqdn) { return Act("start_pacemaker", {{"fqdn", fqdn}}); }
Status SimulatorRemoteOperations::StopPacemaker(const std::string& fqdn) { return Act("stop_pacemaker", {{"fqdn", fqdn}}); }
Status SimulatorRemoteOperations::StartCorosync(const std::string& fqdn) { return Act("start_corosync", {{"fqdn", fqdn}}); }
Status SimulatorRemoteOperations::StopCorosync(const std::string& fqdn) { return Act("stop_corosync", {{"fqdn", fqdn}}); }

Result<int> SimulatorRemoteOperations::GetCorosyncPort(const std::string& fqdn) {
  auto r = Call("get_corosync_port", {{"fqdn", fqdn}});
  if (!r.ok()) return r.status();
  if (!r->is_number_integer()) return Status::Internal("get_corosync_port answered " + r->dump());
  return r->get<int>();
}

Result<std::string> SimulatorRemoteOperations::ReadProc(const std::string& address, const std::string& path) {
  auto r = Call("read_proc", {{"address", address}, {"path", path}});
  if (!r.ok()) return r.status();
  if (!r->is_string()) return Status::Internal("read_proc answered " + r->dump());
  return r->get<std::string>();
}

Status SimulatorRemoteOperations::MountFilesystem(const std::string& client_address, const std::string& mount_path) {
  return Act("mount_filesystem", {{"client_address", client_address}, {"filesystem", {{"mount_path", mount_path}}}});
}
Status SimulatorRemoteOperations::UnmountFilesystem(const std::string& client_address, const std::string& mount_path) {
  return Act("unmount_filesystem", {{"client_address", client_address}, {"filesystem", {{"mount_path", mount_path}}}});
}

Result<bool> SimulatorRemoteOperations::GetResourceRunning(const std::string& fqdn, const std::string& ha_label) {
  auto r = Call("get_resource_running", {{"host", fqdn}, {"ha_label", ha_label}});
  if (!r.ok()) return r.status();
  return r->is_boolean() && r->get<bool>();
}

Status SimulatorRemoteOperations::CheckHaConfig(const std::vector<std::string>& fqdns, const std::string& filesystem_name) {
  return Act("check_ha_config", {{"hosts", fqdns}, {"filesystem_name", filesystem_name}});
}
Status SimulatorRemoteOperations::ClearLnetConfig(const std::vector<std::string>& fqdns) {
  return Act("clear_lnet_config", {{"servers", fqdns}});
}
Status SimulatorRemoteOperations::ResetServer(const std::string& fqdn) { return Act("reset_server", {{"fqdn", fqdn}}); }
Status SimulatorRemoteOperations::KillServer(const std::string& fqdn) { return Act("kill_server", {{"fqdn", fqdn}}); }
Status SimulatorRemoteOperations::AwaitServerBoot(const std::string& fqdn, bool restart, std::chrono::seconds timeout) {
  return Act("await_server_boot", {{"boot_fqdn", fqdn}, {"restart", restart}, {"timeout_seconds", timeout.count()}});
}
Status SimulatorRemoteOperations::UnmountClients() { return Act("unmount_clients", Json::object()); }
Status SimulatorRemoteOperations::ClearHa(const std::vector<std::string>& fqdns) {
  return Act("clear_ha", {{"servers", fqdns}});
}
Status SimulatorRemoteOperations::InjectLogMessage(const std::string& fqdn, const std::string& message) {
  return Act("inject_log_message", {{"fqdn", fqdn}, {"message", message}});
}
Status SimulatorRemoteOperations::InstallUpgrades() { return Act("install_upgrades", Json::object()); }
Status SimulatorRemoteOperations::ScanPackages() { return Act("scan_packages", Json::object()); }
Result<Json> SimulatorRemoteOperations::GetPackageVersion(const std::string& fqdn, const std::string& package) {
  return Call("get_package_version", {{"fqdn", fqdn}, {"package", package}});
}

Result<std::vector<std::string>> SimulatorRemoteOperations::BackupCib(const std::string& fqdn) {
  auto r = Call("backup_cib", {{"server", fqdn}});
  if (!r.ok()) return r.status();
  std::vector<std::string> labels;
  for (const Json& label : *r) {
    if (label.is_string()) labels.push_back(label.get<std::string>());
  }
  return labels;
}

Status SimulatorRemoteOperations::RestoreCib(const std::string& fqdn, const std::vector<std::string>& start_targets) {
  return Act("restore_cib", {{"server", fqdn}, {"start_targets", start_targets}});
}
Status SimulatorRemoteOperations::SetNodeStandby(const std::string& fqdn) { return Act("set_node_standby", {{"server", fqdn}}); }
Status SimulatorRemoteOperations::SetNodeOnline(const std::string& fqdn) { return Act("set_node_online", {{"server", fqdn}}); }
Status SimulatorRemoteOperations::SetLatency(std::chrono::milliseconds latency, const std::optional<std::string>& fqdn) {
  return Act("set_latency", Scope({{"latency_ms", latency.count()}}, fqdn));
}
Status SimulatorRemoteOperations::ManagerUnreachable(bool unreachable, const std::optional<std::string>& fqdn) {
  return Act("manager_unreachable", Scope({{"unreachable", unreachable}}, fqdn));
}
Status SimulatorRemoteOperations::KillAgent(const std::string& fqdn) { return Act("kill_agent", {{"fqdn", fqdn}}); }
Status SimulatorRemoteOperations::RestartAgent(const std::string& fqdn) { return Act("restart_agent", {{"fqdn", fqdn}}); }
Status SimulatorRemoteOperations::ClearFaults() { return Act("clear_faults", Json::object()); }

}  // namespace cs
