// linux: exactly the volumes presented to the server, once per session.
#include <set>

#include "fakes/controller_faults.h"
#include "tests/plugins/plugin_test_util.h"

namespace cs {
namespace {

std::set<std::string> Serials(const Json& body) {
  std::set<std::string> out;
  for (const auto& [mm, dev] : body["devs"].items()) out.insert(dev["serial_80"].get<std::string>());
  return out;
}

class LinuxPluginTest : public PluginTest {
 protected:
  std::unique_ptr<DevicePlugin> plugin = MakeLinuxPlugin();
  TestAgent agent{1};
};

TEST_F(LinuxPluginTest, SanFleetReportsEveryVolumeAtItsPresentedPath) {
  SetupWorld(Fleet(2, 0, 4));
  Json body = PollOne(*plugin, "test001", agent, true);
  EXPECT_EQ(Serials(body), (std::set<std::string>{"FAKEDEVICE000", "FAKEDEVICE001",
                                                  "FAKEDEVICE002", "FAKEDEVICE003"}));
  const Json& dev = body["devs"][VolumeMajorMinor(2)];
  EXPECT_EQ(dev["path"], PresentationPath("FAKEDEVICE002"));
  EXPECT_EQ(dev["serial_83"], "FAKEDEVICE002");
  EXPECT_EQ(dev["size"], kVolumeSizeBytes);
  EXPECT_TRUE(dev["filesystem_type"].is_null());
}

TEST_F(LinuxPluginTest, ScalableUnitServersSeeOnlyTheirUnitsVolumes) {
  SetupWorld(Fleet(4, 0, 4, 1, 2));
  const std::set<std::string> first = Serials(PollOne(*plugin, "test000", agent, true));
  const std::set<std::string> second = Serials(PollOne(*plugin, "test002", agent, true));
  EXPECT_EQ(first.size(), 2u);
  EXPECT_EQ(second.size(), 2u);
  for (const auto& s : first) EXPECT_EQ(second.count(s), 0u) << s;
  // Exactly what the world presents.
  std::set<std::string> presented;
  for (const auto& [path, serial] : *world.presentations.Find("test000.localdomain")) {
    presented.insert(serial);
  }
  EXPECT_EQ(first, presented);
}

TEST_F(LinuxPluginTest, AFailedControllersLunsAreAbsentUntilItIsRestored) {
  SetupWorld(Fleet(4, 0, 4, 1, 2));
  const std::set<std::string> before = Serials(PollOne(*plugin, "test000", agent, true));
  ASSERT_EQ(before.size(), 2u);
  ASSERT_TRUE(SetControllerFailed(world, 1, true).ok());
  EXPECT_TRUE(PollOne(*plugin, "test000", agent, true)["devs"].empty()) << "its unit's LUNs are gone";
  EXPECT_TRUE(PollOne(*plugin, "test001", agent, true)["devs"].empty());
  EXPECT_EQ(Serials(PollOne(*plugin, "test002", agent, true)).size(), 2u) << "the other unit keeps its LUNs";
  ASSERT_TRUE(SetControllerFailed(world, 1, false).ok());
  EXPECT_EQ(Serials(PollOne(*plugin, "test000", agent, true)), before);
}

TEST_F(LinuxPluginTest, WorkersSeeNoVolumes) {
  SetupWorld(Fleet(1, 1, 2));
  EXPECT_TRUE(PollOne(*plugin, "worker000", agent, true)["devs"].empty());
}

TEST_F(LinuxPluginTest, ReportsALocalFilesystemFormattedOnTheVolume) {
  SetupWorld(Fleet(1, 0, 2));
  world.volumes.Mutable("FAKEDEVICE001")->local_filesystem = "ext4";
  Json body = PollOne(*plugin, "test000", agent, true);
  EXPECT_EQ(body["devs"][VolumeMajorMinor(1)]["filesystem_type"], "ext4");
  EXPECT_TRUE(body["devs"][VolumeMajorMinor(0)]["filesystem_type"].is_null());
}

TEST_F(LinuxPluginTest, SendsOnlyAtSessionStart) {
  SetupWorld(Fleet(1, 0, 2));
  EXPECT_EQ(Poll(*plugin, "test000", agent, true).size(), 1u);
  EXPECT_TRUE(Poll(*plugin, "test000", agent, false).empty());
}

}  // namespace
}  // namespace cs
