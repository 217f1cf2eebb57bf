// The simulated HSM (fakes/hsm/): the original's request distribution, the
// coordinator's loop and counts, copytools moving data at the shared
// bandwidth and the events they post, the monitor's relay, and the fleet
// following the world, all on a manual clock with a fixed seed.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "fakes/hsm/coordinator_record.h"
#include "fakes/hsm/copytool_run.h"
#include "fakes/hsm/event_relay.h"
#include "fakes/hsm/hsm_fleet.h"
#include "fakes/hsm/hsm_world.h"
#include "fakes/hsm/request.h"

namespace cs {
namespace {

using std::chrono::seconds;
// The HSM tests' clock starts here (2027-01-15).
const WallTime kHsmStart = WallTime(std::chrono::seconds(1800000000));

TEST(HsmRequestTest, FollowsTheOriginalsDistribution) {
  Random random(7);
  const std::regex path_shape(
      R"(^(project|plan|datasets|databases|catalogs|research|investigator|data|files|library|libs|spool|scratch|backup|notbackedup)(/[a-z]+)*/(index|file|db|database|catalog|data|cabinet)(|\.tar|\.tar\.gz|\.tar\.bz2|\.idx|\.cab|\.db)$)");
  const std::regex fid_shape(R"(^0x[0-9a-f]{9,}:0x[12]:0x0$)");
  std::set<std::string> actions;
  double total = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    HsmRequest r = RandomHsmRequest(random);
    actions.insert(r.action);
    EXPECT_TRUE(std::regex_match(r.path, path_shape)) << r.path;
    EXPECT_TRUE(std::regex_match(r.fid, fid_shape)) << r.fid;
    EXPECT_GE(r.total_bytes, 1024);
    EXPECT_LE(r.total_bytes, int64_t{1} << 41);
    total += static_cast<double>(r.total_bytes);
  }
  EXPECT_EQ(actions, (std::set<std::string>{"ARCHIVE", "RESTORE", "REMOVE"}));
  // A triangular distribution's mean is (low + high + mode) / 3: ~751 GB here.
  const double expected = (1024 + 2199023255552.0 * 1.025) / 3;
  EXPECT_NEAR(total / n, expected, expected * 0.05);
  Random a(3), b(3);
  EXPECT_EQ(RandomHsmRequest(a), RandomHsmRequest(b)) << "the seed fixes every request";
}

TEST(HsmControlTest, ValuesAndKeys) {
  HsmCoordinatorRecord r;
  EXPECT_TRUE(ApplyHsmControl(r, "enabled").ok());
  EXPECT_TRUE(r.enabled && r.running);
  EXPECT_TRUE(ApplyHsmControl(r, "shutdown").ok());
  EXPECT_TRUE(r.enabled && !r.running);
  EXPECT_TRUE(ApplyHsmControl(r, "purge").ok());
  EXPECT_TRUE(r.enabled && r.running);
  EXPECT_EQ(r.purges, 1);
  EXPECT_TRUE(ApplyHsmControl(r, "disabled").ok());
  EXPECT_FALSE(r.enabled || r.running);
  const HsmCoordinatorRecord before = r;
  Status bad = ApplyHsmControl(r, "Enabled");
  EXPECT_EQ(bad.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r, before);
  EXPECT_EQ(HsmControlFilesystem("testfs-MDT0000.mdt.hsm_control"), "testfs");
  EXPECT_EQ(HsmControlFilesystem("my-fs-MDT0000.mdt.hsm_control"), "my-fs");
  EXPECT_EQ(HsmControlFilesystem("testfs-MDT0000.mdt.hsm_max_requests"), std::nullopt);
  EXPECT_EQ(HsmControlFilesystem("testfs.llite.max_cached_mb"), std::nullopt);
  EXPECT_EQ(HsmControlFilesystem("MDT0000.mdt.hsm_control"), std::nullopt);
}

TEST(HsmCoordinatorTest, KeepsEachCopytoolAtThreeRequestsAndCounts) {
  HsmCoordinator c("testfs");
  Random random(1);
  c.RegisterAgent("ct1", "u1");
  c.RegisterAgent("ct2", "u2");
  c.Loop(kHsmStart, random);
  EXPECT_EQ(c.waiting_count(), 0u) << "not running: the loop does nothing";
  EXPECT_EQ(c.Stats(), Json::object()) << "disabled: no hsm stats";
  c.SetEnabled(true);
  c.SetRunning(true);
  c.Loop(kHsmStart, random);
  std::vector<HsmRequest> mine = c.TakeAgentRequests("u1");
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_TRUE(c.TakeAgentRequests("u1").empty());
  for (const HsmRequest& r : mine) c.StartRequest("u1", r);
  const size_t waiting = c.waiting_count();
  EXPECT_GE(waiting, 3u);  // u2's three, plus one on a coin flip
  EXPECT_LE(waiting, 4u);
  Json stats = c.Stats()["hsm"];
  EXPECT_EQ(stats["agents"], (Json{{"total", 2}, {"idle", 1}, {"busy", 1}}));
  EXPECT_EQ(stats["actions"]["running"], 3);
  EXPECT_EQ(stats["actions"]["waiting"], waiting);
  EXPECT_EQ(stats["actions"]["errored"], 0);

  EXPECT_TRUE(c.FinishRequest("u1", mine[0], kHsmStart + seconds(1)));
  EXPECT_FALSE(c.FinishRequest("u1", mine[0], kHsmStart + seconds(1))) << "finished twice";
  EXPECT_FALSE(c.FinishRequest("u2", mine[1], kHsmStart)) << "not u2's";
  EXPECT_EQ(c.completed_count(), 1u);
  c.Loop(kHsmStart + seconds(10), random);  // tops u1 up again
  EXPECT_EQ(c.TakeAgentRequests("u1").size(), 1u);
  c.Loop(kHsmStart + std::chrono::minutes(6), random);
  EXPECT_EQ(c.completed_count(), 0u) << "forgotten five minutes after finishing";

  c.RegisterAgent("ct1", "u1b");  // the same copytool again: the old uuid goes
  EXPECT_FALSE(c.HasAgent("u1"));
  EXPECT_TRUE(c.HasAgent("u1b"));
  c.Purge();
  EXPECT_EQ(c.waiting_count(), 0u);
  EXPECT_EQ(c.running_count(), 0u);
}

TEST(HsmCopytoolRunTest, MovesDataAtTheSharedBandwidthAndReports) {
  HsmCoordinator c("testfs");
  c.SetEnabled(true);
  c.SetRunning(true);
  Random random(11);
  HsmCopytoolRun run("ct1", "u1", "/mnt/testfs", 2, kHsmStart);
  c.RegisterAgent("ct1", "u1");
  Json reg = run.RegisterEvent(kHsmStart);
  EXPECT_EQ(reg["event_type"], "REGISTER");
  EXPECT_EQ(reg["uuid"], "u1");
  EXPECT_EQ(reg["mount_point"], "/mnt/testfs");
  EXPECT_EQ(reg["archive"], 2);
  EXPECT_EQ(reg["event_time"], "2027-01-15 08:00:00+00:00");
  EXPECT_EQ(run.UnregisterEvent(kHsmStart)["event_type"], "UNREGISTER");

  std::map<std::string, int64_t> last_bytes;
  std::map<std::string, std::string> finished;
  int starts = 0;
  int running_events = 0;
  for (int s = 0; s < 120; ++s) {
    const WallTime now = kHsmStart + seconds(s);
    if (s % 10 == 0) c.Loop(now, random);
    for (const Json& e : run.Loop(now, c)) {
      const std::string type = e["event_type"];
      const std::string fid = e["data_fid"];
      EXPECT_EQ(e["source_fid"], fid);
      EXPECT_TRUE(e.contains("lustre_path") && e.contains("total_bytes") && e.contains("event_time"));
      if (type.ends_with("_START")) {
        ++starts;
        EXPECT_EQ(e["current_bytes"], 0);
      } else if (type.ends_with("_RUNNING")) {
        ++running_events;
        EXPECT_LT(e["current_bytes"].get<int64_t>(), e["total_bytes"].get<int64_t>());
        // A request never moves faster than the whole link.
        EXPECT_LE(e["current_bytes"].get<int64_t>() - last_bytes[fid],
                  HsmCopytoolRun::kMaxBandwidth * 6);
      } else {
        ASSERT_TRUE(type.ends_with("_FINISH")) << type;
        EXPECT_EQ(e["current_bytes"], e["total_bytes"]);
        finished[fid] = type;
      }
      last_bytes[fid] = e["current_bytes"];
    }
    EXPECT_LE(run.active_count(), 3u);
  }
  EXPECT_GE(starts, 3);
  EXPECT_GT(running_events, 0);
  EXPECT_FALSE(finished.empty());
  EXPECT_EQ(c.completed_count(), finished.size()) << "every finish reached the coordinator";
  int removes = 0;
  for (const auto& [fid, type] : finished) {
    if (type == "REMOVE_FINISH") {
      ++removes;  // a remove is two loops at full speed, whatever its size
      EXPECT_EQ(last_bytes[fid], HsmCopytoolRun::kMaxBandwidth * 2);
    }
  }
  EXPECT_GT(removes, 0) << "this seed's requests include removes";
}

TEST(HsmCopytoolRunTest, ProgressIsReportedAfterMoreThanFiveSecondsOfSilence) {
  HsmCoordinator c("testfs");
  c.SetEnabled(true);
  c.SetRunning(true);
  Random random(5);
  c.RegisterAgent("ct1", "u1");
  HsmCopytoolRun run("ct1", "u1", "/mnt/testfs", 1, kHsmStart);
  c.Loop(kHsmStart, random);
  std::vector<int> seconds_with_running;
  for (int s = 0; s <= 12; ++s) {
    for (const Json& e : run.Loop(kHsmStart + seconds(s), c)) {
      if (e["event_type"].get<std::string>().ends_with("_RUNNING")) seconds_with_running.push_back(s);
    }
  }
  ASSERT_FALSE(seconds_with_running.empty());
  std::set<int> distinct(seconds_with_running.begin(), seconds_with_running.end());
  EXPECT_EQ(distinct, (std::set<int>{6, 12})) << "progress after more than 5 s of silence";
}

TEST(CopytoolEventRelayTest, BatchesRetriesAndFollowsOperations) {
  CopytoolEventRelay relay("worker000.localdomain", "ct1");
  EXPECT_FALSE(relay.NextEnvelope());
  relay.Put(Json{{"event_type", "ARCHIVE_START"}, {"source_fid", "f1"}, {"data_fid", "f1"}});
  relay.Put(Json{{"event_type", "REGISTER"}, {"uuid", "u"}});
  std::optional<Json> env = relay.NextEnvelope();
  ASSERT_TRUE(env);
  EXPECT_EQ((*env)["fqdn"], "worker000.localdomain");
  EXPECT_EQ((*env)["copytool"], "ct1");
  EXPECT_EQ((*env)["events"].size(), 2u);
  EXPECT_FALSE(relay.NextEnvelope()) << "one POST at a time";
  relay.OnFailed();
  EXPECT_EQ(relay.poll_interval(), seconds(10));
  env = relay.NextEnvelope();
  ASSERT_TRUE(env);
  EXPECT_EQ((*env)["events"][0]["event_type"], "ARCHIVE_START") << "requeued in order";
  relay.OnFailed();
  EXPECT_EQ(relay.poll_interval(), seconds(20));
  for (int i = 0; i < 4; ++i) {
    (void)relay.NextEnvelope();
    relay.OnFailed();
  }
  EXPECT_EQ(relay.poll_interval(), seconds(60));
  (void)relay.NextEnvelope();
  relay.OnPosted(Json{{"active_operations", {{"f1", 17}}}});
  EXPECT_EQ(relay.poll_interval(), seconds(1));
  EXPECT_EQ(relay.queued(), 0u);

  relay.Put(Json{{"event_type", "ARCHIVE_RUNNING"}, {"source_fid", "f1"}, {"data_fid", "f1"}});
  relay.Put(Json{{"event_type", "ARCHIVE_FINISH"}, {"source_fid", "f1"}, {"data_fid", "f1"}});
  relay.Put(Json{{"event_type", "ARCHIVE_RUNNING"}, {"source_fid", "f1"}, {"data_fid", "f1"}});
  env = relay.NextEnvelope();
  ASSERT_TRUE(env);
  EXPECT_EQ((*env)["events"][0]["active_operation"], 17);
  EXPECT_EQ((*env)["events"][1]["active_operation"], 17);
  EXPECT_FALSE((*env)["events"][2].contains("active_operation")) << "finished: forgotten";
  relay.OnPosted(Json(nullptr));  // an empty answer is fine
  EXPECT_FALSE(relay.in_flight());
}

class HsmFleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Copytool c;
    c.id = "ct1";
    c.server = "worker000.localdomain";
    c.copytool = {{"id", "ct1"}, {"index", 0}, {"bin_path", "/usr/sbin/lhsmtool_posix"},
                  {"archive_number", 1}, {"filesystem", "testfs"}, {"mountpoint", "/mnt/testfs"},
                  {"hsm_arguments", ""}};
    world.copytools.Put("ct1", c);
    Server worker = MakeServer(0, 1, /*worker=*/true);
    worker.boot_time = "2027-01-15T08:00:00Z";
    world.servers.Put(worker.fqdn, worker);
  }
  void SetPower(PowerState state, const std::string& boot_time) {
    Server* s = world.servers.Mutable("worker000.localdomain");
    s->power_state = state;
    s->boot_time = boot_time;
  }
  // Every event posted for ct1 over `secs` seconds, draining the relay.
  std::vector<Json> Run(HsmFleet& fleet, int from, int secs) {
    std::vector<Json> out;
    for (int s = from; s < from + secs; ++s) {
      fleet.Reconcile(world, kHsmStart + seconds(s));
      fleet.Advance(kHsmStart + seconds(s));
      Drain(fleet, out);
    }
    return out;
  }
  static void Drain(HsmFleet& fleet, std::vector<Json>& out) {
    auto it = fleet.relays().find("ct1");
    if (it == fleet.relays().end()) return;
    while (std::optional<Json> env = it->second.NextEnvelope()) {
      for (const Json& e : (*env)["events"]) out.push_back(e);
      it->second.OnPosted(Json::object());
    }
  }
  World world;
  Random random{42};
};

