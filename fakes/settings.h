// SimSettings: fleet-wide settings of the simulation (the original's
// simulator.json): corosync cluster size, the package inventory servers and
// workers report as available, the manager URL, the seed every random stream
// derives from, and the simulated boot/shutdown delays.
#pragma once

#include <cstdint>
#include <string>

#include "fakes/json_helpers.h"
#include "fakes/package.h"
#include "fakes/topology.h"

namespace cs {

struct PackageInventory {
  PackageSet server;
  PackageSet worker;

  const PackageSet& For(bool worker_node) const { return worker_node ? worker : server; }
  bool operator==(const PackageInventory&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PackageInventory, server, worker)

struct SimSettings {
  int cluster_size = 4;
  PackageInventory packages;
  std::string url = "https://localhost:8000/";
  uint64_t seed = 1;
  int startup_seconds = 5;   // simulated boot time (the original: 5 s)
  int shutdown_seconds = 5;  // simulated shutdown time (the original: 5 s)
  TopologySettings topology;  // racks and rows (absent in older states: one rack)
  // Naming of a shard (one of several fleets behind one manager): the prefix
  // starts every nodename, PDU name and volume serial; servers and workers
  // are numbered from the offset, and their addresses follow the number.
  std::string name_prefix;
  int name_offset = 0;

  bool operator==(const SimSettings&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SimSettings, cluster_size, packages, url, seed,
                                                startup_seconds, shutdown_seconds, topology, name_prefix,
                                                name_offset)

// The inventory a new fleet starts with (the original's versions).
PackageInventory DefaultPackageInventory();

}  // namespace cs
