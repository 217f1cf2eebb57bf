// End to end over real TLS on 127.0.0.1: the built-in manager, and a fleet
// that registers with it (by credentials and by token), is set up by it,
// gets a filesystem, fails a target over and back, survives a restart of
// the manager and of the simulator, and refuses a manager it cannot verify.
#include <map>
#include <future>

#include "tests/integration/e2e_fixture.h"

namespace cs::testing {
namespace {

TEST_F(EndToEndTest, CredentialsRegisterEveryHostAndTheManagerSetsThemUp) {
  StartManager();
  Setup(8);
  StartSimulator({"register", "--username", "admin", "--password", "lustre", "--create_pdu_entries"});
  ASSERT_TRUE(simulator->WaitForOutput("Registered 9 of 9 servers", seconds(60))) << simulator->Output();
  ASSERT_TRUE(simulator->WaitForOutput("PDU entries created on the manager")) << simulator->Output();
  ASSERT_TRUE(AllManaged(9)) << ManagerJson({"hosts"}).dump(1) << ManagerJson({"commands"}).dump(1);
  const Json commands = ManagerJson({"commands"});
  for (const Json& c : commands) EXPECT_EQ(c["state"], "succeeded") << c.dump();
  Json status = SimStatus();
  for (const Json& s : status["servers"]) {
    EXPECT_EQ(s["registered"], true) << s["fqdn"];
    if (s["worker"] == false) {
      EXPECT_EQ(s["lnet"], "up") << s["fqdn"];
      EXPECT_EQ(s["corosync"], "started") << s["fqdn"];
      EXPECT_EQ(s["pacemaker"], "started") << s["fqdn"];
    }
  }
  // --create_pdu_entries: the PDU, at the port it really listens on, with
  // each server's outlet assigned to its host.
  auto client = manager::ManagerClient::Create(Url(), ReadFile(dir.Sub("mgr/ca.crt")));
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->Login("admin", "lustre").ok());
  Result<Json> devices = (*client)->Call("GET", "api/power_control_device/");
  ASSERT_TRUE(devices.ok()) << devices.status().message();
  const Json objects = devices->is_array() ? *devices : devices->value("objects", Json::array());
  ASSERT_EQ(objects.size(), 1u) << devices->dump();
  EXPECT_EQ(objects[0]["port"], 2300 + pdu_offset);
  int assigned = 0;
  for (const Json& o : objects[0]["outlets"]) assigned += !o.value("host", Json()).is_null();
  EXPECT_EQ(assigned, 8) << objects[0].dump();

