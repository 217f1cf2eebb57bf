// The catalog as a whole: every action of the reference is there, and bad
// requests fail with a clear text and change nothing.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/actions/action_fixture.h"

namespace cs {
namespace {

// docs/reference.md section 4, "Action catalog".
const std::vector<std::string> kReferenceActions = {
    "device_plugin", "detect_scan", "update_profile", "restart_agent", "scan_packages",
    "install_packages", "kernel_status", "configure_repo", "configure_ntp", "unconfigure_ntp",
    "initialise_block_device_drivers", "deregister_server", "shutdown_server", "reboot_server",
    "configure_network", "configure_corosync", "configure_corosync2_stage_1",
    "configure_corosync2_stage_2", "change_mcast_port", "get_corosync_autoconfig",
    "start_corosync", "start_corosync2", "stop_corosync", "stop_corosync2",
    "unconfigure_corosync", "unconfigure_corosync2", "host_corosync_config",
    "configure_pacemaker", "unconfigure_pacemaker", "enable_pacemaker", "start_pacemaker",
    "stop_pacemaker", "configure_fencing", "unconfigure_fencing", "load_lnet", "start_lnet",
    "stop_lnet", "unload_lnet", "configure_lnet", "unconfigure_lnet", "check_block_device",
    "format_target", "register_target", "writeconf_target", "purge_configuration",
    "configure_target_ha", "unconfigure_target_ha", "start_target", "stop_target",
    "failover_target", "failback_target", "import_target", "export_target",
    "configure_target_store", "unconfigure_target_store", "set_conf_param", "open_firewall",
    "close_firewall", "mount_lustre_filesystems", "unmount_lustre_filesystems",
    "configure_copytool", "unconfigure_copytool", "start_monitored_copytool",
    "stop_monitored_copytool"};

TEST(CatalogTest, HasExactlyTheReferenceActions) {
  std::vector<std::string> expected = kReferenceActions;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ActionCatalog::Default().Names(), expected);
  EXPECT_EQ(expected.size(), 64u);
}

using CatalogRunTest = ActionTest;

void ExpectFailure(const ActionOutcome& out, const std::string& text) {
  ASSERT_TRUE(out.exception.has_value());
  EXPECT_NE(out.exception->find(text), std::string::npos) << *out.exception;
}

TEST_F(CatalogRunTest, UnknownActionFailsClearlyAndChangesNothing) {
  const Json before = Dump();
  ActionOutcome out = Run(s0, "frobnicate_target");
  ExpectFailure(out, "Unknown command frobnicate_target");
  EXPECT_EQ(out.after, AfterResponse::kNone);
  EXPECT_FALSE(world.HasChanges());
  EXPECT_EQ(Dump(), before);
}

TEST_F(CatalogRunTest, MissingMistypedAndExtraArgumentsFailBeforeAnyChange) {
  const Json before = Dump();
  ExpectFailure(Run(s0, "change_mcast_port", {{"new_mcast_port", 4000}}),
                "change_mcast_port: missing argument 'old_mcast_port'");
  ExpectFailure(Run(s0, "change_mcast_port", {{"old_mcast_port", 3000}, {"new_mcast_port", "x"}}),
                "argument 'new_mcast_port' must be an integer, got \"x\"");
  ExpectFailure(Run(s0, "start_lnet", {{"force", true}}), "unexpected argument 'force'");
  ExpectFailure(Run(s0, "configure_target_ha", {{"primary", "yes"}}), "");
  ExpectFailure(Run(s0, "start_target", Json::array({"MGS"})), "must be an object");
  ExpectFailure(Run("nosuch.localdomain", "start_lnet"), "no simulated server nosuch.localdomain");
  EXPECT_FALSE(world.HasChanges());
  EXPECT_EQ(Dump(), before);
}

TEST_F(CatalogRunTest, NullArgumentsMeanNone) {
  EXPECT_EQ(Ok(s0, "start_lnet", nullptr), WrappedOk());
  ExpectFailure(Run(s0, "start_target", nullptr), "missing argument 'ha_label'");
}

TEST_F(CatalogRunTest, DecimalTextPortsAreAccepted) {
  EXPECT_EQ(Ok(s0, "change_mcast_port", {{"old_mcast_port", "3000"}, {"new_mcast_port", "4001"}}),
            WrappedOk());
  EXPECT_EQ(server(s0).corosync.mcast_port, 4001);
}

}  // namespace
}  // namespace cs
