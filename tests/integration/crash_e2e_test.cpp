// The hostile tester's defect 3 with the real processes: `kill -9` of the
// simulator while `manager fs create ... --wait` runs, then `run` again.
// The targets whose format never answered keep a null ha_label; the
// manager used to throw on them, so every `lustre` report from then on got
// 500, agents resent forever and the manager stopped learning where targets
// run. Both daemons run on 127.0.0.1; every wait is bounded.
#include <csignal>
#include <future>
#include <map>
#include <thread>

#include "tests/integration/e2e_fixture.h"

namespace cs::testing {
namespace {

constexpr int kSigkillStatus = -100 - SIGKILL;  // DaemonProcess::Stop's "died of signal 9"

class SimulatorKilledTest : public EndToEndTest {
 protected:
  CliResult CreateFilesystem(const std::string& name) {
    return Manager({"fs", "create", "--name", name, "--mgt", "test000:0", "--mdt", "test001:1", "--ost",
                    "test002:2", "--ost", "test003:3", "--wait"});
  }
  std::vector<Json> TargetsOf(const std::string& fs) {
    std::vector<Json> out;
    for (const Json& t : ManagerJson({"targets"})) {
      if (t["filesystem"] == fs) out.push_back(t);
    }
    return out;
  }
  // Every resource the simulator's clusters run: the manager's target with
  // its ha_label says it runs there.
  bool ManagerKnowsWhereEveryTargetRuns(std::string* mismatch) {
    const Json status = SimStatus();
    std::map<std::string, std::string> active;
    for (const Json& t : ManagerJson({"targets"})) {
      if (t["ha_label"].is_string()) active[t["ha_label"]] = t["active_host"].is_string() ? t["active_host"] : "";
    }
    size_t resources = 0;
    for (const Json& c : status["clusters"]) {
      for (const Json& r : c["resources"]) {
        ++resources;
        const std::string where = r["started_on"].is_string() ? r["started_on"].get<std::string>() + ".localdomain" : "";
        if (active[r["ha_label"]] != where) {
          *mismatch = r.dump() + " but the manager says '" + active[r["ha_label"]] + "'";
          return false;
        }
      }
    }
    *mismatch = resources == 0 ? "the simulator runs no resource" : "";
    return resources > 0;
  }
};

TEST_F(SimulatorKilledTest, AKillDuringFsCreateLeavesTheManagerWorkingAfterRun) {
  StartManager();
  Setup(4);  // test000-test003 in one corosync cluster sharing 8 volumes, and a worker
  StartSimulator({"register", "--username", "admin", "--password", "lustre"});
  ASSERT_TRUE(AllManaged(5)) << ManagerJson({"hosts"}).dump(1);
  std::unique_ptr<SimulatorRemoteOperations> remote = Remote();
  ASSERT_TRUE(remote);
  ASSERT_TRUE(remote->SetLatency(std::chrono::milliseconds(300), std::nullopt).ok());

  // The create runs in the background (again while the hosts have not
  // reported their corosync cluster yet, which it is refused for); once the
  // MGT is formatted (its ha_label set) and before the rest are, the
  // simulator dies.
  auto interrupted = std::async(std::launch::async, [this] {
    CliResult r;
    for (int attempt = 0; attempt < 60; ++attempt) {
      r = CreateFilesystem("testfs");
      if (r.err.find("corosync") == std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return r;
  });
  ASSERT_TRUE(Eventually([&] {
    for (const Json& t : TargetsOf("testfs")) {
      if (t["ha_label"].is_string()) return true;
    }
    return false;
  }, seconds(60))) << ManagerJson({"commands"}).dump(1);
  ASSERT_EQ(simulator->Stop(seconds(20), SIGKILL), kSigkillStatus);
  simulator.reset();
  remote.reset();
  size_t unformatted = 0;
  for (const Json& t : TargetsOf("testfs")) unformatted += t["ha_label"].is_null();
  ASSERT_GT(unformatted, 0u) << "the kill came after every format: the defect's state was not reached";
  const CliResult first = interrupted.get();
  EXPECT_NE(first.exit_code, 0) << first.Describe();

  // `run` again (the latency is not part of the saved world: gone).
  StartSimulator({"run"}, "run.log");
  // The next create, on the same devices, runs to the end, and the manager
  // learns where each of its targets runs.
  CliResult second;
  ASSERT_TRUE(Eventually([&] { return (second = CreateFilesystem("testfs2")).exit_code == 0; }, seconds(30)))
      << second.Describe() << ManagerJson({"commands"}).dump(1);
  EXPECT_TRUE(Eventually([&] {
    const std::vector<Json> targets = TargetsOf("testfs2");
    for (const Json& t : targets) {
      if (!t["active_host"].is_string()) return false;
    }
    return targets.size() == 4;
  }, seconds(30))) << ManagerJson({"targets"}).dump(1);
  // Every target the simulator runs, the interrupted filesystem's included.
  std::string mismatch;
  EXPECT_TRUE(Eventually([&] { return ManagerKnowsWhereEveryTargetRuns(&mismatch); }, seconds(30))) << mismatch;

  // No report was refused after the restart: no POST answered 500, and the
  // manager dropped nothing.
  EXPECT_EQ(simulator->Output().find("status 500"), std::string::npos) << simulator->Output();
  EXPECT_EQ(ReadFile(dir.Sub("sim/cluster-sim.log")).find("POST failed: status 500"), std::string::npos);
  EXPECT_EQ(manager->Output().find("dropped a lustre message"), std::string::npos) << manager->Output();
}

}  // namespace
}  // namespace cs::testing
