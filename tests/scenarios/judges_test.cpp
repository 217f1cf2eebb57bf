// The checks' judgements against made-up states, right and wrong: each
// check passes on a healthy state and fails, saying what it saw and what it
// expected, on every kind of wrong state (a check that cannot fail is a defect).
#include <gtest/gtest.h>

#include "scenarios/checks/judges.h"

namespace cs::scenarios {
namespace {

Json ServerJson(const std::string& name, const std::string& power = "running") {
  return {{"fqdn", name + ".localdomain"}, {"nodename", name}, {"worker", false}, {"cluster", 0},
          {"power_state", power}, {"has_power", power != "off"}, {"registered", true}};
}

Json ResourceJson(const std::string& target, const Json& on, const std::string& primary = "test000",
              const std::string& secondary = "test001") {
  return {{"ha_label", target + "_abc123"}, {"primary_node", primary}, {"secondary_node", secondary}, {"started_on", on}};
}

// A cluster of test000 and test001 running OST0000 on test000, OST0001 on test001.
Json StatusJson(Json resources, Json nodes = nullptr, std::string power1 = "running") {
  if (nodes.is_null()) {
    nodes = Json::array({{{"nodename", "test000"}, {"fqdn", "test000.localdomain"}, {"online", true}, {"standby", false}},
                         {{"nodename", "test001"}, {"fqdn", "test001.localdomain"}, {"online", true}, {"standby", false}}});
  }
  return {{"servers", Json::array({ServerJson("test000"), ServerJson("test001", power1)})},
          {"clusters", Json::array({{{"id", 0}, {"nodes", nodes}, {"resources", resources}}})}};
}

Json Healthy() {
  return StatusJson(Json::array({ResourceJson("testfs-OST0000", "test000"), ResourceJson("testfs-OST0001", "test001", "test001", "test000")}));
}

TEST(TargetsRunning, PassesWhenEveryTargetRunsWhereItMay) {
  Json failed_over = StatusJson(Json::array({ResourceJson("testfs-OST0000", "test001"), ResourceJson("testfs-OST0001", "test001", "test001", "test000")}));
  EXPECT_TRUE(JudgeTargetsRunning(Healthy(), Healthy(), {}, {}).passed);
  EXPECT_TRUE(JudgeTargetsRunning(Healthy(), failed_over, {}, {}).passed);
}

TEST(TargetsRunning, FailsOnATargetRunningNowhere) {
  Json stopped = StatusJson(Json::array({ResourceJson("testfs-OST0000", nullptr), ResourceJson("testfs-OST0001", "test001", "test001", "test000")}));
  Verdict v = JudgeTargetsRunning(Healthy(), stopped, {}, {});
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "testfs-OST0000 ran on test000 and runs nowhere now (expected on test000 or test001)");
  // Unless the scenario stopped it on purpose.
  EXPECT_TRUE(JudgeTargetsRunning(Healthy(), stopped, {"testfs-OST0000"}, {}).passed);
  // Or it is out of the run's scope.
  EXPECT_TRUE(JudgeTargetsRunning(Healthy(), stopped, {}, {"test001.localdomain"}).passed);
}

TEST(TargetsRunning, FailsOnANodeThatMayNotRunIt) {
  Json elsewhere = StatusJson(Json::array({ResourceJson("testfs-OST0000", "test001", "test000", "test002"),
                                       ResourceJson("testfs-OST0001", "test001", "test001", "test000")}));
  Verdict v = JudgeTargetsRunning(Healthy(), elsewhere, {}, {});
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("testfs-OST0000 runs on test001, which may not run it (expected test000 or test002)"), std::string::npos) << v.message;
}

