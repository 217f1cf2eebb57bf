// Pacemaker actions: the service state (stopping pacemaker takes the node
// out of its cluster cleanly, starting it with corosync running brings it
// back), configure_fencing's agents (kept on the cluster node, as the real
// agent keeps them in node attributes of the CIB), and the configuration
// steps the simulation only acknowledges (configure, enable). Fencing fails
// on a worker, as the original made it fail to catch managers that try to
// fence a node outside any cluster.
#include "fakes/cluster_env.h"
#include "sim/actions/action_groups.h"

namespace cs {

namespace {

ActionHandler SetPacemakerState(const char* state) {
  return [state](ActionContext& ctx, const ActionArgs&) {
    Server& server = MutableThisServer(ctx);
    const bool was_member = ClusterServicesRun(server);
    server.pacemaker.state = state;
    FollowClusterServices(ctx.world, server, was_member);
    return Ok();
  };
}

ActionHandler Fencing(const char* action) {
  return [action](ActionContext& ctx, const ActionArgs& args) {
    if (ThisServer(ctx).worker) {
      return ActionOutcome::Failure(std::string(action) + ": " + ctx.fqdn +
                                    " is a worker: it belongs to no pacemaker cluster to fence in");
    }
    const Server& server = ThisServer(ctx);
    Cluster* cluster = ctx.world.MutableClusterOf(server);
    auto node = cluster ? cluster->nodes.find(server.nodename) : std::map<std::string, ClusterNode>::iterator{};
    if (!cluster || node == cluster->nodes.end()) {
      return ActionOutcome::Failure(std::string(action) + ": " + server.nodename + " does not exist in pacemaker");
    }
    if (std::string(action) == "configure_fencing") {
      const Json& agents = args.Raw("agents");
      Json list = agents.is_string() ? Json::parse(agents.get<std::string>(), nullptr, false) : agents;
      if (!list.is_array()) return ActionOutcome::Failure("configure_fencing: agents must be a list of agent settings");
      for (const Json& a : list) {
        if (!a.is_object() || !a.contains("agent")) {
          return ActionOutcome::Failure("configure_fencing: every agent needs an 'agent' key: " + a.dump());
        }
      }
      node->second.fence_agents = list;
    }
    ++cluster->epoch;
    return Null();
  };
}

}  // namespace

void AddPacemakerActions(ActionCatalog& c) {
  c.Add("start_pacemaker", {}, SetPacemakerState("started"));
  c.Add("stop_pacemaker", {}, SetPacemakerState("stopped"));
  c.Add("configure_pacemaker", {}, AcknowledgeNull);
  c.Add("unconfigure_pacemaker", {}, AcknowledgeNull);
  c.Add("enable_pacemaker", {}, AcknowledgeNull);
  c.Add("configure_fencing", {Required("agents", ArgType::kAny)}, Fencing("configure_fencing"));
  c.Add("unconfigure_fencing", {}, Fencing("unconfigure_fencing"));
}

}  // namespace cs
