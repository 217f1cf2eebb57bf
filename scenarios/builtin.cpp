// Registry::Builtin: every registered test and check, one line each. To add
// one, write its factory in scenarios/tests/ or scenarios/checks/ and add
// its line here (docs/scenarios.md shows an example).
#include "scenarios/checks/judges.h"
#include "scenarios/registry.h"
#include "scenarios/tests/test_helpers.h"

namespace cs::scenarios {

namespace {

Registry MakeBuiltin() {
  Registry r;
  r.Add(PowerOffTest());
  r.Add(PowerOnTest());
  r.Add(PowerCycleTest());
  r.Add(PduOffTest());
  r.Add(PduOnTest());
  r.Add(KillServerTest());
  r.Add(ResetServerTest());
  r.Add(StartServerTest());
  r.Add(KillAgentTest());
  r.Add(RestartAgentTest());
  r.Add(FailConnectionsTest());
  r.Add(DropResponsesTest());
  r.Add(LatencyTest());
  r.Add(PartitionTest());
  r.Add(StopTargetTest());
  r.Add(ManagerTargetTest("start"));
  r.Add(ManagerTargetTest("stop"));
  r.Add(ManagerTargetTest("failover"));
  r.Add(ManagerTargetTest("failback"));
  r.Add(StandbyTest());
  r.Add(OnlineTest());
  r.Add(StopCorosyncTest());
  r.Add(StopPacemakerTest());
  r.Add(StartCorosyncTest());
  r.Add(StartPacemakerTest());
  r.Add(InjectLogTest());
  r.Add(CrashSimulatorTest());
  r.Add(RestartManagerTest());
  r.Add(WaitTest());
  r.Add(FailDomainTest());

  r.Add(InvariantsCheck());
  r.Add(TargetsRunningCheck());
  r.Add(ManagerAgreesCheck());
  r.Add(CommandsFinishCheck());
  r.Add(NoLostActionsCheck());
  r.Add(LogsArriveCheck());
  r.Add(TargetOnCheck());
  r.Add(DomainSurvivesCheck());
  return r;
}

}  // namespace

const Registry& Registry::Builtin() {
  static const Registry registry = MakeBuiltin();
  return registry;
}

}  // namespace cs::scenarios
