// HA pairs placed with the fleet's CRUSH rules (crush/placement.h): both in
// one corosync cluster, in different domains of the rule's type, each step
// reproduced by Debian's crushtool on the maps `crush map` prints; a rule the
// clusters cannot satisfy, or an unknown one, is refused; `check` finds the
// pairs that break a rule. Plus `crush place` through the binary.
#include "crush/placement.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "crush/fleet_map.h"
#include "fakes/fleet.h"
#include "fakes/topology.h"
#include "tests/crush/crushtool.h"
#include "util/clock.h"

namespace cs {
namespace {

class PlacementTest : public ::testing::Test {
 protected:
  void Setup(const std::string& spread) {
    FleetSpec spec;
    spec.server_count = 32;
    spec.worker_count = 0;
    spec.rack_size = 8;
    spec.cluster_spread = spread;
    ASSERT_TRUE(SetupFleet(world, spec, clock).ok());
  }
  std::string RackOfNode(const std::string& nodename) {
    return FleetLocations(world).at(FqdnOf(nodename)).rack;
  }
  int ClusterOfNode(const std::string& nodename) { return world.ClusterIdOf(*world.FindServerByNodename(nodename)); }

  ManualClock clock{WallTime{}};
  World world;
};

// crushtool's mapping of x: "CRUSH rule R x X [a,b]" -> the device ids.
std::vector<int> CrushtoolMapping(const std::string& text, int rule, int x, int num_rep) {
  const auto dir = crush::testing::ScratchDir("place");
  crush::testing::WriteFile(dir / "m.txt", text);
  const auto out = crush::testing::RunCommand("crushtool -c " + (dir / "m.txt").string() + " -o " + (dir / "m").string() +
                                              " && crushtool -i " + (dir / "m").string() + " --test --show-mappings --rule " +
                                              std::to_string(rule) + " --num-rep " + std::to_string(num_rep) + " --x " +
                                              std::to_string(x) + " 2>/dev/null");
  std::filesystem::remove_all(dir);
  std::smatch m;
  std::vector<int> ids;
  if (!std::regex_search(out.out, m, std::regex("\\[([0-9,]*)\\]"))) return ids;
  std::stringstream items(m[1].str());
  for (std::string item; std::getline(items, item, ',');) ids.push_back(std::stoi(item));
  return ids;
}

TEST_F(PlacementTest, PairsShareAClusterLieInTwoRacksAndCrushtoolAgreesOnBothSteps) {
  Setup("rack");
  auto placer = crush::HaPlacer::ForFleet(world, "by_rack");
  ASSERT_TRUE(placer.ok()) << placer.status().message();
  EXPECT_EQ(placer->domain_type(), "rack");
  std::set<std::string> primaries;
  for (int x = 0; x < 64; ++x) {
    auto pair = placer->Place(x);
    ASSERT_TRUE(pair.ok()) << pair.status().message();
    EXPECT_EQ(ClusterOfNode(pair->primary), pair->cluster) << x;
    EXPECT_EQ(ClusterOfNode(pair->secondary), pair->cluster) << x;
    EXPECT_NE(RackOfNode(pair->primary), RackOfNode(pair->secondary)) << x;
    EXPECT_EQ(pair->primary_domain, RackOfNode(pair->primary));
    EXPECT_EQ(pair->secondary_domain, RackOfNode(pair->secondary));
    primaries.insert(pair->primary);
  }
  EXPECT_GT(primaries.size(), 16u) << "CRUSH spreads the primaries over the fleet";

  ASSERT_TRUE(crush::testing::HaveCrushtool());
  for (int x : {0, 7, 41}) {
    auto pair = placer->Place(x);
    ASSERT_TRUE(pair.ok());
    const std::vector<int> first = CrushtoolMapping(crush::FleetMapText(world), 1, x, 1);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(ClusterOfNode(ServerNodename(first[0])), pair->cluster) << "step 1: the cluster, x " << x;
    std::set<std::string> members;
    for (const auto& [name, node] : world.clusters.Find(std::to_string(pair->cluster))->nodes) members.insert(name);
    const std::vector<int> two = CrushtoolMapping(crush::FleetMapText(world, members), 1, x, 2);
    EXPECT_EQ(two, (std::vector<int>{world.FindServerByNodename(pair->primary)->id,
                                     world.FindServerByNodename(pair->secondary)->id}))
        << "step 2: the pair on the cluster's own map, x " << x;
  }
}

TEST_F(PlacementTest, ClustersInsideOneRackCannotSatisfyByRack) {
  Setup("none");  // cluster k: test4k..test4k+3, all in one rack
  auto placer = crush::HaPlacer::ForFleet(world, "by_rack");
  ASSERT_TRUE(placer.ok());
  auto pair = placer->Place(3);
  ASSERT_FALSE(pair.ok());
  EXPECT_EQ(pair.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(pair.status().message().find("lie in fewer than two racks"), std::string::npos) << pair.status().message();
  auto by_host = crush::HaPlacer::ForFleet(world, "by_host");
  ASSERT_TRUE(by_host.ok());
  auto host_pair = by_host->Place(3);
  ASSERT_TRUE(host_pair.ok()) << host_pair.status().message();
  EXPECT_NE(host_pair->primary, host_pair->secondary);
  EXPECT_EQ(ClusterOfNode(host_pair->primary), ClusterOfNode(host_pair->secondary));
}

TEST_F(PlacementTest, AnUnknownRuleIsRefusedWithTheRulesThereAre) {
  Setup("rack");
  auto placer = crush::HaPlacer::ForFleet(world, "by_moon");
  ASSERT_FALSE(placer.ok());
  EXPECT_EQ(placer.status().message(), "the fleet's map has no rule 'by_moon' (it has by_host, by_rack, by_row, by_pdu)");
  EXPECT_FALSE(crush::CheckPlacements(world, "by_moon").ok());
}

TEST_F(PlacementTest, CheckReportsPairsThatShareADomainOfTheRule) {
  Setup("rack");  // cluster 0: test000, test008, test016, test024
  Cluster& c = *world.MutableClusterOf(*world.FindServerByNodename("test000"));
  ASSERT_TRUE(c.Configure("test000", "/dev/a", "fs-OST0000", "u0", true, "/mnt/a").ok());
  ASSERT_TRUE(c.Configure("test008", "/dev/a", "fs-OST0000", "u0", false, "/mnt/a").ok());
  auto broken = crush::CheckPlacements(world, "by_rack");
  ASSERT_TRUE(broken.ok());
  EXPECT_TRUE(broken->empty()) << broken->front();
  broken = crush::CheckPlacements(world, "by_row");  // one row: every pair shares it
  ASSERT_TRUE(broken.ok());
  ASSERT_EQ(broken->size(), 1u);
  EXPECT_EQ(broken->front(), "fs-OST0000: primary test000 and secondary test008 are both in row row00 "
                             "(rule by_row puts them in different rows)");
}

TEST(PlaceCli, PrintsPairsAsTableAndJsonAndRefusesBadInput) {
  const auto dir = crush::testing::ScratchDir("place-cli");
  const std::string cli = std::string(CS_BINARY_DIR) + "/cluster-sim --config " + (dir / "state").string();
  auto setup = crush::testing::RunCommand(cli + " setup --server_count 32 --rack_size 8 --cluster_spread rack 2>&1");
  ASSERT_EQ(setup.status, 0) << setup.out;
  auto table = crush::testing::RunCommand(cli + " crush place --rule by_rack --count 3 2>&1");
  EXPECT_EQ(table.status, 0) << table.out;
  EXPECT_EQ(table.out.rfind("X  CLUSTER  PRIMARY  SECONDARY  PRIMARY_RACK  SECONDARY_RACK", 0), 0u) << table.out;
  auto json = crush::testing::RunCommand(cli + " crush place --rule 1 --first-x 5 --count 2 --json");
  ASSERT_EQ(json.status, 0) << json.out;
  const nlohmann::json j = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(j.is_array() && j.size() == 2u) << json.out;
  EXPECT_EQ(j[0]["x"], 5);
  EXPECT_NE(j[0]["primary_domain"], j[0]["secondary_domain"]);
  EXPECT_EQ(j[1]["domain_type"], "rack");
  auto check = crush::testing::RunCommand(cli + " check --placement by_rack 2>&1");
  EXPECT_EQ(check.status, 0) << check.out;
  for (const char* bad : {" crush place --rule by_moon", " crush place", " crush place --rule by_rack --count 0",
                          " check --placement by_moon"}) {
    auto r = crush::testing::RunCommand(cli + bad + " 2>&1");
    EXPECT_EQ(WEXITSTATUS(r.status), 2) << bad << ": " << r.out;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cs
