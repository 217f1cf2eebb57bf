// Network faults on chosen hosts for a duration, then lifted: fail-connections
// (requests to the manager fail), drop-responses (answers are lost), latency
// (every request is delayed) and partition (the hosts cannot reach the
// manager: requests hang, then fail). They live in the agents' transport
// (sim/agent/faulty_transport.h), so agents take their real failure paths.
#include "scenarios/tests/test_helpers.h"

namespace cs::scenarios {

namespace {

// Sets a fault on each server, holds it for `duration`, lifts it again,
// even when setting one of them failed half-way.
StepOutcome ForDuration(StepContext& ctx, const std::string& operation, const Json& on, const Json& off) {
  const std::vector<std::string> servers = ctx.Strings("servers");
  StepOutcome set = CallForEach(ctx, operation, servers, on);
  bool held = set.type == StepOutcome::Type::kOk && ctx.Sleep(ctx.Duration("duration"));
  StepOutcome lifted = CallForEach(ctx, operation, servers, off);
  if (set.type != StepOutcome::Type::kOk) return set;
  if (lifted.type != StepOutcome::Type::kOk) return lifted;
  if (!held) return StepOutcome::Info("cancelled while the fault was on; it was lifted");
  return StepOutcome::Ok(Json{{"operation", operation}, {"servers", servers}, {"held", ctx.String("duration")}});
}

}  // namespace

TestDef FailConnectionsTest() {
  return {"fail-connections", "The servers' connections to the manager fail for `duration`",
          {ServersParam(), DurationParam("how long the fault holds")}, false, false,
          [](StepContext& ctx) { return ForDuration(ctx, "fail_connections", {{"fail", true}}, {{"fail", false}}); }};
}

TestDef DropResponsesTest() {
  return {"drop-responses", "The manager's answers to the servers are lost for `duration`",
          {ServersParam(), DurationParam("how long the fault holds")}, false, false,
          [](StepContext& ctx) { return ForDuration(ctx, "drop_responses", {{"drop", true}}, {{"drop", false}}); }};
}

TestDef LatencyTest() {
  return {"latency", "Every request of the servers is delayed by `latency` for `duration`",
          {ServersParam(), DurationParam("how long the fault holds"),
           WithRange(Required("latency", ParamType::kDuration, "the delay per request"), 0, 60000)},
          false, false, [](StepContext& ctx) {
            return ForDuration(ctx, "set_latency", {{"latency_ms", ctx.Duration("latency").count()}}, {{"latency_ms", 0}});
          }};
}

TestDef PartitionTest() {
  return {"partition", "The servers cannot reach the manager (requests hang, then fail) for `duration`",
          {ServersParam(), DurationParam("how long the partition holds")}, false, false,
          [](StepContext& ctx) {
            return ForDuration(ctx, "manager_unreachable", {{"unreachable", true}}, {{"unreachable", false}});
          }};
}

}  // namespace cs::scenarios
