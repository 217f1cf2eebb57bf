// cluster-power against the PDUs of a running `cluster-sim run`: it switches
// outlets and reads them over the PDUs' telnet consoles, and Debian's real
// fence_apc sees the same outlets. Bad input exits 2 and switches nothing; a
// PDU that is not listening is exit 1 with a message that says so.
#include <gtest/gtest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "tests/integration/daemon_process.h"
#include "tests/integration/run_cli.h"

namespace cs::testing {
namespace {

using Json = nlohmann::json;

class ClusterPowerTest : public ::testing::Test {
 protected:
  void SetUpFleet(int servers, int psus, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"setup", "--server_count", std::to_string(servers), "--psu_count",
                                     std::to_string(psus), "--worker_count", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliResult setup = RunWithConfig(dir.path(), args);
    ASSERT_EQ(setup.exit_code, 0) << setup.Describe();
    offset = UniquePortOffset();
  }
  void StartDaemon() {
    daemon = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"--config", dir.path(), "run", "--pdu-port-offset", std::to_string(offset),
                                 "--boot-seconds", "0.3", "--pdu-reboot-seconds", "0.3", "--control-listen",
                                 "127.0.0.1:0"},
        dir.Sub("daemon.log"));
    ASSERT_TRUE(daemon->WaitForOutput("running 0 registered servers")) << daemon->Output();
  }
  CliResult Power(std::vector<std::string> args) {
    std::vector<std::string> all = {"--config", dir.path(), "--pdu-port-offset", std::to_string(offset)};
    all.insert(all.end(), args.begin(), args.end());
    return RunProgram(CS_POWER_BINARY, all);
  }
  // fence_apc's status: 0 on, 2 off; `pdu` counts from the first PDU's port 2300.
  int FenceStatus(int pdu, int outlet) {
    CliResult r = RunProgram("/usr/sbin/fence_apc", {"--ip", "127.0.0.1", "--ipport", std::to_string(2300 + offset + pdu),
                                                     "-l", "apc", "-p", "apc", "-n", std::to_string(outlet), "-o",
                                                     "status"});
    return r.exit_code;
  }
  Json Server(const std::string& fqdn) {
    Json j = Json::parse(RunWithConfig(dir.path(), {"status", "--json"}).out, nullptr, false);
    if (j.is_discarded()) return Json();
    for (const Json& s : j["servers"]) {
      if (s["fqdn"] == fqdn) return s;
    }
    return Json();
  }
  void TearDown() override {
    if (daemon) {
      EXPECT_EQ(daemon->Stop(), 0) << daemon->Output();
    }
  }

  TempDir dir;
  int offset = 0;
  std::unique_ptr<DaemonProcess> daemon;
};

TEST_F(ClusterPowerTest, StatusAndSwitchingThroughTheConsoles) {
  SetUpFleet(3, 2);
  StartDaemon();
  CliResult pdus = Power({"status", "pdus"});
  ASSERT_EQ(pdus.exit_code, 0) << pdus.Describe();
  EXPECT_NE(pdus.out.find("pdu000:\n  test000.localdomain (1): ON\n  test001.localdomain (2): ON\n"), std::string::npos)
      << pdus.out;
  EXPECT_NE(pdus.out.find("pdu001:\n"), std::string::npos) << pdus.out;

  CliResult off = Power({"server", "test001.localdomain", "off"});
  ASSERT_EQ(off.exit_code, 0) << off.Describe();
  EXPECT_EQ(off.out, "pdu000 outlet 2: off\npdu001 outlet 2: off\n");
  EXPECT_EQ(Server("test001.localdomain")["power_state"], "off");
  EXPECT_EQ(FenceStatus(0, 2), 2) << "fence_apc sees the outlet off";
  EXPECT_EQ(FenceStatus(1, 2), 2);
  EXPECT_EQ(FenceStatus(0, 1), 0);

  CliResult servers = Power({"status", "servers", "--json"});
  ASSERT_EQ(servers.exit_code, 0) << servers.Describe();
  const Json j = Json::parse(servers.out);
  ASSERT_EQ(j.size(), 3u) << "the worker has no PSU: " << servers.out;
  EXPECT_EQ(j[1]["fqdn"], "test001.localdomain");
  EXPECT_EQ(j[1]["has_power"], false);
  EXPECT_EQ(j[1]["outlets"][0], (Json{{"pdu", "pdu000"}, {"outlet", 2}, {"on", false}}));
  EXPECT_EQ(j[0]["has_power"], true);
  CliResult text = Power({"status", "servers"});
  EXPECT_NE(text.out.find("test001.localdomain\n  pdu000 (2): OFF\n  pdu001 (2): OFF\n"), std::string::npos)
      << text.out;

  // One PDU back on is enough to boot it.
  ASSERT_EQ(Power({"pdu", "pdu001", "2", "on"}).exit_code, 0);
  ASSERT_TRUE(Eventually([&] { return Server("test001.localdomain")["power_state"] == "running"; }));
  EXPECT_EQ(FenceStatus(1, 2), 0);
  EXPECT_EQ(FenceStatus(0, 2), 2);

  const std::string boot = Server("test002.localdomain")["boot_time"];
  CliResult all = Power({"server", "all", "reboot"});
  ASSERT_EQ(all.exit_code, 0) << all.Describe();
  EXPECT_NE(all.out.find("pdu001 outlet 3: reboot"), std::string::npos) << all.out;
  ASSERT_TRUE(Eventually([&] {
    const Json s = Server("test002.localdomain");
    return s["power_state"] == "running" && s["boot_time"] != boot;
  }));
}

