// The out-of-band door: a running fleet and the built-in manager driven only
// through RemoteOperations (the simulator's control API) and the manager's
// API, as a storage manager's integration suite would drive them.
#include "tests/integration/e2e_fixture.h"

#include <algorithm>

namespace cs::testing {
namespace {

class RemoteOpsTest : public EndToEndTest {
 protected:
  void SetUp() override {
    StartManager();
    Setup(8);
    StartSimulator({"register", "--username", "admin", "--password", "lustre"});
    ASSERT_TRUE(AllManaged(9)) << FailedCommands();
    remote = Remote();
    ASSERT_NE(remote, nullptr);
  }
  std::unique_ptr<SimulatorRemoteOperations> remote;
};

TEST_F(RemoteOpsTest, KillServerFailsOverAndResetServerIsARebootTheManagerRecords) {
  CreateFilesystem();
  const Json ost = Target("testfs-OST0001");
  const std::string secondary = ost["secondary_host"];
  const std::string label = ost["ha_label"];

  ASSERT_TRUE(remote->KillServer("test004.localdomain").ok());
  const std::string secondary_node = secondary.substr(0, secondary.find('.'));
  EXPECT_EQ(SimRunsOn(label), secondary_node) << "the simulator moved it at once";
  ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0001")["active_host"] == secondary; }))
      << "the manager's view follows";
  ASSERT_TRUE(Eventually([&] { return Host("test004.localdomain")["reachable"] == false; }, seconds(60)));
  auto contactable = remote->HostContactable("test004.localdomain");
  ASSERT_TRUE(contactable.ok());
  EXPECT_FALSE(*contactable);

  ASSERT_TRUE(remote->ResetServer("test004.localdomain").ok()) << "reset of a dead server boots it";
  ASSERT_TRUE(remote->AwaitServerBoot("test004.localdomain", true, seconds(30)).ok());
  ASSERT_TRUE(Eventually([&] {
    const Json h = Host("test004.localdomain");
    return h["reachable"] == true && h["reboots"].get<int>() >= 1;
  }, seconds(30))) << Host("test004.localdomain").dump();

  // A running server reset: down and up, its targets move off meanwhile.
  const int reboots = Host("test002.localdomain")["reboots"];
  ASSERT_TRUE(remote->ResetServer("test002.localdomain").ok());
  ASSERT_TRUE(remote->AwaitServerBoot("test002.localdomain", true, seconds(30)).ok());
  ASSERT_TRUE(Eventually([&] { return Host("test002.localdomain")["reboots"].get<int>() == reboots + 1; }));
  EXPECT_FALSE(Target("testfs-OST0000")["active_host"].is_null()) << "it runs somewhere";
}

TEST_F(RemoteOpsTest, FailConnectionsMakesOneHostUnreachableAndBack) {
  ASSERT_TRUE(remote->FailConnections(true, "test003.localdomain").ok());
  ASSERT_TRUE(Eventually([&] { return Host("test003.localdomain")["reachable"] == false; }, seconds(60)));
  EXPECT_EQ(Host("test002.localdomain")["reachable"], true) << "the others stay healthy";
  EXPECT_EQ(Host("test005.localdomain")["reachable"], true);
  Result<Json> faults = remote->Call("faults", Json::object());
  ASSERT_TRUE(faults.ok());
  EXPECT_NE(faults->dump().find("test003.localdomain"), std::string::npos) << faults->dump();
  ASSERT_TRUE(remote->FailConnections(false, "test003.localdomain").ok());
  ASSERT_TRUE(Eventually([&] { return Host("test003.localdomain")["reachable"] == true; }, seconds(60)));
}

TEST_F(RemoteOpsTest, DroppedResponsesNeverHangACommand) {
  CreateFilesystem();
  ASSERT_TRUE(remote->DropResponses(true, "test004.localdomain").ok());
  // The failover's ACTION_START reaches test004's agent only if its GET is
  // among the last to get through; either way the command must end.
  // The step timeout ends it (kStepTimeout, scaled for a slow build): the
  // command's own --timeout and the bound under it grow by the same factor.
  const auto started = std::chrono::steady_clock::now();
  CliResult failover = Manager({"failover", "testfs-OST0001", "--wait", "--timeout",
                                std::to_string(Scaled(seconds(60)).count())});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(failover.exit_code == 0 || failover.exit_code == 2) << failover.Describe();
  EXPECT_LT(took, Scaled(seconds(55))) << "the command ended by itself: " << failover.Describe();
  const Json commands = ManagerJson({"commands"});
  for (const Json& c : commands) EXPECT_NE(c["state"], "running") << c.dump();
  ASSERT_TRUE(remote->DropResponses(false, "test004.localdomain").ok());
  ASSERT_TRUE(Eventually([&] { return Host("test004.localdomain")["reachable"] == true; }, seconds(60)));
}

TEST_F(RemoteOpsTest, StopTargetBehindTheManagersBackAndStandby) {
  CreateFilesystem();
  const Json ost = Target("testfs-OST0000");
  const std::string label = ost["ha_label"];
  ASSERT_TRUE(remote->StopTarget("test002.localdomain", label).ok());
  ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0000")["active_host"].is_null(); }))
      << "reported as stopped";
  auto running = remote->GetResourceRunning("test002.localdomain", label);
  ASSERT_TRUE(running.ok());
  EXPECT_FALSE(*running);
  ASSERT_TRUE(remote->StartTarget("test002.localdomain", label).ok());
  ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0000")["active_host"] == "test002.localdomain"; }));

  // Standby moves everything off the node; online lets it run again.
  ASSERT_TRUE(remote->SetNodeStandby("test002.localdomain").ok());
  const std::string secondary = ost["secondary_host"];
  ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0000")["active_host"] == secondary; }));
  ASSERT_TRUE(remote->SetNodeOnline("test002.localdomain").ok());
  const CliResult failback = Manager({"failback", "testfs-OST0000", "--wait"});
  ASSERT_EQ(failback.exit_code, 0) << failback.Describe() << FailedCommands();
  ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0000")["active_host"] == "test002.localdomain"; }));
}

TEST_F(RemoteOpsTest, EveryPluginHasASessionAndAnAgentRestartStartsThemOver) {
  const std::vector<std::string> plugins = {"action_runner", "corosync", "linux", "linux_network",
                                            "lustre", "simulator_controller", "systemd_journal"};
  auto sessions_of = [&](const std::string& fqdn) {
    Result<Json> agents = remote->Call("agents", Json::object());
    std::vector<std::string> out;
    if (agents.ok() && agents->contains(fqdn)) out = (*agents)[fqdn]["sessions"].get<std::vector<std::string>>();
    std::sort(out.begin(), out.end());
    return out;
  };
  ASSERT_TRUE(Eventually([&] { return sessions_of("test005.localdomain") == plugins; }))
      << remote->Call("agents", Json::object())->dump();
  ASSERT_TRUE(Eventually([&] { return sessions_of("worker000.localdomain") == plugins; }));

  // Journal lines injected out of band reach the manager's agent channel.
  ASSERT_TRUE(remote->InjectLogMessage("test005.localdomain", "hello from the test").ok());

  const Json before = (*remote->Call("agents", Json::object()))["test005.localdomain"];
  const int reboots = Host("test005.localdomain")["reboots"];
  ASSERT_TRUE(remote->RestartAgent("test005.localdomain").ok());
  ASSERT_TRUE(Eventually([&] {
    Result<Json> agents = remote->Call("agents", Json::object());
    if (!agents.ok() || !agents->contains("test005.localdomain")) return false;
    const Json& a = (*agents)["test005.localdomain"];
    return a["client_start_time"] != before["client_start_time"] && a["terminate_alls"].get<int>() >= 1 &&
           a["sessions"].size() == plugins.size();
  })) << "a new client start time: the manager ended the old sessions and new ones opened";
  EXPECT_EQ(Host("test005.localdomain")["reboots"], reboots) << "an agent restart is not a reboot";
  EXPECT_EQ(Host("test005.localdomain")["reachable"], true);
}

TEST_F(RemoteOpsTest, ReadProcReturnsConfParamsTheManagerSet) {
  CreateFilesystem();
  CliResult set = Manager({"conf-param", "--fs", "testfs", "--key", "testfs.llite.max_cached_mb", "--value", "16",
                           "--wait"});
  ASSERT_EQ(set.exit_code, 0) << set.Describe();
  ASSERT_EQ(Manager({"conf-param", "--fs", "testfs", "--key", "testfs-OST0000.ost.writethrough_cache_enable",
                     "--value", "0", "--wait"}).exit_code, 0);

  // A server reads its running targets' tunables.
  auto server_value = remote->ReadProc("test002.localdomain", "/proc/fs/lustre/obdfilter/testfs-OST0000/writethrough_cache_enable");
  ASSERT_TRUE(server_value.ok()) << server_value.status().message();
  EXPECT_EQ(*server_value, "0");
  auto unset = remote->ReadProc("test002.localdomain", "/proc/fs/lustre/obdfilter/testfs-OST0000/sync_journal");
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(*unset, "0") << "the default";

  // A client mounting the filesystem reads the llite values.
  ASSERT_EQ(RunWithConfig(dir.Sub("sim"), {"state", "export", dir.Sub("export")}).exit_code, 0);
  const Json devices = Json::parse(ReadFile(dir.Sub("export/devices.json")));
  ASSERT_EQ(devices["mgts"].size(), 1u);
  const std::string mgsnode = devices["mgts"].items().begin().key();
  ASSERT_TRUE(remote->MountFilesystem("imaginary_client", mgsnode + ":/testfs").ok());
  auto client_value = remote->ReadProc("imaginary_client", "/proc/fs/lustre/llite/*/max_cached_mb");
  ASSERT_TRUE(client_value.ok()) << client_value.status().message();
  EXPECT_EQ(*client_value, "max_cached_mb: 16");
  ASSERT_TRUE(remote->UnmountClients().ok());
}

// Agent actions sent by the manager one at a time (manager action), their
// answers, and their effect on the simulated state.
TEST_F(RemoteOpsTest, ActionsOverTheWire) {
  auto run = [&](const std::string& host, const std::string& action, const Json& args) {
    CliResult r = Manager({"action", host, action, "--args", args.dump(), "--wait", "--timeout", "30"});
    Json j = Json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.Describe();
    return j;
  };
  auto server = [&](const std::string& fqdn) {
    const Json status = SimStatus();
    for (const Json& s : status["servers"]) {
      if (s["fqdn"] == fqdn) return s;
    }
    return Json();
  };
  EXPECT_EQ(run("test001", "stop_lnet", Json::object())["state"], "succeeded");
  EXPECT_EQ(server("test001.localdomain")["lnet"], "down");
  Json started = run("test001", "start_lnet", Json::object());
  EXPECT_EQ(started["result"], Json::parse(R"({"wrapper_version": 1, "result": true})"));
  EXPECT_EQ(server("test001.localdomain")["lnet"], "up");

  EXPECT_EQ(run("test001", "stop_pacemaker", Json::object())["state"], "succeeded");
  EXPECT_EQ(server("test001.localdomain")["pacemaker"], "stopped");
  EXPECT_EQ(run("test001", "start_pacemaker", Json::object())["state"], "succeeded");

  EXPECT_EQ(run("test001", "change_mcast_port", Json{{"old_mcast_port", 3000}, {"new_mcast_port", 4242}})["state"],
            "succeeded");
  auto mcast_port = remote->GetCorosyncPort("test001.localdomain");
  ASSERT_TRUE(mcast_port.ok());
  EXPECT_EQ(*mcast_port, 4242);

  EXPECT_TRUE(run("test001", "kernel_status", Json::object())["result"].contains("running"));
  Json plugin = run("test001", "device_plugin", Json{{"plugin", "linux"}});
  EXPECT_TRUE(plugin["result"]["linux"]["devs"].is_object()) << plugin.dump();
  // The daemon's statistics book: the node template, read without a drift.
  Json lustre = run("test001", "device_plugin", Json{{"plugin", "lustre"}});
  const Json node = lustre["result"]["lustre"]["metrics"]["raw"]["node"];
  EXPECT_EQ(node["hostname"], "test001.localdomain") << lustre.dump();
  EXPECT_EQ(node["meminfo"]["MemTotal"], 509856) << "the original's node template";
  EXPECT_GE(node["cpustats"]["total"].get<int64_t>(), 17820617);
  EXPECT_TRUE(run("test001", "scan_packages", Json::object())["result"].contains("external"));

  Json unknown = run("test001", "no_such_action", Json::object());
  EXPECT_EQ(unknown["state"], "failed");
  EXPECT_NE(unknown.dump().find("no_such_action"), std::string::npos) << unknown.dump();
  Json extra = run("test001", "start_lnet", Json{{"bogus", 1}});
  EXPECT_EQ(extra["state"], "failed");
  EXPECT_NE(extra.dump().find("bogus"), std::string::npos) << extra.dump();
  Json fencing = run("worker000", "configure_fencing", Json{{"agents", Json::array()}});
  EXPECT_EQ(fencing["state"], "failed") << "a worker cannot be fenced";
  EXPECT_EQ(server("test001.localdomain")["lnet"], "up") << "failed actions changed nothing";
}

TEST_F(RemoteOpsTest, BadRequestsChangeNothing) {
  const Json before = SimStatus();
  EXPECT_EQ(remote->KillServer("nosuch.localdomain").code(), Status::Code::kNotFound);
  EXPECT_FALSE(remote->StopTarget("test000.localdomain", "no_such_label").ok());
  EXPECT_FALSE(remote->Call("no_such_operation", Json::object()).ok());
  EXPECT_FALSE(remote->Call("set_outlet", Json{{"pdu", "pdu000"}, {"outlet", 1}, {"action", "melt"}}).ok());
  const Json after = SimStatus();
  EXPECT_EQ(before["summary"], after["summary"]);
  EXPECT_EQ(before["clusters"], after["clusters"]);
}

}  // namespace
}  // namespace cs::testing
