// The fleet's PDUs driven by Debian's real fence_apc while `cluster-sim run`
// is up: outlet status, off/on/reboot with their effect on the simulated
// servers, several PSUs, wrong passwords, concurrent clients and garbage.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <future>
#include <nlohmann/json.hpp>
#include <regex>

#include <fstream>

#include "pacemaker/crm_tools.h"
#include "tests/integration/daemon_process.h"
#include "tests/integration/run_cli.h"

namespace cs::testing {
namespace {

using Json = nlohmann::json;

struct Program {
  int exit_code = -1;
  std::string output;
};

// Runs a shell command line (fixed, test-made strings only) with a time limit.
Program RunCommand(const std::string& command) {
  Program p;
  FILE* f = popen(("timeout 60 " + command + " 2>&1").c_str(), "r");
  if (!f) return p;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) p.output.append(buf, n);
  int status = pclose(f);
  p.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return p;
}

class PowerTest : public ::testing::Test {
 protected:
  void StartFleet(int servers, int psus) {
    ASSERT_EQ(RunWithConfig(dir.path(), {"setup", "--server_count", std::to_string(servers), "--psu_count",
                                         std::to_string(psus), "--worker_count", "0"})
                  .exit_code,
              0);
    offset = UniquePortOffset();
    StartDaemon("0.3");
  }
  void StartDaemon(const std::string& boot_seconds) {
    daemon = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"--config", dir.path(), "run", "--pdu-port-offset", std::to_string(offset),
                                 "--boot-seconds", boot_seconds, "--pdu-reboot-seconds", "0.5", "--control-listen",
                                 "127.0.0.1:0"},
        dir.Sub("daemon.log"));
    ASSERT_TRUE(daemon->WaitForOutput("running 0 registered servers")) << daemon->Output();
    std::smatch m;
    const std::string out = daemon->Output();
    ASSERT_TRUE(std::regex_search(out, m, std::regex("control: listening on (127\\.0\\.0\\.1:\\d+)"))) << out;
    control_url = "http://" + m[1].str() + "/";
  }
  CliResult Power(std::vector<std::string> args) {
    args.insert(args.begin(), "power");
    if (args[1] != "status") {
      args.push_back("--control-url");
      args.push_back(control_url);
    }
    return RunWithConfig(dir.path(), args);
  }
  int Port(int pdu) const { return 2300 + offset + pdu; }
  // fence_apc with its own timings, unless `options` (fence_apc's) says
  // otherwise: a status takes it about 2 s, an off or on about 3.5 s
  // (pexpect's 50 ms per line sent, its 0.5 s pauses on each page).
  Program Fence(int pdu, int outlet, const std::string& action, const std::string& password = "apc",
                const std::string& options = "") {
    return RunCommand("fence_apc --ip 127.0.0.1 --ipport " + std::to_string(Port(pdu)) + " -l apc -p " +
                      password + " -n " + std::to_string(outlet) + " -o " + action +
                      (options.empty() ? "" : " " + options));
  }
  Json Server(const std::string& fqdn) {
    CliResult r = RunWithConfig(dir.path(), {"status", "--json"});
    Json j = Json::parse(r.out, nullptr, false);
    if (j.is_discarded()) return Json();
    for (const Json& s : j["servers"]) {
      if (s["fqdn"] == fqdn) return s;
    }
    return Json();
  }
  Json Clusters() { return Json::parse(RunWithConfig(dir.path(), {"status", "--json"}).out)["clusters"]; }
  // Four servers, one PDU, an HA target on test000 (secondary test001) and
  // fencing, put into the saved state as the agent's actions would leave
  // them; then the daemon.
  void StartHaFleetWithFencing() {
    ASSERT_EQ(RunWithConfig(dir.path(), {"setup", "--server_count", "4", "--worker_count", "0"}).exit_code, 0);
    offset = UniquePortOffset();
    ASSERT_EQ(RunWithConfig(dir.path(), {"state", "export", dir.Sub("view")}).exit_code, 0);
    const std::string cluster_file = dir.Sub("view/fake_cluster_0.json");
    Json cluster = Json::parse(std::ifstream(cluster_file), nullptr, false);
    ASSERT_TRUE(cluster.is_object());
    for (auto& [name, node] : cluster["nodes"].items()) {
      const int index = std::stoi(name.substr(4));
      node["fence_agents"] = Json::array({{{"agent", "fence_apc"}, {"login", "apc"}, {"password", "apc"},
                                           {"ipaddr", "127.0.0.1"}, {"ipport", Port(0)},
                                           {"plug", std::to_string(index + 1)}}});
    }
    cluster["resources"]["testfs-OST0000"] = {
        {"ha_label", "testfs-OST0000"}, {"uuid", "u0"}, {"device_path", "/dev/disk/by-id/scsi-FAKEDEVICE000-scsi0-0-0"},
        {"mount_point", "/mnt/testfs-OST0000"}, {"primary_node", "test000"}, {"secondary_node", "test001"},
        {"started_on", "test000"}, {"enabled", true}, {"order", 1}};
    std::ofstream(cluster_file) << cluster.dump(2);
    ASSERT_EQ(RunWithConfig(dir.path(), {"state", "import", dir.Sub("view"), "--replace"}).exit_code, 0);
    StartDaemon("3");
  }
  std::optional<std::string> RunsOn(const std::string& label) {
    for (const Json& c : Clusters()) {
      for (const Json& r : c["resources"]) {
        if (r["ha_label"] == label && r["started_on"].is_string()) return r["started_on"].get<std::string>();
      }
    }
    return std::nullopt;
  }
  Json Ctl(const std::vector<std::string>& words) {
    std::vector<std::string> args = {"ctl"};
    args.insert(args.end(), words.begin(), words.end());
    args.push_back("--control-url");
    args.push_back(control_url);
    CliResult r = RunWithConfig(dir.path(), args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return Json::parse(r.out, nullptr, false);
  }
  void TearDown() override {
    if (daemon) {
      EXPECT_EQ(daemon->Stop(), 0) << daemon->Output();
    }
    EXPECT_EQ(RunWithConfig(dir.path(), {"check"}).exit_code, 0) << RunWithConfig(dir.path(), {"check"}).out;
  }

  TempDir dir;
  int offset = 0;
  std::string control_url;
  std::unique_ptr<DaemonProcess> daemon;
};

