// Fencing through the world's PDUs: a node lost uncleanly is fenced through
// the outlets configure_fencing recorded before its resources run elsewhere;
// when the PDU is not there, its resources stay blocked. And a start fails
// on a node that does not see the target's device.
#include "fakes/cluster_env.h"

#include <gtest/gtest.h>

#include "fakes/fleet.h"
#include "tests/fakes/small_fleet.h"

namespace cs {
namespace {

class ClusterEnvTest : public testing::SmallFleetTest {
 protected:
  void SetUp() override {
    Build(testing::FleetShape(6).Workers(0).ClusterSize(6).SuSize(2));  // test000/test001 see the first SU's volumes only
    ASSERT_TRUE(testing::StartPair(world, Cluster0(), {"fs-OST0000", path, "test000", "test001", "u0", "/mnt/ost0"}).ok());
    ASSERT_EQ(Where(), "test000");
  }
  Cluster& Cluster0() { return ClusterOf("test000"); }
  std::optional<std::string> Where() { return SmallFleetTest::Where("fs-OST0000"); }
  void FenceWith(const std::string& node, Json agents) { Cluster0().nodes.at(node).fence_agents = std::move(agents); }
  static Json Apc(const std::string& port, const std::string& plug) {
    return Json::array({{{"agent", "fence_apc"}, {"login", "apc"}, {"password", "apc"}, {"ipaddr", "127.0.0.1"},
                         {"ipport", port}, {"plug", plug}}});
  }

  const std::string path = PresentationPath(VolumeSerial(0));
};

TEST_F(ClusterEnvTest, ALostNodeIsFencedThroughItsOutletBeforeItsResourcesMove) {
  const std::string outlet = *world.servers.Find("test000.localdomain")->outlet;
  FenceWith("test000", Apc("2300", outlet));
  std::vector<FenceRecord> fenced;
  ClusterEnv env = FencingClusterEnv(world, &fenced);
  auto fence = env.fence;
  env.fence = [&](const ClusterNode& n) {
    EXPECT_EQ(Where(), std::nullopt) << "nothing runs elsewhere before the fencing";
    return fence(n);
  };
  ASSERT_TRUE(Cluster0().Leave("test000", /*clean=*/false, env).ok());
  ASSERT_EQ(fenced.size(), 1u);
  EXPECT_TRUE(fenced[0].ok) << fenced[0].detail;
  EXPECT_TRUE(fenced[0].power_cycled);
  EXPECT_EQ(fenced[0].executor, "test001") << "the DC ran the device";
  EXPECT_FALSE(world.pdus.Find("pdu000")->OutletOn(outlet)) << "off; the simulator switches it on after the pause";
  EXPECT_EQ(Where(), "test001");
  const std::vector<std::string> journal = FencingJournal(fenced[0]);
  EXPECT_NE(journal.back().find("Peer test000 was terminated (reboot) by test001"), std::string::npos) << journal.back();
}

TEST_F(ClusterEnvTest, WhenThePduIsNotThereTheResourcesStayBlocked) {
  FenceWith("test000", Apc("2399", "1"));
  world.pdus.Erase("pdu000");
  std::vector<FenceRecord> fenced;
  ASSERT_TRUE(Cluster0().Leave("test000", /*clean=*/false, FencingClusterEnv(world, &fenced)).ok());
  ASSERT_EQ(fenced.size(), 1u);
  EXPECT_FALSE(fenced[0].ok);
  EXPECT_NE(fenced[0].detail.find("no PDU answers"), std::string::npos) << fenced[0].detail;
  EXPECT_EQ(Where(), std::nullopt);
  EXPECT_TRUE(Cluster0().nodes.at("test000").unclean);
  EXPECT_NE(FencingJournal(fenced[0]).back().find("was not terminated"), std::string::npos);
}

// Every attempt, ok or failed, is kept in the cluster's fencing history
// (saved with the cluster, as fence_history lists it), stamped and numbered.
TEST_F(ClusterEnvTest, EveryAttemptIsKeptInTheClustersFencingHistory) {
  const std::string outlet = *world.servers.Find("test000.localdomain")->outlet;
  FenceWith("test000", Apc("2300", outlet));
  FenceWith("test001", Json::array({{{"agent", "fence_virsh"}, {"ipaddr", "127.0.0.1"}, {"plug", "x"}}}));
  std::vector<FenceRecord> fenced;
  ASSERT_TRUE(Cluster0().Leave("test000", false, FencingClusterEnv(world, &fenced, 0, "T1")).ok());
  ASSERT_TRUE(Cluster0().Leave("test001", false, FencingClusterEnv(world, &fenced, 0, "T2")).ok());
  const std::vector<FenceRecord>& history = Cluster0().fence_history;
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].seq, 1);
  EXPECT_EQ(history[0].time, "T1");
  EXPECT_EQ(history[0].nodename, "test000");
  EXPECT_EQ(history[0].fqdn, "test000.localdomain");
  EXPECT_EQ(history[0].executor, "test001");
  EXPECT_TRUE(history[0].ok);
  EXPECT_EQ(history[0].outlets, (std::vector<std::pair<std::string, std::string>>{{"pdu000", outlet}}));
  EXPECT_EQ(history[1].seq, 2);
  EXPECT_EQ(history[1].nodename, "test001");
  EXPECT_FALSE(history[1].ok);
  EXPECT_NE(history[1].detail.find("fence_virsh"), std::string::npos) << history[1].detail;
  EXPECT_EQ(history[1].executor, "test002") << "the DC after test000 and test001 left";
  ASSERT_EQ(fenced.size(), 2u);
  EXPECT_EQ(fenced[1], history[1]) << "the simulator acts on what was saved";
  // Saved and loaded with the cluster.
  const Cluster loaded = Json(Cluster0()).get<Cluster>();
  EXPECT_EQ(loaded.fence_history, history);
  EXPECT_EQ(loaded.next_fence_seq, 3);
}

