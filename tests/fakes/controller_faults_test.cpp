// A scalable unit's controller fails and is restored: its LUNs vanish from
// the SU's servers (NodeSeesDevice, actions on the paths), the targets on
// them stop, banned where their restart failed, and targets on the other
// controller keep running; restoring cleans their failures up and they
// start again on their primaries.
#include "fakes/controller_faults.h"

#include <gtest/gtest.h>

#include "fakes/cluster_env.h"
#include "fakes/fleet.h"
#include "fakes/invariants.h"
#include "fakes/lustre_targets.h"
#include "tests/fakes/small_fleet.h"

namespace cs {
namespace {

class ControllerFaultsTest : public testing::SmallFleetTest {
 protected:
  void SetUp() override {
    // controller 1: test000/001 and volumes 0, 1; controller 2: test002/003 and 2, 3
    Build(testing::FleetShape(4).Workers(0).ClusterSize(4).SuSize(2).Volumes(4));
    ASSERT_TRUE(testing::StartPair(world, Cluster0(), {"fs-OST0000", Path(0), "test000", "test001", "u0", "/mnt/ost0"}).ok());
    ASSERT_TRUE(testing::StartPair(world, Cluster0(), {"fs-OST0002", Path(2), "test002", "test003", "u2", "/mnt/ost2"}).ok());
    ASSERT_TRUE(Cluster0().Failover("fs-OST0000", WorldClusterEnv(world)).ok());  // runs on its secondary
    ASSERT_EQ(Where("fs-OST0000"), "test001");
    ASSERT_EQ(Where("fs-OST0002"), "test002");
  }
  static std::string Path(int volume) { return PresentationPath(VolumeSerial(volume)); }
  Cluster& Cluster0() { return ClusterOf("test000"); }
};

TEST_F(ControllerFaultsTest, AFailedControllersLunsVanishAndItsTargetsStopWhereTheyCannotRestart) {
  Result<ControllerChange> failed = SetControllerFailed(world, 1, true);
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  EXPECT_TRUE(failed->changed);
  EXPECT_EQ(failed->volumes, (std::vector<std::string>{VolumeSerial(0), VolumeSerial(1)}));
  EXPECT_EQ(failed->targets_stopped, std::vector<std::string>{"fs-OST0000"});
  EXPECT_EQ(Where("fs-OST0000"), std::nullopt);
  EXPECT_EQ(Where("fs-OST0002"), "test002") << "the other controller's target keeps running";
  // Its restart failed where it ran, then every other node was tried.
  EXPECT_EQ(Cluster0().resources.at("fs-OST0000").failed_on,
            (std::set<std::string>{"test000", "test001", "test002", "test003"}));
  EXPECT_FALSE(NodeSeesDevice(world, "test000", Path(0)));
  EXPECT_FALSE(NodeSeesDevice(world, "test001", Path(1)));
  EXPECT_TRUE(NodeSeesDevice(world, "test002", Path(2)));
  Result<std::string> serial = SerialAtPath(world, "test001.localdomain", Path(0));
  ASSERT_FALSE(serial.ok());
  EXPECT_EQ(serial.status().message(),
            "test001.localdomain has no device at " + Path(0) + " (controller 1 has failed)");
  EXPECT_TRUE(world.controllers.Find("1")->failed);
  EXPECT_TRUE(CheckInvariants(world).empty());
  // The poll answer keeps the original's shape.
  EXPECT_FALSE(world.controllers.Find("1")->Poll().contains("failed"));

  Result<ControllerChange> again = SetControllerFailed(world, 1, true);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_TRUE(again->targets_stopped.empty());
}

TEST_F(ControllerFaultsTest, RestoringBringsTheLunsBackAndPacemakerStartsTheTargetsAgain) {
  ASSERT_TRUE(SetControllerFailed(world, 1, true).ok());
  Result<ControllerChange> restored = SetControllerFailed(world, 1, false);
  ASSERT_TRUE(restored.ok());
  EXPECT_TRUE(restored->changed);
  EXPECT_EQ(restored->targets_started, std::vector<std::string>{"fs-OST0000"});
  EXPECT_TRUE(restored->targets_stopped.empty());
  // Stopped, it has no stickiness left: the primary's preference wins.
  EXPECT_EQ(Where("fs-OST0000"), "test000");
  EXPECT_TRUE(Cluster0().resources.at("fs-OST0000").failed_on.empty());
  EXPECT_TRUE(NodeSeesDevice(world, "test000", Path(0)));
  EXPECT_TRUE(SerialAtPath(world, "test001.localdomain", Path(0)).ok());
  EXPECT_TRUE(CheckInvariants(world).empty());
}

TEST_F(ControllerFaultsTest, RestoreAllRestoresEveryFailedControllerAndNothingElse) {
  ASSERT_TRUE(SetControllerFailed(world, 2, true).ok());
  EXPECT_EQ(Where("fs-OST0002"), std::nullopt);
  world.TakeChanges();
  const std::vector<ControllerChange> restored = RestoreAllControllers(world);
  ASSERT_EQ(restored.size(), 1u);
  EXPECT_EQ(restored[0].controller_id, 2);
  EXPECT_EQ(Where("fs-OST0002"), "test002");
  const std::set<ObjectRef> changed = world.TakeChanges();
  EXPECT_TRUE(changed.count(ObjectRef{Kind::kController, "2"}));
  EXPECT_FALSE(changed.count(ObjectRef{Kind::kController, "1"}));
  EXPECT_TRUE(RestoreAllControllers(world).empty());
}

TEST_F(ControllerFaultsTest, AnUnknownControllerIsNotFoundAndNamesTheOnesThereAre) {
  Result<ControllerChange> missing = SetControllerFailed(world, 9, true);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "no controller 9 (the fleet has controllers 1, 2)");
  World san;
  FleetSpec spec;
  spec.server_count = 2;
  ASSERT_TRUE(SetupFleet(san, spec, clock).ok());
  EXPECT_EQ(SetControllerFailed(san, 1, true).status().message(),
            "no controller 1 (the fleet has no controllers: setup --su_size makes them)");
}

TEST_F(ControllerFaultsTest, AFailedControllerIsKeptInItsStoredObject) {
  ASSERT_TRUE(SetControllerFailed(world, 1, true).ok());
  const Json body = world.Serialize(ObjectRef{Kind::kController, "1"});
  EXPECT_EQ(body["failed"], true);
  World loaded;
  ASSERT_TRUE(loaded.Deserialize(Kind::kController, "1", body).ok());
  EXPECT_TRUE(loaded.controllers.Find("1")->failed);
  // A controller saved before controllers could fail loads as working.
  Json old = body;
  old.erase("failed");
  ASSERT_TRUE(loaded.Deserialize(Kind::kController, "1", old).ok());
  EXPECT_FALSE(loaded.controllers.Find("1")->failed);
}

}  // namespace
}  // namespace cs