// A power loss through the real fence_apc, with fencing configured as
// configure_fencing records it: the node is fenced through its outlet, its
// target runs on the node crm_simulate picks for the CIB exported before,
// and once the fence reboot's pause is over the node boots again.
TEST_F(PowerTest, PowerLossThroughFenceApcFencesTheNodeAndPacemakerPicksWhereItsTargetRuns) {
  ASSERT_NO_FATAL_FAILURE(StartHaFleetWithFencing());

  const std::string before = dir.Sub("before.xml"), after = dir.Sub("after.xml");
  ASSERT_EQ(RunWithConfig(dir.path(), {"cib", "show", "test000", "--output", before}).exit_code, 0);
  Program off = Fence(0, 1, "off");
  ASSERT_EQ(off.exit_code, 0) << off.output;
  ASSERT_TRUE(daemon->WaitForOutput("fenced by test001")) << daemon->Output();

  auto oracle = pacemaker::CrmSimulate(before, after, {"--node-fail", "test000", "--quorum=1"});
  ASSERT_TRUE(oracle.ok()) << oracle.status().message();
  const auto pacemaker_picks = oracle->after.placement.at("testfs-OST0000");
  ASSERT_TRUE(pacemaker_picks.has_value());
  std::string runs_on;
  for (const Json& c : Clusters()) {
    for (const Json& r : c["resources"]) {
      if (r["ha_label"] == "testfs-OST0000" && r["started_on"].is_string()) runs_on = r["started_on"];
    }
  }
  EXPECT_EQ(runs_on, *pacemaker_picks) << Clusters().dump();
  ASSERT_TRUE(Eventually([&] { return Server("test000.localdomain")["power_state"] == "running"; }, std::chrono::seconds(60)))
      << "the fence reboot switched the outlet on again: " << daemon->Output();
  Program status = Fence(0, 1, "status");
  EXPECT_EQ(status.exit_code, 0) << status.output;
  ASSERT_EQ(RunWithConfig(dir.path(), {"cib", "show", "test000", "--output", after}).exit_code, 0);
  auto view = pacemaker::CrmMon(after);
  ASSERT_TRUE(view.ok()) << view.status().message();
  EXPECT_TRUE(view->online.count("test000")) << "rejoined";
  EXPECT_EQ(view->placement.at("testfs-OST0000"), pacemaker_picks) << "stickiness: no move back";

  // The attempt is in the fencing history: the control operation (ctl) and
  // `power fencing --json` from the saved state say the same.
  const Json history = Ctl({"fence_history"});
  ASSERT_TRUE(history.is_array() && history.size() == 1) << history.dump();
  EXPECT_EQ(history[0]["fqdn"], "test000.localdomain");
  EXPECT_EQ(history[0]["executor_fqdn"], "test001.localdomain");
  EXPECT_EQ(history[0]["outcome"], "ok");
  EXPECT_EQ(history[0]["outlets"], Json::parse(R"([{"pdu": "pdu000", "outlet": "1"}])"));
  CliResult saved = RunWithConfig(dir.path(), {"power", "fencing", "--json"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_EQ(Json::parse(saved.out, nullptr, false), history);
  CliResult table = RunWithConfig(dir.path(), {"power", "fencing"});
  EXPECT_TRUE(std::regex_search(table.out, std::regex("test000\\.localdomain +test001\\.localdomain +ok +reboot through pdu000 outlet 1")))
      << table.out;
}

// A PDU that does not answer: the real fence_apc cannot log in, the node
// lost meanwhile cannot be fenced, so (as pacemaker blocks it) its target
// stays stopped; crm_mon sees the node UNCLEAN and pacemaker's scheduler
// would fence it before recovering anything. Once the PDU answers again the
// fencing is retried, succeeds, and the target runs on its secondary.
TEST_F(PowerTest, APduThatDoesNotAnswerBlocksFencingUntilItAnswersAgain) {
  ASSERT_NO_FATAL_FAILURE(StartHaFleetWithFencing());
  Ctl({"pdu_unreachable", "--pdu", "pdu000", "--unreachable", "true"});
  EXPECT_EQ(Ctl({"faults"})["pdus_unreachable"], Json::array({"pdu000"}));
  Program refused = Fence(0, 1, "status");
  EXPECT_NE(refused.exit_code, 0) << refused.output;
  EXPECT_NE(refused.output.find("Unable to connect/login to fencing device"), std::string::npos) << refused.output;

  Ctl({"poweroff_server", "--fqdn", "test000.localdomain"});
  ASSERT_TRUE(daemon->WaitForOutput("fencing failed, its resources stay stopped")) << daemon->Output();
  EXPECT_EQ(RunsOn("testfs-OST0000"), std::nullopt) << Clusters().dump();
  Json history = Ctl({"fence_history", "--fqdn", "test000.localdomain"});
  ASSERT_TRUE(history.is_array() && history.size() == 1) << history.dump();
  EXPECT_EQ(history[0]["outcome"], "failed");
  EXPECT_NE(history[0]["detail"].get<std::string>().find("pdu000"), std::string::npos) << history.dump();

  const std::string blocked = dir.Sub("blocked.xml");
  ASSERT_EQ(RunWithConfig(dir.path(), {"cib", "show", "test000", "--output", blocked}).exit_code, 0);
  ASSERT_TRUE(pacemaker::CrmVerify(blocked).ok());
  auto view = pacemaker::CrmMon(blocked);
  ASSERT_TRUE(view.ok()) << view.status().message();
  EXPECT_TRUE(view->unclean.count("test000"));
  auto next = pacemaker::CrmSimulate(blocked, dir.Sub("next.xml"), {});
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_NE(next->output.find("fencing_action"), std::string::npos) << "pacemaker must fence first: " << next->output;

  Ctl({"pdu_unreachable", "--pdu", "pdu000", "--unreachable", "false"});
  ASSERT_TRUE(daemon->WaitForOutput("fenced by test001")) << daemon->Output();
  EXPECT_EQ(RunsOn("testfs-OST0000"), "test001") << Clusters().dump();
  history = Ctl({"fence_history"});
  ASSERT_EQ(history.size(), 2u) << history.dump();
  EXPECT_EQ(history[1]["outcome"], "ok");
  ASSERT_TRUE(Eventually([&] { return Server("test000.localdomain")["power_state"] == "running"; }, std::chrono::seconds(60)))
      << daemon->Output();
  Program status = Fence(0, 1, "status");
  EXPECT_EQ(status.exit_code, 0) << status.output;
}

TEST_F(PowerTest, StatusListAndOffOnMatchTheState) {
  StartFleet(4, 1);
  Program status = Fence(0, 2, "status");
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("ON"), std::string::npos) << status.output;

  Program list = Fence(0, 1, "list");
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("test003"), std::string::npos) << list.output;

  const std::string boot_before = Server("test001.localdomain")["boot_time"];
  Program off = Fence(0, 2, "off");
  ASSERT_EQ(off.exit_code, 0) << off.output;
  Json s = Server("test001.localdomain");
  EXPECT_EQ(s["power_state"], "off");
  EXPECT_EQ(s["has_power"], false);
  EXPECT_EQ(Server("test000.localdomain")["power_state"], "running") << "only that outlet";
  Program status_off = Fence(0, 2, "status");
  EXPECT_EQ(status_off.exit_code, 2) << "fence agents answer 2 for off: " << status_off.output;
  bool offline = false;
  const Json clusters = Clusters();
  for (const Json& n : clusters[0]["nodes"]) {
    if (n["nodename"] == "test001") offline = !n["online"].get<bool>();
  }
  EXPECT_TRUE(offline) << "the node left its cluster: " << clusters.dump();

  Program on = Fence(0, 2, "on");
  ASSERT_EQ(on.exit_code, 0) << on.output;
  ASSERT_TRUE(Eventually([&] { return Server("test001.localdomain")["power_state"] == "running"; }));
  EXPECT_NE(Server("test001.localdomain")["boot_time"], boot_before) << "a boot is a new boot time";
}

