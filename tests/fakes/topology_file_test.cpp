// Topology files (setup --topology): the parser refuses what does not
// parse or is not in the schema with the file, line and column; the layout
// refuses what does not fit the fleet; a fleet built from a file has every
// server in its rack, fed by the PDUs its rack's feeds name, in the clusters
// the file forms, and keeps all of it through a JSON round trip.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fakes/fleet.h"
#include "fakes/invariants.h"
#include "fakes/topology.h"
#include "fakes/topology_file.h"
#include "util/clock.h"

namespace cs {
namespace {

std::string Example() {
  std::ifstream in(std::string(CS_SOURCE_DIR) + "/docs/topology-example.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The message of parsing `text` (empty when it parses).
std::string ParseError(const std::string& text) {
  Result<TopologyFile> f = ParseTopologyFile(text, "t.yaml");
  return f.ok() ? "" : f.status().message();
}

// The message of fitting `text` to a fleet of `servers` (empty when it fits).
std::string LayoutError(const std::string& text, int servers, int psus = 1) {
  Result<TopologyFile> f = ParseTopologyFile(text, "t.yaml");
  if (!f.ok()) return "parse: " + f.status().message();
  TopologyFleet fleet;
  fleet.server_count = servers;
  fleet.psu_count = psus;
  auto layout = LayoutFromFile(*f, fleet);
  return layout.ok() ? "" : layout.status().message();
}

class TopologyFleetTest : public ::testing::Test {
 protected:
  Status Setup(const std::string& text, std::optional<int> servers = std::nullopt) {
    Result<TopologyFile> f = ParseTopologyFile(text, "t.yaml");
    if (!f.ok()) return f.status();
    FleetSpec spec;
    spec.server_count = servers;
    spec.worker_count = 0;
    spec.topology = *f;
    return SetupFleet(world, spec, clock);
  }
  const Server& S(int i) { return *world.servers.Find(FqdnOf(ServerNodename(i))); }
  Location L(int i) { return FleetLocations(world).at(S(i).fqdn); }

  ManualClock clock{WallTime{}};
  World world;
};

TEST(TopologyFileTest, TheExampleParsesAndFitsThirtyTwoServers) {
  Result<TopologyFile> f = ParseTopologyFile(Example(), "docs/topology-example.yaml");
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(ServersPlaced(*f), 32);
  TopologyFleet fleet;
  fleet.server_count = 32;
  auto layout = LayoutFromFile(*f, fleet);
  ASSERT_TRUE(layout.ok()) << layout.status().message();
  const TopologyLayout& l = **layout;
  EXPECT_EQ(l.root, "dc1");
  EXPECT_EQ(l.rows, (std::vector<std::string>{"row-a", "row-b"}));
  ASSERT_EQ(l.racks.size(), 4u);
  EXPECT_EQ(l.racks[2].servers, (std::vector<int>{16, 17, 18, 19, 24, 25, 26, 27}));
  EXPECT_EQ(l.racks[3].servers, (std::vector<int>{20, 21, 22, 23, 28, 29, 30, 31})) << "counts take what is left";
  EXPECT_EQ(l.racks[3].pdus, (std::vector<std::string>{"b02-pdu0"}));
  EXPECT_EQ(l.racks[1].feeds[5], (std::vector<int>{0, 2})) << "server 13: a02-left and a02-aux";
  EXPECT_EQ(l.racks[0].feeds[0], (std::vector<int>{0, 1}));
  ASSERT_EQ(l.clusters.size(), 8u) << "cluster_size 4 over 4 racks: one cluster per position";
  EXPECT_EQ(l.clusters[0], (std::vector<int>{0, 8, 16, 20}));
  EXPECT_EQ(l.clusters[7], (std::vector<int>{7, 15, 27, 31}));
}

TEST(TopologyFileTest, SyntaxErrorsNameLineAndColumn) {
  const std::string message = ParseError("rows:\n  - name: a\n    racks: [ {count: 2}\n");
  EXPECT_EQ(message.rfind("t.yaml:", 0), 0u) << message;
  EXPECT_NE(message.find("not valid YAML"), std::string::npos) << message;
  EXPECT_NE(message.find("t.yaml:4:1:"), std::string::npos) << message;
  EXPECT_NE(ParseError("\t- rows\n"), "");
}

TEST(TopologyFileTest, SchemaErrorsNameLineAndColumn) {
  EXPECT_EQ(ParseError("rows:\n  - racks:\n      - count: 2\n        colour: red\n"),
            "t.yaml:4:9: unknown key 'colour' in a rack (known: name, count, servers, pdus, feeds)");
  EXPECT_EQ(ParseError("rows:\n  - racks:\n      - count: 2\n        count: 3\n"),
            "t.yaml:4:9: key 'count' appears twice in a rack");
  EXPECT_EQ(ParseError("racks: 3\n"), "t.yaml:1:1: unknown key 'racks' in the topology file (known: root, rows, "
                                      "cluster_spread, clusters, su_size)");
  EXPECT_EQ(ParseError("root: dc1\n"), "t.yaml:1:1: the file needs rows: a non-empty list of rows");
  EXPECT_EQ(ParseError("rows:\n  - racks:\n      - count: two\n"),
            "t.yaml:3:16: a rack's count must be a whole number from 1 to 100000");
  EXPECT_EQ(ParseError("rows:\n  - racks:\n      - {}\n"),
            "t.yaml:3:9: a rack needs count (the next N servers) or servers (indexes like 0-7)");
  EXPECT_EQ(ParseError("rows:\n  - racks:\n      - {count: 2, servers: 0-1}\n"),
            "t.yaml:3:20: a rack takes either count (the next N servers) or servers (indexes), not both");
  EXPECT_EQ(ParseError("rows:\n  - racks:\n      - servers: 7-3\n"),
            "t.yaml:3:18: '7-3' is not a server index or range (like 5 or 0-7, indexes from 0 to 99999)");
  EXPECT_EQ(ParseError("rows:\n  - racks:\n      - {count: 2, name: \"a b\"}\n"),
            "t.yaml:3:26: a rack's name must be 1 to 64 letters, digits, '-', '_' or '.' (not first)");
  EXPECT_EQ(ParseError("rows:\n  - racks:\n      - {count: 2, pdus: [p, p]}\n"),
            "t.yaml:3:30: 'p' appears twice in a rack's pdus");
  EXPECT_EQ(ParseError("cluster_spread: row\nrows:\n  - racks: [{count: 1}]\n"),
            "t.yaml:1:17: cluster_spread must be none or rack");
  EXPECT_EQ(ParseError("cluster_spread: rack\nclusters: [0]\nrows:\n  - racks: [{count: 1}]\n"),
            "t.yaml:2:1: give clusters or cluster_spread, not both");
}

TEST(TopologyFileTest, DuplicateNamesAreRefused) {
  EXPECT_EQ(ParseError("rows:\n  - racks:\n      - {name: r1, count: 2}\n      - {name: r1, count: 2}\n"),
            "t.yaml:4:9: the name 'r1' is already used by rack r1");
  EXPECT_EQ(ParseError("rows:\n  - name: x\n    racks:\n      - {name: x, count: 2}\n"),
            "t.yaml:4:9: the name 'x' is already used by row x");
  EXPECT_EQ(ParseError("root: a\nrows:\n  - name: a\n    racks: [{count: 1}]\n"),
            "t.yaml:3:5: the name 'a' is already used by the root");
  EXPECT_EQ(LayoutError("rows:\n  - racks:\n      - {count: 1, pdus: [p]}\n      - {count: 1, pdus: [p]}\n", 2),
            "t.yaml:4:9: PDU 'p' is in rack rack000 and in rack rack001 (PDU names are unique; each PDU belongs to "
            "one rack)");
  EXPECT_EQ(LayoutError("rows:\n  - racks:\n      - {name: test001, count: 2}\n", 2),
            "t.yaml:1:1: 'test001' names a row, rack or the root but is also server 1's nodename");
}

TEST(TopologyFileTest, TheFileMustPlaceEveryServerOfTheFleetOnce) {
  const std::string two_racks = "rows:\n  - racks:\n      - {count: 4}\n      - {count: 4}\n";
  EXPECT_EQ(LayoutError(two_racks, 8), "");
  EXPECT_EQ(LayoutError(two_racks, 10),
            "t.yaml:1:1: the file places 8 of the fleet's 10 servers (--server_count): 8-9 are in no rack");
  EXPECT_EQ(LayoutError(two_racks, 6),
            "t.yaml:4:9: rack rack001 asks for 4 servers but the fleet has 6 (--server_count) and the file places "
            "at least 8");
  EXPECT_EQ(LayoutError("rows:\n  - racks:\n      - {servers: 0-3}\n      - {servers: \"3-5\"}\n", 6),
            "t.yaml:4:19: server 3 is in rack rack000 already");
  EXPECT_EQ(LayoutError("rows:\n  - racks:\n      - {servers: [0, 1, 0]}\n", 2),
            "t.yaml:3:19: server 0 is in rack rack000 twice");
  EXPECT_EQ(LayoutError("rows:\n  - racks:\n      - {servers: 0-9}\n", 8),
            "t.yaml:3:19: server index 9 is beyond the fleet's 8 servers (indexes 0-7; see --server_count)");
}

TEST(TopologyFileTest, FeedsWireOnlyTheirRacksServersToTheirRacksPdus) {
  const std::string head = "rows:\n  - racks:\n      - name: a\n        count: 4\n        pdus: [a1, a2]\n";
  const std::string other = "      - {name: b, count: 4, pdus: [b1]}\n";
  EXPECT_EQ(LayoutError(head + "        feeds: [{servers: 0-3, pdus: [a1, b1]}]\n" + other, 8),
            "t.yaml:6:17: PDU 'b1' is not one of rack a's PDUs (a1, a2): a server's PSUs are fed by PDUs of its own "
            "rack");
  EXPECT_EQ(LayoutError(head + "        feeds: [{servers: 0-4, pdus: [a1]}]\n" + other, 8),
            "t.yaml:6:27: server 4 is in rack b, not in rack a: a feed wires servers of its own rack");
  EXPECT_EQ(LayoutError(head + "        feeds: [{servers: 0-2, pdus: [a1]}]\n" + other, 8),
            "t.yaml:3:9: rack a has feeds, but none for server 3 (every server of the rack needs one)");
  EXPECT_EQ(LayoutError(head + "        feeds: [{servers: 0-3, pdus: [a1]}, {servers: 3, pdus: [a2]}]\n" + other, 8),
            "t.yaml:6:55: server 3 is in two feeds of rack a");
  EXPECT_EQ(LayoutError(head + "        feeds: [{servers: 0-3, pdus: [a1]}]\n" + other, 8), "");
  EXPECT_EQ(LayoutError("rows:\n  - racks:\n      - {count: 2}\n      - {count: 2, pdus: [p]}\n", 4, 0),
            "t.yaml:1:1: with --psu_count 0, racks that do not list their pdus have none, but others do: list pdus "
            "for every rack, or for none");
}

TEST(TopologyFileTest, ExplicitClustersCoverEveryServerOnce) {
  const std::string racks = "rows:\n  - racks: [{count: 2}, {count: 2}]\n";
  EXPECT_EQ(LayoutError(racks + "clusters: [\"0,2\", [1, 3]]\n", 4), "");
  EXPECT_EQ(LayoutError(racks + "clusters: [\"0,2\", [1]]\n", 4), "t.yaml:3:1: servers 3 are in no cluster");
  EXPECT_EQ(LayoutError(racks + "clusters: [\"0,2\", [1, 2, 3]]\n", 4),
            "t.yaml:3:19: server 2 is already in cluster 0");
  EXPECT_EQ(LayoutError(racks + "clusters: [\"0-3\", 4]\n", 4), "t.yaml:3:19: server index 4 is beyond the fleet's 4 servers");
}

TEST_F(TopologyFleetTest, SetupPlacesEveryServerWithItsPdusAndClusters) {
  ASSERT_TRUE(Setup(Example()).ok());
  EXPECT_EQ(CountFleet(world).server_count, 32) << "the file's count when --server_count is not given";
  EXPECT_EQ(world.controllers.size(), 4u) << "su_size 8 from the file";
  EXPECT_EQ(world.pdus.size(), 2u + 3u + 1u + 1u);
  const Location l13 = L(13);
  EXPECT_EQ(l13.root, "dc1");
  EXPECT_EQ(l13.row, "row-a");
  EXPECT_EQ(l13.rack, "a02");
  EXPECT_EQ(l13.host, "test013");
  EXPECT_EQ(l13.pdus, (std::vector<std::string>{"a02-aux", "a02-left"}));
  EXPECT_EQ(l13.controller, 2);
  EXPECT_EQ(*S(13).outlet, "6") << "position 5 in its rack";
  EXPECT_EQ(L(24).rack, "b01");
  EXPECT_EQ(L(24).row, "row-b");
  EXPECT_EQ(*S(24).outlet, "5");
  EXPECT_EQ(L(20).rack, "b02");
  EXPECT_EQ(L(20).pdus, (std::vector<std::string>{"b02-pdu0"}));
  EXPECT_EQ(world.ServerOnOutlet("a02-aux", "6")->nodename, "test013");
  EXPECT_EQ(world.ServerOnOutlet("a02-aux", "1"), nullptr) << "servers 8-11 are not on a02-aux";
  EXPECT_EQ(world.ServerOnOutlet("a02-right", "1")->nodename, "test008");
  EXPECT_EQ(world.pdus.Find("a02-aux")->rack, 1);
  const Cluster* c0 = world.ClusterOf(S(0));
  ASSERT_NE(c0, nullptr);
  std::set<std::string> members;
  for (const auto& [name, node] : c0->nodes) members.insert(name);
  EXPECT_EQ(members, (std::set<std::string>{"test000", "test008", "test016", "test020"}));
  EXPECT_EQ(world.ClusterIdOf(S(31)), 7);
  EXPECT_TRUE(CheckInvariants(world).empty()) << CheckInvariants(world)[0];
  // The same file again changes nothing.
  world.TakeChanges();
  ASSERT_TRUE(Setup(Example()).ok());
  EXPECT_EQ(world.servers.size(), 32u);
}

TEST_F(TopologyFleetTest, ConflictsWithFlagsAndWithTheFleetAreRefused) {
  Result<TopologyFile> f = ParseTopologyFile(Example(), "t.yaml");
  ASSERT_TRUE(f.ok());
  FleetSpec spec;
  spec.topology = *f;
  spec.rack_size = 8;
  EXPECT_EQ(ValidateFleetSpec(world, spec).message(),
            "--rack_size cannot be used with --topology: the file places every server (it has racks, and "
            "cluster_spread or clusters keys)");
  spec.rack_size.reset();
  spec.su_size = 4;
  EXPECT_EQ(ValidateFleetSpec(world, spec).message(), "t.yaml:27:1: su_size 8 conflicts with --su_size 4");
  spec.su_size.reset();
  spec.server_count = 30;
  EXPECT_EQ(ValidateFleetSpec(world, spec).message(),
            "t.yaml:24:9: rack b02 asks for 8 servers but the fleet has 30 (--server_count) and the file places at "
            "least 32");
  spec.server_count = 32;
  EXPECT_TRUE(ValidateFleetSpec(world, spec).ok());
  EXPECT_EQ(world.servers.size(), 0u) << "validation changes nothing";

  ASSERT_TRUE(Setup(Example()).ok());
  // Once placed, the layout stays: another file, more servers, flags or a
  // daemon's add_server are refused.
  EXPECT_NE(Setup("rows:\n  - racks: [{count: 32}]\n").message().find("cannot change"), std::string::npos);
  FleetSpec grow;
  grow.server_count = 40;
  EXPECT_NE(ValidateFleetSpec(world, grow).message().find("places exactly 32 servers"), std::string::npos);
  FleetSpec psus;
  psus.psu_count = 2;
  EXPECT_EQ(ValidateFleetSpec(world, psus).message(),
            "the fleet's PDUs come from its topology file: --psu_count needs --topology");
  FleetSpec racks;
  racks.rack_size = 8;
  EXPECT_NE(ValidateFleetSpec(world, racks).message().find("cannot change"), std::string::npos);
  Result<std::string> added = AddServer(world, 1, clock);
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.status().message().find("topology file"), std::string::npos);
}

TEST_F(TopologyFleetTest, TheLayoutSurvivesAJsonRoundTripOfTheSettings) {
  ASSERT_TRUE(Setup(Example()).ok());
  const Json stored = world.settings();
  const SimSettings back = stored.get<SimSettings>();
  EXPECT_TRUE(back == world.settings());
  ASSERT_NE(back.topology.layout, nullptr);
  EXPECT_EQ(back.topology.layout->rack_of, world.settings().topology.layout->rack_of) << "derived tables rebuilt";
  EXPECT_EQ(RackName(back.topology, RackOf(back.topology, 25)), "b01");
  // States written before topology files load with no layout.
  Json old = stored;
  old["topology"].erase("layout");
  EXPECT_EQ(old.get<SimSettings>().topology.layout, nullptr);
}

}  // namespace
}  // namespace cs
