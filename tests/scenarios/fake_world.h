// Fakes of the world's APIs for unit tests of the registered tests and
// checks: a RemoteOperations that records every call and answers from a
// table, and a ManagerApi that answers from canned JSON and records POSTs.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "scenarios/world.h"

namespace cs::scenarios::testing {

struct RecordedCall {
  std::string operation;
  Json args;
};

class FakeRemote final : public RemoteOperations {
 public:
  std::vector<RecordedCall> calls;
  std::map<std::string, Json> answers;  // by operation; default null
  std::map<std::string, Status> errors;  // by operation
  // Operations answered by a real world (a test's), before the tables.
  std::map<std::string, std::function<Result<Json>(const Json& args)>> handlers;

  Result<Json> Call(const std::string& operation, const Json& args) override {
    calls.push_back({operation, args});
    if (errors.count(operation)) return errors[operation];
    if (auto h = handlers.find(operation); h != handlers.end()) return h->second(args);
    return answers.count(operation) ? answers[operation] : Json();
  }
  std::vector<std::string> Operations() const {
    std::vector<std::string> out;
    for (const auto& c : calls) out.push_back(c.operation);
    return out;
  }

  Status Act(const std::string& op, Json args) { return Call(op, args).status(); }
  Result<bool> HostContactable(const std::string& a) override { return Act("host_contactable", {{"address", a}}).ok(); }
  Status FailConnections(bool f, const std::optional<std::string>& q) override { return Act("fail_connections", Scope({{"fail", f}}, q)); }
  Status DropResponses(bool d, const std::optional<std::string>& q) override { return Act("drop_responses", Scope({{"drop", d}}, q)); }
  Status FormatBlockDevice(const std::string&, const std::string&, const std::string&) override { return Act("format_block_device", {}); }
  Status StopTarget(const std::string& f, const std::string& l) override { return Act("stop_target", {{"fqdn", f}, {"ha_label", l}}); }
  Status StartTarget(const std::string& f, const std::string& l) override { return Act("start_target", {{"fqdn", f}, {"ha_label", l}}); }
  Status StartLnet(const std::string& f) override { return Act("start_lnet", {{"fqdn", f}}); }
  Status StopLnet(const std::string& f) override { return Act("stop_lnet", {{"fqdn", f}}); }
  Status StartPacemaker(const std::string& f) override { return Act("start_pacemaker", {{"fqdn", f}}); }
  Status StopPacemaker(const std::string& f) override { return Act("stop_pacemaker", {{"fqdn", f}}); }
  Status StartCorosync(const std::string& f) override { return Act("start_corosync", {{"fqdn", f}}); }
  Status StopCorosync(const std::string& f) override { return Act("stop_corosync", {{"fqdn", f}}); }
  Result<int> GetCorosyncPort(const std::string&) override { return 0; }
  Result<std::string> ReadProc(const std::string&, const std::string&) override { return std::string(); }
  Status MountFilesystem(const std::string&, const std::string&) override { return Status::Ok(); }
  Status UnmountFilesystem(const std::string&, const std::string&) override { return Status::Ok(); }
  Result<bool> GetResourceRunning(const std::string&, const std::string&) override { return false; }
  Status CheckHaConfig(const std::vector<std::string>&, const std::string&) override { return Status::Ok(); }
  Status ClearLnetConfig(const std::vector<std::string>&) override { return Status::Ok(); }
  Status ResetServer(const std::string& f) override { return Act("reset_server", {{"fqdn", f}}); }
  Status KillServer(const std::string& f) override { return Act("kill_server", {{"fqdn", f}}); }
  Status AwaitServerBoot(const std::string&, bool, std::chrono::seconds) override { return Status::Ok(); }
  Status UnmountClients() override { return Status::Ok(); }
  Status ClearHa(const std::vector<std::string>&) override { return Status::Ok(); }
  Status InjectLogMessage(const std::string& f, const std::string& m) override {
    return Act("inject_log_message", {{"fqdn", f}, {"message", m}});
  }
  Status InstallUpgrades() override { return Status::Ok(); }
  Status ScanPackages() override { return Status::Ok(); }
  Result<Json> GetPackageVersion(const std::string&, const std::string&) override { return Json(); }
  Result<std::vector<std::string>> BackupCib(const std::string&) override { return std::vector<std::string>(); }
  Status RestoreCib(const std::string&, const std::vector<std::string>&) override { return Status::Ok(); }
  Status SetNodeStandby(const std::string& f) override { return Act("set_node_standby", {{"server", f}}); }
  Status SetNodeOnline(const std::string& f) override { return Act("set_node_online", {{"server", f}}); }
  Status SetLatency(std::chrono::milliseconds l, const std::optional<std::string>& q) override {
    return Act("set_latency", Scope({{"latency_ms", l.count()}}, q));
  }
  Status ManagerUnreachable(bool u, const std::optional<std::string>& q) override {
    return Act("manager_unreachable", Scope({{"unreachable", u}}, q));
  }
  Status KillAgent(const std::string& f) override { return Act("kill_agent", {{"fqdn", f}}); }
  Status RestartAgent(const std::string& f) override { return Act("restart_agent", {{"fqdn", f}}); }
  Status ClearFaults() override { return Act("clear_faults", Json::object()); }

 private:
  static Json Scope(Json args, const std::optional<std::string>& fqdn) {
    if (fqdn) args["fqdn"] = *fqdn;
    return args;
  }
};

class FakeManager final : public ManagerApi {
 public:
  std::map<std::string, Json> gets;  // by path (query stripped)
  std::map<std::string, Json> posts;  // answers by path
  std::vector<RecordedCall> posted;
  std::vector<std::string> got;

  Result<Json> Get(const std::string& path) override {
    got.push_back(path);
    const std::string bare = path.substr(0, path.find('?'));
    if (!gets.count(bare)) return Status::NotFound("no " + bare);
    return gets[bare];
  }
  Result<Json> Post(const std::string& path, const Json& body) override {
    posted.push_back({path, body});
    if (!posts.count(path)) return Status::NotFound("no " + path);
    return posts[path];
  }
};

// {"objects": [...], "meta": {"total_count": n}}
inline Json Page(Json objects) {
  const size_t n = objects.size();
  return Json{{"objects", std::move(objects)}, {"meta", {{"total_count", n}, {"limit", 0}, {"offset", 0}}}};
}

}  // namespace cs::scenarios::testing
