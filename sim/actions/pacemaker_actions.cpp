// Pacemaker actions: the service state, and the cluster configuration steps
// the simulation only acknowledges (configure, enable, fencing). Fencing
// fails on a worker, as the original made it fail to catch managers that
// try to fence a node outside any cluster.
#include "sim/actions/action_groups.h"

namespace cs {

namespace {

ActionHandler SetPacemakerState(const char* state) {
  return [state](ActionContext& ctx, const ActionArgs&) {
    MutableThisServer(ctx).pacemaker.state = state;
    return Ok();
  };
}

ActionHandler Fencing(const char* action) {
  return [action](ActionContext& ctx, const ActionArgs&) {
    if (ThisServer(ctx).worker) {
      return ActionOutcome::Failure(std::string(action) + ": " + ctx.fqdn +
                                    " is a worker: it belongs to no pacemaker cluster to fence in");
    }
    return Null();
  };
}

ActionOutcome AcknowledgeNull(ActionContext&, const ActionArgs&) { return Null(); }

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