TEST_F(PowerTest, RebootGoesThroughOffAndComesBack) {
  StartFleet(2, 1);
  const std::string boot_before = Server("test000.localdomain")["boot_time"];
  Program reboot = Fence(0, 1, "reboot");
  ASSERT_EQ(reboot.exit_code, 0) << reboot.output;
  ASSERT_TRUE(Eventually([&] { return Server("test000.localdomain")["power_state"] == "running"; }));
  EXPECT_NE(Server("test000.localdomain")["boot_time"], boot_before);
  EXPECT_NE(daemon->Output().find("test000.localdomain: lost power"), std::string::npos);
}

TEST_F(PowerTest, TwoPsusSurviveOnePduGoingDark) {
  StartFleet(2, 2);
  ASSERT_EQ(Fence(0, 1, "off").exit_code, 0);
  EXPECT_EQ(Server("test000.localdomain")["power_state"], "running");
  EXPECT_EQ(Server("test000.localdomain")["has_power"], true);
  ASSERT_EQ(Fence(1, 1, "off").exit_code, 0);
  EXPECT_EQ(Server("test000.localdomain")["power_state"], "off");
  ASSERT_EQ(Fence(1, 1, "on").exit_code, 0);
  ASSERT_TRUE(Eventually([&] { return Server("test000.localdomain")["power_state"] == "running"; }));
}

