// Control operations on a server's life: power, boot, shutdown, reboot,
// the agent process alone, waiting for a boot, and the transport faults.
// Each checks the server's state first, so a request that makes no sense
// now (starting a running server) is refused before anything changes.
#include <algorithm>

#include "fakes/controller_faults.h"
#include "sim/control/operations.h"
#include "sim/fleet_status.h"

namespace cs {

namespace {

using T = ArgType;
using std::chrono::milliseconds;

struct ServerView {
  std::string fqdn;
  PowerState power = PowerState::kOff;
  bool registered = false;
};

Result<ServerView> View(Simulator& sim, const Json& host) {
  std::lock_guard<std::mutex> lock(sim.store().mutex());
  auto fqdn = ResolveServer(sim.store().world(), host);
  if (!fqdn.ok()) return fqdn.status();
  const Server* s = sim.store().world().servers.Find(*fqdn);
  return ServerView{*fqdn, s->power_state, s->registered};
}

Status NotIn(const ServerView& v, const char* wanted) {
  return Status::FailedPrecondition(v.fqdn + " is " + PowerStateName(v.power) + ", not " + wanted);
}

bool Contactable(Simulator& sim, const ServerView& v) {
  return v.power == PowerState::kRunning && sim.AgentRunning(v.fqdn);
}

Result<Json> StartServer(ControlContext& ctx, const ServerView& v, bool simulate_bootup) {
  if (v.power == PowerState::kOff) {
    CS_RETURN_IF_ERROR(ctx.sim.PowerOnAfter(v.fqdn, simulate_bootup ? ctx.sim.boot_delay() : milliseconds(0)));
    return Done();
  }
  if (v.power != PowerState::kRunning) return NotIn(v, "off");
  if (v.registered && !ctx.sim.AgentRunning(v.fqdn)) {  // up, but its agent died: start it
    CS_RETURN_IF_ERROR(ctx.sim.RestartAgent(v.fqdn));
    return Done();
  }
  return Status::FailedPrecondition("can't start " + v.fqdn + ": it is already running");
}

Result<Json> StopServer(ControlContext& ctx, const ServerView& v, bool shutdown, bool simulate) {
  if (v.power != PowerState::kRunning) return NotIn(v, "running");
  if (!shutdown) {
    CS_RETURN_IF_ERROR(ctx.sim.KillAgent(v.fqdn));
    return Done();
  }
  CS_RETURN_IF_ERROR(ctx.sim.ShutdownAfter(v.fqdn, false, simulate ? ctx.sim.shutdown_delay() : milliseconds(0)));
  return Done();
}

Result<Json> Reboot(ControlContext& ctx, const ServerView& v) {
  if (v.power == PowerState::kOff) {
    CS_RETURN_IF_ERROR(ctx.sim.PowerOn(v.fqdn));
    return Done();
  }
  if (v.power != PowerState::kRunning) return NotIn(v, "running or off");
  // Down at once (the original's reboot did not simulate the shutdown); up
  // again after the boot delay with a new boot time.
  CS_RETURN_IF_ERROR(ctx.sim.ShutdownAfter(v.fqdn, true, milliseconds(0)));
  return Done();
}

// Wraps a handler taking the resolved server named by argument `arg`.
SyncHandler OnServer(const char* arg, std::function<Result<Json>(ControlContext&, const ServerView&, const ActionArgs&)> f) {
  return [arg, f = std::move(f)](ControlContext& ctx, const ActionArgs& args) -> Result<Json> {
    auto v = View(ctx.sim, args.Raw(arg));
    if (!v.ok()) return v.status();
    return f(ctx, *v, args);
  };
}

struct AwaitBoot {
  std::string fqdn;
  std::chrono::steady_clock::time_point deadline;
  ControlDone done;
};

void PollBoot(ControlContext& ctx, std::shared_ptr<AwaitBoot> wait) {
  auto v = View(ctx.sim, wait->fqdn);
  if (!v.ok()) return wait->done(v.status());
  if (Contactable(ctx.sim, *v)) return wait->done(Json(true));
  if (std::chrono::steady_clock::now() >= wait->deadline) {
    return wait->done(Status::Unavailable("timed out waiting for " + wait->fqdn + " to boot (it is " +
                                          PowerStateName(v->power) + ")"));
  }
  ctx.sim.RunAfter(milliseconds(100), [&ctx, wait] { PollBoot(ctx, wait); });
}

// Optional "fqdn" argument of a fault: nullopt means every host.
Result<std::optional<std::string>> FaultScope(ControlContext& ctx, const ActionArgs& args) {
  if (!args.Has("fqdn")) return std::optional<std::string>();
  auto fqdn = ResolveServer(ctx.sim, args.Raw("fqdn"));
  if (!fqdn.ok()) return fqdn.status();
  return std::optional<std::string>(*fqdn);
}

SyncHandler FlagFault(agent::Fault fault, const char* on_arg) {
  return [fault, on_arg](ControlContext& ctx, const ActionArgs& args) -> Result<Json> {
    auto scope = FaultScope(ctx, args);
    if (!scope.ok()) return scope.status();
    if (fault == agent::Fault::kManagerUnreachable && args.Has("timeout_ms")) {
      ctx.sim.faults().SetUnreachableTimeout(milliseconds(args.Int("timeout_ms")));
    }
    ctx.sim.faults().SetFlag(*scope, fault, args.Bool(on_arg));
    ctx.sim.log().Info(scope->value_or(""), std::string(agent::FaultName(fault)) +
                                                (args.Bool(on_arg) ? " on" : " off") +
                                                (*scope ? "" : " for every host"));
    return Done();
  };
}

// Registered servers that are up but whose agent is not running: crashed
// agents (kill_agent, stop_server without shutdown).
Json AgentsDown(Simulator& sim) {
  std::vector<std::string> up;
  {
    std::lock_guard<std::mutex> lock(sim.store().mutex());
    for (const auto& [fqdn, s] : sim.store().world().servers.all()) {
      if (s.registered && s.power_state == PowerState::kRunning) up.push_back(fqdn);
    }
  }
  Json down = Json::array();
  for (const auto& fqdn : up) {
    if (!sim.AgentRunning(fqdn)) down.push_back(fqdn);
  }
  return down;
}

Json FaultsJson(Simulator& sim) {
  Json j = sim.faults().ToJson();
  j["agents_down"] = AgentsDown(sim);
  Json pdus = Json::array(), controllers = Json::array();
  {
    std::lock_guard<std::mutex> lock(sim.store().mutex());
    for (const auto& [name, pdu] : sim.store().world().pdus.all()) {
      if (pdu.unreachable) pdus.push_back(name);
    }
    for (const auto& [key, c] : sim.store().world().controllers.all()) {
      if (c.failed) controllers.push_back(c.controller_id);
    }
  }
  j["pdus_unreachable"] = pdus;
  j["controllers_failed"] = controllers;
  return j;
}

}  // namespace

void AddLifecycleOperations(OperationTable& t) {
  Add(t, "host_contactable", {Required("address", T::kAny)},
      "Whether the server is up and its agent running",
      OnServer("address", [](ControlContext& ctx, const ServerView& v, const ActionArgs&) -> Result<Json> {
        return Json(Contactable(ctx.sim, v));
      }));
  Add(t, "start_server", {Required("fqdn", T::kAny), Optional("simulate_bootup", T::kBool)},
      "Boot a server that is off (at once, or after the boot delay with simulate_bootup), or restart its dead agent",
      OnServer("fqdn", [](ControlContext& ctx, const ServerView& v, const ActionArgs& a) {
        return StartServer(ctx, v, a.Bool("simulate_bootup"));
      }));
  Add(t, "stop_server",
      {Required("fqdn", T::kAny), Optional("shutdown", T::kBool), Optional("simulate_shutdown", T::kBool)},
      "Stop the agent only, or with shutdown the whole server (leaving its cluster)",
      OnServer("fqdn", [](ControlContext& ctx, const ServerView& v, const ActionArgs& a) {
        return StopServer(ctx, v, a.Bool("shutdown"), a.Bool("simulate_shutdown"));
      }));
  Add(t, "kill_server", {Required("fqdn", T::kAny)},
      "Shut the server down at once: its agent dies, its node leaves the cluster",
      OnServer("fqdn", [](ControlContext& ctx, const ServerView& v, const ActionArgs&) {
        return StopServer(ctx, v, true, false);
      }));
  for (const char* name : {"reset_server", "reboot_server"}) {
    Add(t, name, {Required("fqdn", T::kAny)}, "Reboot: down at once, up after the boot delay with a new boot time",
        OnServer("fqdn", [](ControlContext& ctx, const ServerView& v, const ActionArgs&) { return Reboot(ctx, v); }));
  }
  Add(t, "poweroff_server", {Required("fqdn", T::kAny)}, "Cut the power: instant, no goodbye",
      OnServer("fqdn", [](ControlContext& ctx, const ServerView& v, const ActionArgs&) -> Result<Json> {
        if (v.power == PowerState::kOff) return NotIn(v, "on");
        CS_RETURN_IF_ERROR(ctx.sim.PowerOff(v.fqdn));
        return Done();
      }));
  Add(t, "poweron_server", {Required("fqdn", T::kAny), Optional("simulate_bootup", T::kBool)},
      "Power on a server that is off; it boots after the boot delay unless simulate_bootup is false",
      OnServer("fqdn", [](ControlContext& ctx, const ServerView& v, const ActionArgs& a) -> Result<Json> {
        if (v.power != PowerState::kOff) return NotIn(v, "off");
        CS_RETURN_IF_ERROR(ctx.sim.PowerOnAfter(v.fqdn, a.Bool("simulate_bootup", true) ? ctx.sim.boot_delay() : milliseconds(0)));
        return Done();
      }));
  Add(t, "kill_agent", {Required("fqdn", T::kAny)},
      "Crash the agent process; the server keeps running, resources stay where they are",
      OnServer("fqdn", [](ControlContext& ctx, const ServerView& v, const ActionArgs&) -> Result<Json> {
        CS_RETURN_IF_ERROR(ctx.sim.KillAgent(v.fqdn));
        return Done();
      }));
  Add(t, "restart_agent", {Required("fqdn", T::kAny)}, "Start the agent again (new client start time)",
      OnServer("fqdn", [](ControlContext& ctx, const ServerView& v, const ActionArgs&) -> Result<Json> {
        if (v.power != PowerState::kRunning) return NotIn(v, "running");
        if (!v.registered) return Status::FailedPrecondition(v.fqdn + " is not registered");
        CS_RETURN_IF_ERROR(ctx.sim.RestartAgent(v.fqdn));
        return Done();
      }));
  AddAsync(t, "await_server_boot",
           {Required("boot_fqdn", T::kAny), Optional("monitor_fqdn", T::kAny), Optional("restart", T::kBool),
            Within(Optional("timeout_seconds", T::kInt), IntRange{0, 3600})},
           "Wait until the server is contactable; with restart (default) start it first if it is off",
           [](ControlContext& ctx, const ActionArgs& args, ControlDone done) {
             const int64_t timeout = args.OptionalInt("timeout_seconds").value_or(300);
             auto v = View(ctx.sim, args.Raw("boot_fqdn"));
             if (!v.ok()) return done(v.status());
             if (!v->registered) return done(Status::FailedPrecondition("can't start " + v->fqdn + ": not registered"));
             if (args.Bool("restart", true) && v->power == PowerState::kOff) {
               Status s = ctx.sim.PowerOnAfter(v->fqdn, milliseconds(0));
               if (!s.ok()) return done(s);
             }
             auto wait = std::make_shared<AwaitBoot>(
                 AwaitBoot{v->fqdn, std::chrono::steady_clock::now() + std::chrono::seconds(timeout), std::move(done)});
             PollBoot(ctx, wait);
           });

  Add(t, "fail_connections", {Required("fail", T::kBool), Optional("fqdn", T::kAny)},
      "Agent requests fail before they are sent (one host, or all)", FlagFault(agent::Fault::kFailConnections, "fail"));
  Add(t, "drop_responses", {Required("drop", T::kBool), Optional("fqdn", T::kAny)},
      "One GET and one POST reach the manager, their responses are lost; later requests fail",
      FlagFault(agent::Fault::kDropResponses, "drop"));
  Add(t, "manager_unreachable",
      {Required("unreachable", T::kBool), Optional("fqdn", T::kAny), Within(Optional("timeout_ms", T::kInt), IntRange{0, 86400000})},
      "Agent requests hang for timeout_ms (default 60000, at most a day), then fail",
      FlagFault(agent::Fault::kManagerUnreachable, "unreachable"));
  Add(t, "set_latency", {Within(Required("latency_ms", T::kInt), IntRange{0, 600000}), Optional("fqdn", T::kAny)},
      "Every agent request waits this long before it is sent (0: off)",
      [](ControlContext& ctx, const ActionArgs& args) -> Result<Json> {
        const int64_t ms = args.Int("latency_ms");
        auto scope = FaultScope(ctx, args);
        if (!scope.ok()) return scope.status();
        ctx.sim.faults().SetLatency(*scope, milliseconds(ms));
        ctx.sim.log().Info(scope->value_or(""), "latency " + std::to_string(ms) + " ms");
        return Done();
      });
  Add(t, "clear_faults", {}, "Switch every transport fault off, make every PDU reachable and restore every failed controller",
      [](ControlContext& ctx, const ActionArgs&) -> Result<Json> {
        ctx.sim.faults().ClearAll();
        std::vector<ControllerChange> restored;
        CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&restored](World& w) {
          restored = RestoreAllControllers(w);
          return Status::Ok();
        }));
        for (const ControllerChange& c : restored) {
          ctx.sim.log().Info("controller " + std::to_string(c.controller_id),
                             "restored: " + std::to_string(c.targets_started.size()) + " targets started again");
        }
        std::vector<std::string> unreachable;
        {
          std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
          for (const auto& [name, pdu] : ctx.sim.store().world().pdus.all()) {
            if (pdu.unreachable) unreachable.push_back(name);
          }
        }
        for (const std::string& pdu : unreachable) CS_RETURN_IF_ERROR(ctx.sim.SetPduReachable(pdu, true));
        ctx.sim.log().Info("", "every fault cleared");
        return Done();
      });
  Add(t, "faults", {}, "The faults in force, and the servers whose agent is down",
      [](ControlContext& ctx, const ActionArgs&) -> Result<Json> { return FaultsJson(ctx.sim); });
  Add(t, "agents", {}, "Every running agent: client start time, plugins with a session, counters",
      [](ControlContext& ctx, const ActionArgs&) -> Result<Json> {
        Json out = Json::object();
        for (const std::string& fqdn : ctx.sim.RunningAgents()) {
          if (auto report = ctx.sim.AgentReport(fqdn)) out[fqdn] = *report;
        }
        return out;
      });
  Add(t, "status", {}, "The fleet (as `cluster-sim status --json`), running agents and faults",
      [](ControlContext& ctx, const ActionArgs&) -> Result<Json> {
        Json j;
        {
          std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
          j = FleetStatusJson(ctx.sim.store().world());
        }
        j["running_agents"] = ctx.sim.RunningAgents();
        j["faults"] = FaultsJson(ctx.sim);
        return j;
      });
}

}  // namespace cs
