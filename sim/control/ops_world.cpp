// Control operations on what runs on the servers and the shared storage:
// HA resources (start/stop, standby, CIB backup and restore), LNet,
// pacemaker and corosync services, /proc reads, Lustre client mounts,
// journal lines and packages. Each change is one Store::Apply: checks
// first, so a refused request changes nothing.
#include <ctime>
#include <sstream>

#include "fakes/cluster_env.h"
#include "fakes/lustre_targets.h"
#include "pacemaker/cib_reader.h"
#include "pacemaker/cib_writer.h"
#include "sim/control/operations.h"
#include "sim/plugins/log_lines.h"

namespace cs {

namespace {

using T = ArgType;

// The cluster of `fqdn`, or why there is none.
Result<Cluster*> ClusterOf(World& w, const std::string& fqdn) {
  Server* s = w.servers.Mutable(fqdn);
  Cluster* c = s ? w.MutableClusterOf(*s) : nullptr;
  if (!c) return Status::FailedPrecondition(fqdn + " belongs to no HA cluster");
  return c;
}

Status HasResource(const Cluster& c, const std::string& fqdn, const std::string& ha_label) {
  if (c.resources.count(ha_label)) return Status::Ok();
  return Status::NotFound("no HA resource '" + ha_label + "' in the cluster of " + fqdn);
}

// Runs `f(world, fqdn)` in one transaction on the server named by `arg`.
SyncHandler Change(const char* arg, std::function<Result<Json>(World&, const std::string&, const ActionArgs&)> f) {
  return [arg, f = std::move(f)](ControlContext& ctx, const ActionArgs& args) -> Result<Json> {
    auto fqdn = ResolveServer(ctx.sim, args.Raw(arg));
    if (!fqdn.ok()) return fqdn.status();
    Json result;
    Status s = ctx.sim.store().Apply([&](World& w) -> Status {
      auto r = f(w, *fqdn, args);
      if (!r.ok()) return r.status();
      result = std::move(*r);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return result;
  };
}

// Reads under the store lock.
SyncHandler Read(const char* arg, std::function<Result<Json>(const World&, const std::string&, const ActionArgs&)> f) {
  return [arg, f = std::move(f)](ControlContext& ctx, const ActionArgs& args) -> Result<Json> {
    std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
    auto fqdn = ResolveServer(ctx.sim.store().world(), args.Raw(arg));
    if (!fqdn.ok()) return fqdn.status();
    return f(ctx.sim.store().world(), *fqdn, args);
  };
}

// The agent action of that name, run on the world as the agent would.
SyncHandler AgentAction(const char* action) {
  return [action](ControlContext& ctx, const ActionArgs& args) -> Result<Json> {
    auto fqdn = ResolveServer(ctx.sim, args.Raw("fqdn"));
    if (!fqdn.ok()) return fqdn.status();
    agent::ActionReport r = ctx.sim.RunAction(*fqdn, action, Json::object());
    if (r.exception) return Status::FailedPrecondition(*r.exception);
    return Done();
  };
}

SyncHandler ResourceChange(Status (Cluster::*change)(const std::string&, const ClusterEnv&)) {
  return Change("fqdn", [change](World& w, const std::string& fqdn, const ActionArgs& a) -> Result<Json> {
    auto c = ClusterOf(w, fqdn);
    if (!c.ok()) return c.status();
    const std::string label = a.String("ha_label");
    CS_RETURN_IF_ERROR(HasResource(**c, fqdn, label));
    CS_RETURN_IF_ERROR(((**c).*change)(label, WorldClusterEnv(w)));
    return Done();
  });
}

// "10.0.0.1@tcp0,10.0.1.1@o2ib0:10.0.0.2@tcp0:/testfs" -> MGT key, fsname.
Result<std::pair<std::string, std::string>> ParseMountPath(const Json& filesystem) {
  const Json& path = filesystem.is_object() ? filesystem.value("mount_path", Json()) : filesystem;
  if (!path.is_string()) {
    return Status::InvalidArgument("filesystem must be a mount path \"<mgs nids>:/<fsname>\" or an object with one as mount_path");
  }
  const std::string text = path.get<std::string>();
  const size_t sep = text.find(":/");
  if (sep == std::string::npos || sep == 0 || sep + 2 >= text.size()) {
    return Status::InvalidArgument("mount path '" + text + "' is not <mgs nids>:/<fsname>");
  }
  std::vector<std::vector<std::string>> groups;
  std::stringstream in(text.substr(0, sep));
  std::string group;
  while (std::getline(in, group, ':')) {
    std::vector<std::string> nids;
    std::stringstream g(group);
    std::string nid;
    while (std::getline(g, nid, ',')) nids.push_back(nid);
    groups.push_back(nids);
  }
  return std::make_pair(MgsKey(groups), text.substr(sep + 2));
}

Status FilesystemExists(const World& w, const std::string& mgs, const std::string& fsname) {
  const Mgt* mgt = w.mgts.Find(mgs);
  if (!mgt) return Status::NotFound("no MGS at " + mgs);
  for (const auto& label : mgt->targets) {
    if (label.rfind(fsname + "-", 0) == 0) return Status::Ok();
  }
  return Status::NotFound("no filesystem '" + fsname + "' on the MGS at " + mgs);
}

// Restarts every running agent, so that new sessions report the new
// package inventory (the original did the same).
void RestartAgents(Simulator& sim) {
  for (const auto& fqdn : sim.RunningAgents()) {
    Status s = sim.RestartAgent(fqdn);
    if (!s.ok()) sim.log().Warning(fqdn, "restart after update_packages: " + s.message());
  }
}

Result<Json> UpdatePackages(ControlContext& ctx, const Json& packages, const std::string& node_type) {
  if (node_type != "server" && node_type != "worker") {
    return Status::InvalidArgument("node_type must be server or worker, not '" + node_type + "'");
  }
  PackageSet parsed;
  for (const auto& [name, version] : packages.items()) {
    try {
      parsed[name] = version.get<PackageVersion>();
    } catch (const std::exception&) {
      return Status::InvalidArgument("package '" + name + "': a version is [epoch, version, release, arch], got " + version.dump());
    }
  }
  CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) {
    PackageSet& set = node_type == "worker" ? w.mutable_settings().packages.worker : w.mutable_settings().packages.server;
    for (const auto& [name, v] : parsed) set[name] = v;
    return Status::Ok();
  }));
  ctx.sim.log().Info("", "packages updated (" + std::to_string(parsed.size()) + "); restarting agents");
  RestartAgents(ctx.sim);
  return Done();
}

Result<Json> ClearHa(ControlContext& ctx, const ActionArgs& args) {
  std::optional<std::vector<std::string>> only;
  if (args.Has("servers")) {
    auto fqdns = ResolveServers(ctx.sim, args.Raw("servers"));
    if (!fqdns.ok()) return fqdns.status();
    only = *fqdns;
  }
  CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) {
    std::vector<std::string> fqdns;
    if (only) {
      fqdns = *only;
    } else {
      for (const auto& [fqdn, s] : w.servers.all()) fqdns.push_back(fqdn);
    }
    for (const auto& fqdn : fqdns) {
      Server* s = w.servers.Mutable(fqdn);
      s->corosync.state = "stopped";
      s->pacemaker.state = "stopped";
      if (Cluster* c = w.MutableClusterOf(*s)) c->ClearResources();
    }
    return Status::Ok();
  }));
  return Done();
}