TEST_F(PowerTest, WrongPasswordIsRefused) {
  StartFleet(2, 1);
  Program bad = Fence(0, 1, "off", "wrong");
  EXPECT_NE(bad.exit_code, 0) << bad.output;
  EXPECT_EQ(Server("test000.localdomain")["power_state"], "running");
}

TEST_F(PowerTest, ConcurrentClientsAndGarbage) {
  StartFleet(4, 1);
  // A raw client that sends garbage and hangs around.
  int sock = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(Port(0)));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string garbage(5000, '\xff');
  for (size_t i = 0; i < garbage.size(); i += 7) garbage[i] = static_cast<char>(i % 251);
  ASSERT_GT(write(sock, garbage.data(), garbage.size()), 0);

  auto a = std::async(std::launch::async, [&] { return Fence(0, 3, "off"); });
  auto b = std::async(std::launch::async, [&] { return Fence(0, 4, "off"); });
  Program ra = a.get(), rb = b.get();
  close(sock);
  EXPECT_EQ(ra.exit_code, 0) << ra.output;
  EXPECT_EQ(rb.exit_code, 0) << rb.output;
  EXPECT_EQ(Server("test002.localdomain")["power_state"], "off");
  EXPECT_EQ(Server("test003.localdomain")["power_state"], "off");
  EXPECT_EQ(Server("test000.localdomain")["power_state"], "running");
}