TEST(TargetsRunning, FailsOnAnOfflineStandbyOrPoweredOffNode) {
  Json nodes = Json::array({{{"nodename", "test000"}, {"online", false}, {"standby", false}},
                            {{"nodename", "test001"}, {"online", true}, {"standby", true}}});
  Verdict v = JudgeTargetsRunning(Healthy(), StatusJson(Healthy()["clusters"][0]["resources"], nodes), {}, {});
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("testfs-OST0000 runs on test000, which is offline in its cluster"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("testfs-OST0001 runs on test001, which is in standby"), std::string::npos) << v.message;
  Verdict off = JudgeTargetsRunning(Healthy(), StatusJson(Healthy()["clusters"][0]["resources"], nullptr, "off"), {}, {});
  EXPECT_FALSE(off.passed);
  EXPECT_NE(off.message.find("test001, which is not running (off)"), std::string::npos) << off.message;
}

TEST(TargetsRunning, FailsOnAVanishedTarget) {
  Verdict v = JudgeTargetsRunning(Healthy(), StatusJson(Json::array()), {}, {});
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("testfs-OST0000 ran on test000 and is gone"), std::string::npos);
}

Json TargetJson(const std::string& name, const Json& active) {
  return {{"name", name}, {"primary_host", "test000.localdomain"}, {"secondary_host", "test001.localdomain"},
          {"active_host", active}};
}
Json Host(const std::string& fqdn, bool reachable) { return {{"fqdn", fqdn}, {"reachable", reachable}}; }

TEST(ManagerAgrees, PassesWhenTheManagerSeesWhatTheSimulatorRuns) {
  std::vector<Json> targets = {TargetJson("testfs-OST0000", "test000.localdomain"), TargetJson("testfs-OST0001", "test001.localdomain")};
  std::vector<Json> hosts = {Host("test000.localdomain", true), Host("test001.localdomain", true)};
  EXPECT_TRUE(JudgeManagerAgrees(Healthy(), targets, hosts, {}).passed);
}

TEST(ManagerAgrees, FailsOnAWrongActiveHost) {
  std::vector<Json> targets = {TargetJson("testfs-OST0000", "test001.localdomain"), TargetJson("testfs-OST0001", nullptr)};
  Verdict v = JudgeManagerAgrees(Healthy(), targets, {}, {});
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.message.find("the manager says testfs-OST0000 runs on test001.localdomain, the simulator runs it on test000.localdomain"),
            std::string::npos) << v.message;
  EXPECT_NE(v.message.find("the manager says testfs-OST0001 runs on nowhere"), std::string::npos) << v.message;
}

TEST(ManagerAgrees, FailsOnReachabilityThatDoesNotMatchPower) {
  std::vector<Json> targets;
  Verdict v = JudgeManagerAgrees(Healthy(), targets, {Host("test000.localdomain", false)}, {});
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "test000.localdomain is running but the manager sees it unreachable");
  Json off = StatusJson(Healthy()["clusters"][0]["resources"], nullptr, "off");
  Verdict w = JudgeManagerAgrees(off, targets, {Host("test001.localdomain", true)}, {});
  EXPECT_FALSE(w.passed);
  EXPECT_EQ(w.message, "test001.localdomain is off but the manager sees it reachable");
  // A host booting has no expectation yet.
  Json booting = StatusJson(Healthy()["clusters"][0]["resources"], nullptr, "starting_up");
  EXPECT_TRUE(JudgeManagerAgrees(booting, targets, {Host("test001.localdomain", true)}, {}).passed);
}

Json Command(int64_t id, const std::string& state, Json steps = Json::array()) {
  return {{"id", id}, {"state", state}, {"message", "failover target X"}, {"steps", steps}};
}
Json StepJson(const std::string& action, const std::string& label, const std::string& state, const std::string& fqdn = "test000.localdomain") {
  return {{"action", action}, {"args", {{"ha_label", label}}}, {"state", state}, {"fqdn", fqdn}};
}

TEST(CommandsFinish, FailsOnACommandStillRunning) {
  std::vector<Json> commands = {Command(1, "running"), Command(5, "succeeded"),
                                Command(6, "running", Json::array({StepJson("failover_target", "x_1", "running")}))};
  EXPECT_TRUE(JudgeCommandsFinish({Command(5, "succeeded"), Command(6, "failed")}, 5, {}).passed);
  Verdict v = JudgeCommandsFinish(commands, 5, {});
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "command 6 'failover target X' is still running (at failover_target on test000.localdomain); "
                       "expected every command to have finished");
  // Command 1 is older than the run; out-of-scope commands are another run's.
  EXPECT_TRUE(JudgeCommandsFinish(commands, 5, {"test009.localdomain"}).passed);
}

