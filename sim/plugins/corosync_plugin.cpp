// corosync: what `crm_mon` would show on this server: the nodes of its
// cluster with their online/standby flags, and whether corosync and
// pacemaker run here. Sent every poll.
#include "sim/plugins/plugin_factories.h"

namespace cs {

namespace {

const char* Flag(bool b) { return b ? "true" : "false"; }

// crm_mon reports every flag as the text "true"/"false".
Json NodeEntry(const Cluster& cluster, const ClusterNode& node, bool is_dc) {
  return Json{{"name", node.nodename},
              {"id", node.nodename},
              {"type", "member"},
              {"online", Flag(node.online)},
              {"standby", Flag(node.standby)},
              {"standby_onfail", "false"},
              {"expected_up", "true"},
              {"is_dc", Flag(is_dc)},
              {"shutdown", "false"},
              {"pending", "false"},
              {"unclean", "false"},
              {"resources_running", std::to_string(cluster.RunningOn(node.nodename).size())}};
}

// The designated controller: one online node (the first by name), where
// the original marked every node as DC.
std::string DesignatedController(const Cluster& cluster) {
  for (const auto& [name, node] : cluster.nodes) {
    if (node.online) return name;
  }
  return "";
}

Json CrmInfo(const PluginContext& ctx) {
  Json nodes = Json::object();
  if (const Cluster* cluster = ctx.world.ClusterOf(ctx.server)) {
    const std::string dc = DesignatedController(*cluster);
    for (const auto& [name, node] : cluster->nodes) {
      nodes[name] = NodeEntry(*cluster, node, name == dc);
    }
  }
  return Json{{"nodes", nodes},
              {"options", {{"stonith_enabled", true}}},
              {"datetime", FormatAgentTime(ctx.now)}};
}

class CorosyncPlugin final : public DevicePlugin {
 public:
  std::string_view name() const override { return "corosync"; }

  PluginBodies StartSession(PluginContext& ctx) override { return {Render(ctx)}; }
  PluginBodies UpdateSession(PluginContext& ctx) override { return {Render(ctx)}; }

 private:
  static Json Render(const PluginContext& ctx) {
    const Server& s = ctx.server;
    // Without both daemons there is no CIB to ask.
    const bool running = s.corosync.state == "started" && s.pacemaker.state == "started";
    return Json{{"crm_info", running ? CrmInfo(ctx) : Json::object()},
                {"state", {{"corosync", s.corosync.state}, {"pacemaker", s.pacemaker.state}}}};
  }
};

}  // namespace

std::unique_ptr<DevicePlugin> MakeCorosyncPlugin() { return std::make_unique<CorosyncPlugin>(); }

}  // namespace cs
