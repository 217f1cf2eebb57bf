// Per-rack PDUs: with --rack_size each rack gets PDUs of its own, a server
// with two PSUs is fed by two different PDUs of its rack, power and fencing
// follow that wiring, and a fleet without racks keeps every server on every
// PDU.
#include <gtest/gtest.h>

#include <set>

#include "fakes/cluster_env.h"
#include "fakes/fleet.h"
#include "fakes/invariants.h"
#include "fakes/topology.h"
#include "tests/fakes/small_fleet.h"

namespace cs {
namespace {

class RackPdusTest : public testing::SmallFleetTest {
 protected:
  Status Setup(int servers, int psus, int rack_size = 4) {
    return SetupFleet(world, testing::FleetShape(servers).Workers(0).Psus(psus).RackSize(rack_size), clock);
  }
  const Server& S(int i) { return *world.servers.Find(FqdnOf(ServerNodename(i))); }
};

TEST_F(RackPdusTest, EachRackHasItsOwnPdusAndTwoPsusUseTwoOfThem) {
  ASSERT_TRUE(Setup(8, 2).ok());
  ASSERT_EQ(world.pdus.size(), 4u) << "2 racks x 2 PDUs";
  const Pdu& p = *world.pdus.Find("rack001-pdu1");
  EXPECT_EQ(p.rack, 1);
  EXPECT_EQ(p.outlets.size(), 4u) << "only its rack's servers";
  EXPECT_EQ(p.outlets.begin()->first, "1") << "outlets numbered from 1 on every PDU";
  for (int i = 0; i < 8; ++i) {
    const std::vector<std::string> pdus = world.PdusFeeding(S(i));
    ASSERT_EQ(pdus.size(), 2u) << i;
    EXPECT_NE(pdus[0], pdus[1]);
    const std::string rack = RackName(i / 4);
    for (const auto& name : pdus) EXPECT_EQ(name.substr(0, 7), rack) << name;
    EXPECT_EQ(*S(i).outlet, std::to_string(i % 4 + 1));
  }
  EXPECT_EQ(FleetLocations(world).at(S(5).fqdn).pdus, (std::vector<std::string>{"rack001-pdu0", "rack001-pdu1"}));
  EXPECT_EQ(world.ServerOnOutlet("rack001-pdu0", "2")->nodename, "test005");
  EXPECT_EQ(world.ServerOnOutlet("rack000-pdu0", "2")->nodename, "test001");
  EXPECT_EQ(CountFleet(world).psu_count, 2) << "PSUs per server, not PDUs in the fleet";
  EXPECT_TRUE(CheckInvariants(world).empty());
}

TEST_F(RackPdusTest, PowerFollowsTheRacksWiring) {
  ASSERT_TRUE(Setup(8, 2).ok());
  // Outlet 2 of rack 1's PDUs feeds test005 only; the same number in rack 0
  // is test001, which keeps its power.
  world.pdus.Mutable("rack001-pdu0")->outlets["2"] = false;
  EXPECT_TRUE(world.HasPower(S(5))) << "its second PSU";
  world.pdus.Mutable("rack001-pdu1")->outlets["2"] = false;
  EXPECT_FALSE(world.HasPower(S(5)));
  EXPECT_TRUE(world.HasPower(S(1)));
  // A rack's PDUs going dark take that rack down, nothing else.
  for (auto& [outlet, on] : world.pdus.Mutable("rack000-pdu0")->outlets) on = false;
  for (auto& [outlet, on] : world.pdus.Mutable("rack000-pdu1")->outlets) on = false;
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(world.HasPower(S(i))) << i;
  for (int i : {4, 6, 7}) EXPECT_TRUE(world.HasPower(S(i))) << i;
}

TEST_F(RackPdusTest, GrowingAddsRacksPdusAndPsus) {
  ASSERT_TRUE(Setup(4, 1).ok());
  EXPECT_EQ(world.pdus.size(), 1u);
  FleetSpec more;
  more.server_count = 8;
  ASSERT_TRUE(SetupFleet(world, more, clock).ok());
  EXPECT_TRUE(world.pdus.contains("rack001-pdu0"));
  EXPECT_EQ(world.PdusFeeding(S(6)), std::vector<std::string>{"rack001-pdu0"});
  more.psu_count = 2;
  ASSERT_TRUE(SetupFleet(world, more, clock).ok());
  EXPECT_EQ(world.pdus.size(), 4u);
  EXPECT_EQ(world.PdusFeeding(S(1)), (std::vector<std::string>{"rack000-pdu0", "rack000-pdu1"}))
      << "a second PSU for the servers already there";
  std::set<int> ports;
  for (const auto& [name, pdu] : world.pdus.all()) ports.insert(pdu.port);
  EXPECT_EQ(ports.size(), 4u) << "every PDU on a port of its own";
  EXPECT_EQ(world.pdus.Find("rack000-pdu0")->port, kBasePduPort) << "existing PDUs keep their ports";
  EXPECT_TRUE(CheckInvariants(world).empty());
}

TEST_F(RackPdusTest, WithoutRacksEveryServerIsOnEveryPdu) {
  FleetSpec spec;
  spec.server_count = 4;
  spec.psu_count = 2;
  ASSERT_TRUE(SetupFleet(world, spec, clock).ok());
  EXPECT_EQ(world.pdus.size(), 2u);
  EXPECT_TRUE(S(3).pdus.empty()) << "fleet-wide wiring";
  EXPECT_EQ(world.PdusFeeding(S(3)), (std::vector<std::string>{"pdu000", "pdu001"}));
  EXPECT_EQ(*S(3).outlet, "4");
  EXPECT_EQ(world.pdus.Find("pdu001")->port, kBasePduPort + 1);
  EXPECT_EQ(CountFleet(world).psu_count, 2);
}

TEST_F(RackPdusTest, BadRackPowerChangesNothing) {
  FleetSpec spec;
  spec.server_count = 0;
  spec.worker_count = 0;
  spec.psu_count = 1;
  ASSERT_TRUE(SetupFleet(world, spec, clock).ok());  // one fleet-wide PDU, no servers
  Status s = Setup(8, 1);
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("feeds the whole fleet"), std::string::npos) << s.message();
  EXPECT_EQ(world.servers.size(), 0u);

