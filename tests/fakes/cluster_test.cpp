#include "fakes/cluster.h"

#include <gtest/gtest.h>

namespace cs {
namespace {

// A cluster of three nodes with one resource: primary n1, secondary n2.
class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* n : {"n1", "n2", "n3"}) cluster.Join(n, std::string(n) + ".localdomain");
    ASSERT_TRUE(cluster.Configure("n1", "/dev/a", "fs-OST0000_1", "u1", true, "/mnt/ost0").ok());
    ASSERT_TRUE(cluster.Configure("n2", "/dev/a", "fs-OST0000_1", "u1", false, "/mnt/ost0").ok());
  }
  std::optional<std::string> Where() { return cluster.resources.at("fs-OST0000_1").started_on; }

  Cluster cluster;
};

TEST_F(ClusterTest, ConfiguredResourceStartsStoppedAndJoinsDoNotStartIt) {
  EXPECT_EQ(Where(), std::nullopt);
  cluster.Join("n1", "n1.localdomain");
  EXPECT_EQ(Where(), std::nullopt) << "created with target-role=Stopped";
}

TEST_F(ClusterTest, StartRunsOnPrimaryFailoverOnSecondaryFailbackOnPrimary) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  EXPECT_EQ(Where(), "n1");
  ASSERT_TRUE(cluster.Failover("fs-OST0000_1").ok());
  EXPECT_EQ(Where(), "n2");
  ASSERT_TRUE(cluster.Failback("fs-OST0000_1").ok());
  EXPECT_EQ(Where(), "n1");
  ASSERT_TRUE(cluster.Stop("fs-OST0000_1").ok());
  EXPECT_EQ(Where(), std::nullopt);
}

TEST_F(ClusterTest, LeavingMovesToTheOtherNodeAndJoiningDoesNotMoveBack) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  ASSERT_TRUE(cluster.Leave("n1").ok());
  EXPECT_EQ(Where(), "n2");
  EXPECT_FALSE(cluster.nodes.at("n1").online);
  cluster.Join("n1", "n1.localdomain");
  EXPECT_EQ(Where(), "n2") << "stickiness keeps it where it runs";
}

TEST_F(ClusterTest, LeavingWithNoOtherNodeStopsAndJoiningRestarts) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  ASSERT_TRUE(cluster.Leave("n2").ok());
  ASSERT_TRUE(cluster.Leave("n1").ok());
  EXPECT_EQ(Where(), std::nullopt);
  cluster.Join("n2", "n2.localdomain");
  EXPECT_EQ(Where(), "n2") << "a stopped, enabled resource starts on a node that may run it";
}

TEST_F(ClusterTest, StoppedOnPurposeStaysStopped) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  ASSERT_TRUE(cluster.Stop("fs-OST0000_1").ok());
  ASSERT_TRUE(cluster.Leave("n1").ok());
  cluster.Join("n1", "n1.localdomain");
  EXPECT_EQ(Where(), std::nullopt);
}

TEST_F(ClusterTest, FailoverToOfflineNodeIsRefused) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  ASSERT_TRUE(cluster.Leave("n2").ok());
  Status s = cluster.Failover("fs-OST0000_1");
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(Where(), "n1");
}

TEST_F(ClusterTest, StartWhenPrimaryIsDownUsesSecondary) {
  ASSERT_TRUE(cluster.Leave("n1").ok());
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  EXPECT_EQ(Where(), "n2");
}

TEST_F(ClusterTest, StandbyMovesResourcesOffAndOnlineAllowsThemBack) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  ASSERT_TRUE(cluster.SetStandby("n1", true).ok());
  EXPECT_EQ(Where(), "n2");
  ASSERT_TRUE(cluster.Failback("fs-OST0000_1").ok() == false) << "primary is in standby";
  ASSERT_TRUE(cluster.SetStandby("n1", false).ok());
  ASSERT_TRUE(cluster.Failback("fs-OST0000_1").ok());
  EXPECT_EQ(Where(), "n1");
}

TEST_F(ClusterTest, UnknownNamesAreErrors) {
  EXPECT_EQ(cluster.Start("nope").code(), Status::Code::kNotFound);
  EXPECT_EQ(cluster.Leave("n9").code(), Status::Code::kNotFound);
  EXPECT_EQ(cluster.SetStandby("n9", true).code(), Status::Code::kNotFound);
  EXPECT_EQ(cluster.Configure("n9", "/d", "x", "u", true, "/m").code(), Status::Code::kNotFound);
}

TEST_F(ClusterTest, ConfigureWithOtherUuidIsRefused) {
  EXPECT_EQ(cluster.Configure("n3", "/dev/a", "fs-OST0000_1", "other", false, "/m").code(),
            Status::Code::kAlreadyExists);
}