TEST(NoLostActions, PassesWhenTheLastSucceededActionShows) {
  std::vector<Json> commands = {
      Command(3, "succeeded", Json::array({StepJson("failover_target", "testfs-OST0000_abc123", "succeeded")})),
      Command(4, "succeeded", Json::array({StepJson("failback_target", "testfs-OST0000_abc123", "succeeded")}))};
  EXPECT_TRUE(JudgeNoLostActions(commands, Healthy(), 1).passed);
  // A failover that never completed is not owed.
  std::vector<Json> failed = {Command(3, "failed", Json::array({StepJson("failover_target", "testfs-OST0000_abc123", "failed")}))};
  EXPECT_TRUE(JudgeNoLostActions(failed, Healthy(), 1).passed);
}

TEST(NoLostActions, FailsWhenACompletedActionWasLost) {
  std::vector<Json> commands = {Command(3, "succeeded", Json::array({StepJson("failover_target", "testfs-OST0000_abc123", "succeeded")}))};
  Verdict v = JudgeNoLostActions(commands, Healthy(), 1);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "command 3 (failover of testfs-OST0000) succeeded, so it should run on test001, but the simulator runs it on test000");
  std::vector<Json> stop = {Command(7, "succeeded", Json::array({StepJson("stop_target", "testfs-OST0001_abc123", "succeeded")}))};
  Verdict s = JudgeNoLostActions(stop, Healthy(), 1);
  EXPECT_FALSE(s.passed);
  EXPECT_NE(s.message.find("should run on nowhere, but the simulator runs it on test001"), std::string::npos) << s.message;
  EXPECT_TRUE(JudgeNoLostActions(commands, Healthy(), 4).passed);  // before the run
  std::vector<Json> ghost = {Command(8, "succeeded", Json::array({StepJson("start_target", "ghost_abc123", "succeeded")}))};
  EXPECT_FALSE(JudgeNoLostActions(ghost, Healthy(), 1).passed);
}

TEST(LogsArrive, FailsOnAMissingLine) {
  std::vector<Json> injected = {{{"fqdn", "a"}, {"message", "m1"}}, {{"fqdn", "a"}, {"message", "m2"}}};
  std::vector<Json> lines = {{{"fqdn", "a"}, {"message", "m1"}}, {{"fqdn", "b"}, {"message", "m2"}}};
  Verdict v = JudgeLogsArrive(injected, lines);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "1 of 2 injected lines have not reached the manager: 'm2' from a");
  lines.push_back({{"fqdn", "a"}, {"message", "m2"}});
  EXPECT_TRUE(JudgeLogsArrive(injected, lines).passed);
  EXPECT_FALSE(JudgeLogsArrive({}, lines).passed);
}

TEST(Invariants, FailsOnAViolation) {
  EXPECT_TRUE(JudgeInvariants({{"violations", Json::array()}}).passed);
  Verdict v = JudgeInvariants({{"violations", {"resource x runs on two nodes"}}});
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "1 invariant violation(s), expected none: resource x runs on two nodes");
  EXPECT_FALSE(JudgeInvariants(Json::object()).passed);
}

TEST(TargetOn, FailsWhenEitherSideDisagrees) {
  std::vector<Json> targets = {TargetJson("testfs-OST0000", "test000.localdomain")};
  EXPECT_TRUE(JudgeTargetOn(Healthy(), targets, "testfs-OST0000", "test000.localdomain").passed);
  Verdict v = JudgeTargetOn(Healthy(), targets, "testfs-OST0000", "test001.localdomain");
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "expected testfs-OST0000 on test001.localdomain, but the simulator runs testfs-OST0000 on "
                       "test000.localdomain; the manager says it runs on test000.localdomain");
}

}  // namespace
}  // namespace cs::scenarios
