// Failure domains in scenarios: the domains of a racked fleet as its status
// shows them, the seeded choice fail-domain makes (the same for the same
// seed, distinct, refused beyond the fleet), the outlets it switches,
// domain-survives' verdicts on made-up outcomes, scenario files' `world:`
// maps, the grouping of scenarios by world, and placement of the runner's
// filesystem with a CRUSH rule.
#include <gtest/gtest.h>

#include "fakes/cluster_env.h"
#include "fakes/controller_faults.h"
#include "fakes/topology.h"
#include "scenarios/checks/judges.h"
#include "scenarios/domains.h"
#include "scenarios/fleet_model.h"
#include "scenarios/loader.h"
#include "scenarios/registry.h"
#include "scenarios/run_command.h"
#include "sim/fleet_status.h"
#include "tests/fakes/small_fleet.h"
#include "tests/scenarios/fake_world.h"
#include "util/clock.h"

namespace cs::scenarios {
namespace {

using testing::FakeManager;
using testing::FakeRemote;

// The status of a real fleet as setup builds it: 8 servers, 2 per rack,
// 2 racks per row, 2 PDUs per rack (each server on both of its rack's).
Json RackedStatus(const std::string& spread = "none") {
  World world;
  ManualClock clock(WallTime{});
  const FleetSpec spec = cs::testing::FleetShape(8).Workers(0).ClusterSize(2).Psus(2).RackSize(2).RacksPerRow(2).Spread(spread);
  EXPECT_TRUE(SetupFleet(world, spec, clock).ok());
  return FleetStatusJson(world);
}

std::vector<std::string> Names(const std::vector<Domain>& domains) {
  std::vector<std::string> out;
  for (const Domain& d : domains) out.push_back(d.name);
  return out;
}

TEST(Domains, RacksRowsAndPdusOfARackedFleet) {
  const Json status = RackedStatus();
  Result<std::vector<Domain>> racks = DomainsOf(status, "rack");
  ASSERT_TRUE(racks.ok()) << racks.status().message();
  EXPECT_EQ(Names(*racks), (std::vector<std::string>{"rack000", "rack001", "rack002", "rack003"}));
  EXPECT_EQ((*racks)[1].servers, (std::vector<std::string>{"test002.localdomain", "test003.localdomain"}));
  Result<std::vector<Domain>> rows = DomainsOf(status, "row");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(Names(*rows), (std::vector<std::string>{"row00", "row01"}));
  EXPECT_EQ((*rows)[1].servers.size(), 4u);
  Result<std::vector<Domain>> pdus = DomainsOf(status, "pdu");
  ASSERT_TRUE(pdus.ok());
  ASSERT_EQ(pdus->size(), 8u);
  EXPECT_EQ((*pdus)[0].name, "rack000-pdu0");
  EXPECT_EQ((*pdus)[0].servers, (std::vector<std::string>{"test000.localdomain", "test001.localdomain"}));
  EXPECT_FALSE(DomainsOf(status, "controller").ok());
}

TEST(Domains, TheChoiceIsSeededDistinctAndBounded) {
  const Json status = RackedStatus();
  std::set<std::string> seen;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Random a = Random::ForStream(seed, "x"), b = Random::ForStream(seed, "x");
    Result<std::vector<Domain>> one = ChooseDomains(status, "rack", 2, a);
    Result<std::vector<Domain>> two = ChooseDomains(status, "rack", 2, b);
    ASSERT_TRUE(one.ok() && two.ok());
    EXPECT_EQ(Names(*one), Names(*two)) << "the same seed chooses the same racks";
    ASSERT_EQ(one->size(), 2u);
    EXPECT_NE((*one)[0].name, (*one)[1].name);
    seen.insert((*one)[0].name + "+" + (*one)[1].name);
  }
  EXPECT_GT(seen.size(), 3u) << "different seeds choose different racks";
  Random r = Random::ForStream(1, "x");
  Result<std::vector<Domain>> too_many = ChooseDomains(status, "row", 3, r);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().message(), "cannot cut 3 row domain(s): the fleet has 2");
}

