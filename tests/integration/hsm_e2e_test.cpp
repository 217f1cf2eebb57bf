// HSM end to end (issue 15's done-when): the built-in manager and a fleet as
// real processes; the manager sets testfs-MDT0000.mdt.hsm_control=enabled on
// the MGS's server, configures and starts a copytool on the worker, and the
// simulated copytool's events (REGISTER, <ACTION>_START, _RUNNING, _FINISH)
// arrive at the manager's agent/copytool_event/ and show in `manager
// copytools`; stopping it posts its UNREGISTER.
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
  StartManager();
  Setup(8);  // and one worker, the default
  StartSimulator({"register", "--username", "admin", "--password", "lustre", "--hsm-bandwidth",
                  std::to_string(kTenTimesTheOriginal)});
  ASSERT_TRUE(AllManaged(9)) << simulator->Output();
  CreateFilesystem();

  const Json copytool = {{"id", "7"}, {"index", 0}, {"bin_path", "/usr/sbin/lhsmtool_posix"},
                         {"archive_number", 1}, {"filesystem", "testfs"}, {"mountpoint", "/mnt/testfs"},
                         {"hsm_arguments", "-p /archive/testfs"}};
  const std::string worker = "worker000.localdomain";
  CliResult configured = Action(worker, "configure_copytool", copytool);
  ASSERT_EQ(configured.exit_code, 0) << configured.Describe();
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

}  // namespace
}  // namespace cs::testing