TEST_F(PowerTest, PowerCommandsActThroughTheDaemon) {
  StartFleet(3, 2);
  CliResult off = Power({"server", "test001.localdomain", "off"});
  ASSERT_EQ(off.exit_code, 0) << off.Describe();
  EXPECT_EQ(Server("test001.localdomain")["power_state"], "off");
  CliResult status = Power({"status", "servers"});
  EXPECT_NE(status.out.find("test001.localdomain\n  pdu000 (2): OFF\n  pdu001 (2): OFF"), std::string::npos)
      << status.out;
  // One PDU back on is enough to boot it.
  ASSERT_EQ(Power({"pdu", "pdu001", "2", "on"}).exit_code, 0);
  ASSERT_TRUE(Eventually([&] { return Server("test001.localdomain")["power_state"] == "running"; }));
  EXPECT_NE(Power({"status", "pdus"}).out.find("test001.localdomain (2): ON"), std::string::npos);
  // Real fence_apc sees what the command did.
  EXPECT_EQ(Fence(1, 2, "status").exit_code, 0);
  EXPECT_EQ(Fence(0, 2, "status").exit_code, 2);

  const std::string boot = Server("test002.localdomain")["boot_time"];
  ASSERT_EQ(Power({"server", "all", "reboot", "--pause-seconds", "0.3"}).exit_code, 0);
  ASSERT_TRUE(Eventually([&] {
    const Json s = Server("test002.localdomain");
    return s["power_state"] == "running" && s["boot_time"] != boot;
  }));

  // Bad input: a clear error, nothing changes.
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"pdu", "pdu009", "1", "off"},
                                              std::vector<std::string>{"pdu", "pdu000", "99", "off"},
                                              std::vector<std::string>{"pdu", "pdu000", "1", "explode"},
                                              std::vector<std::string>{"server", "nosuch", "off"}}) {
    CliResult r = Power(bad);
    EXPECT_EQ(r.exit_code, 2) << r.Describe();
    EXPECT_EQ(r.ErrLines().size(), 1u) << r.Describe();
  }
  EXPECT_EQ(Server("test000.localdomain")["power_state"], "running");
}

// XML-RPC's (and ctl's) setup may add PDUs to a running fleet: they listen
// at once, for the real fence_apc as for the first ones.
// cluster-sim controller: list from the saved state, fail and restore
// through the running daemon (the LUNs go and come back), and a clear
// error for a controller the fleet does not have.
TEST_F(PowerTest, ControllerCommandsFailAndRestoreThroughTheDaemon) {
  ASSERT_EQ(RunWithConfig(dir.path(), {"setup", "--server_count", "4", "--su_size", "4", "--worker_count", "0"})
                .exit_code,
            0);
  offset = UniquePortOffset();
  StartDaemon("0.3");
  auto list = [&] { return Json::parse(RunWithConfig(dir.path(), {"controller", "list", "--json"}).out, nullptr, false); };
  auto controller = [&](const std::string& op, const std::string& id, bool json) {
    std::vector<std::string> args{"controller", op, id, "--control-url", control_url};
    if (json) args.push_back("--json");
    return RunWithConfig(dir.path(), args);
  };
  const Json before = list();
  ASSERT_TRUE(before.is_array() && before.size() == 1u) << before.dump();
  const std::string id = before[0]["controller_id"].dump();
  EXPECT_FALSE(before[0]["failed"].get<bool>());
  EXPECT_EQ(before[0]["servers"].size(), 4u) << before.dump();
  ASSERT_GT(before[0]["luns"].get<int>(), 0);

  const CliResult failed = controller("fail", id, true);
  ASSERT_EQ(failed.exit_code, 0) << failed.Describe();
  const Json answer = Json::parse(failed.out, nullptr, false);
  EXPECT_TRUE(answer.value("changed", false)) << failed.out;
  EXPECT_EQ(answer["volumes"].size(), static_cast<size_t>(before[0]["luns"].get<int>())) << failed.out;
  EXPECT_TRUE(list()[0]["failed"].get<bool>());
  const CliResult again = controller("fail", id, false);
  EXPECT_EQ(again.exit_code, 0) << again.Describe();
  EXPECT_NE(again.out.find("was already failed"), std::string::npos) << again.out;

  const CliResult unknown = controller("fail", "99", false);
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no controller 99"), std::string::npos) << unknown.Describe();

  const CliResult restored = controller("restore", id, false);
  ASSERT_EQ(restored.exit_code, 0) << restored.Describe();
  EXPECT_NE(restored.out.find("restored"), std::string::npos) << restored.out;
  EXPECT_FALSE(list()[0]["failed"].get<bool>());
}

