// lustre: the server's Lustre picture: where the HA resources of its
// cluster run, which targets it has mounted, node and target metrics, its
// Lustre client mounts, and (first poll only) its package inventory, as the
// manager's lustre audit expects it. Sent every poll.
#include "fakes/server_proc.h"
#include "sim/plugins/plugin_factories.h"

namespace cs {

namespace {

Json ResourceLocations(const PluginContext& ctx) {
  Json out = Json::object();
  if (const Cluster* cluster = ctx.world.ClusterOf(ctx.server)) {
    for (const auto& [label, node] : cluster->ResourceLocations()) out[label] = node;
  }
  return out;
}

Json Mounts(const PluginContext& ctx) {
  Json out = Json::array();
  if (const Cluster* cluster = ctx.world.ClusterOf(ctx.server)) {
    for (const HaResource* r : cluster->RunningOn(ctx.server.nodename)) {
      out.push_back(Json{{"device", r->device_path},
                         {"fs_uuid", r->uuid},
                         {"mount_point", r->mount_point},
                         {"recovery_status", Json::object()}});
    }
  }
  return out;
}

// Every available package with what is installed of it, as the agent's
// scan_packages reports it.
Json Packages(const PluginContext& ctx) {
  Json external = Json::object();
  const PackageSet& available = ctx.world.settings().packages.For(ctx.server.worker);
  for (const auto& [name, version] : available) {
    Json installed = Json::array();
    auto it = ctx.server.packages.find(name);
    if (it != ctx.server.packages.end()) installed.push_back(it->second);
    external[name] = Json{{"available", Json::array({version})}, {"installed", installed}};
  }
  return Json{{"external", external}};
}

Json NodeMetrics(PluginContext& ctx) { return ctx.stats.Node(ctx.server.fqdn, ctx.stats_read); }

// Stats of the targets running here, reported only while they run here;
// their series live in the fleet's book, so a target that fails over
// continues where it was.
Json TargetMetrics(PluginContext& ctx) {
  Json out = Json::object();
  for (const StartedTarget& t : TargetsStartedOn(ctx.world, ctx.server)) {
    const std::string& label = t.target->label;
    const int64_t bytes = t.volume != nullptr ? t.volume->size : kVolumeSizeBytes;
    out[label] = ctx.stats.Target(*t.target, bytes, ctx.now, ctx.stats_read);
    // One coordinator per filesystem, reported on its first MDT (as the original).
    if (ctx.hsm_stats != nullptr && t.target->fsname && label.find("MDT0000") != std::string::npos) {
      out[label].update((*ctx.hsm_stats)(*t.target->fsname));
    }
  }
  return out;
}

Json ClientMounts(const Server& s) {
  Json out = Json::array();
  for (const auto& [spec, point] : s.client_mounts) {
    out.push_back(Json{{"mountspec", spec}, {"mountpoint", point}});
  }
  return out;
}

// What the original reported; the manager only displays these.
Json Properties() {
  return Json{{"zfs_installed", false},
              {"distro", "CentOS"},
              {"distro_version", 6.6},
              {"python_version_major_minor", 2.6},
              {"python_patchlevel", 6},
              {"kernel_version", "2.6.32-504.8.1.el6_lustre.x86_64"}};
}

Json LustreReport(PluginContext& ctx, bool first) {
  Json lustre = {{"target", TargetMetrics(ctx)}, {"lnet", Json::object()},
                 {"jobid_var", "procname_uid"}};
  Json raw = {{"node", NodeMetrics(ctx)},
              {"lustre", std::move(lustre)},
              {"lustre_client_mounts", ClientMounts(ctx.server)}};
  return Json{{"resource_locations", ResourceLocations(ctx)},
              {"capabilities", Json::array({"manage_targets"})},
              {"metrics", {{"raw", std::move(raw)}}},
              {"packages", first ? Packages(ctx) : Json(nullptr)},
              {"mounts", Mounts(ctx)},
              {"properties", Properties()},
              {"started_at", FormatAgentTime(ctx.now)},
              {"agent_version", "dummy"}};
}

class LustrePlugin final : public DevicePlugin {
 public:
  std::string_view name() const override { return "lustre"; }
  PluginBodies StartSession(PluginContext& ctx) override { return {LustreReport(ctx, true)}; }
  PluginBodies UpdateSession(PluginContext& ctx) override { return {LustreReport(ctx, false)}; }
};

}  // namespace

std::unique_ptr<DevicePlugin> MakeLustrePlugin() { return std::make_unique<LustrePlugin>(); }

}  // namespace cs
