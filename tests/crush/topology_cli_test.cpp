// `cluster-sim setup --topology FILE` through the binary: the file's rows,
// racks and feeds show in `status --json` and `status`, `testconfig` wires
// each PSU to its own PDU, the state's export imports back to the same
// fleet, `crush map` follows the file and the real crushtool compiles it and
// maps as `crush test` does; a file that does not parse or does not fit
// exits 2 and writes nothing.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <filesystem>

#include "fakes/json_helpers.h"
#include "tests/crush/crushtool.h"

namespace cs {
namespace {

using crush::testing::RunCommand;

const std::string kExample = std::string(CS_SOURCE_DIR) + "/docs/topology-example.yaml";

class TopologyCliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = crush::testing::ScratchDir("topology-cli"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Cli(const std::string& config = "state") const {
    return std::string(CS_BINARY_DIR) + "/cluster-sim --config " + (dir_ / config).string();
  }
  Json StatusJson(const std::string& config = "state") const {
    auto r = RunCommand(Cli(config) + " status --json");
    EXPECT_EQ(r.status, 0) << r.out;
    return Json::parse(r.out);
  }
  static const Json* ServerNamed(const Json& status, const std::string& nodename) {
    for (const Json& s : status["servers"]) {
      if (s["nodename"] == nodename) return &s;
    }
    return nullptr;
  }
  // Runs setup with `args`, expecting exit 2, a message containing `expected`
  // and no state written.
  void ExpectRefused(const std::string& args, const std::string& expected) {
    auto r = RunCommand(Cli("refused") + " setup " + args + " 2>&1");
    EXPECT_EQ(WEXITSTATUS(r.status), 2) << args << ": " << r.out;
    EXPECT_NE(r.out.find(expected), std::string::npos) << args << ": " << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir_ / "refused" / "state.db")) << args;
  }
  std::filesystem::path dir_;
};

