// Shared queries on the simulator and the manager (see world_queries.h).
#include "scenarios/world_queries.h"

#include <algorithm>
#include <thread>

namespace cs::scenarios {

Result<Json> SimStatus(RemoteOperations& sim) { return sim.Call("status", Json::object()); }

std::string TargetNameOfLabel(const std::string& ha_label) {
  const size_t underscore = ha_label.rfind('_');
  return underscore == std::string::npos ? ha_label : ha_label.substr(0, underscore);
}

std::string FqdnOfNode(const Json& status, const std::string& nodename) {
  for (const Json& s : status.value("servers", Json::array())) {
    if (s.value("nodename", "") == nodename || s.value("fqdn", "") == nodename) return s.value("fqdn", nodename);
  }
  return nodename;
}

Json SimResource(const Json& status, const std::string& target_name) {
  for (const Json& c : status.value("clusters", Json::array())) {
    for (const Json& r : c.value("resources", Json::array())) {
      if (TargetNameOfLabel(r.value("ha_label", "")) == target_name) return r;
    }
  }
  return nullptr;
}

Json SimServer(const Json& status, const std::string& fqdn) {
  for (const Json& s : status.value("servers", Json::array())) {
    if (s.value("fqdn", "") == fqdn) return s;
  }
  return nullptr;
}

bool InScope(const std::vector<std::string>& scope, const std::string& fqdn) {
  return scope.empty() || std::find(scope.begin(), scope.end(), fqdn) != scope.end();
}

Result<Json> ManagerTarget(ManagerApi& manager, const std::string& name) {
  Result<std::vector<Json>> targets = manager.ListAll("target/");
  if (!targets.ok()) return targets.status();
  for (const Json& t : *targets) {
    if (t.value("name", "") == name || t.value("ha_label", Json()) == name) return t;
  }
  return Status::NotFound("the manager has no target " + name);
}

Result<int64_t> TargetCommand(ManagerApi& manager, const std::string& name, const std::string& verb) {
  Result<Json> target = ManagerTarget(manager, name);
  if (!target.ok()) return target.status();
  Result<Json> command =
      manager.Post("target/" + std::to_string((*target)["id"].get<int64_t>()) + "/" + verb + "/", Json::object());
  if (!command.ok()) return command.status();
  if (!command->value("id", Json()).is_number_integer()) {
    return Status::Internal("the manager answered " + verb + " without a command id: " + command->dump());
  }
  return (*command)["id"].get<int64_t>();
}

Result<Json> WaitCommand(ManagerApi& manager, int64_t id, Millis timeout, const std::atomic<bool>* cancelled) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Json last;
  while (true) {
    Result<Json> c = manager.Get("command/" + std::to_string(id) + "/");
    if (c.ok()) {
      last = *c;
      const std::string state = c->value("state", "");
      if (state != "pending" && state != "running") return c;
    }
    if (std::chrono::steady_clock::now() >= deadline || (cancelled && cancelled->load())) {
      return Status::Unavailable("command " + std::to_string(id) + " still " + last.value("state", "unknown") +
                                 " after " + FormatDuration(timeout));
    }
    std::this_thread::sleep_for(Millis(250));
  }
}

Result<int64_t> LastCommandId(ManagerApi& manager) {
  Result<std::vector<Json>> commands = manager.ListAll("command/");
  if (!commands.ok()) return commands.status();
  int64_t last = 0;
  for (const Json& c : *commands) last = std::max(last, c.value("id", int64_t{0}));
  return last;
}

}  // namespace cs::scenarios
