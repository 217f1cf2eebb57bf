// Tests on a server's corosync/pacemaker membership: standby (its resources
// move off) and online, stop-corosync and stop-pacemaker (the node leaves
// its cluster), start-corosync and start-pacemaker.
#include "scenarios/tests/test_helpers.h"

namespace cs::scenarios {

namespace {

TestDef OnServer(std::string name, std::string help, std::string operation, std::string key) {
  return {std::move(name), std::move(help), {ServerParam()}, false, false,
          [operation, key](StepContext& ctx) { return CallControl(ctx, operation, {{key, ctx.String("server")}}); }};
}

}  // namespace

TestDef StandbyTest() {
  return OnServer("standby", "Put a node in standby: its resources move to their other node", "set_node_standby", "server");
}
TestDef OnlineTest() {
  return OnServer("online", "Bring a node out of standby (resources stay where they are)", "set_node_online", "server");
}
TestDef StopCorosyncTest() {
  return OnServer("stop-corosync", "Stop corosync on a server: it leaves its cluster", "stop_corosync", "fqdn");
}
TestDef StopPacemakerTest() {
  return OnServer("stop-pacemaker", "Stop pacemaker on a server: it runs no resources", "stop_pacemaker", "fqdn");
}
TestDef StartCorosyncTest() {
  return OnServer("start-corosync", "Start corosync on a server again", "start_corosync", "fqdn");
}
TestDef StartPacemakerTest() {
  return OnServer("start-pacemaker", "Start pacemaker on a server again", "start_pacemaker", "fqdn");
}

}  // namespace cs::scenarios