TEST_F(TopologyCliTest, StatusShowsTheFilesLocationsAndFeeds) {
  auto setup = RunCommand(Cli() + " setup --topology " + kExample + " 2>&1");
  ASSERT_EQ(setup.status, 0) << setup.out;
  EXPECT_NE(setup.out.find("32 servers"), std::string::npos) << setup.out;
  const Json status = StatusJson();
  const Json* s13 = ServerNamed(status, "test013");
  ASSERT_NE(s13, nullptr);
  EXPECT_EQ((*s13)["location"],
            Json::parse(R"({"root": "dc1", "row": "row-a", "rack": "a02", "host": "test013",
                            "pdus": ["a02-aux", "a02-left"], "controller": 2})"));
  EXPECT_EQ((*s13)["outlet"], "6");
  EXPECT_EQ((*ServerNamed(status, "test026"))["location"]["rack"], "b01");
  EXPECT_EQ((*ServerNamed(status, "test026"))["location"]["row"], "row-b");
  EXPECT_EQ((*ServerNamed(status, "test029"))["location"]["pdus"], Json::parse(R"(["b02-pdu0"])"));
  EXPECT_EQ((*ServerNamed(status, "test008"))["cluster"], 0) << "position 0 of a02: cluster 0 (cluster_spread rack)";
  EXPECT_EQ((*ServerNamed(status, "test025"))["cluster"], 5) << "position 5 of b01";
  const Json& layout = status["summary"]["topology"]["layout"];
  EXPECT_EQ(layout["root"], "dc1");
  EXPECT_EQ(layout["racks"].size(), 4u);
  for (const Json& p : status["pdus"]) {
    if (p["name"] == "a02-aux") {
      EXPECT_EQ(p["rack"], "a02");
    }
  }
  auto text = RunCommand(Cli() + " status");
  EXPECT_NE(text.out.find("Topology: from a file: root dc1, 2 rows, 4 racks, 8 clusters"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("row-b/b02"), std::string::npos);

  // testconfig: one pdu_outlets entry per PSU, at the port of that PSU's PDU.
  auto config = RunCommand(Cli() + " testconfig");
  ASSERT_EQ(config.status, 0);
  const Json tc = Json::parse(config.out);
  std::map<std::string, int> port_of;
  for (const Json& p : status["pdus"]) port_of[p["name"]] = p["port"];
  std::set<std::string> feeds_of_13;
  for (const Json& o : tc["pdu_outlets"]) {
    if (o["host"] != (*s13)["fqdn"]) continue;
    EXPECT_EQ(o["identifier"], "6");
    feeds_of_13.insert(o["pdu"].get<std::string>());
  }
  EXPECT_EQ(feeds_of_13, (std::set<std::string>{"127.0.0.1:" + std::to_string(port_of["a02-aux"]),
                                                 "127.0.0.1:" + std::to_string(port_of["a02-left"])}));
  auto check = RunCommand(Cli() + " check");
  EXPECT_EQ(check.status, 0) << check.out;
}

TEST_F(TopologyCliTest, TheExportImportsBackToTheSameFleet) {
  ASSERT_EQ(RunCommand(Cli() + " setup --topology " + kExample).status, 0);
  const std::string exported = (dir_ / "export").string();
  auto ex = RunCommand(Cli() + " state export " + exported + " 2>&1");
  ASSERT_EQ(ex.status, 0) << ex.out;
  auto im = RunCommand(Cli("imported") + " state import " + exported + " 2>&1");
  ASSERT_EQ(im.status, 0) << im.out;
  Json a = StatusJson(), b = StatusJson("imported");
  EXPECT_EQ(a["summary"]["topology"], b["summary"]["topology"]);
  EXPECT_EQ(a["servers"], b["servers"]);
  EXPECT_EQ(a["pdus"], b["pdus"]);
  EXPECT_EQ(RunCommand(Cli() + " crush map").out, RunCommand(Cli("imported") + " crush map").out);
}

TEST_F(TopologyCliTest, TheCrushMapFollowsTheFileAndCrushtoolAgrees) {
  ASSERT_TRUE(crush::testing::HaveCrushtool());
  ASSERT_EQ(RunCommand(Cli() + " setup --topology " + kExample).status, 0);
  auto map = RunCommand(Cli() + " crush map");
  ASSERT_EQ(map.status, 0);
  for (const char* expected : {"root dc1 {", "row row-b {", "rack a02 {", "\titem test013 weight 1.000",
                               "step take dc1", "\titem b01 weight 8.000"}) {
    EXPECT_NE(map.out.find(expected), std::string::npos) << expected << "\n" << map.out;
  }
  const std::string compiled = (dir_ / "m").string();
  auto c = RunCommand(Cli() + " crush map | crushtool -c /dev/stdin -o " + compiled + " 2>&1");
  ASSERT_EQ(c.status, 0) << c.out;
  for (const char* rule : {"0", "1", "2"}) {
    const std::string flags = std::string(" --test --show-mappings --show-bad-mappings --num-rep 2 --min-x 0 --max-x 1023 --rule ") + rule;
    auto theirs = RunCommand("crushtool -i " + compiled + flags + " 2>/dev/null");
    auto ours = RunCommand(Cli() + " crush test" + flags.substr(7) + " 2>/dev/null");
    EXPECT_EQ(ours.status, 0);
    EXPECT_EQ(ours.out, theirs.out) << "rule " << rule;
    EXPECT_NE(ours.out.find("x 1023 ["), std::string::npos);
  }
  // by_rack places an HA pair in two racks of the file.
  auto place = RunCommand(Cli() + " crush place --rule by_rack --count 4 --json");
  ASSERT_EQ(place.status, 0) << place.out;
  for (const Json& p : Json::parse(place.out)) EXPECT_NE(p["primary_domain"], p["secondary_domain"]) << p;
}

TEST_F(TopologyCliTest, BadFilesExitTwoAndWriteNothing) {
  const std::filesystem::path bad = dir_ / "bad.yaml";
  crush::testing::WriteFile(bad, "rows:\n  - racks: [ {count: 8}\n");
  ExpectRefused("--topology " + bad.string(), bad.string() + ":3:1: not valid YAML");
  crush::testing::WriteFile(bad, "rows:\n  - racks:\n      - {count: 8, colour: red}\n");
  ExpectRefused("--topology " + bad.string(), bad.string() + ":3:20: unknown key 'colour' in a rack");
  ExpectRefused("--topology " + kExample + " --server_count 40",
                ":5:1: the file places 32 of the fleet's 40 servers (--server_count): 32-39 are in no rack");
  ExpectRefused("--topology " + kExample + " --server_count 24",
                ":22:18: server index 27 is beyond the fleet's 24 servers (indexes 0-23; see --server_count)");
  ExpectRefused("--topology " + kExample + " --rack_size 8", "--rack_size cannot be used with --topology");
  ExpectRefused("--topology " + kExample + " --su_size 4", "su_size 8 conflicts with --su_size 4");
  ExpectRefused("--topology " + (dir_ / "absent.yaml").string(), "cannot read the topology file");

  // On an existing fleet: refused, and the fleet is as it was.
  ASSERT_EQ(RunCommand(Cli() + " setup --topology " + kExample).status, 0);
  const Json before = StatusJson();
  crush::testing::WriteFile(bad, "rows:\n  - racks: [{count: 32}]\n");
  auto r = RunCommand(Cli() + " setup --topology " + bad.string() + " 2>&1");
  EXPECT_EQ(WEXITSTATUS(r.status), 2) << r.out;
  EXPECT_NE(r.out.find("cannot change"), std::string::npos) << r.out;
  EXPECT_EQ(StatusJson(), before);
  auto again = RunCommand(Cli() + " setup --topology " + kExample + " 2>&1");
  EXPECT_EQ(again.status, 0) << again.out;
  EXPECT_EQ(StatusJson(), before) << "the same file again changes nothing";
}

}  // namespace
}  // namespace cs
