// Fleet: building and growing the simulated fleet (the original's
// ClusterSimulator.setup, add_server, add_su, remove_server). `setup` is
// declarative: it brings the world to the requested totals, creating only
// what is missing, so running it twice changes nothing and running it with
// larger counts extends the fleet.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fakes/topology_file.h"
#include "fakes/world.h"
#include "util/clock.h"
#include "util/random.h"
#include "util/status.h"

namespace cs {

// What `cluster-sim setup` asks for. Unset fields keep what the fleet
// already has, or take the original's defaults for a new fleet.
struct FleetSpec {
  std::optional<int> server_count;  // default 8
  std::optional<int> worker_count;  // default 1
  std::optional<int> volume_count;  // default 2 x server_count
  std::optional<int> nid_count;     // default 1
  std::optional<int> cluster_size;  // default 4
  std::optional<int> psu_count;     // default 1
  std::optional<int> su_size;       // default 0: SAN-style
  std::optional<int> rack_size;     // default 0: one rack
  std::optional<int> racks_per_row; // default 0: one row
  std::optional<std::string> cluster_spread;  // none (default) | rack
  // setup --topology: rows, racks, PDUs and their feeds, clusters and SU
  // size from a file (fakes/topology_file.h); excludes the three above.
  std::optional<TopologyFile> topology;
  // Unique names across shards (docs/distributed.md); fixed once the fleet
  // has servers, volumes or PDUs.
  std::optional<std::string> name_prefix;  // default "": test000, pdu000, FAKEDEVICE000
  std::optional<int> name_offset;          // default 0: the first server is test000
  std::optional<std::string> url;
  std::optional<uint64_t> seed;
};

// The counts a fleet has now, as setup's options name them.
struct FleetCounts {
  int server_count = 0;
  int worker_count = 0;
  int volume_count = 0;
  int nid_count = 0;
  int cluster_size = 0;
  int psu_count = 0;
  int su_size = 0;
};
FleetCounts CountFleet(const World& world);

// Validates the spec against itself and against the existing fleet without
// changing anything (what SetupFleet checks first).
Status ValidateFleetSpec(const World& world, const FleetSpec& spec);

// Validates the spec against itself and against the existing fleet, then
// creates what is missing. Invalid requests fail before anything changes;
// run it through Store::Apply so that any later failure is rolled back too.
Status SetupFleet(World& world, const FleetSpec& spec, const Clock& clock);

// Adds one storage server with the next free number; returns its fqdn.
// It sees every SAN volume (when the fleet is SAN-style).
Result<std::string> AddServer(World& world, int nid_count, const Clock& clock);
// Adds a scalable unit: server_count servers, volume_count volumes seen
// only by them, and a controller owning those volumes.
struct SuInfo {
  std::vector<std::string> fqdns;
  std::vector<std::string> serials;
  int controller_id = 0;
};
Result<SuInfo> AddSu(World& world, int server_count, int volume_count, int nid_count,
                     const Clock& clock);
// Removes a server: its presentations, cluster membership (its resources
// move or stop) and outlet.
Status RemoveServer(World& world, const std::string& fqdn);

}  // namespace cs
