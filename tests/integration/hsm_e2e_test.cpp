// HSM end to end (issue 15's done-when): the built-in manager and a fleet as
// real processes; the manager sets testfs-MDT0000.mdt.hsm_control=enabled on
// the MGS's server, configures and starts a copytool on the worker, and the
// simulated copytool's events (REGISTER, <ACTION>_START, _RUNNING, _FINISH)
// arrive at the manager's agent/copytool_event/ and show in `manager
// copytools`; stopping it posts its UNREGISTER. Then the copytool meets
// what its worker meets: a partition, a killed agent, a power loss.
//
// The copytools move data ten times faster than the original's 96 Gb/s
// (--hsm-bandwidth), so a minute shows every kind of event; the waits are
// generous and poll once a second, for a loaded machine.
#include <set>

#include "tests/integration/e2e_fixture.h"

namespace cs::testing {
namespace {

constexpr int64_t kTenTimesTheOriginal = 128849018880;

Json CopytoolNamed(const Json& list, const std::string& id) {
  if (!list.is_array()) return Json();
  for (const Json& c : list) {
    if (c["copytool"] == id) return c;
  }
  return Json();
}

class HsmEndToEndTest : public EndToEndTest {
 protected:
  // `condition` every second until it holds or `timeout` passes (each try
  // runs a CLI process: no tighter loop on a loaded machine).
  static bool Within(std::chrono::seconds timeout, const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(seconds(1));
    }
    return condition();
  }
  Json Copytool(const std::string& id) { return CopytoolNamed(ManagerJson({"copytools"}), id); }
  int64_t EventsOf(const std::string& id) {
    const Json c = Copytool(id);
    return c.is_object() ? c["events"].get<int64_t>() : -1;
  }
  // The simulator's own view (control API hsm_status) of copytool `id`, or null.
  Json SimCopytool(SimulatorRemoteOperations& remote, const std::string& id) {
    Result<Json> status = remote.Call("hsm_status", Json::object());
    EXPECT_TRUE(status.ok()) << status.status().ToString();
    if (!status.ok() || !(*status)["copytools"].contains(id)) return Json();
    return (*status)["copytools"][id];
  }
  // The manager's event count of `id` does not move for `quiet` (after what
  // was in flight has landed: the count first holds still for 2 s).
  void ExpectNothingArrivesFor(const std::string& id, std::chrono::seconds quiet, const std::string& why) {
    int64_t before = EventsOf(id);
    ASSERT_TRUE(Within(seconds(60), [&] {
      std::this_thread::sleep_for(seconds(2));
      const int64_t now = EventsOf(id);
      const bool still = now == before;
      before = now;
      return still;
    })) << why << ": events never stopped";
    std::this_thread::sleep_for(quiet);
    EXPECT_EQ(EventsOf(id), before) << why;
  }
  // The manager, a registered fleet, testfs, and copytool "7" configured on the worker.
  void StartHsmFleet() {
    StartManager();
    Setup(8);  // and one worker, the default
    StartSimulator({"register", "--username", "admin", "--password", "lustre", "--hsm-bandwidth",
                    std::to_string(kTenTimesTheOriginal)});
    ASSERT_TRUE(AllManaged(9))
        << ManagerJson({"hosts"}).dump(1) << "\n" << simulator->Output();
    CreateFilesystem();
    CliResult configured = Action(kWorker, "configure_copytool", CopytoolArgs());
    ASSERT_EQ(configured.exit_code, 0) << configured.Describe();
  }
  static Json CopytoolArgs() {
    return Json{{"id", "7"}, {"index", 0}, {"bin_path", "/usr/sbin/lhsmtool_posix"},
                {"archive_number", 1}, {"filesystem", "testfs"}, {"mountpoint", "/mnt/testfs"},
                {"hsm_arguments", "-p /archive/testfs"}};
  }
  static constexpr const char* kWorker = "worker000.localdomain";
  CliResult Action(const std::string& host, const std::string& action, const Json& args) {
    return Manager({"action", host, action, "--args", args.dump(), "--wait"});
  }
  CliResult HsmControl(const std::string& value) {
    return Manager({"conf-param", "--fs", "testfs", "--key", "testfs-MDT0000.mdt.hsm_control", "--value", value,
                    "--wait"});
  }
  // Event types of `c` that end with `suffix` (e.g. "_START").
  static std::set<std::string> TypesEndingWith(const Json& c, const std::string& suffix) {
    std::set<std::string> out;
    if (!c.is_object() || !c["event_types"].is_object()) return out;
    for (const auto& [type, n] : c["event_types"].items()) {
      if (type.ends_with(suffix) && n.get<int64_t>() > 0) out.insert(type);
    }
    return out;
  }
};

TEST_F(HsmEndToEndTest, CopytoolEventsArriveAtTheManagerOnceHsmIsEnabled) {
  ASSERT_NO_FATAL_FAILURE(StartHsmFleet());
  const std::string worker = kWorker;
  // No coordinator yet: the copytool cannot start (the original raised too).
  CliResult early = Action(worker, "start_monitored_copytool", {{"id", "7"}});
  EXPECT_EQ(early.exit_code, 2) << early.Describe();
  EXPECT_NE(early.Describe().find("has no HSM coordinator"), std::string::npos) << early.Describe();

  CliResult bad = HsmControl("sideways");
  EXPECT_NE(bad.exit_code, 0) << bad.Describe();
  EXPECT_NE(bad.Describe().find("Unknown HSM Coordinator control value"), std::string::npos) << bad.Describe();
  EXPECT_TRUE(Copytool("7").is_null()) << "nothing posted before the copytool runs";

  CliResult enabled = HsmControl("enabled");
  ASSERT_EQ(enabled.exit_code, 0) << enabled.Describe();
  CliResult started = Action(worker, "start_monitored_copytool", {{"id", "7"}});
  ASSERT_EQ(started.exit_code, 0) << started.Describe();

  // Every phase of every action, at ten times the original's bandwidth: a
  // few dozen requests in a minute or two.
  Json seen;
  const std::set<std::string> all_starts = {"ARCHIVE_START", "RESTORE_START", "REMOVE_START"};
  const bool every_phase = Within(seconds(240), [&] {
    seen = Copytool("7");
    return seen.is_object() && seen["event_types"].value("REGISTER", 0) == 1 &&
           TypesEndingWith(seen, "_START") == all_starts && !TypesEndingWith(seen, "_RUNNING").empty() &&
           TypesEndingWith(seen, "_FINISH").size() >= 2;
  });
  ASSERT_TRUE(every_phase) << seen.dump(1) << "\n" << simulator->Output();
  EXPECT_EQ(seen["host"], worker);
  EXPECT_EQ(seen["state"], "started");
  ASSERT_TRUE(seen["uuid"].is_string());
  EXPECT_NE(seen["uuid"], "00000000-0000-0000-0000-000000000000") << "the REGISTER arrived first";
  EXPECT_GT(seen["operations"]["finished"].get<int>(), 0);
  EXPECT_LE(seen["active_operations"].size(), 3u) << "a copytool keeps at most three requests";
  for (const Json& op : seen["active_operations"]) {
    EXPECT_LE(op["processed_bytes"].get<int64_t>(), op["total_bytes"].get<int64_t>()) << op;
    EXPECT_TRUE(op["fid"].get<std::string>().starts_with("0x")) << op;
  }
  EXPECT_EQ(seen["event_types"].value("UNREGISTER", 0), 0);

  // The table a person reads.
  CliResult table = Manager({"copytools"});
  ASSERT_EQ(table.exit_code, 0) << table.Describe();
  EXPECT_NE(table.out.find(worker), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("started"), std::string::npos) << table.out;

  CliResult stopped = Action(worker, "stop_monitored_copytool", {{"id", "7"}});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.Describe();
  ASSERT_TRUE(Within(seconds(60), [&] {
    seen = Copytool("7");
    return seen.is_object() && seen["state"] == "stopped";
  })) << seen.dump(1);
  EXPECT_EQ(seen["event_types"].value("UNREGISTER", 0), 1);
  const int64_t events = seen["events"].get<int64_t>();
  std::this_thread::sleep_for(seconds(3));
  EXPECT_EQ(Copytool("7")["events"].get<int64_t>(), events) << "a stopped copytool posts nothing more";
}

// The monitor lives beside the worker's agent: a partition (the manager
// unreachable from the worker) and a killed agent hold its events back until
// they pass, and a power loss ends the copytool without a word; it
// registers anew, under a new uuid, when the worker boots.
TEST_F(HsmEndToEndTest, TheCopytoolMeetsWhatItsWorkerMeets) {
  ASSERT_NO_FATAL_FAILURE(StartHsmFleet());
  ASSERT_EQ(HsmControl("enabled").exit_code, 0);
  ASSERT_EQ(Action(kWorker, "start_monitored_copytool", {{"id", "7"}}).exit_code, 0);
  ASSERT_TRUE(Within(seconds(120), [&] { return EventsOf("7") >= 2; })) << simulator->Output();
  std::unique_ptr<SimulatorRemoteOperations> remote = Remote();
  ASSERT_NE(remote, nullptr);

  // A partition of the worker: its POSTs hang, then fail, and back off.
  ASSERT_TRUE(remote->Call("manager_unreachable", {{"unreachable", true}, {"fqdn", kWorker}, {"timeout_ms", 1000}})
                  .ok());
  ASSERT_TRUE(Within(seconds(60), [&] { return SimCopytool(*remote, "7").value("posts_failed", 0) > 0; }))
      << SimCopytool(*remote, "7");
  ExpectNothingArrivesFor("7", seconds(5), "partitioned");
  EXPECT_NE(simulator->Output().find("manager_unreachable"), std::string::npos) << "the failure is logged";
  int64_t before = EventsOf("7");
  ASSERT_TRUE(remote->ManagerUnreachable(false, kWorker).ok());
  ASSERT_TRUE(Within(seconds(120), [&] { return EventsOf("7") > before; })) << "events flow again once it heals";

  // The worker's agent killed: the monitor's events wait for it.
  ASSERT_TRUE(remote->KillAgent(kWorker).ok());
  ASSERT_TRUE(Within(seconds(60), [&] { return SimCopytool(*remote, "7").value("waiting_for_agent", false); }))
      << SimCopytool(*remote, "7");
  ExpectNothingArrivesFor("7", seconds(5), "agent killed");
  before = EventsOf("7");
  ASSERT_TRUE(remote->RestartAgent(kWorker).ok());
  ASSERT_TRUE(Within(seconds(60), [&] { return EventsOf("7") > before; })) << "the held events follow the agent";

  // The worker loses power: the copytool is gone, silently.
  const Json registered = Copytool("7");
  ASSERT_EQ(registered["event_types"].value("REGISTER", 0), 1);
  ASSERT_TRUE(remote->Call("poweroff_server", {{"fqdn", kWorker}}).ok());
  ASSERT_TRUE(Within(seconds(30), [&] { return SimCopytool(*remote, "7").is_null(); })) << SimCopytool(*remote, "7");
  ExpectNothingArrivesFor("7", seconds(5), "powered off");
  Json off = Copytool("7");
  EXPECT_EQ(off["event_types"].value("UNREGISTER", 0), 0) << "a dead machine says no goodbye";
  EXPECT_EQ(off["state"], "started") << "the manager has not heard otherwise";

  // Back on: it registers anew, as the original's start did.
  ASSERT_TRUE(remote->Call("poweron_server", {{"fqdn", kWorker}}).ok());
  Json back;
  ASSERT_TRUE(Within(seconds(120), [&] {
    back = Copytool("7");
    return back.is_object() && back["event_types"].value("REGISTER", 0) == 2;
  })) << back.dump(1) << "\n" << simulator->Output();
  EXPECT_EQ(back["state"], "started");
  EXPECT_NE(back["uuid"], registered["uuid"]) << "a fresh uuid";
  ASSERT_TRUE(Within(seconds(60), [&] { return !TypesEndingWith(Copytool("7"), "_START").empty() &&
                                              EventsOf("7") > back["events"].get<int64_t>(); }))
      << "and takes work again";
}

}  // namespace
}  // namespace cs::testing
