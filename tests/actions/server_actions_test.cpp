// Server, package, lnet, corosync, pacemaker and copytool actions: their
// effect on the world and the shape of their answers (reference section 8).
#include <gtest/gtest.h>

#include "fakes/hsm/hsm_world.h"
#include "tests/actions/action_fixture.h"

namespace cs {
namespace {

class FakePlugins : public DevicePluginSource {
 public:
  std::vector<std::string> Names() const override { return {"linux", "lustre"}; }
  Result<Json> StartSession(const World&, const std::string& fqdn, const std::string& plugin) const override {
    return Json{{"plugin", plugin}, {"fqdn", fqdn}};
  }
};

using ServerActionsTest = ActionTest;

TEST_F(ServerActionsTest, DevicePluginAnswersBarePluginBodies) {
  EXPECT_TRUE(Run(s0, "device_plugin", {{"plugin", "linux"}}).exception);  // none plugged in
  FakePlugins fake;
  plugins = &fake;
  EXPECT_EQ(Ok(s0, "device_plugin", {{"plugin", "linux"}}),
            (Json{{"linux", {{"plugin", "linux"}, {"fqdn", s0}}}}));
  Json all = Ok(s0, "device_plugin", {{"plugin", nullptr}});
  EXPECT_EQ(all.size(), 2u);
  EXPECT_TRUE(all.contains("lustre"));
  ActionOutcome unknown = Run(s0, "device_plugin", {{"plugin", "nosuch"}});
  ASSERT_TRUE(unknown.exception);
  EXPECT_NE(unknown.exception->find("no device plugin named 'nosuch'"), std::string::npos);
}

TEST_F(ServerActionsTest, AnswerFirstActionsSetAfterAndChangeNothing) {
  const std::pair<const char*, AfterResponse> cases[] = {
      {"deregister_server", AfterResponse::kDeregister},
      {"shutdown_server", AfterResponse::kShutdown},
      {"reboot_server", AfterResponse::kReboot},
      {"restart_agent", AfterResponse::kRestartAgent}};
  for (const auto& [action, after] : cases) {
    ActionOutcome out = Run(s0, action);
    EXPECT_FALSE(out.exception) << action;
    EXPECT_EQ(out.result, Json(nullptr)) << action;
    EXPECT_EQ(out.after, after) << action;
  }
  EXPECT_FALSE(world.HasChanges());
  EXPECT_EQ(Ok(s0, "start_lnet").is_object(), true);
  EXPECT_EQ(Run(s0, "start_lnet").after, AfterResponse::kNone);
}

TEST_F(ServerActionsTest, ProfileKernelNtpFirewall) {
  EXPECT_EQ(Ok(s0, "update_profile", {{"profile", {{"name", "base_managed_rh7"}}}}), WrappedOk());
  EXPECT_EQ(server(s0).profile_name, "base_managed_rh7");
  EXPECT_TRUE(Run(s0, "update_profile", {{"profile", Json::object()}}).exception);
  Json kernel = Ok(s0, "kernel_status");
  EXPECT_EQ(kernel["running"], "fake_kernel-0.1");
  EXPECT_TRUE(kernel["available"].is_array());
  world.TakeChanges();
  EXPECT_EQ(Ok(s0, "configure_ntp", {{"ntp_server", "ntp.example"}}), WrappedOk());
  EXPECT_EQ(Ok(s0, "unconfigure_ntp"), WrappedOk());
  EXPECT_EQ(Ok(s0, "initialise_block_device_drivers"), WrappedOk());
  const Json fw = {{"port", 988}, {"address", nullptr}, {"proto", "tcp"}, {"description", "lustre"},
                   {"persist", true}};
  EXPECT_EQ(Ok(s0, "open_firewall", fw), WrappedOk());
  EXPECT_EQ(Ok(s0, "close_firewall", fw), WrappedOk());
  EXPECT_EQ(Ok(s0, "configure_repo", {{"filename", "x.repo"}, {"file_contents", "[x]"}}), Json(nullptr));
  EXPECT_FALSE(world.HasChanges());
}

TEST_F(ServerActionsTest, ScanAndInstallPackages) {
  Json scan = Ok(s0, "scan_packages");
  ASSERT_TRUE(scan["external"].contains("lustre"));
  EXPECT_EQ(scan["external"]["lustre"]["installed"], Json::array());
  EXPECT_EQ(scan["external"]["lustre"]["available"][0], Json::array({0, "2.1.4", "1", "x86_64"}));

  Json installed = Ok(s0, "install_packages", {{"repos", Json::array({"lustre"})},
                                               {"packages", Json::array({"lustre", "zfs"})}});
  EXPECT_EQ(installed["wrapper_version"], 1);
  EXPECT_EQ(installed["result"]["external"]["lustre"]["installed"][0],
            Json::array({0, "2.1.4", "1", "x86_64"}));
  EXPECT_EQ(server(s0).packages.count("zfs"), 1u);

  world.TakeChanges();
  ActionOutcome missing = Run(s0, "install_packages", {{"repos", Json::array()},
                                                       {"packages", Json::array({"kernel", "nosuch"})}});
  ASSERT_TRUE(missing.exception);
  EXPECT_NE(missing.exception->find("package 'kernel' not found"), std::string::npos);
  EXPECT_FALSE(world.HasChanges());
}

TEST_F(ServerActionsTest, LnetStatesAndConfiguration) {
  EXPECT_EQ(Ok(s0, "load_lnet"), WrappedOk());
  EXPECT_TRUE(server(s0).lnet_loaded);
  EXPECT_FALSE(server(s0).lnet_up);
  Ok(s0, "start_lnet");
  EXPECT_TRUE(server(s0).lnet_up);
  Ok(s0, "stop_lnet");
  EXPECT_TRUE(server(s0).lnet_loaded);
  EXPECT_FALSE(server(s0).lnet_up);
  Ok(s0, "unload_lnet");
  EXPECT_FALSE(server(s0).lnet_loaded);

  EXPECT_EQ(Ok(s0, "configure_lnet",
               {{"lnet_configuration",
                 {{"state", "lnet_up"}, {"network_interfaces", Json::array({Json::array({"10.1.0.0", "o2ib", 3})})}}}}),
            WrappedOk());
  EXPECT_EQ(server(s0).Nids(), std::vector<std::string>{"10.1.0.0@o2ib3"});
  world.TakeChanges();
  ActionOutcome bad = Run(s0, "configure_lnet",
                          {{"lnet_configuration", {{"network_interfaces", Json::array({Json::array({"1.2.3.4", "tcp", 0})})}}}});
  ASSERT_TRUE(bad.exception);
  EXPECT_NE(bad.exception->find("no interface with address 1.2.3.4"), std::string::npos);
  EXPECT_FALSE(world.HasChanges());
  EXPECT_EQ(Ok(s0, "unconfigure_lnet"), WrappedOk());
  EXPECT_TRUE(server(s0).Nids().empty());
}

TEST_F(ServerActionsTest, ClientMountsStartLnet) {
  const Json fs = {{"filesystems", Json::array({Json::array({"10.0.0.0@tcp0:/testfs", "/mnt/testfs"})})}};
  EXPECT_EQ(Ok(w0, "mount_lustre_filesystems", fs), Json(nullptr));
  EXPECT_TRUE(server(w0).lnet_up);
  EXPECT_EQ(server(w0).client_mounts.at("10.0.0.0@tcp0:/testfs"), "/mnt/testfs");
  EXPECT_EQ(Ok(w0, "unmount_lustre_filesystems", fs), Json(nullptr));
  EXPECT_TRUE(server(w0).client_mounts.empty());
  EXPECT_TRUE(Run(w0, "mount_lustre_filesystems",
                  {{"filesystems", Json::array({Json::array({"nocolon", "/mnt"})})}}).exception);
}

TEST_F(ServerActionsTest, CorosyncAndPacemaker) {
  Ok(s0, "start_corosync");
  EXPECT_EQ(server(s0).corosync.state, "started");
  Ok(s0, "stop_corosync2");
  EXPECT_EQ(server(s0).corosync.state, "stopped");
  EXPECT_EQ(Ok(s0, "configure_corosync", {{"ring0_name", "eth0"}, {"ring1_name", "ib1"},
                                          {"old_mcast_port", 3000}, {"new_mcast_port", 3100}}),
            WrappedOk());
  EXPECT_EQ(server(s0).corosync.mcast_port, 3100);
  Ok(s0, "configure_corosync2_stage_1", {{"mcast_port", 3200}, {"pcs_password", "pw"}});
  EXPECT_EQ(server(s0).corosync.mcast_port, 3200);
  EXPECT_EQ(Ok(s0, "configure_corosync2_stage_2",
               {{"ring0_name", "eth0"}, {"ring1_name", "ib1"}, {"new_node_fqdn", s0},
                {"mcast_port", 3200}, {"pcs_password", "pw"}, {"create_cluster", true}}),
            WrappedOk());
  Json autoconfig = Ok(s0, "get_corosync_autoconfig");
  EXPECT_EQ(autoconfig["result"]["mcast_port"], 3200);
  EXPECT_EQ(autoconfig["result"]["interfaces"]["eth0"]["dedicated"], false);
  EXPECT_EQ(autoconfig["result"]["interfaces"]["ib1"]["dedicated"], true);
  EXPECT_EQ(Ok(s0, "unconfigure_corosync"), WrappedOk());
  EXPECT_EQ(Ok(s0, "unconfigure_corosync2", {{"host_fqdn", s0}, {"mcast_port", 3200}}), WrappedOk());
  EXPECT_EQ(Ok(s0, "host_corosync_config"), Json::object());
  EXPECT_EQ(Ok(s0, "configure_network", {{"ring0_name", "eth0"}}), WrappedOk());

  EXPECT_EQ(Ok(s0, "start_pacemaker"), WrappedOk());
  EXPECT_EQ(server(s0).pacemaker.state, "started");
  Ok(s0, "stop_pacemaker");
  EXPECT_EQ(server(s0).pacemaker.state, "stopped");
  for (const char* a : {"configure_pacemaker", "unconfigure_pacemaker", "enable_pacemaker",
                        "unconfigure_fencing"}) {
    EXPECT_EQ(Ok(s0, a), Json(nullptr)) << a;
  }
  EXPECT_EQ(Ok(s0, "configure_fencing", {{"agents", Json::array()}}), Json(nullptr));
}

// configure_fencing keeps the agents on the node (the CIB's N_fence_*
// attributes); stopping pacemaker takes the node out of its cluster cleanly
// and starting it with corosync running brings it back.
TEST_F(ServerActionsTest, FencingAgentsAreKeptAndPacemakerStopsAndStartsMembership) {
  const Json agents = Json::array({{{"agent", "fence_apc"}, {"login", "apc"}, {"password", "apc"},
                                    {"ipaddr", "127.0.0.1"}, {"ipport", 2300}, {"plug", "1"}}});
  EXPECT_EQ(Ok(s0, "configure_fencing", {{"agents", agents}}), Json(nullptr));
  EXPECT_EQ(cluster0().nodes.at("test000").fence_agents, agents);
  EXPECT_EQ(Ok(s0, "configure_fencing", {{"agents", agents.dump()}}), Json(nullptr)) << "as text, for CLI debugging";
  EXPECT_TRUE(Run(s0, "configure_fencing", {{"agents", Json::array({{{"plug", "1"}}})}}).exception) << "no agent";
  EXPECT_TRUE(Run(s0, "configure_fencing", {{"agents", "[not json"}}).exception);

  Ok(s0, "start_corosync");
  Ok(s0, "start_pacemaker");
  EXPECT_TRUE(cluster0().nodes.at("test000").online);
  Ok(s0, "stop_pacemaker");
  EXPECT_FALSE(cluster0().nodes.at("test000").online);
  EXPECT_FALSE(cluster0().nodes.at("test000").unclean) << "a clean leave";
  Ok(s0, "start_pacemaker");
  EXPECT_TRUE(cluster0().nodes.at("test000").online);
  Ok(s0, "stop_corosync");
  EXPECT_FALSE(cluster0().nodes.at("test000").online);
}

TEST_F(ServerActionsTest, FencingFailsOnAWorker) {
  ActionOutcome out = Run(w0, "configure_fencing", {{"agents", Json::array()}});
  ASSERT_TRUE(out.exception);
  EXPECT_NE(out.exception->find("is a worker"), std::string::npos);
  EXPECT_TRUE(Run(w0, "unconfigure_fencing").exception);
}

TEST_F(ServerActionsTest, CopytoolLifeCycle) {
  const Json config = {{"id", "5"}, {"index", 0}, {"bin_path", "/usr/sbin/lhsmtool_posix"},
                       {"archive_number", 1}, {"filesystem", "testfs"},
                       {"mountpoint", "/mnt/testfs"}, {"hsm_arguments", "-p /archive"}};
  EXPECT_EQ(Ok(w0, "configure_copytool", config), Json(nullptr));
  ASSERT_TRUE(world.copytools.contains("5"));
  EXPECT_EQ(world.copytools.Find("5")->server, w0);
  EXPECT_EQ(world.copytools.Find("5")->copytool, config);
  ActionOutcome no_coordinator = Run(w0, "start_monitored_copytool", {{"id", "5"}});
  ASSERT_TRUE(no_coordinator.exception);
  EXPECT_NE(no_coordinator.exception->find("filesystem 'testfs' has no HSM coordinator"), std::string::npos)
      << *no_coordinator.exception;
  EXPECT_FALSE(world.copytools.Find("5")->running);
  ASSERT_TRUE(ControlHsmCoordinator(world, "testfs", "enabled").ok());
  Ok(w0, "start_monitored_copytool", {{"id", "5"}});
  EXPECT_TRUE(world.copytools.Find("5")->running);
  ASSERT_TRUE(world.copytools.Find("5")->uuid);
  EXPECT_EQ(world.copytools.Find("5")->uuid->size(), 36u);
  Ok(w0, "stop_monitored_copytool", {{"id", "5"}});
  EXPECT_FALSE(world.copytools.Find("5")->running);
  EXPECT_TRUE(Run(w0, "start_monitored_copytool", {{"id", "6"}}).exception);
  Ok(w0, "unconfigure_copytool", {{"id", "5"}});
  EXPECT_FALSE(world.copytools.contains("5"));
  EXPECT_TRUE(Run(w0, "unconfigure_copytool", {{"id", "5"}}).exception);
}

}  // namespace
}  // namespace cs
