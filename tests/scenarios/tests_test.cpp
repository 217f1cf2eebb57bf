// The registered tests against a fake daemon and manager: each makes the
// calls it says it makes, and reports refusals as fail, lost answers as info.
#include <gtest/gtest.h>

#include "scenarios/registry.h"
#include "tests/scenarios/fake_world.h"

namespace cs::scenarios {
namespace {

using testing::FakeManager;
using testing::FakeRemote;
using testing::Page;

class TestsTest : public ::testing::Test {
 protected:
  StepOutcome Run(const std::string& test, const Json& params) {
    const TestDef* def = Registry::Builtin().FindTest(test);
    EXPECT_NE(def, nullptr) << test;
    StepContext ctx{world, state, params, nullptr};
    return def->run(ctx);
  }
  FakeRemote sim;
  FakeManager manager;
  RunState state;
  WorldHandles world{&sim, &manager, nullptr};
};

TEST_F(TestsTest, PowerOffSwitchesEveryOutletOrOne) {
  EXPECT_EQ(Run("power-off", {{"server", "test001.localdomain"}}).type, StepOutcome::Type::kOk);
  ASSERT_EQ(sim.calls.size(), 1u);
  EXPECT_EQ(sim.calls[0].operation, "power_server");
  EXPECT_EQ(sim.calls[0].args, Json({{"fqdn", "test001.localdomain"}, {"action", "off"}}));
  sim.calls.clear();
  sim.answers["pdu_status"] = Json::array({{{"name", "pdu001"}, {"outlets", {{"1", {{"on", true}, {"server", "test000.localdomain"}}},
                                                                         {"2", {{"on", true}, {"server", "test001.localdomain"}}}}}}});
  EXPECT_EQ(Run("power-off", {{"server", "test001.localdomain"}, {"pdu", "pdu001"}}).type, StepOutcome::Type::kOk);
  ASSERT_EQ(sim.calls.size(), 2u);
  EXPECT_EQ(sim.calls[1].args, Json({{"pdu", "pdu001"}, {"outlet", "2"}, {"action", "off"}}));
  StepOutcome none = Run("power-off", {{"server", "test001.localdomain"}, {"pdu", "pdu009"}});
  EXPECT_EQ(none.type, StepOutcome::Type::kFail);
}

TEST_F(TestsTest, PduOffSwitchesEveryOutletOfThePdu) {
  sim.answers["pdu_status"] = Json::array({{{"name", "pdu000"}, {"outlets", {{"1", {{"on", true}}}, {"2", {{"on", true}}}}}}});
  EXPECT_EQ(Run("pdu-off", {{"pdu", "pdu000"}}).type, StepOutcome::Type::kOk);
  EXPECT_EQ(sim.Operations(), (std::vector<std::string>{"pdu_status", "set_outlet", "set_outlet"}));
}

TEST_F(TestsTest, RefusalsFailAndLostAnswersAreInfo) {
  sim.errors["kill_server"] = Status::FailedPrecondition("test001 is off");
  StepOutcome refused = Run("kill-server", {{"server", "test001.localdomain"}});
  EXPECT_EQ(refused.type, StepOutcome::Type::kFail);
  EXPECT_EQ(refused.value["error"], "test001 is off");
  sim.errors["reset_server"] = Status::Unavailable("no answer");
  EXPECT_EQ(Run("reset-server", {{"server", "test001.localdomain"}}).type, StepOutcome::Type::kInfo);
}

TEST_F(TestsTest, NetworkFaultsAreSetThenLiftedOnEachServer) {
  const Json params = {{"servers", {"a", "b"}}, {"duration", "10ms"}};
  EXPECT_EQ(Run("partition", params).type, StepOutcome::Type::kOk);
  ASSERT_EQ(sim.calls.size(), 4u);
  EXPECT_EQ(sim.calls[0].args, Json({{"unreachable", true}, {"fqdn", "a"}}));
  EXPECT_EQ(sim.calls[3].args, Json({{"unreachable", false}, {"fqdn", "b"}}));
  sim.calls.clear();
  EXPECT_EQ(Run("latency", {{"servers", {"a"}}, {"duration", "10ms"}, {"latency", "250ms"}}).type, StepOutcome::Type::kOk);
  EXPECT_EQ(sim.calls[0].args["latency_ms"], 250);
  EXPECT_EQ(sim.calls[1].args["latency_ms"], 0);
  // A fault that cannot be set on the second host is still lifted on the first.
  sim.calls.clear();
  sim.errors["fail_connections"] = Status::NotFound("no server b");
  EXPECT_EQ(Run("fail-connections", {{"servers", {"a"}}, {"duration", "10ms"}}).type, StepOutcome::Type::kFail);
  EXPECT_EQ(sim.calls.size(), 2u);
}

TEST_F(TestsTest, StopTargetStopsWhereItRunsAndRemembers) {
  sim.answers["status"] = {{"servers", {{{"fqdn", "test002.localdomain"}, {"nodename", "test002"}}}},
                           {"clusters", {{{"resources", {{{"ha_label", "testfs-OST0002_abcdef"}, {"started_on", "test002"}}}}}}}};
  EXPECT_EQ(Run("stop-target", {{"target", "testfs-OST0002"}}).type, StepOutcome::Type::kOk);
  EXPECT_EQ(sim.calls.back().args, Json({{"fqdn", "test002.localdomain"}, {"ha_label", "testfs-OST0002_abcdef"}}));
  EXPECT_TRUE(state.stopped_targets.count("testfs-OST0002"));
  EXPECT_EQ(Run("stop-target", {{"target", "testfs-OST0009"}}).type, StepOutcome::Type::kFail);
}

TEST_F(TestsTest, FailoverGoesThroughTheManagerAndWaits) {
  manager.gets["target/"] = Page(Json::array({{{"id", 4}, {"name", "testfs-OST0000"}}}));
  manager.posts["target/4/failover/"] = {{"id", 17}, {"state", "pending"}};
  manager.gets["command/17/"] = {{"id", 17}, {"state", "succeeded"}};
  StepOutcome ok = Run("failover", {{"target", "testfs-OST0000"}, {"wait", true}, {"timeout", "5s"}});
  EXPECT_EQ(ok.type, StepOutcome::Type::kOk) << ok.value;
  EXPECT_EQ(ok.value["command"], 17);
  manager.gets["command/17/"] = {{"id", 17}, {"state", "failed"}};
  StepOutcome failed = Run("failover", {{"target", "testfs-OST0000"}, {"wait", true}, {"timeout", "5s"}});
  EXPECT_EQ(failed.type, StepOutcome::Type::kFail);
  EXPECT_NE(failed.value["error"].get<std::string>().find("command 17 failed"), std::string::npos);
  manager.gets["command/17/"] = {{"id", 17}, {"state", "running"}};
  EXPECT_EQ(Run("failover", {{"target", "testfs-OST0000"}, {"wait", true}, {"timeout", "300ms"}}).type, StepOutcome::Type::kInfo);
  EXPECT_EQ(Run("failover", {{"target", "nope"}, {"wait", false}, {"timeout", "1s"}}).type, StepOutcome::Type::kFail);
}

TEST_F(TestsTest, InjectLogRecordsUniqueLines) {
  state.marker = "s1-x-r1";
  EXPECT_EQ(Run("inject-log", {{"server", "a"}, {"count", 3}}).type, StepOutcome::Type::kOk);
  ASSERT_EQ(state.injected_lines.size(), 3u);
  EXPECT_EQ(state.injected_lines[2]["message"], "cluster-sim scenario s1-x-r1 line 3");
  EXPECT_EQ(sim.calls.size(), 3u);
}

TEST_F(TestsTest, OwnWorldTestsFailWithoutAnOwner) {
  EXPECT_EQ(Run("crash-simulator", Json::object()).type, StepOutcome::Type::kFail);
  EXPECT_EQ(Run("restart-manager", Json::object()).type, StepOutcome::Type::kFail);
  struct Owner : DaemonOwner {
    int crashes = 0;
    Status CrashSimulator() override { ++crashes; return Status::Ok(); }
    Status RestartManager() override { return Status::Unavailable("port busy"); }
  } owner;
  world.owner = &owner;
  EXPECT_EQ(Run("crash-simulator", Json::object()).type, StepOutcome::Type::kOk);
  EXPECT_EQ(owner.crashes, 1);
  EXPECT_EQ(state.crashes, 1);
  EXPECT_EQ(Run("restart-manager", Json::object()).type, StepOutcome::Type::kInfo);
}

TEST_F(TestsTest, ClusterTestsNameTheServer) {
  for (const auto& [test, op] : std::vector<std::pair<std::string, std::string>>{
           {"standby", "set_node_standby"}, {"online", "set_node_online"}, {"stop-corosync", "stop_corosync"},
           {"stop-pacemaker", "stop_pacemaker"}, {"kill-agent", "kill_agent"}, {"restart-agent", "restart_agent"}}) {
    sim.calls.clear();
    EXPECT_EQ(Run(test, {{"server", "test003.localdomain"}}).type, StepOutcome::Type::kOk) << test;
    ASSERT_EQ(sim.calls.size(), 1u) << test;
    EXPECT_EQ(sim.calls[0].operation, op);
  }
}

TEST_F(TestsTest, ListAllFollowsPages) {
  struct Paged : ManagerApi {
    std::vector<std::string> paths;
    Result<Json> Get(const std::string& path) override {
      paths.push_back(path);
      const size_t offset = std::stoul(path.substr(path.find("offset=") + 7));
      Json objects = Json::array();
      for (size_t i = offset; i < std::min<size_t>(offset + 200, 450); ++i) objects.push_back(i);
      return Json{{"objects", objects}, {"meta", {{"total_count", 450}}}};
    }
    Result<Json> Post(const std::string&, const Json&) override { return Json(); }
  } paged;
  Result<std::vector<Json>> all = paged.ListAll("log/?fqdn=a");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 450u);
  EXPECT_EQ(paged.paths.size(), 3u);
  EXPECT_EQ(paged.paths[0], "log/?fqdn=a&limit=200&offset=0");
}

}  // namespace
}  // namespace cs::scenarios
