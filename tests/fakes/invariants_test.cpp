#include "fakes/invariants.h"

#include <gtest/gtest.h>

#include "fakes/fleet.h"

namespace cs {
namespace {

class InvariantsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ManualClock clock(WallTime(std::chrono::microseconds(0)));
    ASSERT_TRUE(SetupFleet(world, FleetSpec{}, clock).ok());
    Cluster* c = world.clusters.Mutable("0");
    ASSERT_TRUE(c->Configure("test000", "/d", "MGS_1", "u-mgs", true, "/mnt/mgs").ok());
    ASSERT_TRUE(c->Configure("test001", "/d", "MGS_1", "u-mgs", false, "/mnt/mgs").ok());
    ASSERT_TRUE(c->Start("MGS_1").ok());
    ASSERT_TRUE(CheckInvariants(world).empty());
  }
  // True when some violation mentions `part`.
  bool Reports(const std::string& part) {
    for (const auto& v : CheckInvariants(world)) {
      if (v.find(part) != std::string::npos) return true;
    }
    return false;
  }
  World world;
};

TEST_F(InvariantsTest, ResourceOnANodeWhereItsStartFailed) {
  world.clusters.Mutable("0")->resources["MGS_1"].started_on = "test002";
  EXPECT_FALSE(Reports("test002")) << "symmetric-cluster=true: any online node may run it";
  world.clusters.Mutable("0")->resources["MGS_1"].failed_on = {"test002"};
  EXPECT_TRUE(Reports("where its start failed"));
}

TEST_F(InvariantsTest, ResourceBlockedOnACleanNode) {
  world.clusters.Mutable("0")->resources["MGS_1"].started_on.reset();
  world.clusters.Mutable("0")->resources["MGS_1"].blocked_on = "test001";
  EXPECT_TRUE(Reports("waits for the fencing of test001"));
}

TEST_F(InvariantsTest, ResourceOnAnOfflineNode) {
  world.clusters.Mutable("0")->nodes["test000"].online = false;
  EXPECT_TRUE(Reports("runs on offline node test000"));
}

TEST_F(InvariantsTest, PresentationOfAMissingVolume) {
  world.volumes.Erase("FAKEDEVICE003");
  EXPECT_TRUE(Reports("points at missing volume FAKEDEVICE003"));
}

TEST_F(InvariantsTest, TargetWhoseMgtDoesNotExist) {
  LustreTarget t;
  t.label = "fs-OST0000";
  t.mgsnode = "10.0.0.0@tcp0";
  world.targets.Put("FAKEDEVICE001", t);
  EXPECT_TRUE(Reports("which does not exist"));
  world.mgts.Put("10.0.0.0@tcp0", Mgt{});
  EXPECT_FALSE(Reports("which does not exist"));
}

TEST_F(InvariantsTest, RunningServerWithoutPower) {
  world.pdus.Mutable("pdu000")->outlets["3"] = false;
  EXPECT_TRUE(Reports("test002.localdomain is running but none of its outlets is on"));
  world.servers.Mutable("test002.localdomain")->power_state = PowerState::kOff;
  world.clusters.Mutable("0")->nodes["test002"].online = false;
  EXPECT_TRUE(CheckInvariants(world).empty());
}

TEST_F(InvariantsTest, WorkerInACluster) {
  world.clusters.Mutable("0")->nodes["worker000"] = ClusterNode{"worker000", "worker000.localdomain", true, false};
  EXPECT_TRUE(Reports("worker worker000.localdomain is a cluster member"));
}

TEST_F(InvariantsTest, DuplicateNames) {
  world.servers.Mutable("test001.localdomain")->nodename = "test000";
  EXPECT_TRUE(Reports("nodename test000 is used twice"));
}

TEST_F(InvariantsTest, DuplicateOutlets) {
  world.servers.Mutable("test001.localdomain")->outlet = "1";
  EXPECT_TRUE(Reports("outlet 1 powers both"));
}

TEST_F(InvariantsTest, OnlineNodeOfAServerThatIsOff) {
  world.servers.Mutable("test005.localdomain")->power_state = PowerState::kOff;
  EXPECT_TRUE(Reports("test005 is online but its server is off"));
}

}  // namespace
}  // namespace cs
