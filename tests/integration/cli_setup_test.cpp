// cluster-sim setup / status / testconfig / --help, run as a user would.
#include <set>

#include "tests/integration/cli_test_util.h"

namespace cs::testing {
namespace {

std::string Num3(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", i);
  return buf;
}

std::string DevicePath(int k) { return "/dev/disk/by-id/scsi-FAKEDEVICE" + Num3(k) + "-scsi0-0-0"; }

const Json* FindServer(const Json& status, const std::string& fqdn) {
  for (const Json& s : status["servers"]) {
    if (s["fqdn"] == fqdn) return &s;
  }
  return nullptr;
}

using SetupTest = CliTest;

TEST_F(SetupTest, DefaultsThroughStatusJson) {
  const CliResult r = Run({"setup"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("8 servers"), std::string::npos) << r.out;

  const Json st = StatusJson();
  const Json& sum = st["summary"];
  EXPECT_EQ(sum["server_count"], 8);
  EXPECT_EQ(sum["worker_count"], 1);
  EXPECT_EQ(sum["volume_count"], 16);
  EXPECT_EQ(sum["nid_count"], 1);
  EXPECT_EQ(sum["cluster_size"], 4);
  EXPECT_EQ(sum["psu_count"], 1);
  EXPECT_EQ(sum["su_size"], 0);

  ASSERT_EQ(st["servers"].size(), 9u);
  std::set<std::string> fqdns;
  for (const Json& s : st["servers"]) fqdns.insert(s["fqdn"]);
  std::set<std::string> want;
  for (int i = 0; i < 8; ++i) want.insert("test" + Num3(i) + ".localdomain");
  want.insert("worker000.localdomain");
  EXPECT_EQ(fqdns, want);

  for (int i = 0; i < 8; ++i) {
    const Json* s = FindServer(st, "test" + Num3(i) + ".localdomain");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ((*s)["nodename"], "test" + Num3(i));
    EXPECT_EQ((*s)["worker"], false);
    EXPECT_EQ((*s)["nids"], Json::array({"10.0.0." + std::to_string(i) + "@tcp0"}));
    EXPECT_EQ((*s)["volumes"], 16);
    EXPECT_EQ((*s)["cluster"], i / 4);
    EXPECT_EQ((*s)["outlet"], std::to_string(i + 1));
    EXPECT_EQ((*s)["has_power"], true);
  }
  const Json* w = FindServer(st, "worker000.localdomain");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ((*w)["worker"], true);
  EXPECT_TRUE((*w)["cluster"].is_null());
  EXPECT_TRUE((*w)["outlet"].is_null());

  ASSERT_EQ(st["pdus"].size(), 1u);
  const Json& pdu = st["pdus"][0];
  EXPECT_EQ(pdu["name"], "pdu000");
  EXPECT_EQ(pdu["address"], "127.0.0.1");
  EXPECT_EQ(pdu["port"], 2300);
  Json outlets = Json::object();
  for (int o = 1; o <= 8; ++o) outlets[std::to_string(o)] = true;
  EXPECT_EQ(pdu["outlets"], outlets);
  EXPECT_EQ(pdu["outlets_on"], 8);

  ASSERT_EQ(st["clusters"].size(), 2u);
  for (int c = 0; c < 2; ++c) {
    EXPECT_EQ(st["clusters"][c]["id"], c);
    std::set<std::string> nodes;
    for (const Json& n : st["clusters"][c]["nodes"]) nodes.insert(n["nodename"]);
    std::set<std::string> want_nodes;
    for (int i = 4 * c; i < 4 * c + 4; ++i) want_nodes.insert("test" + Num3(i));
    EXPECT_EQ(nodes, want_nodes) << "cluster " << c;
  }
  EXPECT_TRUE(st["controllers"].empty());

  ExpectCheckOk();

  // The text form names the fleet too.
  const CliResult text = Run({"status"});
  EXPECT_EQ(text.exit_code, 0) << text.Describe();
  EXPECT_NE(text.out.find("test007.localdomain"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("pdu000"), std::string::npos) << text.out;
}

TEST_F(SetupTest, DefaultsThroughExport) {
  Setup();
  const auto files = Export("export");
  for (const char* f : {"simulator.json", "devices.json", "fake_power_control.json",
                        "fake_cluster_0.json", "fake_cluster_1.json", "pdu_sim_pdu000.json",
                        "fake_server_worker000.localdomain.json"}) {
    EXPECT_TRUE(files.count(f)) << f;
  }
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(files.count("fake_server_test" + Num3(i) + ".localdomain.json")) << i;
  EXPECT_FALSE(files.count("fake_server_test008.localdomain.json"));
  EXPECT_FALSE(files.count("fake_cluster_2.json"));
  for (const auto& [name, text] : files) {
    EXPECT_EQ(name.find("fake_controller_"), std::string::npos) << name;
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
  }

  const Json server = ExportedJson("export", "fake_server_test003.localdomain.json");
  EXPECT_EQ(server["fqdn"], "test003.localdomain");
  EXPECT_EQ(server["nodename"], "test003");
  ASSERT_TRUE(server.contains("network_interfaces")) << server.dump(2);
  ASSERT_TRUE(server["network_interfaces"].contains("10.0.0.3")) << server.dump(2);
  EXPECT_EQ(server["network_interfaces"].size(), 1u);

  const Json devices = ExportedJson("export", "devices.json");
  ASSERT_EQ(devices["devices"].size(), 16u);
  for (int k = 0; k < 16; ++k) {
    const std::string serial = "FAKEDEVICE" + Num3(k);
    ASSERT_TRUE(devices["devices"].contains(serial)) << serial;
    EXPECT_EQ(devices["devices"][serial]["serial_80"], serial);
    EXPECT_EQ(devices["devices"][serial]["serial_83"], serial);
  }
  ASSERT_EQ(devices["presentations"].size(), 8u);
  for (int i = 0; i < 8; ++i) {
    const Json& p = devices["presentations"]["test" + Num3(i) + ".localdomain"];
    ASSERT_EQ(p.size(), 16u) << p.dump();
    for (int k = 0; k < 16; ++k) EXPECT_EQ(p[DevicePath(k)], "FAKEDEVICE" + Num3(k));
  }

  const Json pdu = ExportedJson("export", "pdu_sim_pdu000.json");
  EXPECT_EQ(pdu["address"], "127.0.0.1");
  EXPECT_EQ(pdu["port"], 2300);
  EXPECT_EQ(pdu["outlets"].size(), 8u);

  const Json power = ExportedJson("export", "fake_power_control.json");
  EXPECT_EQ(power["server_outlets"]["test003.localdomain"], "4");
  EXPECT_EQ(power["outlet_servers"]["8"], "test007.localdomain");

  const Json cluster1 = ExportedJson("export", "fake_cluster_1.json");
  EXPECT_EQ(cluster1["id"], 1);
  EXPECT_EQ(cluster1["nodes"].size(), 4u);
  EXPECT_TRUE(cluster1["nodes"].contains("test005")) << cluster1.dump(2);
}

TEST_F(SetupTest, TwoNids) {
  Setup({"--nid_count", "2"});
  const Json st = StatusJson();
  EXPECT_EQ(st["summary"]["nid_count"], 2);
  for (int i = 0; i < 8; ++i) {
    const Json* s = FindServer(st, "test" + Num3(i) + ".localdomain");
    ASSERT_NE(s, nullptr);
    const std::string n = std::to_string(i);
    EXPECT_EQ((*s)["nids"], Json::array({"10.0.0." + n + "@tcp0", "10.1.0." + n + "@o2ib1"}));
  }
  ExpectCheckOk();
}

TEST_F(SetupTest, TwoPsus) {
  Setup({"--psu_count", "2"});
  const Json st = StatusJson();
  ASSERT_EQ(st["pdus"].size(), 2u);
  std::set<int> ports;
  for (const Json& p : st["pdus"]) {
    ports.insert(p["port"].get<int>());
    EXPECT_EQ(p["address"], "127.0.0.1");
    EXPECT_EQ(p["outlets"].size(), 8u);
    EXPECT_EQ(p["outlets_on"], 8);
  }
  EXPECT_EQ(ports, (std::set<int>{2300, 2301}));
  Export("export");
  EXPECT_TRUE(PathExists(Tmp("export/pdu_sim_pdu000.json")));
  EXPECT_TRUE(PathExists(Tmp("export/pdu_sim_pdu001.json")));
  ExpectCheckOk();
}

TEST_F(SetupTest, ClusterSizeTwo) {
  Setup({"--cluster_size", "2"});
  const Json st = StatusJson();
  EXPECT_EQ(st["summary"]["cluster_size"], 2);
  ASSERT_EQ(st["clusters"].size(), 4u);
  for (const Json& c : st["clusters"]) EXPECT_EQ(c["nodes"].size(), 2u);
  EXPECT_EQ((*FindServer(st, "test005.localdomain"))["cluster"], 2);
  ExpectCheckOk();
}

TEST_F(SetupTest, DashedOptionSpelling) {
  Setup({"--server-count", "4", "--worker-count", "2", "--cluster-size", "2"});
  const Json st = StatusJson();
  EXPECT_EQ(st["summary"]["server_count"], 4);
  EXPECT_EQ(st["summary"]["worker_count"], 2);
  EXPECT_EQ(st["summary"]["volume_count"], 8);
  EXPECT_EQ(st["summary"]["cluster_size"], 2);
  ExpectCheckOk();
}

TEST_F(SetupTest, ScalableUnits) {
  Setup({"--server_count", "16", "--su_size", "4"});
  const Json st = StatusJson();
  EXPECT_EQ(st["summary"]["server_count"], 16);
  EXPECT_EQ(st["summary"]["volume_count"], 32);
  EXPECT_EQ(st["summary"]["su_size"], 4);
  ASSERT_EQ(st["controllers"].size(), 4u);

  Export("export");
  const Json devices = ExportedJson("export", "devices.json");
  EXPECT_EQ(devices["devices"].size(), 32u);
  ASSERT_EQ(devices["presentations"].size(), 16u);
  // Each server sees exactly the 8 volumes of its SU; each volume is seen
  // by exactly the 4 servers of one SU.
  std::map<std::string, std::set<std::string>> seen_by;
  std::map<std::string, std::set<std::string>> sees;
  for (const auto& [fqdn, paths] : devices["presentations"].items()) {
    EXPECT_EQ(paths.size(), 8u) << fqdn;
    for (const auto& [path, serial] : paths.items()) {
      EXPECT_EQ(path, "/dev/disk/by-id/scsi-" + serial.get<std::string>() + "-scsi0-0-0");
      seen_by[serial].insert(fqdn);
      sees[fqdn].insert(serial);
    }
  }
  EXPECT_EQ(seen_by.size(), 32u);
  for (const auto& [serial, servers] : seen_by) EXPECT_EQ(servers.size(), 4u) << serial;
  // Servers of one SU see the same set; different SUs see disjoint sets.
  std::set<std::set<std::string>> distinct;
  for (const auto& [fqdn, serials] : sees) distinct.insert(serials);
  EXPECT_EQ(distinct.size(), 4u);

  std::set<std::string> luns_total;
  for (int c = 1; c <= 4; ++c) {
    const std::string file = "fake_controller_" + std::to_string(c) + ".json";
    ASSERT_TRUE(PathExists(Tmp("export/" + file))) << file;
    const Json controller = ExportedJson("export", file);
    ASSERT_EQ(controller["luns"].size(), 8u) << file;
    std::set<std::string> luns;
    for (const auto& [serial, lun] : controller["luns"].items()) {
      luns.insert(serial);
      EXPECT_EQ(lun["wwids"].size(), 10u) << file << " " << serial;
      EXPECT_TRUE(luns_total.insert(serial).second) << serial << " owned by two controllers";
    }
    // The controller's LUNs are exactly what one SU's servers see.
    EXPECT_TRUE(distinct.count(luns)) << file;
    EXPECT_EQ(controller["disks"].size(), 80u) << file;
  }
  EXPECT_FALSE(PathExists(Tmp("export/fake_controller_5.json")));
  ExpectCheckOk();
}

TEST_F(SetupTest, SetupTwiceChangesNothing) {
  Setup();
  const auto first = Export("first");
  const Json status1 = StatusJson();
  Setup();
  const auto second = Export("second");
  EXPECT_EQ(first, second);
  EXPECT_EQ(status1, StatusJson());
  ExpectCheckOk();
}

TEST_F(SetupTest, ExtendSanFleet) {
  Setup({"--server_count", "8"});
  Setup({"--server_count", "12"});
  const Json st = StatusJson();
  EXPECT_EQ(st["summary"]["server_count"], 12);
  EXPECT_EQ(st["summary"]["volume_count"], 24);
  EXPECT_EQ(st["summary"]["worker_count"], 1);
  EXPECT_EQ(st["clusters"].size(), 3u);
  for (const Json& s : st["servers"]) {
    if (!s["worker"].get<bool>()) {
      EXPECT_EQ(s["volumes"], 24) << s["fqdn"];
    }
  }
  Export("export");
  const Json devices = ExportedJson("export", "devices.json");
  ASSERT_EQ(devices["presentations"].size(), 12u);
  for (const auto& [fqdn, paths] : devices["presentations"].items()) {
    ASSERT_EQ(paths.size(), 24u) << fqdn;
    for (int k = 0; k < 24; ++k) EXPECT_TRUE(paths.contains(DevicePath(k))) << fqdn << " " << k;
  }
  EXPECT_EQ(st["pdus"][0]["outlets"].size(), 12u);
  ExpectCheckOk();
}

TEST_F(SetupTest, ExtendSuFleetRemembersSuSize) {
  Setup({"--server_count", "8", "--su_size", "4"});
  Setup({"--server_count", "12"});
  const Json st = StatusJson();
  EXPECT_EQ(st["summary"]["server_count"], 12);
  EXPECT_EQ(st["summary"]["su_size"], 4);
  EXPECT_EQ(st["summary"]["volume_count"], 24);
  EXPECT_EQ(st["controllers"].size(), 3u);
  for (const Json& s : st["servers"]) {
    if (!s["worker"].get<bool>()) {
      EXPECT_EQ(s["volumes"], 8) << s["fqdn"];
    }
  }
  ExpectCheckOk();
}

TEST_F(SetupTest, TestConfigMatchesContract) {
  Setup();
  const CliResult r = Run({"testconfig"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  const Json tc = Json::parse(r.out, nullptr, false);
  ASSERT_FALSE(tc.is_discarded()) << r.out;
  EXPECT_EQ(tc["simulator"], true);
  ASSERT_EQ(tc["lustre_servers"].size(), 9u);
  int servers = 0, workers = 0;
  for (const Json& h : tc["lustre_servers"]) {
    if (h["profile"] == "base_managed_rh7") {
      ++servers;
      EXPECT_EQ(h["device_paths"].size(), 16u) << h.dump();
    } else {
      EXPECT_EQ(h["profile"], "posix_copytool_worker");
      EXPECT_EQ(h["fqdn"], "worker000.localdomain");
      ++workers;
    }
  }
  EXPECT_EQ(servers, 8);
  EXPECT_EQ(workers, 1);
  EXPECT_EQ(tc["lustre_servers"][0]["fqdn"], "test000.localdomain");
  ASSERT_EQ(tc["pdu_outlets"].size(), 8u);
  for (const Json& o : tc["pdu_outlets"]) {
    EXPECT_EQ(o["pdu"], "127.0.0.1:2300");
    EXPECT_TRUE(o["host"].is_string());
    EXPECT_TRUE(o["identifier"].is_string());
  }
  EXPECT_EQ(tc["pdu_outlets"][2]["host"], "test002.localdomain");
  EXPECT_EQ(tc["pdu_outlets"][2]["identifier"], "3");

  const std::string committed = ReadFile(CS_SOURCE_DIR "/simulator.json");
  ASSERT_FALSE(committed.empty()) << CS_SOURCE_DIR "/simulator.json is missing";
  const Json want = Json::parse(committed, nullptr, false);
  ASSERT_FALSE(want.is_discarded());
  EXPECT_EQ(tc, want) << "testconfig differs from the repository's simulator.json:\n" << tc.dump(2);
}

TEST_F(SetupTest, Help) {
  const CliResult r = RunCli({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  for (const char* command : {"setup", "status", "check", "state", "testconfig"}) {
    EXPECT_NE(r.out.find(command), std::string::npos) << command << "\n" << r.out;
  }
  const CliResult setup_help = RunCli({"setup", "--help"});
  EXPECT_EQ(setup_help.exit_code, 0) << setup_help.Describe();
  EXPECT_NE(setup_help.out.find("--server_count"), std::string::npos) << setup_help.out;
  EXPECT_NE(setup_help.out.find("--su_size"), std::string::npos) << setup_help.out;
}

}  // namespace
}  // namespace cs::testing
