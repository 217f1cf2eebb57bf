// corosync: what `crm_mon --as-xml` would show on this server, as the real
// agent's plugin reports it (every attribute of each node element, and
// whether fencing is enabled), and whether corosync and pacemaker run here.
// The attributes are those Debian's crm_mon prints for the CIB `cib show`
// exports (tests/plugins/corosync_plugin_test.cpp checks them with it). Sent
// every poll.
#include "sim/plugins/plugin_factories.h"

namespace cs {

namespace {

const char* Flag(bool b) { return b ? "true" : "false"; }

// crm_mon reports every flag as the text "true"/"false".
Json NodeEntry(const Cluster& cluster, const ClusterNode& node, bool is_dc) {
  return Json{{"name", node.nodename},
              {"id", std::to_string(cluster.NodeIds().at(node.nodename))},
              {"type", "member"},
              {"online", Flag(node.online)},
              {"standby", Flag(node.standby)},
              {"standby_onfail", "false"},
              {"maintenance", "false"},
              {"expected_up", Flag(node.online || node.unclean)},
              {"is_dc", Flag(is_dc)},
              {"shutdown", "false"},
              {"pending", "false"},
              {"unclean", Flag(node.unclean)},
              {"resources_running", std::to_string(cluster.ResourcesActiveOn(node.nodename))}};
}

Json CrmInfo(const PluginContext& ctx) {
  Json nodes = Json::object();
  if (const Cluster* cluster = ctx.world.ClusterOf(ctx.server)) {
    // The original marked every node as DC; pacemaker elects one.
    const ClusterNode* dc = cluster->DesignatedController();
    for (const auto& [name, node] : cluster->nodes) {
      nodes[name] = NodeEntry(*cluster, node, dc && name == dc->nodename);
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
