// Tests on Lustre targets: stop-target behind the manager's back (through
// the simulator, as a failing resource would), and start / stop / failover
// / failback through the manager's API (POST target/<id>/<verb>/), waiting
// for the command unless wait is false.
#include "scenarios/tests/test_helpers.h"
#include "scenarios/world_queries.h"

namespace cs::scenarios {

namespace {

ParamDef TargetParam() {
  return Required("target", ParamType::kTarget, "the target name: $var of a target requirement, or $server.target");
}

}  // namespace

TestDef StopTargetTest() {
  return {"stop-target", "Stop a target behind the manager's back (the simulator stops its resource)",
          {TargetParam()}, false, false, [](StepContext& ctx) {
            Result<Json> status = SimStatus(*ctx.world.sim);
            if (!status.ok()) return StepOutcome::From(status.status());
            const Json resource = SimResource(*status, ctx.String("target"));
            if (resource.is_null()) return StepOutcome::Fail("the simulator has no resource of " + ctx.String("target"));
            if (!resource.value("started_on", Json()).is_string()) {
              return StepOutcome::Fail(ctx.String("target") + " is not running anywhere");
            }
            const std::string fqdn = FqdnOfNode(*status, resource["started_on"]);
            ctx.state.stopped_targets.insert(ctx.String("target"));
            return CallControl(ctx, "stop_target", {{"fqdn", fqdn}, {"ha_label", resource["ha_label"]}});
          }};
}

TestDef ManagerTargetTest(const std::string& verb) {
  return {verb, "Ask the manager to " + verb + " a target (POST target/<id>/" + verb + "/), waiting for its command",
          {TargetParam(), Optional("wait", ParamType::kBool, true, "wait for the command to end"),
           WithRange(Optional("timeout", ParamType::kDuration, "2m", "how long to wait"), 0, 3600000)},
          false, false, [verb](StepContext& ctx) {
            const std::string name = ctx.String("target");
            if (verb == "stop") ctx.state.stopped_targets.insert(name);
            if (verb == "start") ctx.state.stopped_targets.erase(name);
            Result<int64_t> id = TargetCommand(*ctx.world.manager, name, verb);
            if (!id.ok()) return StepOutcome::From(id.status());
            if (!ctx.Bool("wait")) return StepOutcome::Ok(Json{{"command", *id}, {"waited", false}});
            Result<Json> done = WaitCommand(*ctx.world.manager, *id, ctx.Duration("timeout"), ctx.cancelled);
            if (!done.ok()) return StepOutcome::From(done.status());
            const Json value = {{"command", *id}, {"state", (*done)["state"]}, {"errors", done->value("errors", Json::array())}};
            if ((*done)["state"] != "succeeded") {
              StepOutcome out = StepOutcome::Fail(verb + " of " + name + ": command " + std::to_string(*id) + " " +
                                                  (*done)["state"].get<std::string>());
              out.value["command"] = value;
              return out;
            }
            return StepOutcome::Ok(value);
          }};
}

}  // namespace cs::scenarios
