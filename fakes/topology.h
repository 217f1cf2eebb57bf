// Topology: where each storage server sits — root -> row -> rack -> host —
// plus the PDUs that feed it and its scalable unit's controller, and how
// corosync clusters are laid over racks. The layout comes from setup's
// --rack_size / --racks_per_row / --cluster_spread (kept in the settings);
// locations are derived from it and the server's number, so they never go
// stale. The CRUSH map of the fleet (crush/fleet_map.h) is built from these.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"

namespace cs {

class World;
struct Server;

struct TopologySettings {
  int rack_size = 0;       // servers per rack; 0: the whole fleet is one rack
  int racks_per_row = 0;   // 0: every rack in one row
  std::string cluster_spread = "none";  // none | rack: a cluster's nodes in different racks

  bool operator==(const TopologySettings&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TopologySettings, rack_size, racks_per_row, cluster_spread)

struct Location {
  std::string root = "default";
  std::string row;    // row00, row01, ...
  std::string rack;   // rack000, rack001, ...
  std::string host;   // the server's nodename
  std::vector<std::string> pdus;     // the PDUs with an outlet feeding it
  std::optional<int> controller;     // its scalable unit's controller

  bool operator==(const Location&) const = default;
};
Json LocationJson(const Location& l);

int RackOf(const TopologySettings& t, int server_id);
int RowOfRack(const TopologySettings& t, int rack);
std::string RackName(int rack);
std::string RowName(int row);

// The corosync cluster of server `server_id`: consecutive numbers by
// default; with cluster_spread rack, the servers at the same position in
// cluster_size consecutive racks.
int ClusterIdFor(const TopologySettings& t, int cluster_size, int server_id);

// Locations of every storage server (not workers), by fqdn, computed in one
// pass over the world.
std::map<std::string, Location> FleetLocations(const World& world);

}  // namespace cs