TEST_F(HsmFleetTest, ACopytoolRunsAgainstItsCoordinatorAsTheWorldSays) {
  ASSERT_EQ(StartHsmCopytool(world, "ct1", random).code(), Status::Code::kFailedPrecondition)
      << "no coordinator yet";
  ASSERT_TRUE(ControlHsmCoordinator(world, "testfs", "enabled").ok());
  ASSERT_TRUE(StartHsmCopytool(world, "ct1", random).ok());
  HsmFleet fleet(1);
  std::vector<Json> events = Run(fleet, 0, 30);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0]["event_type"], "REGISTER");
  EXPECT_EQ(events[0]["uuid"], *world.copytools.Find("ct1")->uuid);
  std::set<std::string> types;
  for (const Json& e : events) types.insert(e["event_type"]);
  EXPECT_TRUE(std::any_of(types.begin(), types.end(), [](const std::string& t) { return t.ends_with("_START"); }));
  EXPECT_TRUE(std::any_of(types.begin(), types.end(), [](const std::string& t) { return t.ends_with("_FINISH"); }));
  Json stats = fleet.StatsFor("testfs")["hsm"];
  EXPECT_EQ(stats["agents"]["total"], 1);
  EXPECT_GT(stats["actions"]["succeeded"].get<int>(), 0);
  EXPECT_EQ(fleet.StatsFor("nosuch"), Json::object());

  // Purge: the copytool's running requests are dropped with the rest.
  ASSERT_TRUE(ControlHsmCoordinator(world, "testfs", "purge").ok());
  fleet.Reconcile(world, kHsmStart + seconds(30));
  EXPECT_EQ(fleet.copytool("ct1")->active_count(), 0u);
  EXPECT_EQ(fleet.coordinator("testfs")->running_count(), 0u);

  ASSERT_TRUE(StopHsmCopytool(world, "ct1"));
  std::vector<Json> after = Run(fleet, 31, 2);
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.back()["event_type"], "UNREGISTER");
  EXPECT_EQ(fleet.copytool("ct1"), nullptr);
  EXPECT_EQ(fleet.StatsFor("testfs")["hsm"]["agents"]["total"], 0);
  fleet.DropIdleRelays();
  EXPECT_TRUE(fleet.relays().empty());
}

