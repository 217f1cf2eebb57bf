// What the registered tests share: their common parameters and the call
// that turns one control operation into a history outcome.
#pragma once

#include "scenarios/registry.h"

namespace cs::scenarios {

inline ParamDef ServerParam() {
  return Required("server", ParamType::kServer, "the server: an fqdn, usually $var of a server requirement");
}
inline ParamDef ServersParam() {
  return Required("servers", ParamType::kServers, "the servers: $var of a server, cluster or su requirement, or a list");
}
inline ParamDef DurationParam(const std::string& help) {
  return WithRange(Required("duration", ParamType::kDuration, help), 0, int64_t{3600} * 1000);
}

// One control operation; its answer (or error) is the outcome's value.
inline StepOutcome CallControl(StepContext& ctx, const std::string& operation, const Json& args) {
  Result<Json> answer = ctx.world.sim->Call(operation, args);
  if (!answer.ok()) return StepOutcome::From(answer.status());
  return StepOutcome::Ok(Json{{"operation", operation}, {"answer", *answer}});
}

// Runs `operation` with {"fqdn": s} for every server; stops at the first failure.
inline StepOutcome CallForEach(StepContext& ctx, const std::string& operation, const std::vector<std::string>& servers,
                               Json extra = Json::object()) {
  Json answers = Json::object();
  for (const std::string& fqdn : servers) {
    Json args = extra;
    args["fqdn"] = fqdn;
    Result<Json> answer = ctx.world.sim->Call(operation, args);
    if (!answer.ok()) {
      StepOutcome out = StepOutcome::From(answer.status().Context(operation + " " + fqdn));
      out.value["done"] = answers;
      return out;
    }
    answers[fqdn] = *answer;
  }
  return StepOutcome::Ok(Json{{"operation", operation}, {"answers", answers}});
}

// Tests by group, one factory per test (builtin.cpp registers each).
TestDef PowerOffTest();
TestDef PowerOnTest();
TestDef PowerCycleTest();
TestDef PduOffTest();
TestDef PduOnTest();
TestDef KillServerTest();
TestDef ResetServerTest();
TestDef StartServerTest();
TestDef KillAgentTest();
TestDef RestartAgentTest();
TestDef FailConnectionsTest();
TestDef DropResponsesTest();
TestDef LatencyTest();
TestDef PartitionTest();
TestDef StopTargetTest();
TestDef ManagerTargetTest(const std::string& verb);
TestDef StandbyTest();
TestDef OnlineTest();
TestDef StopCorosyncTest();
TestDef StopPacemakerTest();
TestDef StartCorosyncTest();
TestDef StartPacemakerTest();
TestDef InjectLogTest();
TestDef CrashSimulatorTest();
TestDef RestartManagerTest();
TestDef WaitTest();
TestDef FailDomainTest();

}  // namespace cs::scenarios
