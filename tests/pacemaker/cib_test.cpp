// The exported CIB read by the real tools: crm_verify finds no error, and
// crm_mon shows the nodes and the resource locations the simulator has.
#include "pacemaker/cib_writer.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <ctime>
#include <fstream>

#include "fakes/cluster_env.h"
#include "fakes/fleet.h"
#include "pacemaker/crm_tools.h"
#include "tests/pacemaker/cluster_builder.h"
#include "tests/pacemaker/compare.h"

namespace cs::pacemaker {
namespace {

using cs::testing::AddTarget;
using cs::testing::ClusterOfNodes;
using cs::testing::Disagreements;
using cs::testing::NodeName;

const int64_t kNow = static_cast<int64_t>(std::time(nullptr));  // failures expire after 20 min

class CibTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/cs-cib-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { if (!getenv("CS_KEEP")) std::system(("rm -rf " + dir_).c_str()); else printf("kept %s\n", dir_.c_str()); }

  std::string Export(const Cluster& c) {
    const std::string path = dir_ + "/cib.xml";
    std::ofstream(path) << WriteCib(c, kNow);
    return path;
  }
  // crm_verify accepts it and crm_mon agrees with the simulator.
  void ExpectPacemakerAgrees(const Cluster& c) {
    const std::string path = Export(c);
    std::string warnings;
    Status verified = CrmVerify(path, &warnings);
    EXPECT_TRUE(verified.ok()) << verified.message();
    bool unclean = false;
    for (const auto& [name, n] : c.nodes) unclean = unclean || n.unclean;
    if (!unclean) {
      EXPECT_EQ(warnings, "") << "a healthy cluster's CIB draws no warning";
    } else {
      EXPECT_NE(warnings.find("Warnings found"), std::string::npos) << "the node to fence: " << warnings;
    }
    auto view = CrmMon(path);
    ASSERT_TRUE(view.ok()) << view.status().message();
    EXPECT_EQ(Disagreements(c, *view), "");
    const ClusterNode* dc = c.DesignatedController();
    EXPECT_EQ(view->dc, dc ? std::optional<std::string>(dc->nodename) : std::nullopt);
    EXPECT_EQ(view->quorum, c.HasQuorum());
  }

  std::string dir_;
};

TEST_F(CibTest, ShapesAreTheRealAgents) {
  Cluster c = ClusterOfNodes(2);
  AddTarget(c, "fs-OST0000_a1", 0, 1);
  c.nodes.at(NodeName(0)).fence_agents = {{{"agent", "fence_apc"}, {"login", "apc"}, {"password", "apc"},
                                           {"ipaddr", "127.0.0.1"}, {"ipport", 2300}, {"plug", "1"}}};
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(WriteCib(c, kNow).c_str()));
  pugi::xml_node cib = doc.child("cib");
  EXPECT_STREQ(cib.attribute("crm_feature_set").value(), "3.16.1");
  auto option = [&](const char* name) {
    return cib.select_node(("//cluster_property_set[@id='cib-bootstrap-options']/nvpair[@name='" + std::string(name) +
                            "']/@value").c_str()).attribute().value();
  };
  EXPECT_STREQ(option("no-quorum-policy"), "ignore") << "two nodes";
  EXPECT_STREQ(option("symmetric-cluster"), "true");
  EXPECT_STREQ(option("stonith-enabled"), "true");
  EXPECT_STREQ(cib.select_node("//rsc_defaults//nvpair[@name='resource-stickiness']/@value").attribute().value(), "1000");
  EXPECT_TRUE(cib.select_node("//primitive[@id='st-fencing'][@class='stonith'][@type='fence_chroma']"));
  pugi::xml_node target = cib.select_node("//primitive[@id='fs-OST0000_a1']").node();
  EXPECT_STREQ(target.attribute("class").value(), "ocf");
  EXPECT_STREQ(target.attribute("provider").value(), "chroma");
  EXPECT_STREQ(target.attribute("type").value(), "Target");
  EXPECT_STREQ(target.select_node("meta_attributes/nvpair[@name='target-role']/@value").attribute().value(), "Stopped");
  EXPECT_STREQ(target.select_node("instance_attributes/nvpair[@name='target']/@value").attribute().value(),
               "uuid-fs-OST0000_a1");
  EXPECT_STREQ(cib.select_node("//rsc_location[@id='fs-OST0000_a1-primary']/@score").attribute().value(), "20");
  EXPECT_STREQ(cib.select_node("//rsc_location[@id='fs-OST0000_a1-primary']/@node").attribute().value(), "test000");
  EXPECT_STREQ(cib.select_node("//rsc_location[@id='fs-OST0000_a1-secondary']/@score").attribute().value(), "10");
  EXPECT_STREQ(cib.select_node("//node[@uname='test000']//nvpair[@name='0_fence_agent']/@value").attribute().value(),
               "fence_apc");
  EXPECT_STREQ(cib.select_node("//node[@uname='test000']//nvpair[@name='0_fence_ipport']/@value").attribute().value(),
               "2300");
}