TEST(ClusterFenceHistoryTest, KeepsTheLatestAttemptsOnly) {
  Cluster c;
  for (int i = 0; i < 130; ++i) {
    FenceRecord r;
    r.nodename = "n" + std::to_string(i);
    c.RecordFencing(r);
  }
  ASSERT_EQ(c.fence_history.size(), Cluster::kFenceHistoryLimit);
  EXPECT_EQ(c.fence_history.front().seq, 31);
  EXPECT_EQ(c.fence_history.back().seq, 130);
  EXPECT_EQ(c.fence_history.back().nodename, "n129");
}

TEST_F(ClusterEnvTest, AnUnknownAgentCannotFence) {
  FenceWith("test000", Json::array({{{"agent", "fence_virsh"}, {"ipaddr", "127.0.0.1"}, {"plug", "x"}}}));
  std::vector<FenceRecord> fenced;
  ASSERT_TRUE(Cluster0().Leave("test000", /*clean=*/false, FencingClusterEnv(world, &fenced)).ok());
  ASSERT_EQ(fenced.size(), 1u);
  EXPECT_FALSE(fenced[0].ok);
  EXPECT_EQ(Where(), std::nullopt);
}

TEST_F(ClusterEnvTest, AStartFailsOnANodeThatDoesNotSeeTheDevice) {
  EXPECT_TRUE(NodeSeesDevice(world, "test001", path));
  EXPECT_FALSE(NodeSeesDevice(world, "test002", path)) << "another SU";
  EXPECT_TRUE(NodeSeesDevice(world, "test002", "/dev/made-up")) << "a path no server sees";
  Cluster& c = Cluster0();
  ASSERT_TRUE(c.Leave("test000", /*clean=*/true, WorldClusterEnv(world)).ok());
  ASSERT_TRUE(c.Leave("test001", /*clean=*/true, WorldClusterEnv(world)).ok());
  EXPECT_EQ(Where(), std::nullopt) << "the other nodes cannot mount it";
  EXPECT_EQ(c.resources.at("fs-OST0000").failed_on,
            (std::set<std::string>{"test002", "test003", "test004", "test005"}));
}

}  // namespace
}  // namespace cs
