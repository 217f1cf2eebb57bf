// The plugin set and the documented shape of every plugin's body.
#include <set>

#include "tests/plugins/plugin_test_util.h"

namespace cs {
namespace {

class DevicePluginsTest : public PluginTest {
 protected:
  void SetUp() override { SetupWorld({}); }
  TestAgent agent{7};
};

TEST_F(DevicePluginsTest, MakesEveryPluginButActionRunnerOnce) {
  std::set<std::string> names;
  for (const auto& p : MakeDevicePlugins()) names.insert(std::string(p->name()));
  EXPECT_EQ(names, (std::set<std::string>{"linux", "linux_network", "lustre", "corosync",
                                          "systemd_journal", "simulator_controller"}));
}

TEST_F(DevicePluginsTest, LinuxBodyShape) {
  Json body = PollOne(*MakeLinuxPlugin(), "test000", agent, true);
  for (const char* key : {"devs", "mpath", "lvs", "local_fs", "mds", "vgs"}) {
    ASSERT_TRUE(body.contains(key)) << key;
    EXPECT_TRUE(body[key].is_object()) << key;
  }
  ASSERT_FALSE(body["devs"].empty());
  const Json& dev = body["devs"].begin().value();
  EXPECT_TRUE(dev["major_minor"].is_string());
  EXPECT_EQ(dev["major_minor"], body["devs"].begin().key());
  EXPECT_TRUE(dev["path"].is_string());
  EXPECT_TRUE(dev["serial_80"].is_string());
  EXPECT_TRUE(dev["serial_83"].is_string());
  EXPECT_TRUE(dev["size"].is_number_integer());
  EXPECT_TRUE(dev["parent"].is_null());
  EXPECT_TRUE(dev["partition_number"].is_null());
  EXPECT_TRUE(dev.contains("filesystem_type"));
  EXPECT_EQ(dev.size(), 8u);
}

TEST_F(DevicePluginsTest, LinuxNetworkBodyShape) {
  Json body = PollOne(*MakeLinuxNetworkPlugin(), "test000", agent, true);
  ASSERT_TRUE(body["interfaces"].is_object());
  const Json& eth0 = body["interfaces"]["eth0"];
  EXPECT_TRUE(eth0["mac_address"].is_string());
  EXPECT_EQ(eth0["inet4_address"], "10.0.0.0");
  EXPECT_EQ(eth0["inet4_prefix"], 24);
  EXPECT_EQ(eth0["type"], "tcp");
  EXPECT_EQ(eth0["up"], true);
  EXPECT_TRUE(eth0["rx_bytes"].is_string());
  EXPECT_TRUE(eth0["tx_bytes"].is_string());
  EXPECT_TRUE(body["lnet"]["state"].is_string());
  ASSERT_TRUE(body["lnet"]["nids"].is_object());
  const Json& nid = body["lnet"]["nids"]["eth0"];
  EXPECT_EQ(nid["nid_address"], "10.0.0.0");
  EXPECT_EQ(nid["lnd_type"], "tcp");
  EXPECT_EQ(nid["lnd_network"], 0);
}

TEST_F(DevicePluginsTest, LustreBodyShape) {
  Json body = PollOne(*MakeLustrePlugin(), "test000", agent, true);
  for (const char* key : {"resource_locations", "capabilities", "metrics", "packages", "mounts",
                          "properties", "started_at", "agent_version"}) {
    EXPECT_TRUE(body.contains(key)) << key;
  }
  EXPECT_TRUE(body["resource_locations"].is_object());
  EXPECT_EQ(body["capabilities"], Json::array({"manage_targets"}));
  const Json& raw = body["metrics"]["raw"];
  EXPECT_TRUE(raw["node"]["meminfo"]["MemTotal"].is_number_integer());
  EXPECT_TRUE(raw["node"]["cpustats"]["total"].is_number_integer());
  EXPECT_TRUE(raw["lustre"]["target"].is_object());
  EXPECT_TRUE(raw["lustre"]["lnet"].is_object());
  EXPECT_EQ(raw["lustre"]["jobid_var"], "procname_uid");
  EXPECT_TRUE(raw["lustre_client_mounts"].is_array());
  EXPECT_TRUE(body["packages"]["external"].is_object());
  EXPECT_TRUE(body["mounts"].is_array());
  EXPECT_TRUE(body["properties"].is_object());
  EXPECT_EQ(body["started_at"], FormatAgentTime(clock.Now()));
}

TEST_F(DevicePluginsTest, CorosyncBodyShape) {
  Json body = PollOne(*MakeCorosyncPlugin(), "test000", agent, true);
  EXPECT_TRUE(body["crm_info"].is_object());
  EXPECT_EQ(body["state"]["corosync"], "stopped");
  EXPECT_EQ(body["state"]["pacemaker"], "stopped");
}

TEST_F(DevicePluginsTest, JournalBodyShape) {
  PluginBodies bodies = Poll(*MakeSystemdJournalPlugin(), "test000", agent, true);
  ASSERT_EQ(bodies.size(), 1u);
  ASSERT_EQ(bodies[0]["log_lines"].size(), 1u) << "the session-start marker";
  const Json& line = bodies[0]["log_lines"][0];
  EXPECT_EQ(line["source"], "cluster_sim");
  EXPECT_TRUE(line["severity"].is_number_integer());
  EXPECT_TRUE(line["facility"].is_number_integer());
  EXPECT_TRUE(line["message"].is_string());
  EXPECT_EQ(line["datetime"], FormatAgentTime(clock.Now()));
}

TEST_F(DevicePluginsTest, SimulatorControllerSendsAnEmptyObjectEveryPoll) {
  auto plugin = MakeSimulatorControllerPlugin();
  EXPECT_EQ(PollOne(*plugin, "test000", agent, true), Json::object());
  EXPECT_EQ(PollOne(*plugin, "test000", agent, false), Json::object());
}

}  // namespace
}  // namespace cs
