// lustre: resource locations and mounts follow the cluster, target stats
// only where the target runs, drifting deterministically; packages once.
#include "tests/plugins/plugin_test_util.h"

namespace cs {
namespace {

constexpr const char* kOst = "testfs-OST0000";
constexpr const char* kOstResource = "testfs-OST0000_FAKEDEVICE002";

class LustrePluginTest : public PluginTest {
 protected:
  void SetUp() override {
    SetupWorld(Fleet(4, 1, 4));
    AddTarget("FAKEDEVICE002", kOst, "test000", "test001");
  }
  Json Body(const std::string& node, TestAgent& a) { return PollOne(*plugin, node, a, false); }
  static const Json& Targets(const Json& body) { return body["metrics"]["raw"]["lustre"]["target"]; }

  std::unique_ptr<DevicePlugin> plugin = MakeLustrePlugin();
  TestAgent agent0{1}, agent1{2};
};

TEST_F(LustrePluginTest, ResourceLocationsAndStatsFollowFailover) {
  EXPECT_TRUE(Body("test000", agent0)["resource_locations"][kOstResource].is_null());
  EXPECT_TRUE(Targets(Body("test000", agent0)).empty()) << "configured but not started";

  ASSERT_TRUE(ClusterOf("test000").Start(kOstResource).ok());
  Json on0 = Body("test000", agent0), on1 = Body("test001", agent1);
  EXPECT_EQ(on0["resource_locations"][kOstResource], "test000");
  EXPECT_EQ(on1["resource_locations"][kOstResource], "test000");
  EXPECT_TRUE(Targets(on0).contains(kOst));
  EXPECT_TRUE(Targets(on1).empty());
  ASSERT_EQ(on0["mounts"].size(), 1u);
  EXPECT_EQ(on0["mounts"][0]["fs_uuid"], "uuid-testfs-OST0000");
  EXPECT_EQ(on0["mounts"][0]["device"], PresentationPath("FAKEDEVICE002"));
  EXPECT_TRUE(on1["mounts"].empty());

  ASSERT_TRUE(ClusterOf("test000").Failover(kOstResource).ok());
  on0 = Body("test000", agent0);
  on1 = Body("test001", agent1);
  EXPECT_EQ(on0["resource_locations"][kOstResource], "test001");
  EXPECT_EQ(on1["resource_locations"][kOstResource], "test001");
  EXPECT_TRUE(Targets(on0).empty());
  EXPECT_TRUE(Targets(on1).contains(kOst));
  EXPECT_TRUE(on0["mounts"].empty());
  EXPECT_EQ(on1["mounts"].size(), 1u);
}

// One book serves the fleet (as the Simulator keeps it): the new server
// continues the target's series where the old one left it.
TEST_F(LustrePluginTest, AFailedOverTargetsCountersContinueOnItsNewServer) {
  ASSERT_TRUE(ClusterOf("test000").Start(kOstResource).ok());
  TestAgent fleet{1};
  Json last;
  for (int poll = 0; poll < 3; ++poll) last = Targets(Body("test000", fleet))[kOst];
  ASSERT_TRUE(ClusterOf("test000").Failover(kOstResource).ok());
  const Json next = Targets(Body("test001", fleet))[kOst];
  for (const char* key : {"read_bytes", "write_bytes"}) {
    EXPECT_GE(next["stats"][key]["sum"], last["stats"][key]["sum"]) << key;
    EXPECT_GE(next["stats"][key]["count"], last["stats"][key]["count"]) << key;
  }
  TestAgent fresh{1};
  ASSERT_TRUE(ClusterOf("test000").Failback(kOstResource).ok());
  for (int poll = 0; poll < 4; ++poll) Body("test000", fresh);
  EXPECT_EQ(Targets(Body("test000", fresh))[kOst], Targets(Body("test000", fleet))[kOst])
      << "the fifth reading, wherever the first four were made";
}

// The device_plugin action's reading (kPeek) reports the statistics as the
// last poll left them and does not move the series.
TEST_F(LustrePluginTest, APeekingReadLeavesTheSeriesAlone) {
  ASSERT_TRUE(ClusterOf("test000").Start(kOstResource).ok());
  TestAgent polled{4}, peeked{4};
  Body("test000", polled);
  Body("test000", peeked);
  PluginContext peek{world, ServerNamed("test000"), clock.Now(), peeked.random, peeked.stats, &peeked.pending};
  peek.stats_read = StatsBook::Read::kPeek;
  const Json a = plugin->StartSession(peek).front(), b = plugin->StartSession(peek).front();
  EXPECT_EQ(a["metrics"], b["metrics"]);
  EXPECT_EQ(Targets(a)[kOst], peeked.stats.Target(*world.targets.Find("FAKEDEVICE002"), kVolumeSizeBytes, clock.Now(),
                                                  StatsBook::Read::kPeek));
  EXPECT_EQ(Body("test000", polled)["metrics"], Body("test000", peeked)["metrics"]);
}

TEST_F(LustrePluginTest, OtherClustersAndWorkersSeeNoResources) {
  SetupWorld(Fleet(8, 1, 4));
  EXPECT_TRUE(Body("test004", agent1)["resource_locations"].empty());
  EXPECT_TRUE(Body("worker000", agent1)["resource_locations"].empty());
  EXPECT_TRUE(Body("test000", agent0)["resource_locations"].contains(kOstResource));
}

TEST_F(LustrePluginTest, PackagesOnlyInTheFirstPoll) {
  Json first = PollOne(*plugin, "test000", agent0, true);
  const Json& external = first["packages"]["external"];
  const Server& s = ServerNamed("test000");
  const PackageSet& available = world.settings().packages.server;
  ASSERT_EQ(external.size(), available.size());
  for (const auto& [name, version] : available) {
    EXPECT_EQ(external[name]["available"], Json::array({Json(version)})) << name;
    const bool installed = s.packages.count(name) != 0;
    EXPECT_EQ(external[name]["installed"].size(), installed ? 1u : 0u) << name;
  }
  EXPECT_EQ(external["chroma-agent"]["installed"][0], Json(s.packages.at("chroma-agent")));
  EXPECT_TRUE(Body("test000", agent0)["packages"].is_null());
}

TEST_F(LustrePluginTest, StatsDriftBetweenPolls) {
  ASSERT_TRUE(ClusterOf("test000").Start(kOstResource).ok());
  Json a = Body("test000", agent0);
  clock.Advance(std::chrono::seconds(10));
  Json b = Body("test000", agent0);
  const Json& sa = Targets(a)[kOst];
  const Json& sb = Targets(b)[kOst];
  EXPECT_NE(sa, sb);
  EXPECT_GE(sb["stats"]["write_bytes"]["count"], sa["stats"]["write_bytes"]["count"]);
  EXPECT_GE(sb["stats"]["write_bytes"]["sum"], sa["stats"]["write_bytes"]["sum"]);
  EXPECT_LE(sb["kbytesfree"], sb["kbytestotal"]);
  EXPECT_EQ(sb["kbytestotal"], kVolumeSizeBytes / 1024);
  const Json& na = a["metrics"]["raw"]["node"]["cpustats"];
  const Json& nb = b["metrics"]["raw"]["node"]["cpustats"];
  EXPECT_GT(nb["total"], na["total"]);
  EXPECT_GT(nb["user"], na["user"]);
}

TEST_F(LustrePluginTest, SameSeedSameBodies) {
  ASSERT_TRUE(ClusterOf("test000").Start(kOstResource).ok());
  TestAgent twin{1}, stranger{99};
  for (int poll = 0; poll < 3; ++poll) {
    Json mine = Body("test000", agent0);
    EXPECT_EQ(mine, Body("test000", twin)) << "poll " << poll;
    EXPECT_NE(mine, Body("test000", stranger)) << "poll " << poll;
  }
}

TEST_F(LustrePluginTest, MdtAndMgsStatsHaveTheirShapes) {
  AddTarget("FAKEDEVICE000", "MGS", "test000", "test001");
  AddTarget("FAKEDEVICE001", "testfs-MDT0000", "test000", "test001");
  ASSERT_TRUE(ClusterOf("test000").Start("MGS_FAKEDEVICE000").ok());
  ASSERT_TRUE(ClusterOf("test000").Start("testfs-MDT0000_FAKEDEVICE001").ok());
  ASSERT_TRUE(ClusterOf("test000").Start(kOstResource).ok());
  const Json targets = Targets(Body("test000", agent0));
  EXPECT_EQ(targets["MGS"], Json::object());
  const Json& mdt = targets["testfs-MDT0000"];
  for (const char* key : {"filestotal", "filesfree", "kbytestotal", "kbytesfree", "num_exports",
                          "client_count"}) {
    EXPECT_TRUE(mdt[key].is_number_integer()) << key;
  }
  EXPECT_EQ(mdt["stats"]["open"]["units"], "reqs");
  const Json& ost = targets[kOst];
  EXPECT_TRUE(ost["brw_stats"]["pages"]["buckets"]["256"]["write"]["count"].is_number_integer());
  EXPECT_EQ(ost["brw_stats"]["disk_iosize"]["buckets"]["128K"]["write"]["cum_pct"], 100);
  ASSERT_EQ(ost["job_stats"].size(), 2u);
  EXPECT_TRUE(ost["job_stats"][0]["job_id"].is_string());
}

TEST_F(LustrePluginTest, TheCoordinatorsStatsGoOnMdt0000Only) {
  AddTarget("FAKEDEVICE001", "testfs-MDT0000", "test000", "test001");
  ASSERT_TRUE(ClusterOf("test000").Start("testfs-MDT0000_FAKEDEVICE001").ok());
  ASSERT_TRUE(ClusterOf("test000").Start(kOstResource).ok());
  EXPECT_FALSE(Targets(Body("test000", agent0))["testfs-MDT0000"].contains("hsm")) << "no HSM source";
  std::vector<std::string> asked;
  hsm_stats = [&](const std::string& fs) {
    asked.push_back(fs);
    return Json{{"hsm", {{"agents", {{"total", 1}, {"idle", 0}, {"busy", 1}}}}}};
  };
  const Json targets = Targets(Body("test000", agent0));
  EXPECT_EQ(targets["testfs-MDT0000"]["hsm"]["agents"]["busy"], 1);
  EXPECT_TRUE(targets["testfs-MDT0000"].contains("filestotal")) << "merged into the MDT's own stats";
  EXPECT_FALSE(targets[kOst].contains("hsm"));
  EXPECT_EQ(asked, std::vector<std::string>{"testfs"});
}

TEST_F(LustrePluginTest, ReportsClientMounts) {
  MutableServer("test002").client_mounts["10.0.0.0@tcp0:/testfs"] = "/mnt/testfs";
  Json mounts = Body("test002", agent0)["metrics"]["raw"]["lustre_client_mounts"];
  ASSERT_EQ(mounts.size(), 1u);
  EXPECT_EQ(mounts[0]["mountspec"], "10.0.0.0@tcp0:/testfs");
  EXPECT_EQ(mounts[0]["mountpoint"], "/mnt/testfs");
}

}  // namespace
}  // namespace cs