void AddHaOperations(OperationTable& t) {
  const std::vector<ArgSpec> on_label = {Required("fqdn", T::kAny), Required("ha_label", T::kString)};
  Add(t, "stop_target", on_label, "Stop an HA resource behind the manager's back", ResourceChange(&Cluster::Stop));
  Add(t, "start_target", on_label, "Start an HA resource behind the manager's back", ResourceChange(&Cluster::Start));
  Add(t, "get_resource_running", {Required("host", T::kAny), Required("ha_label", T::kString)},
      "Whether the resource runs on this host",
      Read("host", [](const World& w, const std::string& fqdn, const ActionArgs& a) -> Result<Json> {
        const Server* s = w.servers.Find(fqdn);
        const Cluster* c = w.ClusterOf(*s);
        if (!c) return Status::FailedPrecondition(fqdn + " belongs to no HA cluster");
        CS_RETURN_IF_ERROR(HasResource(*c, fqdn, a.String("ha_label")));
        return Json(c->resources.at(a.String("ha_label")).started_on == s->nodename);
      }));
  Add(t, "resource_locations", {Required("fqdn", T::kAny)}, "ha_label -> node it runs on (null: stopped)",
      Read("fqdn", [](const World& w, const std::string& fqdn, const ActionArgs&) -> Result<Json> {
        const Cluster* c = w.ClusterOf(*w.servers.Find(fqdn));
        if (!c) return Status::FailedPrecondition(fqdn + " belongs to no HA cluster");
        return Json(c->ResourceLocations());
      }));
  Add(t, "check_ha_config", {Required("hosts", T::kList), Required("filesystem_name", T::kString)},
      "Check every host is primary or secondary of a resource of the filesystem; answers host -> labels",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto fqdns = ResolveServers(ctx.sim, a.Raw("hosts"));
        if (!fqdns.ok()) return fqdns.status();
        const std::string prefix = a.String("filesystem_name") + "-";
        std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
        const World& w = ctx.sim.store().world();
        Json out = Json::object();
        for (const auto& fqdn : *fqdns) {
          const Server* s = w.servers.Find(fqdn);
          const Cluster* c = w.ClusterOf(*s);
          Json labels = Json::array();
          for (const auto& [label, r] : c ? c->resources : std::map<std::string, HaResource>{}) {
            if (label.rfind(prefix, 0) == 0 && (r.primary_node == s->nodename || r.secondary_node == s->nodename)) {
              labels.push_back(label);
            }
          }
          if (labels.empty()) {
            return Status::FailedPrecondition("no HA resource of filesystem '" + a.String("filesystem_name") +
                                              "' is configured on " + fqdn);
          }
          out[fqdn] = labels;
        }
        return out;
      });
  Add(t, "set_node_standby", {Required("server", T::kAny)}, "Put the node in standby: its resources move away",
      Change("server", [](World& w, const std::string& fqdn, const ActionArgs&) -> Result<Json> {
        auto c = ClusterOf(w, fqdn);
        if (!c.ok()) return c.status();
        CS_RETURN_IF_ERROR((*c)->SetStandby(w.servers.Find(fqdn)->nodename, true, WorldClusterEnv(w)));
        return Done();
      }));
  Add(t, "set_node_online", {Required("server", T::kAny)}, "Take the node out of standby",
      Change("server", [](World& w, const std::string& fqdn, const ActionArgs&) -> Result<Json> {
        auto c = ClusterOf(w, fqdn);
        if (!c.ok()) return c.status();
        CS_RETURN_IF_ERROR((*c)->SetStandby(w.servers.Find(fqdn)->nodename, false, WorldClusterEnv(w)));
        return Done();
      }));
  Add(t, "backup_cib", {Required("server", T::kAny)},
      "Stop the resources running on the node and save its cluster's CIB; answers the labels stopped",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto fqdn = ResolveServer(ctx.sim, a.Raw("server"));
        if (!fqdn.ok()) return fqdn.status();
        Json stopped = Json::array();
        std::string key, cib;
        Status applied = ctx.sim.store().Apply([&](World& w) -> Status {
          auto c = ClusterOf(w, *fqdn);
          if (!c.ok()) return c.status();
          const ClusterEnv env = WorldClusterEnv(w);
          for (const HaResource* r : (*c)->RunningOn(w.servers.Find(*fqdn)->nodename)) stopped.push_back(r->ha_label);
          for (const auto& label : stopped) CS_RETURN_IF_ERROR((*c)->Stop(label.get<std::string>(), env));
          key = std::to_string((*c)->id);
          cib = pacemaker::WriteCib(**c, static_cast<int64_t>(std::time(nullptr)));
          return Status::Ok();
        });
        if (!applied.ok()) return applied;
        std::lock_guard<std::mutex> lock(ctx.backups_mu);
        ctx.cib_backups[key] = std::move(cib);
        return stopped;
      });
  Add(t, "export_cib", {Required("server", T::kAny)}, "The CIB of the server's cluster (XML text), as `cib show` writes it",
      Read("server", [](const World& w, const std::string& fqdn, const ActionArgs&) -> Result<Json> {
        const Cluster* c = w.ClusterOf(*w.servers.Find(fqdn));
        if (!c) return Status::FailedPrecondition(fqdn + " belongs to no HA cluster");
        return Json(pacemaker::WriteCib(*c, static_cast<int64_t>(std::time(nullptr))));
      }));
  Add(t, "restore_cib", {Required("server", T::kAny), Optional("start_targets", T::kList), Optional("cib", T::kString)},
      "Put back a CIB (the one backup_cib saved, or `cib`: XML exported earlier), then start the given resources; "
      "a corrupt or foreign CIB is refused and nothing changes",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto fqdn = ResolveServer(ctx.sim, a.Raw("server"));
        if (!fqdn.ok()) return fqdn.status();
        const std::vector<std::string> start = a.StringList("start_targets");
        if (start.size() != a.Raw("start_targets").size()) return Status::InvalidArgument("start_targets must be a list of ha_labels");
        const std::string given = a.Raw("cib").is_string() ? a.Raw("cib").get<std::string>() : "";
        std::lock_guard<std::mutex> lock(ctx.backups_mu);
        Status applied = ctx.sim.store().Apply([&](World& w) -> Status {
          auto c = ClusterOf(w, *fqdn);
          if (!c.ok()) return c.status();
          std::string xml = given;
          if (xml.empty()) {
            auto backup = ctx.cib_backups.find(std::to_string((*c)->id));
            if (backup == ctx.cib_backups.end()) return Status::FailedPrecondition("no CIB backup of the cluster of " + *fqdn);
            xml = backup->second;
          }
          auto config = pacemaker::ReadCibConfig(xml);
          if (!config.ok()) return config.status().Context("restore_cib");
          CS_RETURN_IF_ERROR(pacemaker::CheckSameCluster(*config, **c).Context("restore_cib"));
          const ClusterEnv env = WorldClusterEnv(w);
          auto from_targets = [&w](HaResource& r) {  // what configure_target_ha was told
            for (const auto& [serial, target] : w.targets.all()) {
              if (target.uuid != r.uuid) continue;
              r.device_path = PresentationPath(serial);
              r.mount_point = "/mnt/" + target.label;
            }
          };
          **c = pacemaker::WithConfiguration(**c, *config, from_targets);
          (*c)->Settle(env);
          for (const auto& label : start) {
            CS_RETURN_IF_ERROR(HasResource(**c, *fqdn, label));
            CS_RETURN_IF_ERROR((*c)->Start(label, env));
          }
          return Status::Ok();
        });
        if (!applied.ok()) return applied;
        return Done();
      });
  Add(t, "clear_ha", {Optional("servers", T::kList)},
      "Remove every HA resource and stop corosync and pacemaker (of these servers' clusters, or everywhere)", ClearHa);
  Add(t, "clear_clusters", {}, "clear_ha on every cluster", ClearHa);
}

