// EndToEndTest: the fixture of the end-to-end tests: a built-in manager and
// a simulated fleet, both real processes on 127.0.0.1, with helpers to
// drive them through their command lines and APIs. Every wait is bounded.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "manager/manager_client.h"
#include "sim/control/remote_operations.h"
#include "tests/integration/daemon_process.h"
#include "tests/integration/run_cli.h"
#include "tests/time_scale.h"

namespace cs::testing {

using Json = nlohmann::json;
using std::chrono::seconds;

class EndToEndTest : public ::testing::Test {
 protected:
  static constexpr seconds kContactTimeout = Scaled(seconds(4));
  static constexpr seconds kStepTimeout = Scaled(seconds(10));
  void StartManager(const std::string& listen = "127.0.0.1:0") {
    // Short long polls and contact timeout, so silence shows within seconds.
    // The contact and step timeouts bound how long an agent may take to
    // poll and to carry out a step, so they grow with the build's slowness
    // (tests/time_scale.h): under ASan+UBSan at load 20, set-up steps of
    // nine hosts took over 10 s ("start_pacemaker on test003.localdomain:
    // timed out after 10000 ms") and the fixture's set-up failed.
    manager = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"manager", "--listen", listen, "--dir", dir.Sub("mgr"), "--long-poll", "1",
                                 "--contact-timeout", std::to_string(kContactTimeout.count()),
                                 "--step-timeout", std::to_string(kStepTimeout.count())},
        dir.Sub("manager.log"));
    ASSERT_TRUE(manager->WaitForOutput("listening on https://")) << manager->Output();
    std::smatch m;
    const std::string out = manager->Output();
    ASSERT_TRUE(std::regex_search(out, m, std::regex("listening on https://127\\.0\\.0\\.1:(\\d+)/"))) << out;
    port = m[1];
  }
  std::string Url() const { return "https://localhost:" + port + "/"; }
  std::vector<std::string> ManagerArgs(std::vector<std::string> args) const {
    args.insert(args.begin(), "manager");
    for (const std::string& a : {std::string("--manager-url"), Url(), std::string("--dir"), dir.Sub("mgr")}) args.push_back(a);
    return args;
  }
  CliResult Manager(std::vector<std::string> args) { return RunCli(ManagerArgs(std::move(args)), seconds(120)); }
  Json ManagerJson(std::vector<std::string> args) {
    args.push_back("--json");
    CliResult r = Manager(std::move(args));
    Json j = Json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.Describe();
    return j;
  }
  void Setup(int servers, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--url", Url(), "setup", "--server_count", std::to_string(servers),
                                     "--nid_count", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    CliResult r = RunWithConfig(dir.Sub("sim"), args);
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
  }
  // `register ...` or `run` in the background, fast timings.
  void StartSimulator(std::vector<std::string> command, const std::string& log = "sim.log") {
    std::vector<std::string> args = {"--config", dir.Sub("sim"), "--ca", dir.Sub("mgr/ca.crt")};
    args.insert(args.end(), command.begin(), command.end());
    for (const char* a : {"--poll-seconds", "0.5", "--start-spread-seconds", "0.2", "--boot-seconds", "0.2",
                          "--control-listen", "127.0.0.1:0"}) {
      args.push_back(a);
    }
    pdu_offset = UniquePortOffset();
    args.push_back("--pdu-port-offset");
    args.push_back(std::to_string(pdu_offset));
    simulator = std::make_unique<DaemonProcess>(args, dir.Sub(log));
  }
  // Waits until the manager lists `count` hosts and every command succeeded.
  // Generous: each host's set-up is a dozen commands, and nine hosts on two
  // cores at load 20 have taken well over a minute (the old 60 s bound
  // failed there for speed alone). A host whose set-up failed will never be
  // managed: that ends the wait at once (FailedCommands says why).
  bool AllManaged(size_t count) {
    bool set_up_failed = false;
    const bool settled = Eventually([&] {
      Json hosts = ManagerJson({"hosts"});
      if (!hosts.is_array()) return false;
      for (const Json& h : hosts) set_up_failed = set_up_failed || h["state"] == "setup_failed";
      if (set_up_failed) return true;
      if (hosts.size() != count) return false;
      for (const Json& h : hosts) {
        if (h["state"] != "managed" || h["reachable"] != true) return false;
      }
      return true;
    }, seconds(180));
    return settled && !set_up_failed;
  }
  // The errors of every failed manager command, one a line (for messages).
  std::string FailedCommands() {
    std::string out;
    for (const Json& c : ManagerJson({"commands"})) {
      if (c["state"] != "failed") continue;
      out += c["message"].get<std::string>() + ": " + c["errors"].dump() + "\n";
    }
    return out;
  }
  Json Target(const std::string& name) {
    const Json targets = ManagerJson({"targets"});
  for (const Json& t : targets) {
      if (t["name"] == name) return t;
    }
    return Json();
  }
  // The running simulator's control API, as an integration suite uses it.
  std::unique_ptr<SimulatorRemoteOperations> Remote() {
    EXPECT_TRUE(simulator->WaitForOutput("control: listening on")) << simulator->Output();
    std::smatch m;
    const std::string out = simulator->Output();
    if (!std::regex_search(out, m, std::regex("control: listening on (127\\.0\\.0\\.1:\\d+)"))) return nullptr;
    SimulatorRemoteOptions options;
    options.url = "http://" + m[1].str() + "/";
    auto remote = SimulatorRemoteOperations::Connect(options);
    EXPECT_TRUE(remote.ok());
    return remote.ok() ? std::move(*remote) : nullptr;
  }
  Json Host(const std::string& fqdn) {
    const Json hosts = ManagerJson({"hosts"});
    for (const Json& h : hosts) {
      if (h["fqdn"] == fqdn) return h;
    }
    return Json();
  }
  // testfs: MGT on test000, MDT on test001, OSTs on test002 and test004;
  // retried while the hosts have not reported their corosync cluster yet.
  void CreateFilesystem() {
    CliResult fs;
    ASSERT_TRUE(Eventually([&] {
      fs = Manager({"fs", "create", "--name", "testfs", "--mgt", "test000:0", "--mdt", "test001:1", "--ost",
                    "test002:2", "--ost", "test004:3", "--wait"});
      return fs.exit_code == 0;
    }, seconds(30))) << fs.Describe();
    ASSERT_TRUE(Eventually([&] { return Target("testfs-OST0001")["active_host"] == "test004.localdomain"; }));
  }
  // Where the simulator runs a resource (its cluster's view), or null.
  Json SimRunsOn(const std::string& ha_label) {
    const Json status = SimStatus();
    for (const Json& c : status["clusters"]) {
      for (const Json& r : c["resources"]) {
        if (r["ha_label"] == ha_label) return r["started_on"];
      }
    }
    return Json();
  }
  Json SimStatus() { return Json::parse(RunWithConfig(dir.Sub("sim"), {"status", "--json"}).out, nullptr, false); }
  void TearDown() override {
    if (simulator) {
      EXPECT_EQ(simulator->Stop(), 0) << simulator->Output();
    }
    if (manager) {
      EXPECT_EQ(manager->Stop(), 0) << manager->Output();
    }
    if (PathExists(dir.Sub("sim/state.db"))) {
      CliResult check = RunWithConfig(dir.Sub("sim"), {"check"});
      EXPECT_EQ(check.exit_code, 0) << check.Describe();
    }
  }

  TempDir dir;
  std::string port;
  int pdu_offset = 0;
  std::unique_ptr<DaemonProcess> manager, simulator;
};

}  // namespace cs::testing
