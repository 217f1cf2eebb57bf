// Corosync actions: the service state and multicast port of the server's
// corosync, its network autoconfiguration, and the configuration steps the
// simulation only acknowledges (rings, unconfigure).
#include "fakes/cluster_env.h"
#include "sim/actions/action_groups.h"

namespace cs {

namespace {

ActionHandler SetCorosyncState(const char* state) {
  return [state](ActionContext& ctx, const ActionArgs&) {
    Server& server = MutableThisServer(ctx);
    const bool was_member = ClusterServicesRun(server);
    server.corosync.state = state;
    FollowClusterServices(ctx.world, server, was_member);
    return Ok();
  };
}

// Sets the multicast port from the named argument.
ActionHandler SetMcastPort(const char* port_arg) {
  return [port_arg](ActionContext& ctx, const ActionArgs& args) {
    MutableThisServer(ctx).corosync.mcast_port = static_cast<int>(args.Int(port_arg));
    return Ok();
  };
}

// ring0 is the server's first interface, ring1 (dedicated) its second; names
// as the linux_network plugin reports them (eth<n> for tcp, ib<n> for o2ib).
ActionOutcome GetCorosyncAutoconfig(ActionContext& ctx, const ActionArgs&) {
  const Server& server = ThisServer(ctx);
  std::map<int, std::pair<std::string, std::string>> by_number;  // no -> (name, address)
  for (const auto& [address, iface] : server.network_interfaces) {
    const std::string prefix = iface.type == "o2ib" ? "ib" : "eth";
    by_number[iface.interface_no] = {prefix + std::to_string(iface.interface_no), address};
  }
  // The original failed with an IndexError here; say what is missing.
  if (by_number.size() < 2) {
    return ActionOutcome::Failure(
        "get_corosync_autoconfig: " + server.fqdn + " has " + std::to_string(by_number.size()) +
        " network interface(s); corosync needs two (ring0 and a dedicated ring1): set up the "
        "fleet with --nid_count 2 or more");
  }
  auto it = by_number.begin();
  const auto ring0 = (it++)->second;
  const auto ring1 = it->second;
  Json interfaces = Json::object();
  interfaces[ring0.first] = Json{{"dedicated", false}, {"ipaddr", ring0.second}, {"prefix", 24}};
  interfaces[ring1.first] = Json{{"dedicated", true}, {"ipaddr", ring1.second}, {"prefix", 24}};
  return ActionOutcome::Value(
      AgentResult(Json{{"interfaces", interfaces}, {"mcast_port", server.corosync.mcast_port}}));
}

}  // namespace

void AddCorosyncActions(ActionCatalog& c) {
  using T = ArgType;
  c.Add("start_corosync", {}, SetCorosyncState("started"));
  c.Add("start_corosync2", {}, SetCorosyncState("started"));
  c.Add("stop_corosync", {}, SetCorosyncState("stopped"));
  c.Add("stop_corosync2", {}, SetCorosyncState("stopped"));
  const std::vector<ArgSpec> rings = {
      Required("ring0_name", T::kString),  Optional("ring1_name", T::kString),
      Optional("ring0_ipaddr", T::kString), Optional("ring0_prefix", T::kInt),
      Optional("ring1_ipaddr", T::kString), Optional("ring1_prefix", T::kInt)};
  c.Add("configure_network", rings, AcknowledgeOk);
  std::vector<ArgSpec> corosync = rings;
  corosync.push_back(Required("old_mcast_port", T::kInt));
  corosync.push_back(Required("new_mcast_port", T::kInt));
  c.Add("configure_corosync", corosync, SetMcastPort("new_mcast_port"));
  c.Add("configure_corosync2_stage_1",
        {Required("mcast_port", T::kInt), Required("pcs_password", T::kString)},
        SetMcastPort("mcast_port"));
  c.Add("configure_corosync2_stage_2",
        {Required("ring0_name", T::kString), Required("ring1_name", T::kString),
         Required("new_node_fqdn", T::kString), Required("mcast_port", T::kInt),
         Required("pcs_password", T::kString), Required("create_cluster", T::kBool)},
        AcknowledgeOk);
  c.Add("change_mcast_port",
        {Required("old_mcast_port", T::kInt), Required("new_mcast_port", T::kInt)},
        SetMcastPort("new_mcast_port"));
  c.Add("get_corosync_autoconfig", {}, GetCorosyncAutoconfig);
  c.Add("unconfigure_corosync", {}, AcknowledgeOk);
  c.Add("unconfigure_corosync2", {Required("host_fqdn", T::kString), Required("mcast_port", T::kInt)},
        AcknowledgeOk);
  c.Add("host_corosync_config", {},
        [](ActionContext&, const ActionArgs&) { return ActionOutcome::Value(Json::object()); });
}

}  // namespace cs
