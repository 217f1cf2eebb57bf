// Tests on a server and its agent process: kill-server (it stops at once,
// its node leaves the cluster), reset-server (a reboot with a new boot
// time), start-server (boot one that is off), kill-agent and restart-agent
// (the agent crashes or starts again; the server and its resources stay).
#include "scenarios/tests/test_helpers.h"

namespace cs::scenarios {

namespace {

TestDef OnServer(std::string name, std::string help, std::string operation) {
  return {std::move(name), std::move(help), {ServerParam()}, false, false,
          [operation](StepContext& ctx) { return CallControl(ctx, operation, {{"fqdn", ctx.String("server")}}); }};
}

}  // namespace

TestDef KillServerTest() {
  return OnServer("kill-server", "Shut a server down at once: its agent dies, its resources fail over", "kill_server");
}
TestDef ResetServerTest() {
  return OnServer("reset-server", "Reboot a server: down at once, up after the boot delay with a new boot time", "reset_server");
}
TestDef StartServerTest() {
  return OnServer("start-server", "Boot a server that is off (after kill-server)", "start_server");
}
TestDef KillAgentTest() {
  return OnServer("kill-agent", "Crash a server's agent; the server and its resources stay", "kill_agent");
}
TestDef RestartAgentTest() {
  return OnServer("restart-agent", "Start a server's agent again (a new client start time)", "restart_agent");
}

}  // namespace cs::scenarios