// A racked fleet: each rack has its own two PDUs, and a server is on outlet
// (its position in the rack) + 1 of both. cluster-power lists each PDU with
// only its rack's servers and switches a server on exactly its rack's PDUs,
// which fence_apc sees at each PDU's own port.
TEST_F(ClusterPowerTest, PerRackPdusListAndSwitchOnlyTheirRacksOutlets) {
  SetUpFleet(4, 2, {"--rack_size", "2"});
  StartDaemon();
  std::map<std::string, int> port;  // PDU name -> saved port - 2300
  const Json fleet = Json::parse(RunWithConfig(dir.path(), {"status", "--json"}).out);
  for (const Json& p : fleet["pdus"]) port[p["name"].get<std::string>()] = p["port"].get<int>() - 2300;
  ASSERT_EQ(port.size(), 4u) << fleet["pdus"].dump();
  for (const char* name : {"rack000-pdu0", "rack000-pdu1", "rack001-pdu0", "rack001-pdu1"}) {
    ASSERT_TRUE(port.count(name)) << name << " in " << fleet["pdus"].dump();
  }

  CliResult pdus = Power({"status", "pdus"});
  ASSERT_EQ(pdus.exit_code, 0) << pdus.Describe();
  EXPECT_NE(pdus.out.find("rack000-pdu0:\n  test000.localdomain (1): ON\n  test001.localdomain (2): ON\n"), std::string::npos)
      << pdus.out;
  EXPECT_NE(pdus.out.find("rack001-pdu1:\n  test002.localdomain (1): ON\n  test003.localdomain (2): ON\n"), std::string::npos)
      << pdus.out;
  const CliResult pdus_json = Power({"status", "pdus", "--json"});
  ASSERT_EQ(pdus_json.exit_code, 0) << pdus_json.Describe();
  const Json listed = Json::parse(pdus_json.out);
  ASSERT_EQ(listed.size(), 4u) << pdus_json.out;
  for (const Json& p : listed) {
    const std::string rack = p["name"].get<std::string>().substr(0, 7);
    ASSERT_EQ(p["outlets"].size(), 2u) << "only its rack's two servers: " << p.dump();
    for (const Json& o : p["outlets"]) {
      const int server = std::stoi(o["server"].get<std::string>().substr(4, 3));
      EXPECT_EQ(rack, server / 2 == 0 ? "rack000" : "rack001") << p.dump();
    }
  }

  CliResult off = Power({"server", "test003.localdomain", "off"});
  ASSERT_EQ(off.exit_code, 0) << off.Describe();
  EXPECT_EQ(off.out, "rack001-pdu0 outlet 2: off\nrack001-pdu1 outlet 2: off\n");
  EXPECT_EQ(Server("test003.localdomain")["power_state"], "off");
  EXPECT_EQ(Server("test002.localdomain")["power_state"], "running");
  EXPECT_EQ(Server("test001.localdomain")["power_state"], "running") << "outlet 2 of rack000's PDUs is another server";
  EXPECT_EQ(FenceStatus(port["rack001-pdu0"], 2), 2) << "fence_apc sees the outlet off";
  EXPECT_EQ(FenceStatus(port["rack001-pdu1"], 2), 2);
  EXPECT_EQ(FenceStatus(port["rack000-pdu0"], 2), 0);
  EXPECT_EQ(FenceStatus(port["rack000-pdu1"], 2), 0);
  EXPECT_EQ(FenceStatus(port["rack001-pdu0"], 1), 0);

  CliResult servers = Power({"status", "servers", "--json"});
  ASSERT_EQ(servers.exit_code, 0) << servers.Describe();
  const Json j = Json::parse(servers.out);
  ASSERT_EQ(j.size(), 4u) << servers.out;
  EXPECT_EQ(j[3]["fqdn"], "test003.localdomain");
  EXPECT_EQ(j[3]["has_power"], false);
  EXPECT_EQ(j[3]["outlets"], (Json::array({{{"pdu", "rack001-pdu0"}, {"outlet", 2}, {"on", false}},
                                            {{"pdu", "rack001-pdu1"}, {"outlet", 2}, {"on", false}}})));

  // A server's outlet on another rack's PDU does not exist; the rack's own PDU boots it.
  EXPECT_NE(Power({"pdu", "rack000-pdu1", "3", "on"}).exit_code, 0);
  ASSERT_EQ(Power({"pdu", "rack001-pdu1", "2", "on"}).exit_code, 0);
  ASSERT_TRUE(Eventually([&] { return Server("test003.localdomain")["power_state"] == "running"; }));
  EXPECT_EQ(FenceStatus(port["rack001-pdu1"], 2), 0);
  EXPECT_EQ(FenceStatus(port["rack001-pdu0"], 2), 2);
}