TEST_F(ClusterTest, UnconfigureSecondaryThenPrimaryRemoves) {
  cluster.Unconfigure("n2", "fs-OST0000_1", false);
  EXPECT_EQ(cluster.resources.at("fs-OST0000_1").secondary_node, std::nullopt);
  cluster.Unconfigure("n1", "fs-OST0000_1", true);
  EXPECT_TRUE(cluster.resources.empty());
}

TEST_F(ClusterTest, LocationsAndLookups) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  auto locations = cluster.ResourceLocations();
  ASSERT_EQ(locations.size(), 1u);
  EXPECT_EQ(locations["fs-OST0000_1"], "n1");
  ASSERT_NE(cluster.FindByUuid("u1"), nullptr);
  EXPECT_EQ(cluster.FindByUuid("u2"), nullptr);
  EXPECT_EQ(cluster.RunningOn("n1").size(), 1u);
  EXPECT_TRUE(cluster.RunningOn("n2").empty());
}

TEST_F(ClusterTest, RemovingANodeMovesItsResources) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  cluster.RemoveNode("n1");
  EXPECT_EQ(cluster.nodes.count("n1"), 0u);
  EXPECT_EQ(Where(), "n2");
}

TEST_F(ClusterTest, WithPrimaryAndSecondaryGoneItRunsOnAnotherNode) {
  // symmetric-cluster=true: every node scores 0, enough to run (pacemaker
  // wins over the original's "stop it").
  for (const char* n : {"n4", "n5"}) cluster.Join(n, std::string(n) + ".localdomain");
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  ASSERT_TRUE(cluster.Leave("n1").ok());
  ASSERT_TRUE(cluster.Leave("n2").ok());
  EXPECT_EQ(cluster.fencing_on, "n3") << "st-fencing: the first of the equal nodes by name";
  EXPECT_EQ(Where(), "n4") << "equal scores: the node with the fewest resources";
}

TEST_F(ClusterTest, AnUncleanNodeIsFencedBeforeItsResourcesMove) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  std::vector<std::string> fenced;
  ClusterEnv env;
  env.fence = [&](const ClusterNode& n) {
    fenced.push_back(n.nodename);
    EXPECT_EQ(Where(), std::nullopt) << "nothing starts elsewhere before fencing";
    return true;
  };
  ASSERT_TRUE(cluster.Leave("n1", /*clean=*/false, env).ok());
  EXPECT_EQ(fenced, std::vector<std::string>{"n1"});
  EXPECT_EQ(Where(), "n2");
  EXPECT_FALSE(cluster.nodes.at("n1").unclean);
}

TEST_F(ClusterTest, WhenFencingFailsTheResourcesStayBlocked) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  ClusterEnv env;
  env.fence = [](const ClusterNode&) { return false; };
  ASSERT_TRUE(cluster.Leave("n1", /*clean=*/false, env).ok());
  EXPECT_EQ(Where(), std::nullopt);
  EXPECT_EQ(cluster.resources.at("fs-OST0000_1").blocked_on, "n1");
  EXPECT_TRUE(cluster.nodes.at("n1").unclean);
  cluster.Settle();  // fencing works now
  EXPECT_EQ(Where(), "n2");
}

TEST_F(ClusterTest, ACleanLeaveNeedsNoFencing) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  ClusterEnv env;
  env.fence = [](const ClusterNode&) {
    ADD_FAILURE() << "fenced a node that left cleanly";
    return false;
  };
  ASSERT_TRUE(cluster.Leave("n1", /*clean=*/true, env).ok());
  EXPECT_EQ(Where(), "n2");
}

TEST_F(ClusterTest, AFailedStartBansTheNodeUntilCleanup) {
  ClusterEnv env;
  env.can_start = [](const HaResource&, const std::string& node) { return node != "n1"; };
  ASSERT_TRUE(cluster.Start("fs-OST0000_1", env).ok());
  EXPECT_EQ(Where(), "n2");
  EXPECT_EQ(cluster.resources.at("fs-OST0000_1").failed_on, std::set<std::string>{"n1"});
  ASSERT_TRUE(cluster.Failback("fs-OST0000_1").ok()) << "cleanup clears the ban; n1 can start it now";
  EXPECT_EQ(Where(), "n1");
}

TEST_F(ClusterTest, WithoutQuorumNothingRuns) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  ASSERT_TRUE(cluster.Leave("n2", true).ok());
  ASSERT_TRUE(cluster.Leave("n3", true).ok());
  EXPECT_FALSE(cluster.HasQuorum());
  EXPECT_EQ(Where(), std::nullopt) << "no-quorum-policy=stop";
  cluster.Join("n3", "n3.localdomain");
  EXPECT_EQ(Where(), "n1");
}

TEST_F(ClusterTest, JsonRoundTrip) {
  ASSERT_TRUE(cluster.Start("fs-OST0000_1").ok());
  Json j = cluster;
  EXPECT_EQ(j.get<Cluster>(), cluster);
}

}  // namespace
}  // namespace cs
