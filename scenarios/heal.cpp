// Heal: restoring a run's part of the world before it starts, so every run
// begins from the same healthy state whatever the one before it did.
#include <algorithm>
#include <thread>

#include "scenarios/checks/judges.h"
#include "scenarios/runner.h"
#include "scenarios/world_queries.h"

namespace cs::scenarios {

namespace {

using Clock = std::chrono::steady_clock;

// Failed controllers whose scalable unit has a server in scope come back
// (clear_faults restores them all when the scope is the whole fleet).
Status RestoreControllers(RemoteOperations& sim, const Json& status, const std::vector<std::string>& scope) {
  for (const Json& c : status.value("controllers", Json::array())) {
    const Json id = c.value("controller_id", Json());
    if (!c.value("failed", false) || !id.is_number_integer()) continue;
    bool in_scope = false;
    for (const Json& s : status.value("servers", Json::array())) {
      const Json location = s.value("location", Json::object());
      in_scope = in_scope || (location.value("controller", Json()) == id && InScope(scope, s.value("fqdn", "")));
    }
    if (!in_scope) continue;
    Result<Json> r = sim.Call("restore_controller", {{"controller_id", id}});
    if (!r.ok()) return r.status().Context("restoring controller " + id.dump());
  }
  return Status::Ok();
}

Status LiftFaults(RemoteOperations& sim, const Json& status, const std::vector<std::string>& scope) {
  if (scope.empty()) return sim.ClearFaults();
  CS_RETURN_IF_ERROR(RestoreControllers(sim, status, scope));
  for (const Json& s : status.value("servers", Json::array())) {
    const std::string fqdn = s.value("fqdn", "");
    if (!InScope(scope, fqdn)) continue;
    CS_RETURN_IF_ERROR(sim.FailConnections(false, fqdn));
    CS_RETURN_IF_ERROR(sim.DropResponses(false, fqdn));
    CS_RETURN_IF_ERROR(sim.SetLatency(std::chrono::milliseconds(0), fqdn));
    CS_RETURN_IF_ERROR(sim.ManagerUnreachable(false, fqdn));
  }
  return Status::Ok();
}

Status PowerBack(RemoteOperations& sim, const std::vector<std::string>& scope) {
  Result<Json> pdus = sim.Call("pdu_status", Json::object());
  if (!pdus.ok()) return pdus.status();
  for (const Json& pdu : *pdus) {
    if (pdu.value("unreachable", false)) {
      Result<Json> r = sim.Call("pdu_unreachable", {{"pdu", pdu["name"]}, {"unreachable", false}});
      if (!r.ok()) return r.status().Context("making " + pdu["name"].get<std::string>() + " reachable");
    }
    const Json outlets = pdu.value("outlets", Json::object());
    for (const auto& [outlet, state] : outlets.items()) {
      const Json server = state.value("server", Json());
      if (state.value("on", true) || (server.is_string() && !InScope(scope, server))) continue;
      Result<Json> r = sim.Call("set_outlet", {{"pdu", pdu["name"]}, {"outlet", outlet}, {"action", "on"}});
      if (!r.ok()) return r.status().Context("outlet " + outlet + " of " + pdu["name"].get<std::string>());
    }
  }
  return Status::Ok();
}

bool Contains(const Json& list, const std::string& value) {
  for (const Json& v : list) {
    if (v == value) return true;
  }
  return false;
}

// One pass over the servers: start what is off, restart dead agents, start
// corosync/pacemaker, bring standby nodes online. Answers what is still
// not healthy ("" when all is).
std::string ServersPass(RemoteOperations& sim, const Json& status, const std::vector<std::string>& scope) {
  std::string pending;
  const Json agents = status.value("running_agents", Json::array());
  for (const Json& s : status.value("servers", Json::array())) {
    const std::string fqdn = s.value("fqdn", "");
    if (!InScope(scope, fqdn) || !s.value("registered", false)) continue;
    const std::string power = s.value("power_state", "");
    if (power == "off" && s.value("has_power", false)) {
      (void)sim.Call("start_server", {{"fqdn", fqdn}});
      pending = fqdn + " is off";
      continue;
    }
    if (power != "running") {
      pending = fqdn + " is " + power;
      continue;
    }
    if (!Contains(agents, fqdn)) {
      (void)sim.RestartAgent(fqdn);
      pending = fqdn + "'s agent is down";
    }
    if (s.value("worker", false)) continue;
    if (s.value("corosync", "") != "started") {
      (void)sim.StartCorosync(fqdn);
      pending = fqdn + "'s corosync is " + s.value("corosync", "?");
    }
    if (s.value("pacemaker", "") != "started") {
      (void)sim.StartPacemaker(fqdn);
      pending = fqdn + "'s pacemaker is " + s.value("pacemaker", "?");
    }
  }
  for (const Json& c : status.value("clusters", Json::array())) {
    for (const Json& n : c.value("nodes", Json::array())) {
      if (n.value("standby", false) && InScope(scope, n.value("fqdn", ""))) {
        (void)sim.SetNodeOnline(n.value("fqdn", ""));
        pending = n.value("fqdn", "") + " is in standby";
      }
    }
  }
  return pending;
}

// Repeats `attempt` (which answers "" once done, else what is pending)
// every half second until done or the deadline.
Status Until(Clock::time_point deadline, const std::atomic<bool>* cancelled, const std::string& what,
             const std::function<std::string()>& attempt) {
  std::string pending;
  while (true) {
    pending = attempt();
    if (pending.empty()) return Status::Ok();
    if (Clock::now() >= deadline || (cancelled && cancelled->load())) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return Status::Unavailable(what + ": " + pending);
}

// Targets off their primary are started or failed back through the manager.
std::string TargetsPass(const WorldHandles& w, const std::vector<std::string>& scope, std::vector<int64_t>* commands) {
  Result<std::vector<Json>> targets = w.manager->ListAll("target/");
  if (!targets.ok()) return "manager target/: " + targets.status().message();
  std::string pending;
  for (const Json& t : *targets) {
    const Json primary = t.value("primary_host", Json());
    if (!primary.is_string() || !InScope(scope, primary)) continue;
    const Json active = t.value("active_host", Json());
    if (active == primary) continue;
    const std::string verb = active.is_null() ? "start" : "failback";
    Result<int64_t> id = TargetCommand(*w.manager, t.value("name", ""), verb);
    if (id.ok()) commands->push_back(*id);
    pending = t.value("name", "") + " is on " + (active.is_string() ? active.get<std::string>() : "no host");
  }
  return pending;
}

}  // namespace

Status Heal(const WorldHandles& w, const std::vector<std::string>& scope, std::chrono::milliseconds timeout,
            const std::atomic<bool>* cancelled) {
  const auto deadline = Clock::now() + timeout;
  Result<Json> status = SimStatus(*w.sim);
  if (!status.ok()) return status.status().Context("status");
  CS_RETURN_IF_ERROR(LiftFaults(*w.sim, *status, scope).Context("lifting faults"));
  CS_RETURN_IF_ERROR(PowerBack(*w.sim, scope).Context("power"));
  CS_RETURN_IF_ERROR(Until(deadline, cancelled, "servers did not come back", [&] {
    Result<Json> now = SimStatus(*w.sim);
    return now.ok() ? ServersPass(*w.sim, *now, scope) : now.status().message();
  }));
  // The manager must see the world as it is before it can move targets.
  auto agrees = [&]() -> std::string {
    Result<Json> now = SimStatus(*w.sim);
    if (!now.ok()) return now.status().message();
    Result<std::vector<Json>> targets = w.manager->ListAll("target/");
    Result<std::vector<Json>> hosts = w.manager->ListAll("host/");
    if (!targets.ok() || !hosts.ok()) return "the manager does not answer";
    Verdict v = JudgeManagerAgrees(*now, *targets, *hosts, scope);
    if (!v.passed) return v.message;
    Result<std::vector<Json>> commands = w.manager->ListAll("command/");
    if (!commands.ok()) return commands.status().message();
    Verdict finished = JudgeCommandsFinish(*commands, 0, scope);
    return finished.passed ? "" : finished.message;
  };
  CS_RETURN_IF_ERROR(Until(deadline, cancelled, "the manager did not catch up", agrees));
  std::vector<int64_t> commands;
  int passes = 0;
  CS_RETURN_IF_ERROR(Until(deadline, cancelled, "targets did not return to their primaries", [&]() -> std::string {
    std::string pending = TargetsPass(w, scope, &commands);
    if (pending.empty()) return "";
    for (int64_t id : commands) (void)WaitCommand(*w.manager, id, std::chrono::seconds(60), cancelled);
    commands.clear();
    // Wait for the manager's view to follow before looking again.
    if (++passes > 0) (void)Until(std::min(deadline, Clock::now() + std::chrono::seconds(30)), cancelled, "", agrees);
    return pending;
  }));
  return Until(deadline, cancelled, "the manager did not catch up after the targets moved", agrees);
}

}  // namespace cs::scenarios