TEST_F(PowerTest, PdusThatSetupAddsListenWithoutARestart) {
  StartFleet(2, 1);
  // Nothing listens there: telnet stays at its prompt, and fence_apc waits
  // out its login timeout (5 s by default; 1 s is enough to see no login).
  EXPECT_NE(Fence(1, 1, "status", "apc", "--login-timeout 1").exit_code, 0) << "no second PDU yet";
  CliResult setup = RunWithConfig(dir.path(), {"ctl", "setup", "--server_count", "2", "--worker_count", "0",
                                               "--volume_count", "4", "--nid_count", "1", "--cluster_size", "4",
                                               "--pdu_count", "2", "--su_size", "0", "--control-url", control_url});
  ASSERT_EQ(setup.exit_code, 0) << setup.Describe();
  Program status = Fence(1, 2, "status");
  EXPECT_EQ(status.exit_code, 0) << "pdu001 answers fence_apc, outlet 2 (test001) on: " << status.output;
  EXPECT_NE(daemon->Output().find("APC console listening on 127.0.0.1:" + std::to_string(Port(1))),
            std::string::npos) << daemon->Output();
  // Both PDUs feed test001 now: one going dark leaves it running.
  ASSERT_EQ(Fence(0, 2, "off").exit_code, 0);
  EXPECT_EQ(Server("test001.localdomain")["power_state"], "running");
  ASSERT_EQ(Fence(1, 2, "off").exit_code, 0);
  ASSERT_TRUE(Eventually([&] { return Server("test001.localdomain")["power_state"] == "off"; }));
  // The same totals again: nothing new, nothing restarted.
  ASSERT_EQ(RunWithConfig(dir.path(), {"ctl", "setup", "--server_count", "2", "--worker_count", "0",
                                       "--volume_count", "4", "--nid_count", "1", "--cluster_size", "4",
                                       "--pdu_count", "2", "--su_size", "0", "--control-url", control_url})
                .exit_code,
            0);
  EXPECT_EQ(Fence(1, 1, "status").exit_code, 0);
}

