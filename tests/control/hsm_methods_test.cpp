// The original's HSM methods and setup over the control API: each changes
// the world as the manager's actions would, and bad input is a 4xx that
// changes nothing.
#include "tests/control/control_fixture.h"

namespace cs {
namespace {

constexpr const char* kWorker = "worker000.localdomain";

Json CopytoolArgs(const std::string& id = "ct1", const std::string& fs = "testfs") {
  return Json{{"id", id}, {"index", 0}, {"bin_path", "/usr/sbin/lhsmtool_posix"}, {"archive_number", 1},
              {"filesystem", fs}, {"mountpoint", "/mnt/" + fs}, {"hsm_arguments", "-p /archive"}};
}

class HsmMethodsTest : public ControlTest {
 protected:
  Copytool CopytoolNamed(const std::string& id) {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    const Copytool* c = sim_->store().world().copytools.Find(id);
    return c ? *c : Copytool{};
  }
  HsmCoordinatorRecord Coordinator(const std::string& fs) {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    const HsmCoordinatorRecord* r = sim_->store().world().hsm_coordinators.Find(fs);
    return r ? *r : HsmCoordinatorRecord{};
  }
};

TEST_F(HsmMethodsTest, CoordinatorAndCopytoolLifeCycle) {
  ASSERT_TRUE(Call("configure_hsm_copytool", {{"server", kWorker}, {"copytool", CopytoolArgs()}}).ok());
  EXPECT_EQ(CopytoolNamed("ct1").server, kWorker);
  auto early = Call("start_monitored_copytool", {{"server", kWorker}, {"id", "ct1"}});
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("has no HSM coordinator"), std::string::npos) << early.status().message();

  ASSERT_TRUE(Call("control_hsm_coordinator", {{"fsname", "testfs"}, {"control_value", "enabled"}}).ok());
  EXPECT_TRUE(Coordinator("testfs").running);
  auto started = Call("start_monitored_copytool", {{"server", "worker000"}, {"id", "ct1"}});  // by nodename
  ASSERT_TRUE(started.ok()) << started.status().message();
  EXPECT_TRUE(started->is_null());
  const Copytool running = CopytoolNamed("ct1");
  EXPECT_TRUE(running.running);
  ASSERT_TRUE(running.uuid);

  ASSERT_TRUE(Call("control_hsm_coordinator", {{"fsname", "testfs"}, {"control_value", "shutdown"}}).ok());
  EXPECT_FALSE(Coordinator("testfs").running);
  ASSERT_TRUE(Call("start_hsm_coordinators").ok());
  EXPECT_TRUE(Coordinator("testfs").running);

  ASSERT_TRUE(Call("stop_monitored_copytool", {{"id", "ct1"}}).ok());
  EXPECT_FALSE(CopytoolNamed("ct1").running);
  ASSERT_TRUE(Call("start_hsm_copytools").ok());
  EXPECT_TRUE(CopytoolNamed("ct1").running);
  EXPECT_NE(*CopytoolNamed("ct1").uuid, *running.uuid) << "registered anew";

  ASSERT_TRUE(Call("unconfigure_hsm_copytool", {{"id", "ct1"}}).ok());
  EXPECT_TRUE(CopytoolNamed("ct1").id.empty());
}

TEST_F(HsmMethodsTest, BadInputIsRefusedAndChangesNothing) {
  ASSERT_TRUE(Call("configure_hsm_copytool", {{"server", kWorker}, {"copytool", CopytoolArgs()}}).ok());
  ASSERT_TRUE(Call("control_hsm_coordinator", {{"fsname", "testfs"}, {"control_value", "enabled"}}).ok());
  const Json before = Dump();
  struct Case {
    std::string op;
    Json args;
    int want;
  } cases[] = {
      {"control_hsm_coordinator", {{"fsname", "testfs"}, {"control_value", "on"}}, 400},
      {"control_hsm_coordinator", {{"fsname", ""}, {"control_value", "enabled"}}, 400},
      {"control_hsm_coordinator", {{"fsname", "testfs"}}, 400},
      {"configure_hsm_copytool", {{"server", "nosuch"}, {"copytool", CopytoolArgs("ct2")}}, 404},
      {"configure_hsm_copytool", {{"server", kWorker}, {"copytool", "ct2"}}, 400},
      {"configure_hsm_copytool", {{"server", kWorker}, {"copytool", {{"id", "ct2"}}}}, 409},  // the action's checks
      {"unconfigure_hsm_copytool", {{"id", "nosuch"}}, 404},
      {"start_monitored_copytool", {{"server", kWorker}, {"id", "nosuch"}}, 404},
      {"start_monitored_copytool", {{"server", s0}, {"id", "ct1"}}, 400},  // it lives on the worker
      {"stop_monitored_copytool", {{"id", "nosuch"}}, 404},
      {"start_hsm_coordinators", {{"x", 1}}, 400},
      {"setup", {{"server_count", 2}, {"worker_count", 1}, {"volume_count", 8}, {"nid_count", 2},
                 {"cluster_size", 4}, {"pdu_count", 1}, {"su_size", 0}}, 409},  // fewer servers than exist
      {"setup", {{"server_count", "four"}, {"worker_count", 1}, {"volume_count", 8}, {"nid_count", 2},
                 {"cluster_size", 4}, {"pdu_count", 1}, {"su_size", 0}}, 400},
      {"setup", {{"server_count", 4}}, 400},
  };
  for (const auto& c : cases) {
    auto r = Call(c.op, c.args);
    EXPECT_EQ(HttpOf(r), c.want) << c.op << " " << c.args.dump() << ": "
                                 << (r.ok() ? r->dump() : r.status().message());
    if (!r.ok()) {
      EXPECT_FALSE(r.status().message().empty()) << c.op;
    }
  }
  EXPECT_EQ(Dump(), before);
}

TEST_F(HsmMethodsTest, SetupBringsTheFleetToTheTotals) {
  const Json args = {{"server_count", 6}, {"worker_count", 2}, {"volume_count", 12}, {"nid_count", 2},
                     {"cluster_size", 4}, {"pdu_count", 1}, {"su_size", 0}};
  auto r = Call("setup", args);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->is_null());
  {
    std::lock_guard<std::mutex> lock(sim_->store().mutex());
    const FleetCounts counts = CountFleet(sim_->store().world());
    EXPECT_EQ(counts.server_count, 6);
    EXPECT_EQ(counts.worker_count, 2);
    EXPECT_EQ(counts.volume_count, 12);
  }
  const Json after = Dump();
  ASSERT_TRUE(Call("setup", args).ok());
  EXPECT_EQ(Dump(), after) << "the same totals again change nothing";
}

}  // namespace
}  // namespace cs