TEST(Domains, APduLossDownsOnlyServersWithNoOtherFeed) {
  const Json status = RackedStatus();
  EXPECT_TRUE(ServersDownWith(status, "pdu", {"rack000-pdu0"}).empty()) << "their second PSU is on rack000-pdu1";
  EXPECT_EQ(ServersDownWith(status, "pdu", {"rack000-pdu0", "rack000-pdu1"}),
            (std::vector<std::string>{"test000.localdomain", "test001.localdomain"}));
  EXPECT_EQ(ServersDownWith(status, "row", {"row01"}).size(), 4u);
}

class FailDomainTest : public ::testing::Test {
 protected:
  FailDomainTest() {
    sim.answers["status"] = RackedStatus();
    // pdu_status as the daemon answers it: each rack's two PDUs, outlets 1-2.
    Json pdus = Json::array();
    for (int rack = 0; rack < 4; ++rack) {
      for (int p = 0; p < 2; ++p) {
        char name[32];
        std::snprintf(name, sizeof name, "rack%03d-pdu%d", rack, p);
        Json outlets = Json::object();
        for (int o = 0; o < 2; ++o) {
          char fqdn[32];
          std::snprintf(fqdn, sizeof fqdn, "test%03d.localdomain", rack * 2 + o);
          outlets[std::to_string(o + 1)] = {{"on", true}, {"server", fqdn}};
        }
        pdus.push_back({{"name", name}, {"outlets", outlets}});
      }
    }
    sim.answers["pdu_status"] = pdus;
    state.seed = 7;
    state.marker = "s7-rack-loss-r1";
    state.step = 1;
  }
  StepOutcome Run(const Json& params) {
    StepContext ctx{world, state, params, nullptr};
    return Registry::Builtin().FindTest("fail-domain")->run(ctx);
  }
  std::vector<Json> Switched() const {
    std::vector<Json> out;
    for (const auto& c : sim.calls) {
      if (c.operation == "set_outlet") out.push_back(c.args);
    }
    return out;
  }
  FakeRemote sim;
  FakeManager manager;
  RunState state;
  WorldHandles world{&sim, &manager, nullptr};
};

TEST_F(FailDomainTest, ARackGoesDarkAtEveryOutletOfItsServersAndIsRecorded) {
  StepOutcome out = Run({{"type", "rack"}, {"count", 1}});
  ASSERT_EQ(out.type, StepOutcome::Type::kOk) << out.value.dump();
  ASSERT_EQ(out.value["domains"].size(), 1u);
  const std::string rack = out.value["domains"][0];
  ASSERT_EQ(state.lost_domains["rack"], std::set<std::string>{rack});
  const std::vector<Json> switched = Switched();
  ASSERT_EQ(switched.size(), 4u) << "two servers, two PSUs each";
  for (const Json& s : switched) {
    EXPECT_EQ(s["action"], "off");
    EXPECT_EQ(s["pdu"].get<std::string>().substr(0, 7), rack) << s << " is one of " << rack << "'s PDUs";
  }
  EXPECT_EQ(out.value["servers"].size(), 2u);
  EXPECT_EQ(out.value["outlets"].size(), 4u);

  // The same seed, marker and step choose the same rack again.
  FakeRemote again_sim;
  again_sim.answers = sim.answers;
  RunState again_state = state;
  again_state.lost_domains.clear();
  WorldHandles again{&again_sim, &manager, nullptr};
  StepContext ctx{again, again_state, Json{{"type", "rack"}, {"count", 1}}, nullptr};
  EXPECT_EQ(Registry::Builtin().FindTest("fail-domain")->run(ctx).value["domains"], out.value["domains"]);
}

TEST_F(FailDomainTest, APduSwitchesOnlyItsOwnOutletsAndNoServerGoesDown) {
  StepOutcome out = Run({{"type", "pdu"}, {"count", 1}});
  ASSERT_EQ(out.type, StepOutcome::Type::kOk) << out.value.dump();
  const std::vector<Json> switched = Switched();
  ASSERT_EQ(switched.size(), 2u);
  for (const Json& s : switched) EXPECT_EQ(s["pdu"], out.value["domains"][0]);
  EXPECT_TRUE(out.value["servers"].empty()) << "each server keeps its PSU on the other PDU";
}