TEST_F(CibTest, RunningStoppedAndFailedOverResources) {
  Cluster c = ClusterOfNodes(4);
  for (int i = 0; i < 6; ++i) AddTarget(c, "fs-OST000" + std::to_string(i), i % 4, (i + 1) % 4);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c.Start("fs-OST000" + std::to_string(i)).ok());
  ASSERT_TRUE(c.Failover("fs-OST0001").ok());
  EXPECT_EQ(c.resources.at("fs-OST0001").started_on, NodeName(2));
  ExpectPacemakerAgrees(c);
}

TEST_F(CibTest, OfflineStandbyAndFailedStart) {
  Cluster c = ClusterOfNodes(4);
  for (int i = 0; i < 4; ++i) AddTarget(c, "fs-OST000" + std::to_string(i), i, (i + 1) % 4);
  ClusterEnv env;
  env.can_start = [](const HaResource& r, const std::string& node) {
    return !(r.ha_label == "fs-OST0002" && node == NodeName(2));
  };
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(c.Start("fs-OST000" + std::to_string(i), env).ok());
  EXPECT_EQ(c.resources.at("fs-OST0002").started_on, NodeName(3)) << "banned from its primary after a failed start";
  ASSERT_TRUE(c.Leave(NodeName(1), /*clean=*/true, env).ok());
  ASSERT_TRUE(c.SetStandby(NodeName(0), true, env).ok());
  ExpectPacemakerAgrees(c);
}

TEST_F(CibTest, UncleanNodeWhoseFencingFailedKeepsItsResourcesBlocked) {
  Cluster c = ClusterOfNodes(3);
  AddTarget(c, "fs-MDT0000", 0, 1);
  ASSERT_TRUE(c.Start("fs-MDT0000").ok());
  ClusterEnv no_fencing;
  no_fencing.fence = [](const ClusterNode&) { return false; };
  ASSERT_TRUE(c.Leave(NodeName(0), /*clean=*/false, no_fencing).ok());
  EXPECT_EQ(c.resources.at("fs-MDT0000").started_on, std::nullopt);
  EXPECT_EQ(c.resources.at("fs-MDT0000").blocked_on, NodeName(0));
  ExpectPacemakerAgrees(c);
}

// A node with no fence agent: fence_chroma lists only nodes with agents, so
// nothing can fence it and pacemaker keeps its resources blocked. crm_mon
// agrees, and crm_simulate (whose fencing always succeeds) says the
// resource could move only by fencing that node first.
TEST_F(CibTest, ANodeWithNoFenceAgentIsNotFencedAndItsResourcesStayBlocked) {
  World world;
  ManualClock clock{WallTime{}};
  FleetSpec spec;
  spec.server_count = 2;
  spec.worker_count = 0;
  spec.cluster_size = 2;
  ASSERT_TRUE(SetupFleet(world, spec, clock).ok());
  Cluster& c = *world.MutableClusterOf(*world.servers.Find("test000.localdomain"));
  ASSERT_TRUE(c.Configure("test000", "/dev/a", "fs-MDT0000", "u0", true, "/mnt/mdt").ok());
  ASSERT_TRUE(c.Configure("test001", "/dev/a", "fs-MDT0000", "u0", false, "/mnt/mdt").ok());
  ASSERT_TRUE(c.Start("fs-MDT0000", WorldClusterEnv(world)).ok());
  ASSERT_EQ(c.resources.at("fs-MDT0000").started_on, "test000");
  ASSERT_TRUE(c.nodes.at("test000").fence_agents.empty());

  std::vector<FenceRecord> fenced;
  ASSERT_TRUE(c.Leave("test000", /*clean=*/false, FencingClusterEnv(world, &fenced)).ok());
  ASSERT_EQ(fenced.size(), 1u);
  EXPECT_FALSE(fenced[0].ok) << fenced[0].detail;
  EXPECT_NE(fenced[0].detail.find("no fencing device configured for test000"), std::string::npos);
  EXPECT_FALSE(fenced[0].power_cycled);
  EXPECT_TRUE(c.nodes.at("test000").unclean);
  EXPECT_EQ(c.resources.at("fs-MDT0000").started_on, std::nullopt);
  EXPECT_EQ(c.resources.at("fs-MDT0000").blocked_on, "test000");
  ExpectPacemakerAgrees(c);

  auto next = CrmSimulate(Export(c), dir_ + "/after.xml", {});
  ASSERT_TRUE(next.ok()) << next.status().message();
  pugi::xml_document out;
  ASSERT_TRUE(out.load_string(next->output.c_str()));
  EXPECT_TRUE(out.select_node("//transition/fencing_action[@target='test000']")) << next->output;
  EXPECT_EQ(next->after.placement["fs-MDT0000"], "test001") << "recovered only once test000 was fenced";
}

TEST_F(CibTest, WithoutQuorumEverythingStops) {
  Cluster c = ClusterOfNodes(3);
  AddTarget(c, "fs-MDT0000", 0, 1);
  ASSERT_TRUE(c.Start("fs-MDT0000").ok());
  ASSERT_TRUE(c.Leave(NodeName(1), true).ok());
  ASSERT_TRUE(c.Leave(NodeName(2), true).ok());
  EXPECT_FALSE(c.HasQuorum());
  EXPECT_EQ(c.resources.at("fs-MDT0000").started_on, std::nullopt);
  ExpectPacemakerAgrees(c);
}

}  // namespace
}  // namespace cs::pacemaker
