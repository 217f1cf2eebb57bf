// Control operations on the fleet as a whole (the original ClusterSimulator's
// public methods): listing and inspecting servers, clusters, devices,
// clients and controllers; growing and shrinking the fleet; registering
// servers with the manager; log rates. Also the host resolution every
// operation uses.
#include <filesystem>

#include "crypto/server_dir.h"
#include "fakes/controller_faults.h"
#include "fakes/fleet.h"
#include "sim/control/operations.h"

namespace cs {

namespace {

using T = ArgType;

Json ServerSummary(Simulator& sim, const Server& s) {
  return Json{{"fqdn", s.fqdn},       {"nodename", s.nodename},
              {"worker", s.worker},   {"power_state", PowerStateName(s.power_state)},
              {"registered", s.registered}, {"agent_running", sim.AgentRunning(s.fqdn)}};
}

Result<Json> ListServers(ControlContext& ctx, const ActionArgs&) {
  std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
  Json out = Json::array();
  for (const auto& [fqdn, s] : ctx.sim.store().world().servers.all()) out.push_back(ServerSummary(ctx.sim, s));
  return out;
}

Result<Json> GetServer(ControlContext& ctx, const ActionArgs& a) {
  Json j;
  std::string fqdn;
  {
    std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
    const World& w = ctx.sim.store().world();
    auto found = ResolveServer(w, a.Raw("fqdn"));
    if (!found.ok()) return found.status();
    fqdn = *found;
    const Server& s = *w.servers.Find(fqdn);
    j = s;
    j["cluster_id"] = s.worker ? Json(nullptr) : Json(w.ClusterIdOf(s));
    j["nids"] = s.Nids();
  }
  j["agent_running"] = ctx.sim.AgentRunning(fqdn);
  if (auto stats = ctx.sim.AgentStatsOf(fqdn)) {
    j["agent_stats"] = {{"gets_ok", stats->gets_ok},         {"gets_failed", stats->gets_failed},
                        {"posts_ok", stats->posts_ok},       {"posts_failed", stats->posts_failed},
                        {"messages_sent", stats->messages_sent}, {"actions_run", stats->actions_run}};
  }
  j["pending_log_lines"] = ctx.sim.PendingLogLines(fqdn);
  j["faults"] = ctx.sim.faults().For(fqdn).faults.ToJson();
  return j;
}

// A whole table as {key: object}.
template <typename V>
Json TableJson(const Table<V>& table) {
  Json out = Json::object();
  for (const auto& [key, value] : table.all()) out[key] = value;
  return out;
}

Result<Json> ListDevices(ControlContext& ctx, const ActionArgs&) {
  std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
  const World& w = ctx.sim.store().world();
  return Json{{"volumes", TableJson(w.volumes)},
              {"presentations", TableJson(w.presentations)},
              {"targets", TableJson(w.targets)},
              {"mgts", TableJson(w.mgts)}};
}

Result<Json> RemoveServerOp(ControlContext& ctx, const std::string& fqdn) {
  if (ctx.sim.AgentRunning(fqdn)) CS_RETURN_IF_ERROR(ctx.sim.KillAgent(fqdn));
  CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) { return RemoveServer(w, fqdn); }));
  ctx.sim.faults().ClearHost(fqdn);
  // Its key and certificate go too, as the original deleted its crypto.
  std::error_code ec;
  std::filesystem::remove_all(crypto::ServerCryptoDir(ctx.sim.store().dir(), fqdn).path(), ec);
  ctx.sim.log().Info(fqdn, "removed");
  return Done();
}

// fail_controller / restore_controller: one transaction, logged with the
// targets it stopped or started.
Result<Json> SetControllerFailedOp(ControlContext& ctx, int controller_id, bool failed) {
  ControllerChange change;
  CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) -> Status {
    auto r = SetControllerFailed(w, controller_id, failed);
    if (!r.ok()) return r.status();
    change = std::move(*r);
    return Status::Ok();
  }));
  if (change.changed) {
    std::string targets;
    for (const auto& t : failed ? change.targets_stopped : change.targets_started) targets += (targets.empty() ? "" : ", ") + t;
    ctx.sim.log().Info("controller " + std::to_string(controller_id),
                       std::string(failed ? "failed: " : "restored: ") + std::to_string(change.volumes.size()) + " LUNs " +
                           (failed ? "absent" : "back") + (targets.empty() ? "" : failed ? "; targets stopped: " + targets
                                                                                        : "; targets started: " + targets));
  }
  return ControllerChangeJson(change);
}

// The manager's registration answer (host_id, command_id: a benchmark
// waits on the setup command) with our fqdn and outcome.
Json RegistrationJson(const RegistrationResult& r) {
  Json j = r.answer.is_object() ? r.answer : Json::object();
  j["fqdn"] = r.fqdn;
  j["registered"] = r.status.ok();
  if (!r.status.ok()) j["error"] = r.status.message();
  return j;
}

