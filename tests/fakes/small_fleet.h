// Small simulated fleets for the pure-logic tests (fakes/, crush/,
// scenarios/, actions/): a world that SetupFleet builds on a manual clock,
// and the HA pair (one resource configured on its primary and its
// secondary) that cluster tests set up again and again. A test names only
// the counts it cares about, e.g.
//   Build(FleetShape(4).Workers(0).ClusterSize(4).SuSize(2));
// and the rest keep setup's defaults (fakes/fleet.h: one worker, ...).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "fakes/cluster_env.h"
#include "fakes/fleet.h"
#include "util/clock.h"

namespace cs::testing {

// A FleetSpec named count by count: FleetShape(8).Workers(1).Nids(2).
struct FleetShape : FleetSpec {
  explicit FleetShape(int servers) { server_count = servers; }
  FleetShape& Workers(int n) { return Set(worker_count, n); }
  FleetShape& Volumes(int n) { return Set(volume_count, n); }
  FleetShape& Nids(int n) { return Set(nid_count, n); }
  FleetShape& ClusterSize(int n) { return Set(cluster_size, n); }
  FleetShape& Psus(int n) { return Set(psu_count, n); }
  FleetShape& SuSize(int n) { return Set(su_size, n); }
  FleetShape& RackSize(int n) { return Set(rack_size, n); }
  FleetShape& RacksPerRow(int n) { return Set(racks_per_row, n); }
  FleetShape& Spread(std::string how) {
    cluster_spread = std::move(how);
    return *this;
  }

 private:
  FleetShape& Set(std::optional<int>& field, int n) {
    field = n;
    return *this;
  }
};

// A resource on two nodes of one cluster, as configure_target_ha records it.
struct HaPair {
  std::string label;  // its ha_label
  std::string path;   // the device both nodes see
  std::string primary, secondary;  // nodenames
  std::string uuid = "u0";
  std::string mount = "/mnt/t";
};

// Configures `pair` on its primary and its secondary (stopped).
inline Status ConfigurePair(Cluster& cluster, const HaPair& pair) {
  CS_RETURN_IF_ERROR(cluster.Configure(pair.primary, pair.path, pair.label, pair.uuid, true, pair.mount));
  return cluster.Configure(pair.secondary, pair.path, pair.label, pair.uuid, false, pair.mount);
}

// ConfigurePair, then starts it where the world lets pacemaker start it.
inline Status StartPair(World& world, Cluster& cluster, const HaPair& pair) {
  CS_RETURN_IF_ERROR(ConfigurePair(cluster, pair));
  return cluster.Start(pair.label, WorldClusterEnv(world));
}

// A world with a fleet of the test's shape on a manual clock.
class SmallFleetTest : public ::testing::Test {
 protected:
  explicit SmallFleetTest(WallTime start = WallTime{}) : clock(start) {}

  // Builds the fleet (call it once, from SetUp or the test).
  void Build(const FleetSpec& spec) { ASSERT_TRUE(SetupFleet(world, spec, clock).ok()); }

  // The corosync cluster a server (by nodename) belongs to.
  Cluster& ClusterOf(const std::string& nodename) {
    const Server* server = world.FindServerByNodename(nodename);
    EXPECT_NE(server, nullptr) << nodename;
    return *world.MutableClusterOf(*server);
  }
  // Where `label` runs in test000's cluster (nullopt: stopped).
  std::optional<std::string> Where(const std::string& label) {
    return ClusterOf("test000").resources.at(label).started_on;
  }

  ManualClock clock;
  World world;
};

}  // namespace cs::testing