TEST_F(HsmFleetTest, TheSeedFixesEveryEvent) {
  ASSERT_TRUE(ControlHsmCoordinator(world, "testfs", "enabled").ok());
  ASSERT_TRUE(StartHsmCopytool(world, "ct1", random).ok());
  HsmFleet a(9), b(9), c(10);
  const std::vector<Json> ea = Run(a, 0, 25), eb = Run(b, 0, 25), ec = Run(c, 0, 25);
  EXPECT_EQ(ea, eb);
  EXPECT_NE(ea, ec);
}

TEST_F(HsmFleetTest, ShutdownStopsHandingOutWorkAndARestartRunsItAgain) {
  ASSERT_TRUE(ControlHsmCoordinator(world, "testfs", "enabled").ok());
  ASSERT_TRUE(StartHsmCopytool(world, "ct1", random).ok());
  const std::string first_uuid = *world.copytools.Find("ct1")->uuid;
  ASSERT_TRUE(ControlHsmCoordinator(world, "testfs", "shutdown").ok());
  HsmFleet fleet(1);
  std::vector<Json> events = Run(fleet, 0, 30);
  ASSERT_EQ(events.size(), 1u) << "registered, but a shut-down coordinator hands out nothing";
  EXPECT_EQ(fleet.StatsFor("testfs")["hsm"]["actions"]["waiting"], 0);

  RestartHsm(world);  // what a daemon start does
  EXPECT_TRUE(world.hsm_coordinators.Find("testfs")->running);
  EXPECT_NE(*world.copytools.Find("ct1")->uuid, first_uuid) << "registers anew";
  events = Run(fleet, 30, 3);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0]["event_type"], "UNREGISTER");
  EXPECT_EQ(events[1]["event_type"], "REGISTER");
  EXPECT_TRUE(events.back()["event_type"].get<std::string>().ends_with("_START"));

  EXPECT_EQ(ControlHsmCoordinator(world, "testfs", "bogus").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ControlHsmCoordinator(world, "", "enabled").code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(StopHsmCopytool(world, "nosuch"));
}