TEST_F(ClusterPowerTest, BadInputExitsTwoAndSwitchesNothing) {
  SetUpFleet(2, 1);
  StartDaemon();
  const std::vector<std::vector<std::string>> bad = {
      {"pdu", "pdu009", "1", "off"},  {"pdu", "pdu000", "99", "off"},     {"pdu", "pdu000", "x", "off"},
      {"pdu", "pdu000", "1", "boom"}, {"server", "nosuch", "off"},         {"server", "worker000.localdomain", "off"},
      {"server", "all", "down"},      {"status", "everything"},            {"status"},
      {"frobnicate"},                 {"pdu", "pdu000", "1", "off", "extra"}};
  for (const auto& args : bad) {
    CliResult r = Power(args);
    EXPECT_EQ(r.exit_code, 2) << r.Describe();
    EXPECT_EQ(r.ErrLines().size(), 1u) << r.Describe();
    EXPECT_EQ(r.out, "") << r.Describe();
  }
  CliResult missing = RunProgram(CS_POWER_BINARY, {"--config", dir.Sub("nothing-here"), "status", "pdus"});
  EXPECT_EQ(missing.exit_code, 2) << missing.Describe();
  EXPECT_EQ(FenceStatus(0, 1), 0);
  EXPECT_EQ(FenceStatus(0, 2), 0);
  EXPECT_EQ(Server("test000.localdomain")["power_state"], "running");
}

TEST_F(ClusterPowerTest, PdusThatDoNotListenOrRefuseTheLogin) {
  SetUpFleet(2, 1);
  CliResult status = Power({"status", "pdus", "--json"});
  EXPECT_EQ(status.exit_code, 1) << status.Describe();
  ASSERT_EQ(status.ErrLines().size(), 1u) << status.Describe();
  EXPECT_NE(status.err.find("pdu000: 127.0.0.1:"), std::string::npos) << status.err;
  EXPECT_NE(status.err.find("cluster-sim run"), std::string::npos) << status.err;
  const Json j = Json::parse(status.out);
  EXPECT_EQ(j[0]["reachable"], false);
  EXPECT_EQ(j[0]["outlets"][0]["on"], nullptr);
  EXPECT_EQ(Power({"server", "test000.localdomain", "off"}).exit_code, 1);

  StartDaemon();
  CliResult refused = Power({"--password", "wrong", "server", "test000.localdomain", "off"});
  EXPECT_EQ(refused.exit_code, 1) << refused.Describe();
  EXPECT_NE(refused.err.find("refused user 'apc'"), std::string::npos) << refused.err;
  EXPECT_EQ(Server("test000.localdomain")["power_state"], "running");
}

TEST(ClusterPowerVersion, BothCommandsSayTheirVersion) {
  CliResult power = RunProgram(CS_POWER_BINARY, {"--version"});
  EXPECT_EQ(power.exit_code, 0);
  EXPECT_EQ(power.out.rfind("cluster-power ", 0), 0u) << power.out;
  CliResult sim = RunCli({"--version"});
  EXPECT_EQ(sim.exit_code, 0);
  EXPECT_EQ(sim.out.rfind("cluster-sim ", 0), 0u) << sim.out;
}

}  // namespace
}  // namespace cs::testing