// register / register_many: the named servers must exist and not be
// registered yet (a re-registration would leave the manager with two hosts).
void Register(ControlContext& ctx, std::vector<std::string> fqdns, const std::string& secret, bool many,
              ControlDone done) {
  {
    std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
    for (auto& fqdn : fqdns) {
      auto found = ResolveServer(ctx.sim.store().world(), fqdn);
      if (!found.ok()) return done(found.status());
      fqdn = *found;
      if (ctx.sim.store().world().servers.Find(fqdn)->registered) {
        return done(Status::FailedPrecondition(fqdn + " is already registered"));
      }
    }
  }
  if (secret.empty()) return done(Status::InvalidArgument("secret must not be empty"));
  ctx.sim.RegisterServers(std::move(fqdns), secret, [many, done](std::vector<RegistrationResult> results) {
    if (many) {
      Json out = Json::array();
      for (const auto& r : results) out.push_back(RegistrationJson(r));
      return done(out);
    }
    const RegistrationResult& r = results.front();
    if (!r.status.ok()) return done(Status::Unavailable("registering " + r.fqdn + ": " + r.status.message()));
    done(RegistrationJson(r));
  });
}

}  // namespace

Result<std::string> ResolveServer(const World& w, const Json& host) {
  if (host.is_object()) {
    for (const char* key : {"fqdn", "nodename", "address"}) {
      if (host.contains(key)) return ResolveServer(w, host.at(key));
    }
    return Status::InvalidArgument("a host object needs fqdn, nodename or address, got " + host.dump());
  }
  if (!host.is_string()) {
    return Status::InvalidArgument("a host is an fqdn, nodename or address (a string) or a host object, got " + host.dump());
  }
  const std::string name = host.get<std::string>();
  if (w.servers.contains(name)) return name;
  if (const Server* s = w.FindServerByNodename(name)) return s->fqdn;
  for (const auto& [fqdn, s] : w.servers.all()) {
    if (s.network_interfaces.count(name)) return fqdn;
  }
  return Status::NotFound("no server '" + name + "'");
}

Result<std::string> ResolveServer(Simulator& sim, const Json& host) {
  std::lock_guard<std::mutex> lock(sim.store().mutex());
  return ResolveServer(sim.store().world(), host);
}

Result<std::vector<std::string>> ResolveServers(Simulator& sim, const Json& hosts) {
  std::lock_guard<std::mutex> lock(sim.store().mutex());
  std::vector<std::string> out;
  for (const Json& host : hosts) {
    auto fqdn = ResolveServer(sim.store().world(), host);
    if (!fqdn.ok()) return fqdn.status();
    out.push_back(*fqdn);
  }
  return out;
}

