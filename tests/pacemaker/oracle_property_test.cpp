// The property test: seeded random event sequences on clusters of 2 to 8
// nodes and 1 to 20 resources; after every event the simulator's placement
// must equal what pacemaker's scheduler (crm_simulate) computes from the CIB
// exported before the event with the same event injected. A disagreement
// prints the seed, the event and that CIB, so it can be replayed:
//   CS_ORACLE_SEED=<seed> CS_ORACLE_SEQUENCES=1 build/tests/pacemaker_test
//     --gtest_filter='*Shard0*'    (one command line)
// More sequences by hand: CS_ORACLE_SEQUENCES=<per shard> (default 50; six
// shards, 300 sequences, run side by side under CTest), CS_ORACLE_STEPS=<events
// per sequence> (default 4).
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <random>

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

constexpr int kShards = 6;

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

class Sequence {
 public:
  explicit Sequence(uint64_t seed) : rng_(seed) {
    const int node_count = 2 + Pick(7);
    const int resource_count = 1 + Pick(20);
    cluster_ = ClusterOfNodes(node_count);
    for (int i = 0; i < resource_count; ++i) {
      char label[32];
      std::snprintf(label, sizeof label, "fs-OST%04x_%d", i, i);
      const int primary = Pick(node_count);
      int secondary = (primary + 1 + Pick(node_count - 1)) % node_count;
      if (Pick(6) == 0) secondary = -1;
      AddTarget(cluster_, label, primary, secondary);
      labels_.push_back(label);
      for (int n = 0; n < node_count; ++n) {
        if (Pick(12) == 0) start_failures_.emplace_back(label, NodeName(n));
      }
    }
    env_.can_start = [this](const HaResource& r, const std::string& node) {
      for (const auto& [rsc, n] : start_failures_) {
        if (rsc == r.ha_label && n == node) return false;
      }
      return true;
    };
    for (const std::string& label : labels_) {
      if (Pick(10) < 7) (void)cluster_.Start(label, env_);
    }
  }

  // Applies one random event to the simulator and describes it for the oracle.
  OracleEvent Next() {
    for (;;) {
      OracleEvent e;
      if (TryEvent(Pick(9), e)) {
        e.quorum = cluster_.HasQuorum();
        e.start_failures = start_failures_;
        return e;
      }
    }
  }

