// corosync: crm_info only while both daemons run, listing the cluster's
// nodes with their flags.
#include "tests/plugins/plugin_test_util.h"

#include <ctime>
#include <fstream>

#include "pacemaker/cib_writer.h"
#include "pacemaker/crm_tools.h"

namespace cs {
namespace {

class CorosyncPluginTest : public PluginTest {
 protected:
  void SetUp() override { SetupWorld(Fleet(8, 1)); }
  Json Body(const std::string& node = "test001") { return PollOne(*plugin, node, agent, false); }
  void StartBoth(const std::string& node) {
    MutableServer(node).corosync.state = "started";
    MutableServer(node).pacemaker.state = "started";
  }
  std::unique_ptr<DevicePlugin> plugin = MakeCorosyncPlugin();
  TestAgent agent{1};
};

TEST_F(CorosyncPluginTest, CrmInfoIsEmptyWhileEitherDaemonIsStopped) {
  EXPECT_EQ(Body()["crm_info"], Json::object());
  MutableServer("test001").corosync.state = "started";
  Json body = Body();
  EXPECT_EQ(body["crm_info"], Json::object());
  EXPECT_EQ(body["state"]["corosync"], "started");
  EXPECT_EQ(body["state"]["pacemaker"], "stopped");
  MutableServer("test001").corosync.state = "stopped";
  MutableServer("test001").pacemaker.state = "started";
  EXPECT_EQ(Body()["crm_info"], Json::object());
}

TEST_F(CorosyncPluginTest, ListsTheClustersNodesWithOnlineFlags) {
  StartBoth("test001");
  ASSERT_TRUE(ClusterOf("test001").Leave("test002").ok());
  Json crm = Body()["crm_info"];
  ASSERT_EQ(crm["nodes"].size(), 4u) << crm.dump();
  for (const char* n : {"test000", "test001", "test003"}) {
    EXPECT_EQ(crm["nodes"][n]["online"], "true") << n;
    EXPECT_EQ(crm["nodes"][n]["name"], n);
  }
  EXPECT_EQ(crm["nodes"]["test002"]["online"], "false");
  EXPECT_FALSE(crm["nodes"].contains("test004")) << "another cluster";
  EXPECT_EQ(crm["options"]["stonith_enabled"], true);
  EXPECT_EQ(crm["datetime"], FormatAgentTime(clock.Now()));
  // Exactly one designated controller, and an online one.
  int dcs = 0;
  for (const auto& [n, node] : crm["nodes"].items()) {
    if (node["is_dc"] == "true") {
      ++dcs;
      EXPECT_EQ(node["online"], "true");
    }
  }
  EXPECT_EQ(dcs, 1);
}

TEST_F(CorosyncPluginTest, ReportsStandbyAndRunningResources) {
  StartBoth("test004");
  AddTarget("FAKEDEVICE004", "testfs-OST0000", "test004", "test005");
  ASSERT_TRUE(ClusterOf("test004").Start("testfs-OST0000_FAKEDEVICE004").ok());
  ASSERT_TRUE(ClusterOf("test004").SetStandby("test006", true).ok());
  Json nodes = Body("test004")["crm_info"]["nodes"];
  EXPECT_EQ(nodes["test004"]["resources_running"], "2") << "the target and st-fencing, as crm_mon counts";
  EXPECT_EQ(nodes["test005"]["resources_running"], "0");
  EXPECT_EQ(nodes["test006"]["standby"], "true");
  EXPECT_EQ(nodes["test004"]["standby"], "false");
}

// What the real agent's plugin would read from crm_mon: every attribute we
// report equals the one Debian's crm_mon prints for the exported CIB.
TEST_F(CorosyncPluginTest, CrmInfoSaysWhatCrmMonSaysAboutTheExportedCib) {
  StartBoth("test004");
  AddTarget("FAKEDEVICE004", "testfs-OST0000", "test004", "test005");
  AddTarget("FAKEDEVICE005", "testfs-OST0001", "test005", "test006");
  ASSERT_TRUE(ClusterOf("test004").Start("testfs-OST0000_FAKEDEVICE004").ok());
  ASSERT_TRUE(ClusterOf("test004").Start("testfs-OST0001_FAKEDEVICE005").ok());
  ASSERT_TRUE(ClusterOf("test004").SetStandby("test006", true).ok());
  ClusterEnv no_fencing;
  no_fencing.fence = [](const ClusterNode&) { return false; };
  ASSERT_TRUE(ClusterOf("test004").Leave("test005", /*clean=*/false, no_fencing).ok());
  ASSERT_TRUE(ClusterOf("test004").Leave("test007", /*clean=*/true).ok());

  char dir[] = "/tmp/cs-crm-info-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/cib.xml";
  std::ofstream(path) << pacemaker::WriteCib(ClusterOf("test004"), static_cast<int64_t>(std::time(nullptr)));
  auto view = pacemaker::CrmMon(path);
  std::remove(path.c_str());
  rmdir(dir);
  ASSERT_TRUE(view.ok()) << view.status().message();

  const Json nodes = Body("test004")["crm_info"]["nodes"];
  ASSERT_EQ(nodes.size(), view->node_attributes.size());
  for (const auto& [name, attrs] : view->node_attributes) {
    ASSERT_TRUE(nodes.contains(name)) << name;
    for (const auto& [key, value] : nodes[name].items()) {
      ASSERT_TRUE(attrs.count(key)) << "crm_mon prints no " << key;
      EXPECT_EQ(value.get<std::string>(), attrs.at(key)) << name << " " << key;
    }
  }
  EXPECT_EQ(nodes["test005"]["unclean"], "true");
  EXPECT_EQ(nodes["test007"]["expected_up"], "false");
}

TEST_F(CorosyncPluginTest, WorkersHaveNoClusterNodes) {
  StartBoth("worker000");
  Json body = Body("worker000");
  EXPECT_TRUE(body["crm_info"]["nodes"].empty());
}

}  // namespace
}  // namespace cs