void AddFleetOperations(OperationTable& t) {
  Add(t, "list_servers", {}, "Every server: fqdn, nodename, power, registration, agent", ListServers);
  Add(t, "get_server", {Required("fqdn", T::kAny)}, "One server in full, with its agent's counters and faults", GetServer);
  Add(t, "list_clusters", {}, "Every HA cluster: nodes and resources", [](ControlContext& ctx, const ActionArgs&) -> Result<Json> {
    std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
    return TableJson(ctx.sim.store().world().clusters);
  });
  Add(t, "get_cluster", {Required("fqdn", T::kAny)}, "The HA cluster of a server",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
        const World& w = ctx.sim.store().world();
        auto fqdn = ResolveServer(w, a.Raw("fqdn"));
        if (!fqdn.ok()) return fqdn.status();
        const Cluster* c = w.ClusterOf(*w.servers.Find(*fqdn));
        if (!c) return Status::FailedPrecondition(*fqdn + " belongs to no HA cluster");
        return Json(*c);
      });
  Add(t, "list_devices", {}, "Volumes, presentations, Lustre targets and MGTs", ListDevices);
  Add(t, "list_clients", {}, "Lustre clients and their mounts", [](ControlContext& ctx, const ActionArgs&) -> Result<Json> {
    std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
    return TableJson(ctx.sim.store().world().clients);
  });
  Add(t, "list_controllers", {}, "Storage controllers", [](ControlContext& ctx, const ActionArgs&) -> Result<Json> {
    std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
    return TableJson(ctx.sim.store().world().controllers);
  });
  Add(t, "poll_fake_controller", {Within(Required("controller_id", T::kInt), IntRange{0, 1000000})},
      "A controller's state as the simulator_controller storage plugin reads it",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
        const std::string id = std::to_string(a.Int("controller_id"));
        const Controller* c = ctx.sim.store().world().controllers.Find(id);
        if (!c) return Status::NotFound("no controller " + id);
        if (c->failed) return Status::Unavailable("controller " + id + " has failed: it does not answer");
        return c->Poll();
      });
  Add(t, "fail_controller", {Within(Required("controller_id", T::kInt), IntRange{0, 1000000})},
      "Fail a storage controller: its LUNs vanish from every server of its SU and the targets on them stop; answers "
      "{controller_id, failed, changed, volumes, targets_stopped, targets_started}",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        return SetControllerFailedOp(ctx, static_cast<int>(a.Int("controller_id")), true);
      });
  Add(t, "restore_controller", {Within(Required("controller_id", T::kInt), IntRange{0, 1000000})},
      "Restore a failed storage controller: its LUNs come back, the targets' failures are cleaned up and pacemaker "
      "starts them again; answers as fail_controller",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        return SetControllerFailedOp(ctx, static_cast<int>(a.Int("controller_id")), false);
      });
  Add(t, "add_server", {Within(Required("nid_count", T::kInt), IntRange{1, 16})}, "Add a storage server; answers its fqdn",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        std::string fqdn;
        SystemClock clock;
        CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) -> Status {
          auto added = AddServer(w, static_cast<int>(a.Int("nid_count")), clock);
          if (!added.ok()) return added.status();
          fqdn = *added;
          return Status::Ok();
        }));
        ctx.sim.log().Info(fqdn, "added");
        return Json(fqdn);
      });
  Add(t, "add_su",
      {Within(Required("server_count", T::kInt), IntRange{1, 1000}),
       Within(Required("volume_count", T::kInt), IntRange{0, 100000}),
       Within(Required("nid_count", T::kInt), IntRange{1, 16})},
      "Add a scalable unit: servers, volumes only they see, a controller; answers {fqdns, serials, controller_id}",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        SuInfo su;
        SystemClock clock;
        CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) -> Status {
          auto added = AddSu(w, static_cast<int>(a.Int("server_count")), static_cast<int>(a.Int("volume_count")),
                             static_cast<int>(a.Int("nid_count")), clock);
          if (!added.ok()) return added.status();
          su = *added;
          return Status::Ok();
        }));
        ctx.sim.log().Info("", "added an SU of " + std::to_string(su.fqdns.size()) + " servers");
        return Json{{"fqdns", su.fqdns}, {"serials", su.serials}, {"controller_id", su.controller_id}};
      });
  Add(t, "remove_server", {Required("fqdn", T::kAny)}, "Remove a server: agent, presentations, cluster membership, outlet",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto fqdn = ResolveServer(ctx.sim, a.Raw("fqdn"));
        if (!fqdn.ok()) return fqdn.status();
        return RemoveServerOp(ctx, *fqdn);
      });
  Add(t, "remove_all_servers", {}, "remove_server for every server", [](ControlContext& ctx, const ActionArgs&) -> Result<Json> {
    std::vector<std::string> fqdns;
    {
      std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
      for (const auto& [fqdn, s] : ctx.sim.store().world().servers.all()) fqdns.push_back(fqdn);
    }
    for (const auto& fqdn : fqdns) {
      auto r = RemoveServerOp(ctx, fqdn);
      if (!r.ok()) return r.status();
    }
    return Done();
  });
  AddAsync(t, "register", {Required("fqdn", T::kString), Required("secret", T::kString)},
           "Register one server with the manager and start its agent; answers the manager's answer "
           "({host_id, command_id, fqdn, registered})",
           [](ControlContext& ctx, const ActionArgs& a, ControlDone done) {
             Register(ctx, {a.String("fqdn")}, a.String("secret"), false, std::move(done));
           });
  AddAsync(t, "register_many", {Required("fqdns", T::kList), Required("secret", T::kString)},
           "Register several servers at once; answers [{fqdn, registered, host_id, command_id | error}]",
           [](ControlContext& ctx, const ActionArgs& a, ControlDone done) {
             const std::vector<std::string> fqdns = a.StringList("fqdns");
             if (fqdns.size() != a.Raw("fqdns").size()) return done(Status::InvalidArgument("fqdns must be a list of strings"));
             Register(ctx, fqdns, a.String("secret"), true, std::move(done));
           });
  Add(t, "set_log_rate", {Required("fqdn", T::kAny), Within(Required("rate", T::kInt), IntRange{0, 100000})},
      "Synthetic journal lines per poll",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto fqdn = ResolveServer(ctx.sim, a.Raw("fqdn"));
        if (!fqdn.ok()) return fqdn.status();
        CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) {
          w.servers.Mutable(*fqdn)->log_rate = static_cast<int>(a.Int("rate"));
          return Status::Ok();
        }));
        return Done();
      });
}

}  // namespace cs