TEST_F(FailDomainTest, MoreDomainsThanTheFleetHasFailAndSwitchNothing) {
  StepOutcome out = Run({{"type", "row"}, {"count", 3}});
  EXPECT_EQ(out.type, StepOutcome::Type::kFail);
  EXPECT_EQ(out.value["error"], "cannot cut 3 row domain(s): the fleet has 2");
  EXPECT_TRUE(Switched().empty());
}

TEST_F(FailDomainTest, ALostOutletAnswerIsInfoAndSaysWhatWasDone) {
  sim.errors["set_outlet"] = Status::Unavailable("no answer");
  StepOutcome out = Run({{"type", "rack"}, {"count", 1}});
  EXPECT_EQ(out.type, StepOutcome::Type::kInfo) << out.value.dump();
  EXPECT_TRUE(out.value.contains("domains"));
}

// --- domain-survives on made-up outcomes -----------------------------------

// `status` (RackedStatus) with one cluster per pair and the given resources;
// servers in `dark` powered off.
Json WithResources(Json status, const Json& resources, const std::set<std::string>& dark = {}) {
  for (Json& s : status["servers"]) {
    if (dark.count(s["nodename"].get<std::string>())) s["power_state"] = "off";
  }
  Json nodes = Json::array();
  for (const Json& s : status["servers"]) {
    nodes.push_back({{"nodename", s["nodename"]}, {"online", !dark.count(s["nodename"].get<std::string>())}});
  }
  status["clusters"] = Json::array({{{"id", 0}, {"nodes", nodes}, {"resources", resources}}});
  return status;
}

Json Res(const std::string& target, const Json& on, const std::string& primary, const std::string& secondary) {
  return {{"ha_label", target + "_abc"}, {"primary_node", primary}, {"secondary_node", secondary}, {"started_on", on}};
}

TEST(DomainSurvives, PassesWhenSeparatedPairsRunOnAndListsThoseThatWentDownWithTheirRack) {
  // OST0000: test000 (rack000) / test002 (rack001); OST0001: test000 / test001, both in rack000.
  const Json before = WithResources(RackedStatus(), Json::array({Res("testfs-OST0000", "test000", "test000", "test002"),
                                                                 Res("testfs-OST0001", "test000", "test000", "test001")}));
  const Json after = WithResources(RackedStatus(), Json::array({Res("testfs-OST0000", "test002", "test000", "test002"),
                                                                Res("testfs-OST0001", "test000", "test000", "test001")}),
                                   {"test000", "test001"});
  Verdict v = JudgeDomainSurvives(before, after, "rack", {"rack000"}, {}, false);
  EXPECT_TRUE(v.passed) << v.message;
  EXPECT_NE(v.message.find("testfs-OST0001 (its primary test000 (rack rack000) and secondary test001 (rack rack000) share "
                           "rack rack000, which was lost)"),
            std::string::npos)
      << v.message;
  ASSERT_EQ(v.seen["down"].size(), 1u);
  EXPECT_EQ(v.seen["down"][0]["target"], "testfs-OST0001");
  EXPECT_EQ(v.seen["lost"], Json::array({"rack000"}));
  ASSERT_EQ(v.seen["survived"].size(), 1u);
  EXPECT_EQ(v.seen["survived"][0]["target"], "testfs-OST0000");
  EXPECT_EQ(v.seen["survived"][0]["runs_on"], "test002");
  // With pairs_inside: down, that loss is what the scenario expects.
  EXPECT_TRUE(JudgeDomainSurvives(before, after, "rack", {"rack000"}, {}, true).passed);
}

