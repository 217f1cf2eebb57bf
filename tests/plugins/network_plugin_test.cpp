// linux_network: interfaces named by LND type, stable MACs, LNet state.
#include "tests/plugins/plugin_test_util.h"

namespace cs {
namespace {

class NetworkPluginTest : public PluginTest {
 protected:
  void SetUp() override { SetupWorld(Fleet(2, 0, std::nullopt, 2)); }
  Json Body() { return PollOne(*plugin, "test001", agent, false); }
  std::unique_ptr<DevicePlugin> plugin = MakeLinuxNetworkPlugin();
  TestAgent agent{1};
};

TEST_F(NetworkPluginTest, NamesInterfacesEthForTcpAndIbForO2ib) {
  Json body = Body();
  ASSERT_EQ(body["interfaces"].size(), 2u);
  EXPECT_EQ(body["interfaces"]["eth0"]["inet4_address"], "10.0.0.1");
  EXPECT_EQ(body["interfaces"]["ib1"]["inet4_address"], "10.1.0.1");
  EXPECT_EQ(body["interfaces"]["ib1"]["type"], "o2ib");
  EXPECT_EQ(body["lnet"]["nids"]["ib1"]["lnd_network"], 1);
}

TEST_F(NetworkPluginTest, MacAddressesAreStableAndDistinct) {
  Json first = Body();
  Json again = Body();
  Json other = PollOne(*plugin, "test000", agent, false);
  const std::string mac = first["interfaces"]["eth0"]["mac_address"];
  EXPECT_EQ(mac, again["interfaces"]["eth0"]["mac_address"]);
  EXPECT_NE(mac, first["interfaces"]["ib1"]["mac_address"]);
  EXPECT_NE(mac, other["interfaces"]["eth0"]["mac_address"]);
  EXPECT_EQ(mac.size(), 17u);
}

TEST_F(NetworkPluginTest, LnetStateFollowsLoadedAndUp) {
  Server& s = MutableServer("test001");
  s.lnet_loaded = false;
  s.lnet_up = false;
  EXPECT_EQ(Body()["lnet"]["state"], "lnet_unloaded");
  s.lnet_loaded = true;
  EXPECT_EQ(Body()["lnet"]["state"], "lnet_down");
  s.lnet_up = true;
  EXPECT_EQ(Body()["lnet"]["state"], "lnet_up");
  s.lnet_loaded = false;  // up without the module is not up
  EXPECT_EQ(Body()["lnet"]["state"], "lnet_unloaded");
}

TEST_F(NetworkPluginTest, LnetUpWithoutConfiguredNidsShowsOneOnTheFirstInterface) {
  Server& s = MutableServer("test001");
  for (auto& [address, iface] : s.network_interfaces) iface.lnd_network = std::nullopt;
  EXPECT_TRUE(Body()["lnet"]["nids"].empty());
  s.lnet_loaded = s.lnet_up = true;
  Json nids = Body()["lnet"]["nids"];
  ASSERT_EQ(nids.size(), 1u);
  EXPECT_EQ(nids["eth0"]["nid_address"], "10.0.0.1");
  EXPECT_EQ(nids["eth0"]["lnd_network"], 0);
  EXPECT_FALSE(s.network_interfaces.begin()->second.lnd_network) << "the plugin changes nothing";
}

TEST_F(NetworkPluginTest, SendsEveryPoll) {
  EXPECT_EQ(Poll(*plugin, "test001", agent, true).size(), 1u);
  EXPECT_EQ(Poll(*plugin, "test001", agent, false).size(), 1u);
  EXPECT_EQ(Poll(*plugin, "test001", agent, false).size(), 1u);
}

}  // namespace
}  // namespace cs
