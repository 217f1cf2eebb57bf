// The fleet's topology and its CRUSH map: racks and rows from setup's flags,
// clusters spread over racks, and a map that crushtool compiles and maps
// exactly as we do (the "done when" of issue 14, through the binary too).
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "crush/fleet_map.h"
#include "crush/placement.h"
#include "crush/tester.h"
#include "crush/text_map.h"
#include "fakes/fleet.h"
#include "fakes/topology.h"
#include "tests/crush/crushtool.h"
#include "tests/fakes/small_fleet.h"

namespace cs {
namespace {

using cs::testing::FleetShape;

FleetSpec RackSpec() { return FleetShape(32).RackSize(8).RacksPerRow(2).Spread("rack"); }

class FleetMapTest : public cs::testing::SmallFleetTest {
 protected:
  FleetMapTest() : SmallFleetTest(WallTime(std::chrono::microseconds(1700000000000000LL))) {}
};

TEST_F(FleetMapTest, EveryServerHasALocationAndClustersSpanRacks) {
  ASSERT_TRUE(SetupFleet(world, RackSpec(), clock).ok());
  const auto locations = FleetLocations(world);
  ASSERT_EQ(locations.size(), 32u);
  const Location& l = locations.at(FqdnOf(ServerNodename(19)));
  EXPECT_EQ(l.rack, "rack002");
  EXPECT_EQ(l.row, "row01");
  EXPECT_EQ(l.host, "test019");
  EXPECT_EQ(l.pdus, std::vector<std::string>{"rack002-pdu0"}) << "its rack's PDU";
  EXPECT_FALSE(l.controller.has_value());
  // cluster_size 4 over 4 racks: each cluster has one server per rack.
  for (const auto& [key, cluster] : world.clusters.all()) {
    std::set<std::string> racks;
    for (const auto& [name, node] : cluster.nodes) racks.insert(locations.at(FqdnOf(name)).rack);
    EXPECT_EQ(cluster.nodes.size(), 4u) << key;
    EXPECT_EQ(racks.size(), 4u) << key;
  }
}

TEST_F(FleetMapTest, ScalableUnitsNameTheirController) {
  Build(FleetShape(4).SuSize(2).Volumes(4));
  const auto locations = FleetLocations(world);
  EXPECT_EQ(locations.at(FqdnOf(ServerNodename(0))).controller, 1);
  EXPECT_EQ(locations.at(FqdnOf(ServerNodename(3))).controller, 2);
  EXPECT_EQ(locations.at(FqdnOf(ServerNodename(3))).rack, "rack000");  // no racks asked: one rack
}

TEST_F(FleetMapTest, BadTopologyChangesNothing) {
  FleetSpec spread = RackSpec();
  spread.rack_size = 0;
  EXPECT_EQ(SetupFleet(world, spread, clock).message(), "cluster_spread rack needs --rack_size");
  spread = RackSpec();
  spread.cluster_spread = "diagonal";
  EXPECT_EQ(SetupFleet(world, spread, clock).message(), "cluster_spread must be none or rack, not 'diagonal'");
  spread = RackSpec();
  spread.server_count = 30;
  EXPECT_NE(SetupFleet(world, spread, clock).message().find("must fill whole racks of 8"), std::string::npos);
  EXPECT_EQ(world.servers.size(), 0u);
  ASSERT_TRUE(SetupFleet(world, RackSpec(), clock).ok());
  FleetSpec change;
  change.rack_size = 4;
  EXPECT_EQ(SetupFleet(world, change, clock).code(), Status::Code::kFailedPrecondition);
}

TEST_F(FleetMapTest, CrushtoolCompilesTheMapAndAgreesOnEveryRule) {
  ASSERT_TRUE(SetupFleet(world, RackSpec(), clock).ok());
  const std::string text = crush::FleetMapText(world);
  Result<crush::Map> map = crush::CompileText(text, "fleet");
  ASSERT_TRUE(map.ok()) << map.status().message();
  EXPECT_EQ(map->FindRule("by_rack"), 1);
  ASSERT_TRUE(crush::testing::HaveCrushtool());
  const auto dir = crush::testing::ScratchDir("fleet");
  crush::testing::WriteFile(dir / "fleet.txt", text);
  const auto compiled = crush::testing::RunCommand("crushtool -c " + (dir / "fleet.txt").string() + " -o " +
                                                   (dir / "fleet.bin").string() + " 2>&1");
  ASSERT_EQ(compiled.status, 0) << compiled.out;
  for (int rule = 0; rule < 3; ++rule) {
    const auto theirs = crush::testing::RunCommand("crushtool -i " + (dir / "fleet.bin").string() +
                                                   " --test --show-mappings --show-bad-mappings --num-rep 3 --rule " +
                                                   std::to_string(rule) + " 2>/dev/null");
    crush::TestOptions o;
    o.rule = rule;
    o.num_rep = 3;
    o.show_mappings = o.show_bad_mappings = true;
    std::ostringstream ours, err;
    const crush::TestSummary summary = crush::RunTest(*map, o, ours, err);
    EXPECT_EQ(ours.str(), theirs.out) << "rule " << rule;
    // Two rows cannot hold three replicas in different rows.
    EXPECT_EQ(summary.bad_mappings, rule == 2 ? 1024 : 0) << rule;
  }
  std::filesystem::remove_all(dir);
}

// Runs `rule` on the compiled `text` in crushtool and in our tester (mappings
// and bad mappings, x in 0..1023) and expects the same lines; answers our
// bad-mapping count.
int CompareWithCrushtool(const std::string& text, int rule, int num_rep) {
  Result<crush::Map> map = crush::CompileText(text, "fleet");
  EXPECT_TRUE(map.ok()) << map.status().message();
  if (!map.ok()) return -1;
  const auto dir = crush::testing::ScratchDir("fleet-domains");
  crush::testing::WriteFile(dir / "fleet.txt", text);
  const auto compiled = crush::testing::RunCommand("crushtool -c " + (dir / "fleet.txt").string() + " -o " +
                                                   (dir / "fleet.bin").string() + " 2>&1");
  EXPECT_EQ(compiled.status, 0) << compiled.out;
  const auto theirs = crush::testing::RunCommand("crushtool -i " + (dir / "fleet.bin").string() +
                                                 " --test --show-mappings --show-bad-mappings --num-rep " +
                                                 std::to_string(num_rep) + " --rule " + std::to_string(rule) +
                                                 " 2>/dev/null");
  crush::TestOptions o;
  o.rule = rule;
  o.num_rep = num_rep;
  o.show_mappings = o.show_bad_mappings = true;
  std::ostringstream ours, err;
  const crush::TestSummary summary = crush::RunTest(*map, o, ours, err);
  EXPECT_EQ(ours.str(), theirs.out) << "rule " << rule;
  EXPECT_NE(ours.str().find("CRUSH rule " + std::to_string(rule) + " x 1023 ["), std::string::npos) << ours.str().substr(0, 300);
  std::filesystem::remove_all(dir);
  return summary.bad_mappings;
}

// Scalable units inside racks and two PSUs per server: controllers sit
// between racks and hosts, each host hangs under both PDUs of its rack in
// the PDU hierarchy, and every rule maps as crushtool maps it.
TEST_F(FleetMapTest, ControllersAndPdusAreFailureDomainsThatCrushtoolMapsAsWeDo) {
  Build(FleetShape(16).RackSize(8).SuSize(4).Volumes(16).Psus(2));
  const std::string text = crush::FleetMapText(world);
  EXPECT_NE(text.find("controller controller001 {"), std::string::npos) << text;
  EXPECT_NE(text.find("\titem controller002 weight 4.000\n"), std::string::npos) << "under rack000";
  EXPECT_NE(text.find("pdu rack001-pdu1 {"), std::string::npos) << text;
  EXPECT_NE(text.find("root pdus {"), std::string::npos) << text;
  Result<crush::Map> map = crush::CompileText(text, "fleet");
  ASSERT_TRUE(map.ok()) << map.status().message();
  EXPECT_EQ(map->FindRule("by_controller"), 3);
  EXPECT_EQ(map->FindRule("by_pdu"), 4);
  ASSERT_TRUE(crush::testing::HaveCrushtool());
  // Four controllers hold three replicas; four PDUs too (each host is
  // under two, so CRUSH may pick two PDUs that feed the same host pair).
  EXPECT_EQ(CompareWithCrushtool(text, 3, 3), 0);
  EXPECT_EQ(CompareWithCrushtool(text, 4, 3), 0);
  // Two racks cannot hold three replicas in different racks.
  EXPECT_EQ(CompareWithCrushtool(text, 1, 3), 1024);

  // A host fed by two PDUs lies in both PDU domains.
  auto placer = crush::HaPlacer::ForFleet(world, "by_pdu");
  ASSERT_TRUE(placer.ok()) << placer.status().message();
  EXPECT_EQ(placer->DomainsOf("test009"), (std::vector<std::string>{"rack001-pdu0", "rack001-pdu1"}));
  EXPECT_EQ(placer->DomainOf("test009"), "rack001-pdu0+rack001-pdu1");
}

TEST_F(FleetMapTest, AScalableUnitAcrossRacksHasNoControllerLevelAndTheMapSaysWhy) {
  Build(FleetShape(8).RackSize(2).SuSize(4).Volumes(8));
  const std::string text = crush::FleetMapText(world);
  EXPECT_NE(text.find("# no controller level: controller001 serves hosts in rack000 and rack001, so it cannot sit under "
                      "one rack\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("rule by_controller"), std::string::npos);
  EXPECT_NE(text.find("rule by_pdu"), std::string::npos);
  ASSERT_TRUE(crush::testing::HaveCrushtool());
  EXPECT_EQ(CompareWithCrushtool(text, 4, 2), 0) << "one PDU per rack, four racks";
  World san;
  FleetSpec plain;
  plain.server_count = 4;
  ASSERT_TRUE(SetupFleet(san, plain, clock).ok());
  EXPECT_NE(crush::FleetMapText(san).find("# no controller level: the fleet has no controllers"), std::string::npos);
}

// The acceptance check, through the binary and a shell pipe.
TEST(FleetMapCli, SetupMapCompileAndTestAgree) {
  ASSERT_TRUE(crush::testing::HaveCrushtool());
  const auto dir = crush::testing::ScratchDir("fleet-cli");
  const std::string cli = std::string(CS_BINARY_DIR) + "/cluster-sim --config " + (dir / "state").string();
  auto setup = crush::testing::RunCommand(cli + " setup --server_count 32 --rack_size 8 --cluster_spread rack 2>&1");
  ASSERT_EQ(setup.status, 0) << setup.out;
  auto compiled = crush::testing::RunCommand(cli + " crush map | crushtool -c /dev/stdin -o " +
                                             (dir / "m").string() + " 2>&1");
  ASSERT_EQ(compiled.status, 0) << compiled.out;
  for (const char* rule : {"0", "1", "2"}) {
    const std::string flags = std::string(" --test --show-mappings --show-statistics --num-rep 3 --rule ") + rule;
    auto theirs = crush::testing::RunCommand("crushtool -i " + (dir / "m").string() + flags + " 2>/dev/null");
    auto ours = crush::testing::RunCommand(cli + " crush test" + flags.substr(7) + " 2>/dev/null");
    EXPECT_EQ(ours.status, 0);
    EXPECT_EQ(ours.out, theirs.out) << "rule " << rule;
    EXPECT_NE(ours.out.find("CRUSH rule " + std::string(rule) + " x 1023 ["), std::string::npos);
  }
  auto status = crush::testing::RunCommand(cli + " status --json");
  EXPECT_NE(status.out.find("rack003"), std::string::npos) << status.out.substr(0, 400);
  auto missing = crush::testing::RunCommand(std::string(CS_BINARY_DIR) + "/cluster-sim --config " +
                                            (dir / "nothing").string() + " crush map 2>&1");
  EXPECT_EQ(WEXITSTATUS(missing.status), 2) << missing.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cs