TEST(DomainSurvives, FailsOnASeparatedPairThatWentDownAndSaysWhy) {
  const Json before = WithResources(RackedStatus(), Json::array({Res("testfs-OST0000", "test000", "test000", "test002")}));
  const Json after = WithResources(RackedStatus(), Json::array({Res("testfs-OST0000", nullptr, "test000", "test002")}), {"test000", "test001"});
  Verdict v = JudgeDomainSurvives(before, after, "rack", {"rack000"}, {}, false);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "testfs-OST0000 is down: its primary test000 (rack rack000) and secondary test002 (rack rack001) lie "
                       "in different racks, so it should have survived");
  // Still running on a node that lost power counts as down.
  const Json stale = WithResources(RackedStatus(), Json::array({Res("testfs-OST0000", "test000", "test000", "test002")}), {"test000", "test001"});
  EXPECT_FALSE(JudgeDomainSurvives(before, stale, "rack", {"rack000"}, {}, false).passed);
  // Unless the scenario stopped it on purpose.
  EXPECT_TRUE(JudgeDomainSurvives(before, after, "rack", {"rack000"}, {"testfs-OST0000"}, false).passed);
  // Judged by rows, the same pair shares row00: its loss is allowed.
  EXPECT_TRUE(JudgeDomainSurvives(before, after, "row", {}, {}, false).passed);
}

TEST(DomainSurvives, PairsInsideDownNeedsTargetsInsideALostDomainAndThemDown) {
  const Json before = WithResources(RackedStatus(), Json::array({Res("testfs-OST0000", "test000", "test000", "test002")}));
  const Json after = WithResources(RackedStatus(), Json::array({Res("testfs-OST0000", "test002", "test000", "test002")}), {"test000", "test001"});
  Verdict none = JudgeDomainSurvives(before, after, "rack", {"rack000"}, {}, true);
  EXPECT_FALSE(none.passed);
  EXPECT_EQ(none.message, "no target had its primary and secondary inside a lost rack (lost: rack000); expected some to go down with it");
  // A pair inside the lost rack that still runs (a third node took it) is not what was expected.
  const Json b2 = WithResources(RackedStatus(), Json::array({Res("testfs-OST0001", "test000", "test000", "test001")}));
  const Json a2 = WithResources(RackedStatus(), Json::array({Res("testfs-OST0001", "test004", "test000", "test001")}), {"test000", "test001"});
  Verdict runs = JudgeDomainSurvives(b2, a2, "rack", {"rack000"}, {}, true);
  EXPECT_FALSE(runs.passed);
  EXPECT_NE(runs.message.find("testfs-OST0001 runs on test004 although its primary test000"), std::string::npos) << runs.message;
}

TEST(DomainSurvives, ARackWhoseServersAreAllOffCountsAsLostWithoutAFailDomainStep) {
  const Json before = WithResources(RackedStatus(), Json::array({Res("testfs-OST0001", "test000", "test000", "test001")}));
  const Json after = WithResources(RackedStatus(), Json::array({Res("testfs-OST0001", nullptr, "test000", "test001")}), {"test000", "test001"});
  Verdict v = JudgeDomainSurvives(before, after, "rack", {}, {}, true);
  EXPECT_TRUE(v.passed) << v.message;
  EXPECT_EQ(v.seen["lost"], Json::array({"rack000"}));
}

// --- controllers: fail-domain and domain-survives on a real world ----------

// 8 servers in SUs of 2 (controllers 1-4), clusters of 4, one target per
// volume (2 per SU) with primary and secondary its SU's two servers, all
// running. fail_controller and status are answered by this world, through
// the same functions the daemon's control operations call.
class ControllerDomainTest : public cs::testing::SmallFleetTest {
 protected:
  void SetUp() override {
    Build(cs::testing::FleetShape(8).Workers(0).ClusterSize(4).SuSize(2).Volumes(8));
    for (int k = 0; k < 8; ++k) {
      const int first = (k / 2) * 2;  // the SU's first server
      char label[32];
      std::snprintf(label, sizeof label, "testfs-OST%04d_%d", k, k);
      const cs::testing::HaPair pair{label, PresentationPath(VolumeSerial(k)), ServerNodename(first + k % 2),
                                     ServerNodename(first + 1 - k % 2), "u" + std::to_string(k), "/mnt/t"};
      ASSERT_TRUE(cs::testing::StartPair(world, ClusterOf(ServerNodename(first)), pair).ok());
    }
    sim.handlers["status"] = [this](const Json&) -> Result<Json> { return FleetStatusJson(world); };
    sim.handlers["fail_controller"] = [this](const Json& a) -> Result<Json> {
      auto change = SetControllerFailed(world, a["controller_id"].get<int>(), true);
      if (!change.ok()) return change.status();
      return ControllerChangeJson(*change);
    };
    state.seed = 11;
    state.marker = "s11-controller-loss-r1";
    state.step = 1;
    state.before = FleetStatusJson(world);
  }
  StepOutcome Run(const Json& params) {
    StepContext ctx{handles, state, params, nullptr};
    return Registry::Builtin().FindTest("fail-domain")->run(ctx);
  }