TEST_F(HsmFleetTest, APoweredOffWorkerTakesItsCopytoolAlongAndItRegistersAnewWhenItBoots) {
  ASSERT_TRUE(ControlHsmCoordinator(world, "testfs", "enabled").ok());
  ASSERT_TRUE(StartHsmCopytool(world, "ct1", random).ok());
  const std::string first_uuid = *world.copytools.Find("ct1")->uuid;
  HsmFleet fleet(3);
  ASSERT_FALSE(Run(fleet, 0, 12).empty());
  ASSERT_NE(fleet.copytool("ct1"), nullptr);
  // Events made but not yet posted die with the machine.
  fleet.Advance(kHsmStart + seconds(12));
  fleet.relays().at("ct1").Put(Json{{"event_type", "ARCHIVE_RUNNING"}});

  SetPower(PowerState::kOff, "2027-01-15T08:00:00Z");
  std::vector<Json> while_off = Run(fleet, 13, 30);
  EXPECT_TRUE(while_off.empty()) << while_off.size() << " events from a worker without power; first: "
                                 << (while_off.empty() ? Json() : while_off[0]);
  EXPECT_EQ(fleet.copytool("ct1"), nullptr);
  EXPECT_FALSE(fleet.relays().contains("ct1")) << "nothing kept to post: not even an UNREGISTER";
  EXPECT_EQ(fleet.TakeLostRelays(), std::vector<std::string>{"ct1"});
  EXPECT_TRUE(fleet.TakeLostRelays().empty());
  EXPECT_EQ(fleet.StatsFor("testfs")["hsm"]["agents"]["total"], 0) << "the coordinator let it go";

  // Booting is not up yet.
  SetPower(PowerState::kStartingUp, "2027-01-15T08:01:00Z");
  EXPECT_TRUE(Run(fleet, 43, 3).empty());
  // Up: the boot drew a fresh uuid (replayable), and the copytool registers under it.
  SetPower(PowerState::kRunning, "2027-01-15T08:01:00Z");
  ReregisterHsmCopytoolsOf(world, "worker000.localdomain");
  const std::string second_uuid = *world.copytools.Find("ct1")->uuid;
  EXPECT_NE(second_uuid, first_uuid);
  std::vector<Json> after = Run(fleet, 46, 15);
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after[0]["event_type"], "REGISTER");
  EXPECT_EQ(after[0]["uuid"], second_uuid);
  for (const Json& e : after) EXPECT_NE(e["event_type"], "UNREGISTER") << "the old run left silently";
  EXPECT_EQ(fleet.StatsFor("testfs")["hsm"]["agents"]["total"], 1);

  world.copytools.Mutable("ct1")->uuid = first_uuid;  // replayed: the same seed and uuid give the same new uuid
  ReregisterHsmCopytoolsOf(world, "worker000.localdomain");
  EXPECT_EQ(*world.copytools.Find("ct1")->uuid, second_uuid);
  ReregisterHsmCopytoolsOf(world, "test000.localdomain");
  EXPECT_EQ(*world.copytools.Find("ct1")->uuid, second_uuid) << "another server's boot leaves it alone";

  // A reboot between two loops (down and up again unseen) is a new boot all the same.
  SetPower(PowerState::kRunning, "2027-01-15T08:05:00Z");
  ReregisterHsmCopytoolsOf(world, "worker000.localdomain");
  std::vector<Json> rebooted = Run(fleet, 61, 2);
  ASSERT_FALSE(rebooted.empty());
  EXPECT_EQ(rebooted[0]["event_type"], "REGISTER");
  EXPECT_EQ(rebooted[0]["uuid"], *world.copytools.Find("ct1")->uuid);
}

}  // namespace
}  // namespace cs
