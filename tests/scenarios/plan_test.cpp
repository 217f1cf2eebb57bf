// The plan: a pure function of files, fleet and seed; resources bound as
// required, drawn within ranges, disjoint between parallel slots; requests
// beyond the fleet refused with file, scenario and field.
#include <gtest/gtest.h>

#include <set>

#include "scenarios/loader.h"
#include "scenarios/plan.h"
#include "scenarios/run_command.h"

namespace cs::scenarios {
namespace {

const char* kScenarios = R"(
- name: power-loss
  repeat: 4
  requires:
    victim: {server: primary}
    other: {server: any}
  steps:
    - test: power-off
      server: $victim
      delay: {range: [0s, 10s]}
    - test: wait
      duration: {range: [1s, 30s]}
    - test: inject-log
      server: $other
      count: {range: [1, 1000]}
  checks:
    - check: target-on
      target: $victim.target
      server: $victim
      within: {choice: [10s, 20s]}
- name: partition
  weight: 3
  requires:
    cl: {cluster: any}
  steps:
    - test: partition
      servers: $cl
      duration: 5s
  checks:
    - check: manager-agrees
)";

FleetModel Fleet(int servers = 8, int cluster_size = 2) {
  FleetSpec spec;
  spec.server_count = servers;
  spec.cluster_size = cluster_size;
  Result<FleetModel> f = PredictFleet(ScenarioFleetDefaults(spec), "testfs");
  EXPECT_TRUE(f.ok()) << f.status().message();
  return *f;
}

std::vector<ScenarioSpec> Specs(const std::string& text = kScenarios) {
  auto specs = LoadScenarioText(text, "s.yaml", Registry::Builtin());
  EXPECT_TRUE(specs.ok()) << specs.status().message();
  return *specs;
}

Result<Plan> PlanOf(uint64_t seed, int parallel = 1, int soak = 0, const std::string& text = kScenarios) {
  PlanOptions o;
  o.seed = seed;
  o.parallel = parallel;
  o.soak_runs = soak;
  return MakePlan(Specs(text), Fleet(), Registry::Builtin(), o);
}

TEST(Plan, SameSeedSameBytesOtherSeedOtherPlan) {
  const std::string a = PlanOf(7)->ToJson().dump();
  EXPECT_EQ(a, PlanOf(7)->ToJson().dump());
  EXPECT_NE(a, PlanOf(8)->ToJson().dump());
  EXPECT_NE(PlanOf(1)->ToJson().dump(), PlanOf(2)->ToJson().dump());
}

TEST(Plan, BindsRequiredResourcesAndDrawsWithinRanges) {
  Result<Plan> plan = PlanOf(3);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->runs.size(), 5u);  // 4 repetitions + 1
  const FleetModel fleet = Fleet();
  std::set<std::string> victims;
  for (const PlannedRun& run : plan->runs) {
    if (run.scenario != "power-loss") continue;
    const Json victim = run.bindings["victim"];
    victims.insert(victim["fqdn"]);
    // The victim is the primary of the target it was bound with.
    bool primary = false;
    for (const ModelTarget& t : fleet.targets) primary = primary || (t.name == victim["target"] && t.primary == victim["fqdn"]);
    EXPECT_TRUE(primary) << victim.dump();
    EXPECT_NE(run.bindings["other"]["fqdn"], victim["fqdn"]);  // distinct servers
    EXPECT_EQ(run.steps[0].params["server"], victim["fqdn"]);
    EXPECT_LE(run.steps[0].delay.count(), 10000);
    const Millis d = *ParseDuration(run.steps[1].params["duration"]);
    EXPECT_GE(d.count(), 1000);
    EXPECT_LE(d.count(), 30000);
    const int64_t count = run.steps[2].params["count"];
    EXPECT_GE(count, 1);
    EXPECT_LE(count, 1000);
    EXPECT_EQ(run.checks[0].params["target"], victim["target"]);
    EXPECT_TRUE(run.checks[0].within == Millis(10000) || run.checks[0].within == Millis(20000));
    EXPECT_EQ(run.checks[0].step, 4);
  }
  EXPECT_GT(victims.size(), 1u) << "four repetitions all drew the same victim";
  const PlannedRun& partition = plan->runs.back();
  EXPECT_EQ(partition.steps[0].params["servers"].size(), 2u);
  EXPECT_EQ(partition.checks[0].within, Millis(90000));  // the check's default
}

TEST(Plan, ParallelSlotsAreDisjointClusters) {
  Result<Plan> plan = PlanOf(5, 2);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  const FleetModel fleet = Fleet();
  for (const PlannedRun& run : plan->runs) {
    ASSERT_GE(run.slot, 0);
    std::set<std::string> scope(run.scope.begin(), run.scope.end());
    EXPECT_EQ(scope.size(), 4u);  // two clusters of two
    for (const ModelServer& s : fleet.servers) {
      EXPECT_EQ(scope.count(s.fqdn) == 1, s.cluster % 2 == run.slot) << s.fqdn << " slot " << run.slot;
    }
    for (const auto& [var, b] : run.bindings.items()) {
      const Json servers = b.contains("servers") ? b["servers"] : Json::array({b["fqdn"]});
      for (const Json& f : servers) EXPECT_TRUE(scope.count(f.get<std::string>())) << f << " outside slot " << run.slot;
    }
  }
  EXPECT_NE(plan->runs[0].slot, plan->runs[1].slot);
}