  const Cluster& cluster() const { return cluster_; }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }

  std::optional<std::string> PickNode(const std::function<bool(const ClusterNode&)>& ok) {
    std::vector<std::string> candidates;
    for (const auto& [name, n] : cluster_.nodes) {
      if (ok(n)) candidates.push_back(name);
    }
    if (candidates.empty()) return std::nullopt;
    return candidates[static_cast<size_t>(Pick(static_cast<int>(candidates.size())))];
  }

  bool TryEvent(int kind, OracleEvent& e) {
    const std::string label = labels_[static_cast<size_t>(Pick(static_cast<int>(labels_.size())))];
    switch (kind) {
      case 0:
      case 1: {  // a node lost: power, crash (fenced) or pacemaker stopped (clean)
        auto node = PickNode([](const ClusterNode& n) { return n.online; });
        if (!node) return false;
        const bool clean = kind == 1;
        (void)cluster_.Leave(*node, clean, env_);
        e.description = (clean ? "node-down " : "node-fail ") + *node;
        e.node_args = {clean ? "--node-down" : "--node-fail", *node};
        return true;
      }
      case 2: {  // a node joins (after a clean stop, or once fenced)
        auto node = PickNode([](const ClusterNode& n) { return !n.online && !n.unclean; });
        if (!node) return false;
        cluster_.Join(*node, *node + ".localdomain", env_);
        e.description = "node-up " + *node;
        e.node_args = {"--node-up", *node};
        return true;
      }
      case 3: {  // standby / online
        auto node = PickNode([](const ClusterNode&) { return true; });
        const bool standby = !cluster_.nodes.at(*node).standby;
        (void)cluster_.SetStandby(*node, standby, env_);
        e.description = std::string(standby ? "standby " : "online ") + *node;
        e.edit = [n = *node, standby](pugi::xml_document& d) { SetStandby(d, n, standby); };
        return true;
      }
      case 4:
      case 5: {  // start_target
        (void)cluster_.Start(label, env_);
        const bool gave_up = !cluster_.resources.at(label).enabled;
        e.description = "start_target " + label;
        e.edit = [label](pugi::xml_document& d) { SetTargetRole(d, label, true); };
        if (gave_up) e.edit_after = [label](pugi::xml_document& d) { SetTargetRole(d, label, false); };
        return true;
      }
      case 6: {  // stop_target
        (void)cluster_.Stop(label, env_);
        e.description = "stop_target " + label;
        e.edit = [label](pugi::xml_document& d) { SetTargetRole(d, label, false); };
        return true;
      }
      default: {  // failover_target / failback_target
        const HaResource& r = cluster_.resources.at(label);
        const bool over = kind == 7;
        const std::optional<std::string> to = over ? r.secondary_node : r.primary_node;
        if (!to) return false;
        (void)(over ? cluster_.Failover(label, env_) : cluster_.Failback(label, env_));
        e.description = std::string(over ? "failover_target " : "failback_target ") + label + " (to " + *to + ")";
        const std::string id = "cli-prefer-" + label;
        e.edit = [label, id, node = *to](pugi::xml_document& d) {
          CleanupResource(d, label);
          AddLocation(d, id, label, node, "INFINITY");
        };
        e.edit_after = [id](pugi::xml_document& d) { RemoveConstraint(d, id); };
        return true;
      }
    }
  }

  std::mt19937_64 rng_;
  Cluster cluster_;
  std::vector<std::string> labels_;
  std::vector<std::pair<std::string, std::string>> start_failures_;
  ClusterEnv env_;
};

void RunShard(int shard) {
  const uint64_t per_shard = EnvNumber("CS_ORACLE_SEQUENCES", 50);
  const uint64_t base = EnvNumber("CS_ORACLE_SEED", 12000 + static_cast<uint64_t>(shard) * 1000000);
  const int steps = static_cast<int>(EnvNumber("CS_ORACLE_STEPS", 4));
  auto oracle = Oracle::Create();
  ASSERT_TRUE(oracle.ok()) << oracle.status().message();
  int disagreements = 0, events = 0, transitions = 0;
  for (uint64_t seed = base; seed < base + per_shard; ++seed) {
    Sequence sequence(seed);
    for (int step = 0; step < steps; ++step) {
      const std::string before = WriteCib(sequence.cluster(), static_cast<int64_t>(std::time(nullptr)));
      const OracleEvent event = sequence.Next();
      auto result = oracle->Run(before, event);
      ASSERT_TRUE(result.ok()) << "seed " << seed << " step " << step << " (" << event.description
                               << "): " << result.status().message();
      ++events;
      transitions += result->transitions;
      const std::string diff = Disagreements(sequence.cluster(), result->view);
      if (diff.empty()) continue;
      ++disagreements;
      ADD_FAILURE() << "seed " << seed << " step " << step << ": " << event.description << "\n"
                    << diff << "CIB before the event:\n" << before;
      break;
    }
  }
  std::printf("oracle shard %d: %llu sequences from seed %llu, %d events, %d crm_simulate transitions, "
              "%d disagreements\n", shard, static_cast<unsigned long long>(per_shard),
              static_cast<unsigned long long>(base), events, transitions, disagreements);
}

TEST(OraclePropertyTest, Shard0) { RunShard(0); }
TEST(OraclePropertyTest, Shard1) { RunShard(1); }
TEST(OraclePropertyTest, Shard2) { RunShard(2); }
TEST(OraclePropertyTest, Shard3) { RunShard(3); }
TEST(OraclePropertyTest, Shard4) { RunShard(4); }
TEST(OraclePropertyTest, Shard5) { RunShard(5); }
static_assert(kShards == 6, "one TEST per shard");

}  // namespace
}  // namespace cs::pacemaker