void AddServiceOperations(OperationTable& t) {
  for (const char* action : {"start_lnet", "stop_lnet", "start_pacemaker", "stop_pacemaker", "start_corosync",
                             "stop_corosync"}) {
    Add(t, action, {Required("fqdn", T::kAny)}, "As the agent action of that name", AgentAction(action));
  }
  Add(t, "get_corosync_port", {Required("fqdn", T::kAny)}, "The corosync multicast port",
      Read("fqdn", [](const World& w, const std::string& fqdn, const ActionArgs&) -> Result<Json> {
        return Json(w.servers.Find(fqdn)->corosync.mcast_port);
      }));
  Add(t, "clear_lnet_config", {Required("servers", T::kList)}, "No interface carries LNet any more",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto fqdns = ResolveServers(ctx.sim, a.Raw("servers"));
        if (!fqdns.ok()) return fqdns.status();
        CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) {
          for (const auto& fqdn : *fqdns) {
            for (auto& [address, iface] : w.servers.Mutable(fqdn)->network_interfaces) iface.lnd_network.reset();
          }
          return Status::Ok();
        }));
        return Done();
      });
  Add(t, "format_block_device",
      {Required("fqdn", T::kAny), Required("path", T::kString), Required("filesystem_type", T::kString)},
      "Format a non-Lustre filesystem on the volume the server sees at path",
      Change("fqdn", [](World& w, const std::string& fqdn, const ActionArgs& a) -> Result<Json> {
        auto serial = SerialAtPath(w, fqdn, a.String("path"));
        if (!serial.ok()) return Status::NotFound(serial.status().message());
        if (w.targets.contains(*serial)) {
          return Status::FailedPrecondition("a Lustre target is formatted on " + a.String("path") + " of " + fqdn);
        }
        w.volumes.Mutable(*serial)->local_filesystem = a.String("filesystem_type");
        return Done();
      }));
}

