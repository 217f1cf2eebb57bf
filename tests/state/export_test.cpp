#include "state/export.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fakes/fleet.h"
#include "tests/state/temp_dir.h"

namespace cs {
namespace {

using cs::testing::TempDir;
namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void MakeRichWorld(World& w) {
  ManualClock clock(WallTime(std::chrono::microseconds(1700000000123456LL)));
  FleetSpec spec;
  spec.server_count = 8;
  spec.su_size = 4;
  spec.psu_count = 2;
  spec.nid_count = 2;
  ASSERT_TRUE(SetupFleet(w, spec, clock).ok());
  Cluster* c = w.clusters.Mutable("0");
  ASSERT_TRUE(c->Configure("test000", "/dev/x", "MGS_1", "u1", true, "/mnt/mgs").ok());
  ASSERT_TRUE(c->Configure("test001", "/dev/x", "MGS_1", "u1", false, "/mnt/mgs").ok());
  ASSERT_TRUE(c->Start("MGS_1").ok());
  LustreTarget t;
  t.label = "MGS";
  t.uuid = "u1";
  t.mgsnode = "10.0.0.0@tcp0,10.1.0.0@o2ib1";
  w.targets.Put("FAKEDEVICE000", t);
  Mgt m;
  m.conf_params["testfs.llite.max_cached_mb"] = "16";
  w.mgts.Put(t.mgsnode, m);
  w.volumes.Mutable("FAKEDEVICE003")->local_filesystem = "ext4";
  w.pdus.Mutable("pdu001")->outlets["2"] = false;
  w.clients.Put("imaginary_client", LustreClient{"imaginary_client", {{t.mgsnode, "testfs"}}});
  Copytool ct;
  ct.id = "7";
  ct.server = "worker000.localdomain";
  ct.copytool = Json{{"id", "7"}, {"index", 0}, {"filesystem", "testfs"}};
  ct.running = true;
  w.copytools.Put(ct.id, ct);
}

TEST(ExportTest, WritesTheOriginalLayout) {
  TempDir tmp;
  World w;
  MakeRichWorld(w);
  ASSERT_TRUE(ExportOriginalLayout(w, tmp.path()).ok());
  for (const char* name : {"simulator.json", "devices.json", "fake_power_control.json",
                           "fake_server_test000.localdomain.json", "fake_cluster_0.json",
                           "fake_cluster_1.json", "pdu_sim_pdu000.json", "pdu_sim_pdu001.json",
                           "fake_controller_1.json", "fake_controller_2.json",
                           "fake_client_imaginary_client.json",
                           "fake_hsm_copytool-7.json"}) {
    EXPECT_TRUE(fs::exists(tmp.Sub(name))) << name;
  }
  Json devices = Json::parse(ReadFile(tmp.Sub("devices.json")));
  for (const char* key : {"devices", "presentations", "targets", "mgts", "local_filesystems"}) {
    EXPECT_TRUE(devices.contains(key)) << key;
  }
  EXPECT_EQ(devices["local_filesystems"]["FAKEDEVICE003"], "ext4");
  EXPECT_FALSE(devices["devices"]["FAKEDEVICE003"].contains("local_filesystem"));
  Json power = Json::parse(ReadFile(tmp.Sub("fake_power_control.json")));
  EXPECT_EQ(power["server_outlets"]["test002.localdomain"], "3");
  EXPECT_EQ(power["outlet_servers"]["3"], "test002.localdomain");
  Json simulator = Json::parse(ReadFile(tmp.Sub("simulator.json")));
  EXPECT_EQ(simulator["cluster_size"], 4);
  EXPECT_EQ(simulator["packages"]["server"]["lustre"], Json::array({0, "2.1.4", "1", "x86_64"}));
  for (const auto& entry : fs::directory_iterator(tmp.path())) {
    EXPECT_EQ(entry.path().extension(), ".json") << "no temporary file left: " << entry.path();
  }
}

TEST(ExportTest, ImportThenExportIsByteIdentical) {
  TempDir tmp;
  World w;
  MakeRichWorld(w);
  ASSERT_TRUE(ExportOriginalLayout(w, tmp.Sub("a")).ok());
  World back;
  ASSERT_TRUE(ImportOriginalLayout(tmp.Sub("a"), back).ok());
  ASSERT_TRUE(ExportOriginalLayout(back, tmp.Sub("b")).ok());
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(tmp.Sub("a"))) {
    ++files;
    const fs::path other = fs::path(tmp.Sub("b")) / entry.path().filename();
    ASSERT_TRUE(fs::exists(other)) << other;
    EXPECT_EQ(ReadFile(entry.path()), ReadFile(other)) << entry.path().filename();
  }
  EXPECT_EQ(files, static_cast<size_t>(std::distance(fs::directory_iterator(tmp.Sub("b")), fs::directory_iterator())));
  EXPECT_EQ(back.servers.all(), w.servers.all());
  EXPECT_EQ(back.clusters.all(), w.clusters.all());
  EXPECT_EQ(back.volumes.all(), w.volumes.all());
  EXPECT_EQ(back.targets.all(), w.targets.all());
  EXPECT_EQ(back.pdus.all(), w.pdus.all());
  EXPECT_EQ(back.controllers.all(), w.controllers.all());
  EXPECT_EQ(back.clients.all(), w.clients.all());
  EXPECT_EQ(back.copytools.all(), w.copytools.all());
  EXPECT_EQ(back.settings(), w.settings());
}

TEST(ExportTest, ImportReadsOutletsFromTheOriginalPowerFile) {
  TempDir tmp;
  World w;
  MakeRichWorld(w);
  ASSERT_TRUE(ExportOriginalLayout(w, tmp.path()).ok());
  // The original's server files had no "outlet" key.
  Json server = Json::parse(ReadFile(tmp.Sub("fake_server_test002.localdomain.json")));
  server.erase("outlet");
  std::ofstream(tmp.Sub("fake_server_test002.localdomain.json")) << server.dump();
  World back;
  ASSERT_TRUE(ImportOriginalLayout(tmp.path(), back).ok());
  EXPECT_EQ(back.servers.Find("test002.localdomain")->outlet, "3");
  EXPECT_FALSE(back.HasChanges());
}

TEST(ExportTest, ImportErrorsNameTheFile) {
  TempDir tmp;
  World w;
  EXPECT_EQ(ImportOriginalLayout(tmp.Sub("missing"), w).code(), Status::Code::kNotFound);
  MakeRichWorld(w);
  ASSERT_TRUE(ExportOriginalLayout(w, tmp.path()).ok());
  std::ofstream(tmp.Sub("fake_cluster_1.json")) << "{ not json";
  World back;
  Status s = ImportOriginalLayout(tmp.path(), back);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("fake_cluster_1.json"), std::string::npos);
  std::ofstream(tmp.Sub("fake_cluster_1.json")) << R"({"id": "one"})";
  World again;
  s = ImportOriginalLayout(tmp.path(), again);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("fake_cluster_1.json"), std::string::npos);
}

}  // namespace
}  // namespace cs