TEST(Plan, ExclusiveScenariosRunAlone) {
  const char* text = R"(
- name: crash
  steps: [{test: crash-simulator}]
  checks: [{check: invariants}]
)";
  Result<Plan> plan = PlanOf(1, 2, 0, text);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->runs[0].slot, -1);
  EXPECT_TRUE(plan->runs[0].needs_owner);
  EXPECT_TRUE(plan->runs[0].scope.empty());
}

TEST(Plan, SoakDrawsByWeight) {
  Result<Plan> plan = PlanOf(11, 1, 400);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->runs.size(), 400u);
  int partitions = 0;
  for (const PlannedRun& r : plan->runs) partitions += r.scenario == "partition";
  // weight 3 of 4: about 300 of 400.
  EXPECT_GT(partitions, 250);
  EXPECT_LT(partitions, 350);
  EXPECT_EQ(plan->ToJson().dump(), PlanOf(11, 1, 400)->ToJson().dump());
}

TEST(Plan, RequiringMoreThanTheFleetHasNamesTheField) {
  const char* text = R"(
- name: greedy
  requires:
    many: {server: any, count: 9}
  steps: [{test: wait, duration: 1s}]
  checks: [{check: invariants}]
- name: su-less
  requires:
    unit: {su: any}
  steps: [{test: wait, duration: 1s}]
  checks: [{check: invariants}]
)";
  auto specs = Specs(text);
  PlanOptions o;
  Result<Plan> greedy = MakePlan({specs[0]}, Fleet(), Registry::Builtin(), o);
  ASSERT_FALSE(greedy.ok());
  EXPECT_NE(greedy.status().message().find("s.yaml:4: scenario 'greedy': requires.many: needs 9 servers but the fleet offers 8"),
            std::string::npos) << greedy.status().message();
  Result<Plan> su = MakePlan({specs[1]}, Fleet(), Registry::Builtin(), o);
  ASSERT_FALSE(su.ok());
  EXPECT_NE(su.status().message().find("requires.unit: needs 1 scalable units (set --su_size)"), std::string::npos)
      << su.status().message();
  o.parallel = 5;
  Result<Plan> too_parallel = MakePlan(Specs(), Fleet(), Registry::Builtin(), o);
  ASSERT_FALSE(too_parallel.ok());
  EXPECT_NE(too_parallel.status().message().find("--parallel 5 needs at least 5 corosync clusters; the fleet has 4"),
            std::string::npos) << too_parallel.status().message();
}

TEST(Plan, LiteralServersMustBeInTheFleet) {
  const char* text = R"(
- name: literal
  steps: [{test: kill-server, server: test099.localdomain}]
  checks: [{check: invariants}]
)";
  Result<Plan> plan = PlanOf(1, 1, 0, text);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("steps[0].server: the fleet has no server test099.localdomain"), std::string::npos)
      << plan.status().message();
}

TEST(Plan, OwnWorldTestsAreRefusedOnSomeoneElsesWorld) {
  const char* text = R"(
- name: crash
  steps:
    - test: wait
      duration: 1s
    - test: crash-simulator
  checks: [{check: invariants}]
)";
  auto specs = Specs(text);
  EXPECT_TRUE(CheckOwnership(specs, Registry::Builtin(), true).ok());
  Status s = CheckOwnership(specs, Registry::Builtin(), false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "s.yaml:6: scenario 'crash': steps[1].test: crash-simulator needs a world the runner owns; "
                         "it cannot run with --control-url");
  EXPECT_TRUE(CheckOwnership(Specs(), Registry::Builtin(), false).ok());
}

TEST(FleetModel, PredictsTheLayoutTheRunnerCreates) {
  const FleetModel f = Fleet(4, 2);
  ASSERT_EQ(f.targets.size(), 6u);  // MGS, MDT, one OST per server
  EXPECT_EQ(f.targets[0].name, "MGS");
  EXPECT_EQ(f.targets[0].primary, "test000.localdomain");
  EXPECT_EQ(f.targets[0].secondary, "test001.localdomain");
  EXPECT_EQ(f.targets[5].name, "testfs-OST0003");
  EXPECT_EQ(f.targets[5].secondary, "test002.localdomain");
  FleetSpec tiny;
  tiny.server_count = 1;
  EXPECT_FALSE(PredictFleet(ScenarioFleetDefaults(tiny), "testfs").ok());
}

}  // namespace
}  // namespace cs::scenarios
