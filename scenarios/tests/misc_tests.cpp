// Tests that are neither faults nor management: inject-log (n journal lines
// on a server, each unique to the run so logs-arrive can find them), wait,
// and the two that need a world the runner owns: crash-simulator (kill -9
// the daemon, then `run` it again) and restart-manager (the built-in one).
#include "scenarios/tests/test_helpers.h"

namespace cs::scenarios {

TestDef InjectLogTest() {
  return {"inject-log", "Log `count` journal lines on a server (the agent sends them to the manager)",
          {ServerParam(), WithRange(Optional("count", ParamType::kInt, 1, "how many lines"), 1, 100000)}, false, false,
          [](StepContext& ctx) {
            const std::string fqdn = ctx.String("server");
            const int64_t count = ctx.Int("count");
            const size_t first = ctx.state.injected_lines.size();
            for (int64_t i = 0; i < count; ++i) {
              const std::string message = "cluster-sim scenario " + ctx.state.marker + " line " +
                                          std::to_string(first + static_cast<size_t>(i) + 1);
              Status s = ctx.world.sim->InjectLogMessage(fqdn, message);
              if (!s.ok()) return StepOutcome::From(s.Context("line " + std::to_string(i + 1)));
              ctx.state.injected_lines.push_back({{"fqdn", fqdn}, {"message", message}});
            }
            return StepOutcome::Ok(Json{{"server", fqdn}, {"lines", count}});
          }};
}

TestDef WaitTest() {
  return {"wait", "Do nothing for `duration`", {DurationParam("how long")}, false, false, [](StepContext& ctx) {
            if (!ctx.Sleep(ctx.Duration("duration"))) return StepOutcome::Info("cancelled");
            return StepOutcome::Ok();
          }};
}

TestDef CrashSimulatorTest() {
  return {"crash-simulator", "kill -9 the simulator daemon, then run it again from its state (own world only)", {},
          true, true, [](StepContext& ctx) {
            if (ctx.world.owner == nullptr) return StepOutcome::Fail("crash-simulator needs a world the runner owns");
            Status s = ctx.world.owner->CrashSimulator();
            if (s.ok()) ctx.state.crashes++;
            return StepOutcome::From(s, Json{{"crashes", ctx.state.crashes}});
          }};
}

TestDef RestartManagerTest() {
  return {"restart-manager", "Stop the built-in manager and start it again on its port (own world only)", {}, true,
          true, [](StepContext& ctx) {
            if (ctx.world.owner == nullptr) return StepOutcome::Fail("restart-manager needs a world the runner owns");
            return StepOutcome::From(ctx.world.owner->RestartManager());
          }};
}

}  // namespace cs::scenarios
