// A small simulated fleet for plugin tests, and a way to poll one plugin as
// one agent would (its own metrics, log queue and seeded random stream).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fakes/fleet.h"
#include "fakes/world.h"
#include "sim/plugins/device_plugin.h"
#include "sim/plugins/plugin_factories.h"
#include "util/clock.h"
#include "util/random.h"

namespace cs {

inline WallTime TestEpoch() { return WallTime(std::chrono::microseconds(1700000000000000LL)); }

// One agent's view: its random stream and log queue, and the statistics
// book its fleet (here: its seed) keeps.
struct TestAgent {
  explicit TestAgent(uint64_t seed) : random(seed), stats(seed) {}
  Random random;
  StatsBook stats;
  std::vector<Json> pending;
};

// A fleet spec with the counts tests vary; the rest keep setup's defaults.
inline FleetSpec Fleet(int servers, int workers = 0, std::optional<int> volumes = std::nullopt,
                       int nids = 1, int su_size = 0) {
  FleetSpec spec;
  spec.server_count = servers;
  spec.worker_count = workers;
  spec.volume_count = volumes;
  spec.nid_count = nids;
  spec.su_size = su_size;
  return spec;
}

class PluginTest : public ::testing::Test {
 protected:
  void SetupWorld(FleetSpec spec) { ASSERT_TRUE(SetupFleet(world, spec, clock).ok()); }

  const Server& ServerNamed(const std::string& nodename) {
    const Server* s = world.FindServerByNodename(nodename);
    EXPECT_NE(s, nullptr) << nodename;
    return *s;
  }
  // The HSM stats source polls see (none when empty).
  std::function<Json(const std::string&)> hsm_stats;

  Server& MutableServer(const std::string& nodename) {
    return *world.servers.Mutable(FqdnOf(nodename));
  }

  // Polls `plugin` on `nodename` as `agent`: StartSession when `first`.
  PluginBodies Poll(DevicePlugin& plugin, const std::string& nodename, TestAgent& agent,
                    bool first) {
    PluginContext ctx{world, ServerNamed(nodename), clock.Now(), agent.random, agent.stats,
                      &agent.pending, hsm_stats ? &hsm_stats : nullptr};
    return first ? plugin.StartSession(ctx) : plugin.UpdateSession(ctx);
  }
  // The one body a single-body plugin sends.
  Json PollOne(DevicePlugin& plugin, const std::string& nodename, TestAgent& agent, bool first) {
    PluginBodies bodies = Poll(plugin, nodename, agent, first);
    EXPECT_EQ(bodies.size(), 1u) << plugin.name();
    return bodies.empty() ? Json() : bodies.front();
  }

  // Formats a Lustre target on volume `serial` and configures its HA
  // resource with the given primary and secondary (not started).
  void AddTarget(const std::string& serial, const std::string& label, const std::string& primary,
                 const std::string& secondary, const std::string& mgsnode = "10.0.0.0@tcp0") {
    LustreTarget t;
    t.label = label;
    t.uuid = "uuid-" + label;
    t.mgsnode = mgsnode;
    t.fsname = "testfs";
    world.targets.Put(serial, t);
    Cluster* cluster = world.MutableClusterOf(ServerNamed(primary));
    ASSERT_NE(cluster, nullptr);
    const std::string path = PresentationPath(serial);
    const std::string ha_label = label + "_" + serial;
    ASSERT_TRUE(cluster->Configure(primary, path, ha_label, t.uuid, true, "/mnt/" + label).ok());
    ASSERT_TRUE(cluster->Configure(secondary, path, ha_label, t.uuid, false, "/mnt/" + label).ok());
  }
  Cluster& ClusterOf(const std::string& nodename) {
    return *world.MutableClusterOf(ServerNamed(nodename));
  }

  World world;
  ManualClock clock{TestEpoch()};
};

}  // namespace cs