  // Each server's certificate verifies against the manager's CA.
  const std::string crt = dir.Sub("sim/test003.localdomain_crypto/self.crt");
  ASSERT_TRUE(PathExists(crt));
  EXPECT_EQ(std::system(("openssl verify -CAfile " + dir.Sub("mgr/ca.crt") + " " + crt + " >/dev/null").c_str()), 0);
}

TEST_F(EndToEndTest, TokensWrongAndExhausted) {
  StartManager();
  Setup(2);
  {
    StartSimulator({"register", "--secret", "nosuchtoken"}, "wrong.log");
    ASSERT_TRUE(simulator->WaitForOutput("Registered 0 of 3 servers", seconds(60))) << simulator->Output();
    EXPECT_NE(simulator->Output().find("test001.localdomain: the manager refused the registration token"),
              std::string::npos) << simulator->Output();
    EXPECT_EQ(simulator->Stop(), 2) << "the exit status says not all succeeded";
    simulator.reset();
  }
  {
    // A token that expired before it was used.
    Json expired = Json::parse(Manager({"token", "create", "--credits", "5", "--expiry-minutes", "0.01", "--json"}).out);
    ASSERT_TRUE(expired["secret"].is_string());
    std::this_thread::sleep_for(seconds(2));
    StartSimulator({"register", "--secret", expired["secret"].get<std::string>()}, "expired.log");
    ASSERT_TRUE(simulator->WaitForOutput("Registered 0 of 3 servers", seconds(60))) << simulator->Output();
    EXPECT_EQ(simulator->Stop(), 2);
    simulator.reset();
  }
  Json token = Json::parse(Manager({"token", "create", "--credits", "2", "--json"}).out);
  ASSERT_TRUE(token["secret"].is_string());
  StartSimulator({"register", "--secret", token["secret"].get<std::string>()}, "token.log");
  ASSERT_TRUE(simulator->WaitForOutput("Registered 2 of 3 servers (1 failed)", seconds(60))) << simulator->Output();
  EXPECT_EQ(simulator->Output().find(token["secret"].get<std::string>()), std::string::npos)
      << "no token secret in the output";
  EXPECT_EQ(ReadFile(dir.Sub("sim/cluster-sim.log")).find(token["secret"].get<std::string>()), std::string::npos)
      << "no token secret in the log file";
  EXPECT_EQ(simulator->Stop(), 2);
  simulator.reset();
  int registered = 0;
  const Json status = SimStatus();
  for (const Json& s : status["servers"]) registered += s["registered"].get<bool>();
  EXPECT_EQ(registered, 2) << "the one refused stays unregistered";
}

TEST_F(EndToEndTest, FilesystemFailoverFailbackAndPowerLoss) {
  StartManager();
  Setup(8);
  StartSimulator({"register", "--username", "admin", "--password", "lustre"});
  ASSERT_TRUE(AllManaged(9));
  // Right after set-up the hosts may not have reported their corosync
  // cluster yet; the manager says so and the creation can be retried.
  CliResult fs;
  ASSERT_TRUE(Eventually([&] {
    fs = Manager({"fs", "create", "--name", "testfs", "--mgt", "test000:0", "--mdt", "test001:1", "--ost",
                  "test002:2", "--ost", "test004:3", "--wait"});
    if (fs.exit_code != 0) {
      EXPECT_NE(fs.err.find("corosync"), std::string::npos) << fs.Describe();
    }
    return fs.exit_code == 0;
  }, seconds(30))) << fs.Describe() << ManagerJson({"commands"}).dump(1);
  ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0001")["active_host"] == "test004.localdomain"; }));
  const Json ost = Target("testfs-OST0001");
  ASSERT_TRUE(ost["secondary_host"].is_string());
  const std::string secondary = ost["secondary_host"];
  EXPECT_TRUE(secondary == "test005.localdomain" || secondary == "test006.localdomain" ||
              secondary == "test007.localdomain") << "same corosync cluster: " << secondary;

  ASSERT_EQ(Manager({"failover", "testfs-OST0001", "--wait"}).exit_code, 0);
  ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0001")["active_host"] == secondary; }));
  ASSERT_EQ(Manager({"failback", "testfs-OST0001", "--wait"}).exit_code, 0);
  ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0001")["active_host"] == "test004.localdomain"; }));

  // The simulator agrees with what the manager believes.
  bool found = false;
  const Json status = SimStatus();
  for (const Json& c : status["clusters"]) {
    for (const Json& r : c["resources"]) {
      if (r["ha_label"] == ost["ha_label"]) {
        found = true;
        EXPECT_EQ(r["started_on"], "test004");
      }
    }
  }
  EXPECT_TRUE(found);

  // test004 loses power through its PDU (the real fence_apc). Registered
  // without PDU entries, no host has a fence agent: pacemaker cannot fence
  // test004 and blocks its target (the manager sees it stop, not move); the
  // host goes silent; power back gives a boot the manager records and the
  // target runs on its primary again. Fencing that recovers the target
  // elsewhere: PowerTest.PowerLossThroughFenceApc*.
  const std::string fence = "timeout 60 fence_apc --ip 127.0.0.1 --ipport " + std::to_string(2300 + pdu_offset) +
                            " -l apc -p apc -n 5 -o ";
  ASSERT_EQ(std::system((fence + "off >/dev/null").c_str()), 0);
  ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0001")["active_host"].is_null(); }));
  auto host = [&](const std::string& fqdn) {
    const Json hosts = ManagerJson({"hosts"});
    for (const Json& h : hosts) {
      if (h["fqdn"] == fqdn) return h;
    }
    return Json();
  };
  ASSERT_TRUE(Eventually([&] { return host("test004.localdomain")["reachable"] == false; }, seconds(60)));
  EXPECT_EQ(host("test003.localdomain")["reachable"], true);
  ASSERT_EQ(std::system((fence + "on >/dev/null").c_str()), 0);
  ASSERT_TRUE(Eventually([&] {
    const Json h = host("test004.localdomain");
    return h["reachable"] == true && h["reboots"] == 1;
  }, seconds(30))) << host("test004.localdomain").dump();
  EXPECT_TRUE(Eventually([&] { return Target("testfs-OST0001")["active_host"] == "test004.localdomain"; }))
      << "blocked until its node came back";
}

// Issue 14's done-when, end to end: a filesystem placed with the by_rack
// rule (manager fs create --placement) on a fleet whose corosync clusters
// span racks survives the loss of a whole rack — both of its PDUs cut with
// the real fence_apc: every target runs on in another rack.
TEST_F(EndToEndTest, AFilesystemPlacedByRackSurvivesLosingARack) {
  StartManager();
  Setup(8, {"--rack_size", "2", "--cluster_spread", "rack", "--psu_count", "2", "--worker_count", "0"});
  StartSimulator({"register", "--username", "admin", "--password", "lustre"});
  ASSERT_TRUE(AllManaged(8));
  std::vector<std::string> create = ManagerArgs({"fs", "create", "--name", "testfs", "--placement", "by_rack", "--mgt",
                                                 "0", "--mdt", "1", "--ost", "2", "--ost", "3", "--wait"});
  create.insert(create.begin(), {"--config", dir.Sub("sim")});
  CliResult fs;
  ASSERT_TRUE(Eventually([&] {
    fs = RunCli(create, seconds(120));
    return fs.exit_code == 0;
  }, seconds(30))) << fs.Describe();
  EXPECT_NE(fs.out.find("--ost 3 (x=3): primary test"), std::string::npos) << fs.out;

  std::map<std::string, std::string> rack_of;  // fqdn -> rack
  const Json status = SimStatus();
  ASSERT_TRUE(status.is_object() && status.contains("servers")) << RunWithConfig(dir.Sub("sim"), {"status", "--json"}).Describe();
  for (const Json& s : status["servers"]) {
    rack_of[s["fqdn"].get<std::string>()] = s["location"]["rack"].get<std::string>();
  }
  ASSERT_EQ(rack_of.size(), 8u);
  const Json targets = ManagerJson({"targets"});
  ASSERT_EQ(targets.size(), 4u) << targets.dump();
  for (const Json& t : targets) {
    ASSERT_TRUE(t["primary_host"].is_string() && t["secondary_host"].is_string()) << t.dump();
    const std::string primary = rack_of[t["primary_host"].get<std::string>()];
    EXPECT_FALSE(primary.empty()) << t.dump();
    EXPECT_NE(primary, rack_of[t["secondary_host"].get<std::string>()]) << t.dump();
  }
  CliResult check = RunWithConfig(dir.Sub("sim"), {"check", "--placement", "by_rack"});
  EXPECT_EQ(check.exit_code, 0) << check.Describe();

  // rack000 (test000, test001) loses both PDUs.
  for (int pdu : {0, 1}) {
    for (int outlet : {1, 2}) {
      const std::string fence = "timeout 60 fence_apc --ip 127.0.0.1 --ipport " + std::to_string(2300 + pdu_offset + pdu) +
                                " -l apc -p apc -n " + std::to_string(outlet) + " -o off >/dev/null";
      ASSERT_EQ(std::system(fence.c_str()), 0) << fence;
    }
  }
  EXPECT_EQ(SimStatus()["servers"][0]["power_state"], "off");
  for (const Json& t : targets) {
    const std::string label = t["ha_label"];
    std::string where;
    EXPECT_TRUE(Eventually([&] {
      const Json on = SimRunsOn(label);
      where = on.is_string() ? on.get<std::string>() : "nowhere";
      return on.is_string() && rack_of.at(on.get<std::string>() + ".localdomain") != "rack000";
    }, seconds(60))) << label << " runs " << where << " after rack000 went dark";
  }
}

TEST_F(EndToEndTest, RestartsOfManagerAndSimulatorKeepRegistrations) {
  // A port outside the ephemeral range, so nothing else takes it while the
  // manager is away (see UniquePortOffset; +4 is clear of the PDU ports).
  StartManager("127.0.0.1:" + std::to_string(2304 + UniquePortOffset()));
  Setup(4);
  StartSimulator({"register", "--username", "admin", "--password", "lustre"});
  ASSERT_TRUE(AllManaged(5));
  const std::string listen = "127.0.0.1:" + port;

  // The manager goes away for 8 s and comes back on the same port: agents
  // recover without a restart. 8 s at the fixture's 0.5 s polls is 16 GET
  // retries, and longer than the session backoff takes to reach its cap
  // (0.5 + 1 + 2 + 3 s: six polls), so every agent has been refused at its
  // longest backoff before the manager returns (it was 20 s: 12 s of
  // nothing new).
  ASSERT_EQ(manager->Stop(), 0) << manager->Output();
  manager.reset();
  std::this_thread::sleep_for(seconds(8));
  StartManager(listen);
  Json before = ManagerJson({"hosts"});
  ASSERT_TRUE(Eventually([&] {
    Json hosts = ManagerJson({"hosts"});
    if (!hosts.is_array() || hosts.size() != 5) return false;
    for (size_t i = 0; i < hosts.size(); ++i) {
      if (hosts[i]["last_contact"] == before[i]["last_contact"]) return false;
    }
    return true;
  }, seconds(60))) << "every host contacted the restarted manager";

  // Ctrl-C the simulator, then `run`: the same hosts, no new registration,
  // and no reboot recorded (a restarted simulator is not a rebooted server).
  ASSERT_EQ(simulator->Stop(), 0);
  simulator.reset();
  before = ManagerJson({"hosts"});
  StartSimulator({"run"}, "run.log");
  ASSERT_TRUE(Eventually([&] {
    Json hosts = ManagerJson({"hosts"});
    for (size_t i = 0; i < hosts.size(); ++i) {
      if (hosts[i]["last_contact"] == before[i]["last_contact"]) return false;
    }
    return hosts.size() == 5;
  }, seconds(60)));
  const Json hosts = ManagerJson({"hosts"});
  for (const Json& h : hosts) EXPECT_EQ(h["reboots"], 0) << h.dump();
  EXPECT_EQ(simulator->Output().find(": registered"), std::string::npos) << "run registers nothing";
}

TEST_F(EndToEndTest, AManagerSignedByAnotherCaIsRefusedUnlessInsecure) {
  StartManager();
  Setup(1, {"--worker_count", "0"});
  // Another CA: that of a second manager directory.
  DaemonProcess other({"manager", "--listen", "127.0.0.1:0", "--dir", dir.Sub("other")}, dir.Sub("other.log"));
  ASSERT_TRUE(other.WaitForOutput("listening on"));
  ASSERT_EQ(other.Stop(), 0);
  simulator = std::make_unique<DaemonProcess>(
      std::vector<std::string>{"--config", dir.Sub("sim"), "--ca", dir.Sub("other/ca.crt"), "register",
                               "--username", "admin", "--password", "lustre", "--pdu-port-offset",
                               std::to_string(UniquePortOffset()), "--control-listen", "127.0.0.1:0"},
      dir.Sub("refused.log"));
  EXPECT_FALSE(simulator->WaitForOutput("Registered", seconds(20)));
  EXPECT_NE(simulator->Output().find("certificate verify failed"), std::string::npos) << simulator->Output();
  simulator->Stop();
  simulator.reset();

  simulator = std::make_unique<DaemonProcess>(
      std::vector<std::string>{"--config", dir.Sub("sim"), "--insecure", "register", "--username", "admin",
                               "--password", "lustre", "--pdu-port-offset", std::to_string(UniquePortOffset()),
                               "--control-listen", "127.0.0.1:0"},
      dir.Sub("insecure.log"));
  ASSERT_TRUE(simulator->WaitForOutput("Registered 1 of 1 servers", seconds(60))) << simulator->Output();
  EXPECT_NE(simulator->Output().find("will NOT be verified"), std::string::npos);
  ASSERT_EQ(simulator->Stop(), 0);
  simulator.reset();

  // The manager handed out its CA at registration: `run` without --ca or
  // --insecure verifies the manager with it.
  EXPECT_EQ(ReadFile(dir.Sub("sim/test000.localdomain_crypto/authority.crt")), ReadFile(dir.Sub("mgr/ca.crt")));
  const Json before = ManagerJson({"hosts"});
  simulator = std::make_unique<DaemonProcess>(
      std::vector<std::string>{"--config", dir.Sub("sim"), "run", "--poll-seconds", "0.5", "--start-spread-seconds",
                               "0.1", "--pdu-port-offset", std::to_string(UniquePortOffset()), "--control-listen",
                               "127.0.0.1:0"},
      dir.Sub("verified.log"));
  ASSERT_TRUE(Eventually([&] {
    const Json hosts = ManagerJson({"hosts"});
    return hosts.size() == 1 && hosts[0]["last_contact"] != before[0]["last_contact"];
  })) << simulator->Output();
  EXPECT_EQ(simulator->Output().find("will NOT be verified"), std::string::npos);
}

}  // namespace
}  // namespace cs::testing