  World fresh;
  FleetSpec huge;
  huge.server_count = 9000;
  huge.rack_size = 2;
  huge.psu_count = 2;
  s = SetupFleet(fresh, huge, clock);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("9000 PDUs"), std::string::npos) << s.message();
  EXPECT_EQ(fresh.pdus.size(), 0u);
}

TEST_F(RackPdusTest, AServerAddedToARackWithoutPdusIsRefused) {
  ASSERT_TRUE(Setup(4, 2).ok());
  const size_t pdus = world.pdus.size();
  Result<std::string> added = AddServer(world, 1, clock);
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.status().message().find("rack001, which has no PDUs yet"), std::string::npos)
      << added.status().message();
  EXPECT_EQ(world.servers.size(), 4u);
  EXPECT_EQ(world.pdus.size(), pdus);
}

TEST_F(RackPdusTest, FencingSwitchesTheNodesOwnRackOutletsAtTheDaemonsPortOffset) {
  Build(testing::FleetShape(8).Workers(0).Psus(2).RackSize(4).ClusterSize(8));  // one cluster over both racks
  Cluster& c = *world.MutableClusterOf(S(0));
  const int offset = 10000;
  Json agents = Json::array();
  for (const char* pdu : {"rack001-pdu0", "rack001-pdu1"}) {
    agents.push_back({{"agent", "fence_apc"}, {"ipaddr", "127.0.0.1"},
                      {"ipport", std::to_string(world.pdus.Find(pdu)->port + offset)}, {"plug", "2"}});
  }
  c.nodes.at("test005").fence_agents = agents;
  std::vector<FenceRecord> fenced;
  ASSERT_TRUE(c.Leave("test005", /*clean=*/false, FencingClusterEnv(world, &fenced, offset)).ok());
  ASSERT_EQ(fenced.size(), 1u);
  EXPECT_TRUE(fenced[0].ok) << fenced[0].detail;
  EXPECT_EQ(fenced[0].outlets, (std::vector<std::pair<std::string, std::string>>{{"rack001-pdu0", "2"},
                                                                                  {"rack001-pdu1", "2"}}));
  EXPECT_FALSE(world.HasPower(S(5)));
  EXPECT_TRUE(world.HasPower(S(1))) << "outlet 2 of rack 0 is another server";

  // Without the offset the ports name no PDU: the fencing fails and says where it looked.
  c.nodes.at("test006").fence_agents = agents;
  fenced.clear();
  ASSERT_TRUE(c.Leave("test006", /*clean=*/false, FencingClusterEnv(world, &fenced)).ok());
  ASSERT_EQ(fenced.size(), 1u);
  EXPECT_FALSE(fenced[0].ok);
  EXPECT_NE(fenced[0].detail.find("no PDU answers at 127.0.0.1:"), std::string::npos) << fenced[0].detail;
}

}  // namespace
}  // namespace cs
