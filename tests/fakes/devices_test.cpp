#include "fakes/controller.h"
#include "fakes/devices.h"
#include "fakes/lustre_client.h"
#include "fakes/server.h"

#include <gtest/gtest.h>

#include <set>

namespace cs {
namespace {

TEST(DevicesTest, NamesFollowTheOriginal) {
  EXPECT_EQ(VolumeSerial(7), "FAKEDEVICE007");
  EXPECT_EQ(VolumeSerial(1234), "FAKEDEVICE1234");
  EXPECT_EQ(PresentationPath("FAKEDEVICE007"), "/dev/disk/by-id/scsi-FAKEDEVICE007-scsi0-0-0");
}

TEST(DevicesTest, MajorMinorIsUniqueBeyond255Volumes) {
  std::set<std::string> seen;
  for (int k = 0; k < 2000; ++k) EXPECT_TRUE(seen.insert(VolumeMajorMinor(k)).second) << k;
  EXPECT_EQ(VolumeMajorMinor(3), "0:3");
  EXPECT_EQ(VolumeMajorMinor(258), "1:2");
}

TEST(DevicesTest, MgtJsonIsTheOriginalShape) {
  Mgt m;
  m.targets = {"fs-MDT0000", "fs-OST0000"};
  m.conf_params["fs.llite.max_cached_mb"] = "16";
  Json j = m;
  EXPECT_TRUE(j["targets"]["fs-MDT0000"].is_object());
  EXPECT_EQ(j["conf_params"]["fs.llite.max_cached_mb"], "16");
  EXPECT_EQ(j.get<Mgt>(), m);
}

TEST(ServerTest, JsonRoundTripAndOriginalFlags) {
  Server s = MakeServer(5, 2, false);
  s.power_state = PowerState::kStartingUp;
  s.packages["lustre"] = {0, "2.1.4", "1", "x86_64"};
  Json j = s;
  EXPECT_EQ(j["starting_up"], true);
  EXPECT_EQ(j["shutting_down"], false);
  EXPECT_EQ(j["packages"]["lustre"], Json::array({0, "2.1.4", "1", "x86_64"}));
  EXPECT_EQ(j.get<Server>(), s);
}

TEST(ServerTest, ReadsTheOriginalLayoutWithoutOurKeys) {
  Json original = {{"id", 2},
                   {"fqdn", "test002.localdomain"},
                   {"nodename", "test002"},
                   {"worker", false},
                   {"shutting_down", true},
                   {"network_interfaces", {{"10.0.0.2", {{"interface_no", 0}, {"type", "tcp"}, {"lnd_type", "tcp"}, {"lnd_network", 0}}}}}};
  Server s = original.get<Server>();
  EXPECT_EQ(s.power_state, PowerState::kShuttingDown);
  EXPECT_EQ(s.Nids(), std::vector<std::string>{"10.0.0.2@tcp0"});
  EXPECT_EQ(s.corosync.mcast_port, 3000);
}

TEST(ServerTest, UnknownPowerStateIsAnError) {
  Json j = MakeServer(0, 1, false);
  j["power_state"] = "melting";
  EXPECT_THROW(j.get<Server>(), Json::exception);
}

TEST(ControllerTest, PollReportsMiB) {
  Controller c;
  c.controller_id = 1;
  Random random(1);
  ASSERT_TRUE(c.AddLun("FAKEDEVICE000", kVolumeSizeBytes, random).ok());
  EXPECT_EQ(c.AddLun("FAKEDEVICE000", kVolumeSizeBytes, random).code(), Status::Code::kAlreadyExists);
  Json poll = c.Poll();
  EXPECT_EQ(poll["controller_id"], 1);
  EXPECT_EQ(poll["luns"]["FAKEDEVICE000"]["size"], 32LL * 1024 * 1024);
  EXPECT_EQ(poll["luns"]["FAKEDEVICE000"]["wwids"].size(), 10u);
  for (const auto& [wwid, disk] : poll["disks"].items()) EXPECT_EQ(disk["size"], 4LL * 1024 * 1024);
}

TEST(LustreClientTest, ReadProcResolvesThroughTheMgsConfParams) {
  LustreClient c;
  c.address = "imaginary_client";
  std::map<std::string, std::map<std::string, std::string>> params = {
      {"10.0.0.0@tcp0", {{"testfs.llite.max_cached_mb", "16"}}}};
  EXPECT_EQ(c.ReadProc("/proc/fs/lustre/llite/*/max_cached_mb", params).status().code(),
            Status::Code::kFailedPrecondition);
  c.Mount("10.0.0.0@tcp0", "testfs");
  c.Mount("10.0.0.0@tcp0", "testfs");
  EXPECT_EQ(c.mounts.size(), 1u);
  Result<std::string> v = c.ReadProc("/proc/fs/lustre/llite/*/max_cached_mb", params);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "max_cached_mb: 16");
  params["10.0.0.0@tcp0"].clear();
  EXPECT_EQ(*c.ReadProc("/proc/fs/lustre/llite/*/max_cached_mb", params), "max_cached_mb: 32");
  EXPECT_FALSE(c.ReadProc("/proc/fs/lustre/osc/x", params).ok());
  c.Mount("10.0.0.9@tcp0", "other");
  EXPECT_FALSE(c.ReadProc("/proc/fs/lustre/llite/*/max_cached_mb", params).ok());
  c.UnmountAll();
  EXPECT_TRUE(c.mounts.empty());
}

}  // namespace
}  // namespace cs