void AddClientOperations(OperationTable& t) {
  Add(t, "mount_filesystem", {Required("client_address", T::kString), Required("filesystem", T::kAny)},
      "Mount a filesystem ({mount_path: \"<mgs nids>:/<fsname>\"} or that string) on a client",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto mount = ParseMountPath(a.Raw("filesystem"));
        if (!mount.ok()) return mount.status();
        Status applied = ctx.sim.store().Apply([&](World& w) -> Status {
          CS_RETURN_IF_ERROR(FilesystemExists(w, mount->first, mount->second));
          const std::string address = a.String("client_address");
          LustreClient* c = w.clients.Mutable(address);
          if (!c) c = &w.clients.Put(address, LustreClient{address, {}});
          c->Mount(mount->first, mount->second);
          return Status::Ok();
        });
        if (!applied.ok()) return applied;
        return Done();
      });
  Add(t, "unmount_filesystem", {Required("client_address", T::kString), Required("filesystem", T::kAny)},
      "Unmount a filesystem from a client",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto mount = ParseMountPath(a.Raw("filesystem"));
        if (!mount.ok()) return mount.status();
        CS_RETURN_IF_ERROR(ctx.sim.store().Apply([&](World& w) -> Status {
          const std::string address = a.String("client_address");
          const LustreClient* found = w.clients.Find(address);
          if (!found) return Status::NotFound("no Lustre client " + address);
          ClientMount m{mount->first, mount->second};
          if (std::find(found->mounts.begin(), found->mounts.end(), m) == found->mounts.end()) {
            return Status::FailedPrecondition(mount->second + " is not mounted on " + address);
          }
          w.clients.Mutable(address)->Unmount(m.mgsnode, m.fsname);
          return Status::Ok();
        }));
        return Done();
      });
  for (const char* name : {"unmount_clients", "unmount_lustre_clients"}) {
    Add(t, name, {}, "Unmount everything on every client", [](ControlContext& ctx, const ActionArgs&) -> Result<Json> {
      CS_RETURN_IF_ERROR(ctx.sim.store().Apply([](World& w) {
        std::vector<std::string> mounted;
        for (const auto& [address, c] : w.clients.all()) {
          if (!c.mounts.empty()) mounted.push_back(address);
        }
        for (const auto& address : mounted) w.clients.Mutable(address)->UnmountAll();
        return Status::Ok();
      }));
      return Done();
    });
  }
}