  FakeRemote sim;
  FakeManager manager;
  RunState state;
  WorldHandles handles{&sim, &manager, nullptr};
};

TEST_F(ControllerDomainTest, EveryServerLiesInItsScalableUnitsController) {
  Result<std::vector<Domain>> controllers = DomainsOf(state.before, "controller");
  ASSERT_TRUE(controllers.ok()) << controllers.status().message();
  EXPECT_EQ(Names(*controllers), (std::vector<std::string>{"controller001", "controller002", "controller003", "controller004"}));
  EXPECT_EQ((*controllers)[1].servers, (std::vector<std::string>{"test002.localdomain", "test003.localdomain"}));
  EXPECT_TRUE(ServersDownWith(state.before, "controller", {"controller001"}).empty()) << "no server loses power";
  Result<std::vector<Domain>> san = DomainsOf(RackedStatus(), "controller");
  ASSERT_FALSE(san.ok());
  EXPECT_EQ(san.status().message(),
            "server test000.localdomain has no controller: a SAN-style fleet (setup --su_size gives each scalable unit one)");
}

TEST_F(ControllerDomainTest, AFailedControllerTakesItsTargetsDownAndDomainSurvivesSaysSo) {
  StepOutcome out = Run({{"type", "controller"}, {"count", 1}});
  ASSERT_EQ(out.type, StepOutcome::Type::kOk) << out.value.dump();
  ASSERT_EQ(out.value["controllers"].size(), 1u);
  const int id = out.value["controllers"][0];
  EXPECT_EQ(out.value["domains"], Json::array({ControllerName(id)}));
  EXPECT_EQ(state.lost_domains["controller"], std::set<std::string>{ControllerName(id)});
  EXPECT_TRUE(world.controllers.Find(std::to_string(id))->failed);
  EXPECT_EQ(out.value["targets_stopped"].size(), 2u) << out.value.dump() << ": the two targets on its LUNs";
  EXPECT_TRUE(out.value["servers"].empty());
  for (const auto& c : sim.calls) EXPECT_NE(c.operation, "set_outlet") << "a controller is not a power domain";

  const Json now = FleetStatusJson(world);
  int running = 0;
  for (const Json& c : now["clusters"]) {
    for (const Json& r : c["resources"]) running += r["started_on"].is_string();
  }
  EXPECT_EQ(running, 6) << "the other controllers' targets keep running";
  // Every pair shares its SU's controller: those of the lost one are down,
  // as pairs_inside: down expects; the rest still run.
  Verdict v = JudgeDomainSurvives(state.before, now, "controller", state.lost_domains["controller"], {}, true);
  EXPECT_TRUE(v.passed) << v.message;
  EXPECT_EQ(v.seen["lost"], Json::array({ControllerName(id)}));
  ASSERT_EQ(v.seen["down"].size(), 2u);
  EXPECT_EQ(v.seen["down"][0]["primary_controller"], Json::array({ControllerName(id)}));
  // A failed controller counts as lost without a fail-domain step too.
  EXPECT_EQ(JudgeDomainSurvives(state.before, now, "controller", {}, {}, true).seen["lost"], v.seen["lost"]);

  // The choice is the run's seeded one: the same seed, marker and step
  // choose the same controller again.
  Random a = Random::ForStream(state.seed, state.marker + "/step1/fail-domain");
  Result<std::vector<Domain>> chosen = ChooseDomains(state.before, "controller", 1, a);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ((*chosen)[0].name, ControllerName(id));
}