namespace cs::testing {
namespace {

// `manager ... --wait` outlasts a restart of the manager: it used to exit
// with a connection error when the manager went away. The command cannot
// end by itself (its host is unreachable, so its step waits for a session);
// the restarted manager records it as failed, and --wait reports that.
TEST_F(EndToEndTest, WaitOutlastsARestartOfTheManager) {
  StartManager("127.0.0.1:" + std::to_string(2305 + UniquePortOffset()));
  Setup(1);
  StartSimulator({"register", "--username", "admin", "--password", "lustre"});
  ASSERT_TRUE(AllManaged(2));
  const std::string listen = "127.0.0.1:" + port;
  ASSERT_EQ(simulator->Stop(), 0);
  simulator.reset();
  ASSERT_TRUE(Eventually([&] {
    for (const Json& h : ManagerJson({"hosts"})) {
      if (h["fqdn"] == "test000.localdomain") return h["reachable"] == false;
    }
    return false;
  }, seconds(60)));

  const std::vector<std::string> args =
      ManagerArgs({"action", "test000", "start_lnet", "--wait", "--timeout", "120"});
  auto waiting = std::async(std::launch::async, [args] { return RunCli(args, seconds(150)); });
  ASSERT_TRUE(Eventually([&] {
    for (const Json& c : ManagerJson({"commands"})) {
      if (c.value("message", "").find("start_lnet") != std::string::npos) return c["state"] == "running";
    }
    return false;
  }, seconds(60)));
  ASSERT_EQ(manager->Stop(), 0) << manager->Output();
  manager.reset();
  std::this_thread::sleep_for(seconds(3));
  StartManager(listen);
  const CliResult r = waiting.get();
  EXPECT_NE(r.out.find("\"failed\""), std::string::npos) << r.Describe();
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
}

}  // namespace
}  // namespace cs::testing