void AddLogAndPackageOperations(OperationTable& t) {
  Add(t, "inject_log_message", {Required("fqdn", T::kAny), Required("message", T::kString)},
      "Queue a journal line for the server's next systemd_journal report",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        auto fqdn = ResolveServer(ctx.sim, a.Raw("fqdn"));
        if (!fqdn.ok()) return fqdn.status();
        SystemClock clock;
        ctx.sim.QueueLogLine(*fqdn, MakeLogLine(a.String("message"), clock.Now()));
        return Done();
      });
  Add(t, "update_packages", {Required("packages", T::kObject), Optional("node_type", T::kString)},
      "Set versions in the available package inventory ({name: [epoch, version, release, arch]}); agents restart",
      [](ControlContext& ctx, const ActionArgs& a) {
        return UpdatePackages(ctx, a.Raw("packages"), a.OptionalString("node_type").value_or("server"));
      });
  Add(t, "install_upgrades", {}, "Make lustre 2.9.0 available (update_packages)",
      [](ControlContext& ctx, const ActionArgs&) {
        return UpdatePackages(ctx, Json{{"lustre", Json::array({0, "2.9.0", "1", "x86_64"})}}, "server");
      });
  Add(t, "scan_packages", {}, "Restart the agents so they report packages again (update_packages({}))",
      [](ControlContext& ctx, const ActionArgs&) { return UpdatePackages(ctx, Json::object(), "server"); });
  Add(t, "available_packages", {Optional("node_type", T::kString)}, "The available package inventory",
      [](ControlContext& ctx, const ActionArgs& a) -> Result<Json> {
        const std::string type = a.OptionalString("node_type").value_or("server");
        if (type != "server" && type != "worker") return Status::InvalidArgument("node_type must be server or worker");
        std::lock_guard<std::mutex> lock(ctx.sim.store().mutex());
        return Json(ctx.sim.store().world().settings().packages.For(type == "worker"));
      });
  Add(t, "get_package_version", {Required("fqdn", T::kAny), Required("package", T::kString)},
      "The installed version [epoch, version, release, arch]",
      Read("fqdn", [](const World& w, const std::string& fqdn, const ActionArgs& a) -> Result<Json> {
        const Server* s = w.servers.Find(fqdn);
        auto it = s->packages.find(a.String("package"));
        if (it == s->packages.end()) return Status::NotFound("package " + a.String("package") + " is not installed on " + fqdn);
        return Json(it->second);
      }));
}

}  // namespace

void AddWorldOperations(OperationTable& t) {
  AddHaOperations(t);
  AddServiceOperations(t);
  AddClientOperations(t);
  AddLogAndPackageOperations(t);
  AddProcOperations(t);
}

}  // namespace cs
