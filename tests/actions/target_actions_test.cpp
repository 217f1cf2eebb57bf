// Target actions: format, register, HA configuration and movement,
// detect_scan across servers, and the MGS's configuration.
#include <gtest/gtest.h>

#include "fakes/lustre_targets.h"
#include "tests/actions/action_fixture.h"

namespace cs {
namespace {

class TargetActionsTest : public ActionTest {
 protected:
  Json FormatArgs(int volume, const Json& target_types, const Json& extra = Json::object()) {
    Json args = {{"device_type", "linux"}, {"target_name", nullptr}, {"device", Path(volume)},
                 {"backfstype", "ldiskfs"}, {"target_types", target_types}};
    args.update(extra);
    return args;
  }
  // Formats an MGS on volume 0 from test000, makes it HA on test000
  // (primary) and test001 (secondary); returns its uuid.
  std::string MakeHaMgs() {
    Json e2fs = Ok(s0, "format_target", FormatArgs(0, Json::array({"mgs"})));
    const std::string uuid = e2fs["uuid"];
    EXPECT_EQ(Ok(s0, "register_target", {{"device_path", Path(0)}, {"mount_point", "/mnt/mgs"},
                                          {"backfstype", "ldiskfs"}}),
              (Json{{"label", "MGS"}}));
    for (const auto& [fqdn, primary] : {std::pair{s0, true}, std::pair{s1, false}}) {
      EXPECT_EQ(Ok(fqdn, "configure_target_ha", {{"primary", primary}, {"device", Path(0)},
                                                 {"ha_label", "MGS_1"}, {"uuid", uuid},
                                                 {"mount_point", "/mnt/mgs"}}),
                Wrapped(nullptr));
    }
    return uuid;
  }
  std::string MgsKeyOfTest000() const { return MgsKey({server(s0).Nids()}); }
};

TEST_F(TargetActionsTest, FormatMgsCreatesTheMgtAndAnswersTheE2fsDict) {
  Json e2fs = Ok(s0, "format_target", FormatArgs(0, Json::array({"mgs"})));
  EXPECT_EQ(e2fs["filesystem_type"], "ext4");
  EXPECT_EQ(e2fs["inode_size"], 256);
  EXPECT_EQ(e2fs["bytes_per_inode"], 16384);
  EXPECT_EQ(e2fs["inode_count"], kVolumeSizeBytes / 16384);
  const LustreTarget* t = world.targets.Find(VolumeSerial(0));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->label, "MGS");
  EXPECT_EQ(t->uuid, e2fs["uuid"]);
  EXPECT_EQ(t->mgsnode, "10.0.0.0@tcp0,10.1.0.0@o2ib1");
  EXPECT_TRUE(world.mgts.contains(t->mgsnode));
}

TEST_F(TargetActionsTest, FormatLabelsAndMkfsOptions) {
  const Json mgsnode = Json::array({Json::array({"10.1.0.0@o2ib1", "10.0.0.0@tcp0"})});
  Json mdt = Ok(s0, "format_target",
                FormatArgs(1, Json::array({"mdt"}), {{"fsname", "testfs"}, {"index", 0},
                                                     {"mgsnode", mgsnode},
                                                     {"mkfsoptions", "-I 512 -i 2048 -J size=400"}}));
  EXPECT_EQ(mdt["inode_size"], 512);
  EXPECT_EQ(mdt["bytes_per_inode"], 2048);
  EXPECT_EQ(mdt["inode_count"], kVolumeSizeBytes / 2048);
  EXPECT_EQ(world.targets.Find(VolumeSerial(1))->label, "testfs-MDT0000");
  EXPECT_EQ(world.targets.Find(VolumeSerial(1))->mgsnode, "10.0.0.0@tcp0,10.1.0.0@o2ib1");
  Ok(s0, "format_target", FormatArgs(2, Json::array({"ost"}), {{"fsname", "testfs"}, {"index", 26}}));
  EXPECT_EQ(world.targets.Find(VolumeSerial(2))->label, "testfs-OST001a");
  EXPECT_TRUE(Run(s0, "format_target", FormatArgs(3, Json::array({"ost"}))).exception);
}

TEST_F(TargetActionsTest, MkfsOptionsMke2fsWouldRefuseFailTheFormatAndChangeNothing) {
  // "-I 99999999999999999999" once threw std::out_of_range from std::stoll
  // (the catalog turned it into "internal error").
  for (const char* bad : {"-I 99999999999999999999", "-I 100", "-I 8192", "-I 384", "-i 512", "-i 99999999999"}) {
    ActionOutcome out = Run(s0, "format_target", FormatArgs(1, Json::array({"mdt"}), {{"fsname", "testfs"}, {"index", 0},
                                                                                     {"mkfsoptions", bad}}));
    ASSERT_TRUE(out.exception) << bad;
    EXPECT_NE(out.exception->find("mkfs.lustre: invalid inode "), std::string::npos) << *out.exception;
    EXPECT_EQ(out.exception->find("internal error"), std::string::npos) << *out.exception;
    EXPECT_FALSE(world.targets.contains(VolumeSerial(1))) << bad;
  }
  Json e2fs = Ok(s0, "format_target", FormatArgs(1, Json::array({"mdt"}), {{"fsname", "testfs"}, {"index", 0},
                                                                          {"mkfsoptions", "-I 128 -i 67108864"}}));
  EXPECT_EQ(e2fs["inode_size"], 128);
  EXPECT_EQ(e2fs["bytes_per_inode"], 67108864);
}

TEST_F(TargetActionsTest, SameSeedSameUuid) {
  Json first = Ok(s0, "format_target", FormatArgs(0, Json::array({"mgs"})));
  random = Random(42);
  Json again = Ok(s0, "format_target", FormatArgs(0, Json::array({"mgs"})));
  EXPECT_EQ(first["uuid"], again["uuid"]);
  Json next = Ok(s0, "format_target", FormatArgs(0, Json::array({"mgs"})));
  EXPECT_NE(next["uuid"], again["uuid"]);
}

TEST_F(TargetActionsTest, UnknownPathFailsAndChangesNothing) {
  const Json before = Dump();
  ActionOutcome out = Run(s0, "format_target", FormatArgs(0, Json::array({"mgs"}), {{"device", "/dev/nosuch"}}));
  ASSERT_TRUE(out.exception);
  EXPECT_NE(out.exception->find("test000.localdomain has no device at /dev/nosuch"), std::string::npos);
  ActionOutcome reg = Run(s0, "register_target", {{"device_path", Path(1)}, {"mount_point", "/m"},
                                                  {"backfstype", "ldiskfs"}});
  ASSERT_TRUE(reg.exception);
  EXPECT_NE(reg.exception->find("no Lustre target is formatted on"), std::string::npos);
  EXPECT_FALSE(world.HasChanges());
  EXPECT_EQ(Dump(), before);
}

TEST_F(TargetActionsTest, HaStartFailoverFailbackMoveTheTarget) {
  MakeHaMgs();
  const HaResource& r = cluster0().resources.at("MGS_1");
  EXPECT_EQ(r.primary_node, "test000");
  EXPECT_EQ(r.secondary_node, "test001");
  EXPECT_FALSE(r.started_on);
  EXPECT_EQ(Ok(s1, "start_target", {{"ha_label", "MGS_1"}}), Wrapped("test000"));
  EXPECT_EQ(cluster0().resources.at("MGS_1").started_on, "test000");
  EXPECT_EQ(Ok(s0, "failover_target", {{"ha_label", "MGS_1"}}), WrappedOk());
  EXPECT_EQ(cluster0().resources.at("MGS_1").started_on, "test001");
  EXPECT_EQ(Ok(s0, "failback_target", {{"ha_label", "MGS_1"}}), WrappedOk());
  EXPECT_EQ(cluster0().resources.at("MGS_1").started_on, "test000");
  EXPECT_EQ(Ok(s0, "stop_target", {{"ha_label", "MGS_1"}}), WrappedOk());
  EXPECT_FALSE(cluster0().resources.at("MGS_1").started_on);

  world.TakeChanges();
  ActionOutcome unknown = Run(s0, "start_target", {{"ha_label", "OST_9"}});
  ASSERT_TRUE(unknown.exception);
  EXPECT_NE(unknown.exception->find("no HA resource OST_9"), std::string::npos);
  EXPECT_FALSE(world.HasChanges());
  EXPECT_TRUE(Run(w0, "configure_target_ha", {{"primary", true}, {"device", Path(0)},
                                              {"ha_label", "X"}, {"uuid", "u"},
                                              {"mount_point", "/m"}}).exception);
}

TEST_F(TargetActionsTest, DetectScanOnAnotherServerSeesTheTarget) {
  const std::string uuid = MakeHaMgs();
  Ok(s0, "start_target", {{"ha_label", "MGS_1"}});
  Ok(s0, "format_target", FormatArgs(1, Json::array({"mdt"}),
                                     {{"fsname", "testfs"}, {"index", 0},
                                      {"mgsnode", Json::array({server(s0).Nids()})}}));
  Ok(s0, "register_target", {{"device_path", Path(1)}, {"mount_point", "/mnt/mdt"}, {"backfstype", "ldiskfs"}});

  Json scan = Ok(s1, "detect_scan", {{"target_devices", Json::array({{{"path", Path(0)}}, {{"path", Path(1)}},
                                                                     {{"path", Path(5)}}})}});
  ASSERT_EQ(scan["local_targets"].size(), 1u);  // the MDT is not HA yet, volume 5 is empty
  const Json& mgs = scan["local_targets"][0];
  EXPECT_EQ(mgs["name"], "MGS");
  EXPECT_EQ(mgs["uuid"], uuid);
  EXPECT_EQ(mgs["device_paths"], Json::array({Path(0)}));
  EXPECT_EQ(mgs["mounted"], false);  // it runs on test000
  EXPECT_EQ(scan["mgs_targets"]["testfs"][0]["name"], "testfs-MDT0000");
  EXPECT_EQ(scan["mgs_targets"]["testfs"][0]["nid"], "10.0.0.0@tcp0");
  EXPECT_EQ(scan["mgs_conf_params"], Json::object());
  EXPECT_EQ(Ok(s0, "detect_scan", {{"target_devices", Json::array({{{"path", Path(0)}}})}})
                ["local_targets"][0]["mounted"],
            true);
}

TEST_F(TargetActionsTest, SetConfParamNeedsTheMgsHere) {
  MakeHaMgs();
  ActionOutcome out = Run(s0, "set_conf_param", {{"key", "testfs.llite.max_cached_mb"}, {"value", "16"}});
  ASSERT_TRUE(out.exception);  // configured but not started
  EXPECT_NE(out.exception->find("no MGS is started on test000.localdomain"), std::string::npos);
  Ok(s0, "start_target", {{"ha_label", "MGS_1"}});
  EXPECT_TRUE(Run(s1, "set_conf_param", {{"key", "k"}, {"value", "v"}}).exception);
  EXPECT_EQ(Ok(s0, "set_conf_param", {{"key", "testfs.llite.max_cached_mb"}, {"value", "16"}}), Json(nullptr));
  EXPECT_EQ(world.mgts.Find(MgsKeyOfTest000())->conf_params.at("testfs.llite.max_cached_mb"), "16");
  Ok(s0, "set_conf_param", {{"key", "testfs.llite.max_cached_mb"}, {"value", nullptr}});
  EXPECT_TRUE(world.mgts.Find(MgsKeyOfTest000())->conf_params.empty());
  // The MGS's writeconf erases its conf params.
  Ok(s0, "set_conf_param", {{"key", "a"}, {"value", "1"}});
  EXPECT_EQ(Ok(s0, "writeconf_target", {{"device", Path(0)}, {"erase_params", true}}), Json(nullptr));
  EXPECT_TRUE(world.mgts.Find(MgsKeyOfTest000())->conf_params.empty());
}

TEST_F(TargetActionsTest, HsmControlDrivesTheFilesystemsCoordinator) {
  MakeHaMgs();
  Ok(s0, "start_target", {{"ha_label", "MGS_1"}});
  world.TakeChanges();
  ActionOutcome bad = Run(s0, "set_conf_param", {{"key", "testfs-MDT0000.mdt.hsm_control"}, {"value", "on"}});
  ASSERT_TRUE(bad.exception);
  EXPECT_NE(bad.exception->find("Unknown HSM Coordinator control value: 'on'"), std::string::npos) << *bad.exception;
  EXPECT_FALSE(world.HasChanges()) << "a bad value changes nothing";

  Ok(s0, "set_conf_param", {{"key", "testfs-MDT0000.mdt.hsm_control"}, {"value", "enabled"}});
  ASSERT_TRUE(world.hsm_coordinators.contains("testfs"));
  EXPECT_TRUE(world.hsm_coordinators.Find("testfs")->enabled);
  EXPECT_TRUE(world.hsm_coordinators.Find("testfs")->running);
  EXPECT_EQ(world.mgts.Find(MgsKeyOfTest000())->conf_params.at("testfs-MDT0000.mdt.hsm_control"), "enabled");
  Ok(s0, "set_conf_param", {{"key", "testfs-MDT0000.mdt.hsm_control"}, {"value", "shutdown"}});
  EXPECT_TRUE(world.hsm_coordinators.Find("testfs")->enabled);
  EXPECT_FALSE(world.hsm_coordinators.Find("testfs")->running);
  Ok(s0, "set_conf_param", {{"key", "testfs-MDT0000.mdt.hsm_control"}, {"value", "purge"}});
  EXPECT_TRUE(world.hsm_coordinators.Find("testfs")->running);
  EXPECT_EQ(world.hsm_coordinators.Find("testfs")->purges, 1);
  Ok(s0, "set_conf_param", {{"key", "testfs-MDT0000.mdt.hsm_control"}, {"value", "disabled"}});
  EXPECT_FALSE(world.hsm_coordinators.Find("testfs")->enabled);
  // Other keys leave coordinators alone.
  Ok(s0, "set_conf_param", {{"key", "other-MDT0000.mdt.hsm_max_requests"}, {"value", "3"}});
  EXPECT_FALSE(world.hsm_coordinators.contains("other"));
}

TEST_F(TargetActionsTest, PurgeConfigurationForgetsAFilesystemsTargets) {
  MakeHaMgs();
  const Json mgsnode = Json::array({server(s0).Nids()});
  Ok(s0, "format_target", FormatArgs(1, Json::array({"mdt"}), {{"fsname", "testfs"}, {"index", 0}, {"mgsnode", mgsnode}}));
  Ok(s0, "format_target", FormatArgs(2, Json::array({"mdt"}), {{"fsname", "other"}, {"index", 0}, {"mgsnode", mgsnode}}));
  for (int k : {1, 2}) {
    Ok(s0, "register_target", {{"device_path", Path(k)}, {"mount_point", "/m"}, {"backfstype", "ldiskfs"}});
  }
  EXPECT_EQ(world.targets.Find(VolumeSerial(1))->primary_nid, "10.0.0.0@tcp0");
  EXPECT_EQ(world.mgts.Find(MgsKeyOfTest000())->targets.size(), 3u);
  EXPECT_EQ(Ok(s0, "purge_configuration", {{"mgs_device_path", Path(0)}, {"mgs_device_type", "linux"},
                                           {"filesystem_name", "testfs"}}),
            Json(nullptr));
  EXPECT_EQ(world.mgts.Find(MgsKeyOfTest000())->targets, (std::set<std::string>{"MGS", "other-MDT0000"}));
}

TEST_F(TargetActionsTest, UnconfigureTargetHa) {
  MakeHaMgs();
  Ok(s0, "start_target", {{"ha_label", "MGS_1"}});
  EXPECT_TRUE(Run(s0, "unconfigure_target_ha", {{"primary", true}, {"ha_label", "MGS_1"}, {"uuid", "u"}}).exception);
  Ok(s0, "stop_target", {{"ha_label", "MGS_1"}});
  EXPECT_EQ(Ok(s1, "unconfigure_target_ha", {{"primary", false}, {"ha_label", "MGS_1"}, {"uuid", "u"}}),
            Wrapped(nullptr));
  EXPECT_FALSE(cluster0().resources.at("MGS_1").secondary_node);
  Ok(s0, "unconfigure_target_ha", {{"primary", true}, {"ha_label", "MGS_1"}, {"uuid", "u"}});
  EXPECT_EQ(cluster0().resources.count("MGS_1"), 0u);
  EXPECT_EQ(Ok(s0, "unconfigure_target_ha", {{"primary", true}, {"ha_label", "MGS_1"}, {"uuid", "u"}}),
            Wrapped(nullptr));
}

TEST_F(TargetActionsTest, AcknowledgedTargetActionsAndCheckBlockDevice) {
  EXPECT_EQ(Ok(s0, "check_block_device", {{"path", Path(3)}, {"device_type", "linux"}}), Json(nullptr));
  world.volumes.Mutable(VolumeSerial(3))->local_filesystem = "ext4";
  Json occupied = Ok(s0, "check_block_device", {{"path", Path(3)}, {"device_type", "linux"}});
  EXPECT_EQ(occupied["error"], "Filesystem found: type 'ext4'");
  EXPECT_TRUE(Run(s0, "check_block_device", {{"path", "/dev/sdz"}, {"device_type", "linux"}}).exception);
  world.TakeChanges();
  EXPECT_EQ(Ok(s0, "import_target", {{"device_type", "linux"}, {"path", Path(0)},
                                     {"pacemaker_ha_operation", true}}),
            WrappedOk());
  EXPECT_EQ(Ok(s0, "export_target", {{"device_type", "linux"}, {"path", Path(0)}}), WrappedOk());
  EXPECT_EQ(Ok(s0, "configure_target_store", {{"device", Path(0)}, {"uuid", "u"}, {"mount_point", "/m"},
                                              {"backfstype", "ldiskfs"}, {"device_type", "linux"}}),
            Json(nullptr));
  EXPECT_EQ(Ok(s0, "unconfigure_target_store", {{"uuid", "u"}}), Json(nullptr));
  EXPECT_FALSE(world.HasChanges());
}

}  // namespace
}  // namespace cs