TEST_F(ControllerDomainTest, AnUnknownTypeOrTooManyControllersFailAndFailNothing) {
  StepOutcome out = Run({{"type", "controller"}, {"count", 5}});
  EXPECT_EQ(out.type, StepOutcome::Type::kFail);
  EXPECT_EQ(out.value["error"], "cannot cut 5 controller domain(s): the fleet has 4");
  for (const auto& [key, c] : world.controllers.all()) EXPECT_FALSE(c.failed) << key;
}

// --- world: maps, grouping and placement -----------------------------------

const char* kRackScenario = R"(
- name: placed
  world: {server_count: 4, rack_size: 2, cluster_spread: rack, placement: by_rack}
  steps: [{test: fail-domain, type: rack}]
  checks: [{check: domain-survives, type: rack}]
- name: default-layout
  world: {server_count: 4, rack_size: 2}
  steps: [{test: fail-domain, type: rack, count: 1}]
  checks: [{check: domain-survives, type: rack, pairs_inside: down}]
- name: plain
  steps: [{test: wait, duration: 1s}]
  checks: [{check: invariants}]
- name: placed-again
  world: {server_count: 4, rack_size: 2, cluster_spread: rack, placement: by_rack}
  steps: [{test: wait, duration: 1s}]
  checks: [{check: invariants}]
)";

TEST(WorldRequests, ScenariosLoadWithTheirWorldAndGroupByIt) {
  Result<std::vector<ScenarioSpec>> specs = LoadScenarioText(kRackScenario, "racks.yaml", Registry::Builtin());
  ASSERT_TRUE(specs.ok()) << specs.status().message();
  EXPECT_EQ((*specs)[0].world.options["placement"], "by_rack");
  EXPECT_TRUE((*specs)[2].world.empty());
  RunCommandOptions o;
  o.fleet.server_count = 2;  // the command line's; a world: map wins over it
  Result<std::vector<WorldGroup>> groups = GroupByWorld(o, *specs);
  ASSERT_TRUE(groups.ok()) << groups.status().message();
  ASSERT_EQ(groups->size(), 3u);
  EXPECT_EQ((*groups)[0].specs.size(), 2u) << "placed and placed-again share a world";
  EXPECT_EQ((*groups)[0].options.placement, "by_rack");
  EXPECT_EQ((*groups)[0].options.fleet.server_count, 4);
  EXPECT_EQ((*groups)[0].options.fleet.cluster_spread, "rack");
  EXPECT_EQ((*groups)[1].options.placement, "");
  EXPECT_EQ((*groups)[2].options.fleet.server_count, 2);

  o.soak = "1m";
  Result<std::vector<WorldGroup>> soak = GroupByWorld(o, *specs);
  ASSERT_FALSE(soak.ok());
  EXPECT_NE(soak.status().message().find("--soak draws from the scenarios of one world; these ask for 3"), std::string::npos);
  o.soak.clear();
  o.control_url = "http://127.0.0.1:1/";
  Result<std::vector<WorldGroup>> existing = GroupByWorld(o, *specs);
  ASSERT_FALSE(existing.ok());
  EXPECT_NE(existing.status().message().find("racks.yaml:3: scenario 'placed': world: asks for a world of its own"),
            std::string::npos)
      << existing.status().message();
}

