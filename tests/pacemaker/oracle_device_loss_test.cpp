// A controller failure as pacemaker sees it, checked against crm_simulate:
// the devices of some targets vanish on every node, so the monitor of each
// running one fails (injected as OCF_NOT_RUNNING with --op-inject), its
// restart fails there and every other start fails too (--op-fail); once the
// devices are back, `crm_resource --cleanup` of those targets lets them
// start again. The simulator's model (Cluster::MonitorFailed, Cleanup) must
// place every target as pacemaker's scheduler does after each.
#include <gtest/gtest.h>

#include <ctime>

#include "pacemaker/cib_writer.h"
#include "pacemaker/oracle.h"
#include "tests/pacemaker/cluster_builder.h"
#include "tests/pacemaker/compare.h"

namespace cs::pacemaker {
namespace {

using cs::testing::AddTarget;
using cs::testing::ClusterOfNodes;
using cs::testing::Disagreements;
using cs::testing::NodeName;

// Two nodes: in crm_simulate a failed start counts one failure
// (fail-count++), so pacemaker bans a node only at migration-threshold (3)
// and retries there meanwhile; the model bans at once. Both end with the
// same placement, the oracle after about three transitions per node.
TEST(OracleDeviceLossTest, TargetsOfAFailedControllerStopAndStartAgainAfterCleanupAsPacemakerDecides) {
  Cluster cluster = ClusterOfNodes(2);
  // Targets 0-2 sit on the controller that fails, 3-4 on another one.
  const std::set<std::string> lost = {"fs-OST0000", "fs-OST0001", "fs-OST0002"};
  for (int i = 0; i < 5; ++i) AddTarget(cluster, "fs-OST000" + std::to_string(i), i % 2, (i + 1) % 2);
  bool gone = false;
  ClusterEnv env;
  env.can_start = [&](const HaResource& r, const std::string&) { return !(gone && lost.count(r.ha_label)); };
  for (int i = 0; i < 5; ++i) {
    if (i == 2) continue;  // fs-OST0002 stays stopped
    ASSERT_TRUE(cluster.Start("fs-OST000" + std::to_string(i), env).ok());
  }
  ASSERT_TRUE(cluster.Failover("fs-OST0001", env).ok());  // runs on its secondary, kept there by stickiness
  ASSERT_EQ(cluster.resources.at("fs-OST0001").started_on, NodeName(0));

  auto oracle = Oracle::Create();
  ASSERT_TRUE(oracle.ok()) << oracle.status().message();

  // The devices vanish.
  OracleEvent fail;
  fail.description = "devices of fs-OST0000..2 lost";
  for (const std::string& label : lost) {
    const auto& on = cluster.resources.at(label).started_on;
    if (on) fail.node_args.insert(fail.node_args.end(), {"--op-inject", label + "_monitor_5000@" + *on + "=7"});
    for (int n = 0; n < 2; ++n) fail.start_failures.emplace_back(label, NodeName(n));
  }
  ASSERT_EQ(fail.node_args.size(), 4u) << "two running targets lose their device";
  std::string before = WriteCib(cluster, static_cast<int64_t>(std::time(nullptr)));
  gone = true;
  cluster.MonitorFailed(lost, env);
  auto failed = oracle->Run(before, fail);
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  EXPECT_EQ(Disagreements(cluster, failed->view), "") << "CIB before:\n" << before;
  for (const std::string& label : lost) EXPECT_FALSE(cluster.resources.at(label).started_on) << label;
  EXPECT_EQ(cluster.resources.at("fs-OST0000").failed_on, (std::set<std::string>{NodeName(0), NodeName(1)}));
  EXPECT_EQ(cluster.resources.at("fs-OST0003").started_on, NodeName(1));

  // The devices come back; the failed targets are cleaned up.
  OracleEvent restore;
  restore.description = "cleanup of fs-OST0000..2";
  restore.edit = [&lost](pugi::xml_document& d) {
    for (const std::string& label : lost) CleanupResource(d, label);
  };
  before = WriteCib(cluster, static_cast<int64_t>(std::time(nullptr)));
  gone = false;
  cluster.Cleanup(lost, env);
  auto restored = oracle->Run(before, restore);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ(Disagreements(cluster, restored->view), "") << "CIB before:\n" << before;
  EXPECT_EQ(cluster.resources.at("fs-OST0000").started_on, NodeName(0)) << "its primary";
  EXPECT_EQ(cluster.resources.at("fs-OST0001").started_on, NodeName(1)) << "stopped, it lost its stickiness";
  EXPECT_FALSE(cluster.resources.at("fs-OST0002").started_on) << "target-role Stopped";
}

}  // namespace
}  // namespace cs::pacemaker