// Per-rack PDUs (setup --rack_size): each rack's PDUs feed only its servers,
// on outlets numbered from 1, so real fence_apc, `power`, `status --json`,
// `testconfig`, the export and fencing at the daemon's port offset all name
// a server by (PDU, outlet).
TEST_F(PowerTest, PerRackPdusFeedOnlyTheirRackThroughFenceApcStatusTestconfigExportAndFencing) {
  ASSERT_EQ(RunWithConfig(dir.path(), {"setup", "--server_count", "8", "--rack_size", "4", "--psu_count", "2",
                                       "--worker_count", "0"})
                .exit_code,
            0);
  offset = UniquePortOffset();
  // test005 (rack001, outlet 2) fenced through its two PDUs, at the ports
  // the daemon listens on (saved + offset): put there as configure_fencing
  // would record it.
  ASSERT_EQ(RunWithConfig(dir.path(), {"state", "export", dir.Sub("view")}).exit_code, 0);
  const Json power = Json::parse(std::ifstream(dir.Sub("view/fake_power_control.json")), nullptr, false);
  ASSERT_TRUE(power.is_object());
  EXPECT_EQ(power["pdu_outlets"]["rack001-pdu1"]["2"], "test005.localdomain") << power.dump();
  EXPECT_EQ(power["pdu_outlets"]["rack000-pdu1"]["2"], "test001.localdomain") << power.dump();
  const std::string cluster_file = dir.Sub("view/fake_cluster_1.json");
  Json cluster = Json::parse(std::ifstream(cluster_file), nullptr, false);
  ASSERT_TRUE(cluster.is_object() && cluster["nodes"].contains("test005")) << cluster.dump();
  cluster["nodes"]["test005"]["fence_agents"] = Json::array();
  for (int pdu : {2, 3}) {
    cluster["nodes"]["test005"]["fence_agents"].push_back(
        {{"agent", "fence_apc"}, {"login", "apc"}, {"password", "apc"}, {"ipaddr", "127.0.0.1"},
         {"ipport", Port(pdu)}, {"plug", "2"}});
  }
  std::ofstream(cluster_file) << cluster.dump(2);
  ASSERT_EQ(RunWithConfig(dir.path(), {"state", "import", dir.Sub("view"), "--replace"}).exit_code, 0);
  StartDaemon("0.3");

  Program list = Fence(2, 1, "list");  // rack001-pdu0
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("test004"), std::string::npos) << list.output;
  EXPECT_EQ(list.output.find("test000"), std::string::npos) << "another rack's server: " << list.output;

  ASSERT_EQ(Fence(2, 2, "off").exit_code, 0);
  EXPECT_EQ(Server("test005.localdomain")["power_state"], "running") << "its PSU on rack001-pdu1";
  // Its last PSU: test005 goes down, and its peers fence it through both
  // its outlets at once (a reboot), so fence_apc's own check after "off"
  // may already see the outlet on again: its exit status is not the point.
  // Then it would check again each second for its --power-timeout (20 s by
  // default, about 40 s of status rounds): one check is enough here.
  (void)Fence(3, 2, "off", "apc", "--power-timeout 1");
  ASSERT_TRUE(daemon->WaitForOutput("test005.localdomain: lost power")) << daemon->Output();
  EXPECT_EQ(Server("test001.localdomain")["power_state"], "running") << "outlet 2 of rack000's PDUs";
  ASSERT_TRUE(daemon->WaitForOutput("reboot through rack001-pdu0 outlet 2, rack001-pdu1 outlet 2"))
      << "fenced through its own outlets at the port offset: " << daemon->Output();

  const Json s = Server("test005.localdomain");
  EXPECT_EQ(s["location"]["pdus"], Json::array({"rack001-pdu0", "rack001-pdu1"})) << s.dump();
  EXPECT_EQ(s["pdus"], Json::array({"rack001-pdu0", "rack001-pdu1"})) << s.dump();
  CliResult text = RunWithConfig(dir.path(), {"status"});
  EXPECT_NE(text.out.find("4 PDUs (2 per rack)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("rack001-pdu1"), std::string::npos) << text.out;

  CliResult config = RunWithConfig(dir.path(), {"testconfig"});
  ASSERT_EQ(config.exit_code, 0) << config.Describe();
  const Json tc = Json::parse(config.out, nullptr, false);
  std::vector<std::string> feeds;
  for (const Json& o : tc["pdu_outlets"]) {
    if (o["host"] == "test005.localdomain") feeds.push_back(o["pdu"].get<std::string>() + "#" + o["identifier"].get<std::string>());
  }
  EXPECT_EQ(feeds, (std::vector<std::string>{"127.0.0.1:2302#2", "127.0.0.1:2303#2"})) << tc["pdu_outlets"].dump();
  EXPECT_EQ(tc["pdu_outlets"].size(), 16u) << "two per server";

  ASSERT_TRUE(Eventually([&] { return Server("test005.localdomain")["power_state"] == "running"; },
                         std::chrono::seconds(60)))
      << "the fence reboot switched its outlets on again: " << daemon->Output();
}

}  // namespace
}  // namespace cs::testing