TEST(WorldRequests, BadWorldMapsAndDomainParametersAreRefusedWithTheField) {
  auto error = [](const std::string& text) {
    Result<std::vector<ScenarioSpec>> r = LoadScenarioText(text, "bad.yaml", Registry::Builtin());
    return r.ok() ? std::string("loaded") : r.status().message();
  };
  const std::string tail = "\n  steps: [{test: wait, duration: 1s}]\n  checks: [{check: invariants}]\n";
  EXPECT_EQ(error("- name: x\n  world: {racks: 2}" + tail),
            "bad.yaml:2: scenario 'x': world: unknown key 'racks' (a world takes cluster_size, psu_count, rack_size, "
            "racks_per_row, server_count, su_size, volume_count, cluster_spread, placement)");
  EXPECT_EQ(error("- name: x\n  world: {rack_size: -1}" + tail),
            "bad.yaml:2: scenario 'x': world: rack_size: expected a whole number from 0 to 10000, not -1");
  EXPECT_EQ(error("- name: x\n  world: {cluster_spread: row}" + tail),
            "bad.yaml:2: scenario 'x': world: cluster_spread: expected none or rack, not \"row\"");
  EXPECT_EQ(error("- name: x\n  world: [1]" + tail),
            "bad.yaml:2: scenario 'x': world: expected a map such as {rack_size: 2, placement: by_rack}");
  const std::string checks = "\n  checks: [{check: invariants}]\n";
  const std::string bad_type = error("- name: x\n  steps: [{test: fail-domain, type: building}]" + checks);
  EXPECT_NE(bad_type.find("bad.yaml:2: scenario 'x': steps[0].type:"), std::string::npos) << bad_type;
  EXPECT_NE(bad_type.find("rack, row, pdu"), std::string::npos) << bad_type;
  const std::string bad_count = error("- name: x\n  steps: [{test: fail-domain, type: rack, count: 0}]" + checks);
  EXPECT_NE(bad_count.find("steps[0].count:"), std::string::npos) << bad_count;
  EXPECT_NE(error("- name: x\n  steps: [{test: fail-domain}]" + checks).find("needs parameter 'type'"), std::string::npos);
  EXPECT_NE(error("- name: x\n  steps: [{test: wait, duration: 1s}]\n  checks: [{check: domain-survives, type: rack, pairs_inside: up}]\n")
                .find("checks[0].pairs_inside:"),
            std::string::npos);
}

TEST(WorldRequests, APlacedFilesystemPutsEveryPairInTwoRacksOfOneCluster) {
  FleetSpec spec = ScenarioFleetDefaults({});
  spec.rack_size = 2;
  spec.cluster_spread = "rack";
  Result<FleetModel> placed = PredictFleet(spec, "testfs", "by_rack");
  ASSERT_TRUE(placed.ok()) << placed.status().message();
  ASSERT_EQ(placed->targets.size(), 6u);  // MGS, MDT, 4 OSTs
  auto rack = [](const std::string& fqdn) { return (fqdn[6] - '0') / 2; };  // testNNN: N / rack_size
  for (const ModelTarget& t : placed->targets) {
    ASSERT_FALSE(t.secondary.empty()) << t.name;
    EXPECT_NE(rack(t.primary), rack(t.secondary)) << t.name << ": " << t.primary << " / " << t.secondary;
    EXPECT_EQ(placed->Find(t.primary)->cluster, placed->Find(t.secondary)->cluster) << t.name;
  }
  // The default layout on racks without spread keeps each pair in one rack.
  FleetSpec plain = ScenarioFleetDefaults({});
  plain.rack_size = 2;
  Result<FleetModel> packed = PredictFleet(plain, "testfs");
  ASSERT_TRUE(packed.ok()) << packed.status().message();
  for (const ModelTarget& t : packed->targets) EXPECT_EQ(rack(t.primary), rack(t.secondary)) << t.name;
  // A rule the clusters cannot satisfy, or an unknown one, is refused.
  Result<FleetModel> unsatisfiable = PredictFleet(plain, "testfs", "by_rack");
  ASSERT_FALSE(unsatisfiable.ok());
  EXPECT_NE(unsatisfiable.status().message().find("placement by_rack"), std::string::npos) << unsatisfiable.status().message();
  EXPECT_FALSE(PredictFleet(spec, "testfs", "by_moon").ok());
  FleetSpec su = spec;
  su.su_size = 2;
  su.cluster_spread = std::nullopt;
  EXPECT_NE(PredictFleet(su, "testfs", "by_host").status().message().find("needs a SAN-style fleet"), std::string::npos);
}

}  // namespace
}  // namespace cs::scenarios
