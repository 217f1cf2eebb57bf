// Topology: where each storage server sits — root -> row -> rack -> host —
// plus the PDUs that feed it and its scalable unit's controller, and how
// corosync clusters are laid over racks. The layout comes either from
// setup's --rack_size / --racks_per_row / --cluster_spread or from a
// topology file (setup --topology, fakes/topology_file.h) and is kept in the
// settings; locations are derived from it and the server's number, so they
// never go stale. The CRUSH map of the fleet (crush/fleet_map.h) is built
// from these.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"

namespace cs {

class World;
struct Server;

// A topology file's layout, resolved against the fleet: every server index
// (0 for the first server, whatever --name_offset says) in exactly one rack,
// each rack's PDUs and, per server, which of them feed its PSUs. Immutable
// once built, so that the settings (copied into every snapshot) share it.
struct TopologyLayout {
  struct Rack {
    std::string name;
    int row = 0;                          // index into rows
    std::vector<int> servers;             // server indexes, ascending: position p is on outlet p+1
    std::vector<std::string> pdus;        // the rack's PDUs
    std::vector<std::vector<int>> feeds;  // per position: indexes into pdus, one per PSU

    bool operator==(const Rack&) const = default;
  };
  std::string root = "default";
  std::vector<std::string> rows;
  std::vector<Rack> racks;
  int first_server = 0;                     // the number of server index 0 (--name_offset)
  int default_psu_count = 1;                // PDUs of racks that do not list theirs
  std::vector<std::vector<int>> clusters;   // server indexes per corosync cluster; empty: consecutive

  // Derived by Index(), per server index (not stored, not compared).
  std::vector<int> rack_of, position_of, cluster_of;
  void Index();
  int server_count() const { return static_cast<int>(rack_of.size()); }
  // The index of server number `server_id`, or -1 when the layout does not place it.
  int IndexOf(int server_id) const;

  bool operator==(const TopologyLayout& o) const {
    return root == o.root && rows == o.rows && racks == o.racks && first_server == o.first_server &&
           default_psu_count == o.default_psu_count && clusters == o.clusters;
  }
};
void to_json(Json& j, const TopologyLayout& l);
void from_json(const Json& j, TopologyLayout& l);

struct TopologySettings {
  int rack_size = 0;       // servers per rack; 0: the whole fleet is one rack
  int racks_per_row = 0;   // 0: every rack in one row
  std::string cluster_spread = "none";  // none | rack: a cluster's nodes in different racks
  std::shared_ptr<const TopologyLayout> layout;  // from a topology file; overrides the three above

  bool operator==(const TopologySettings& o) const {
    const bool same_layout = layout == o.layout || (layout && o.layout && *layout == *o.layout);
    return rack_size == o.rack_size && racks_per_row == o.racks_per_row && cluster_spread == o.cluster_spread &&
           same_layout;
  }
};
void to_json(Json& j, const TopologySettings& t);
void from_json(const Json& j, TopologySettings& t);

// Whether servers are in racks with PDUs of their own (rack flags or a file).
bool Racked(const TopologySettings& t);

struct Location {
  std::string root = "default";
  std::string row;    // row00, row01, ... (or the topology file's names)
  std::string rack;   // rack000, rack001, ...
  std::string host;   // the server's nodename
  std::vector<std::string> pdus;     // the PDUs with an outlet feeding it
  std::optional<int> controller;     // its scalable unit's controller

  bool operator==(const Location&) const = default;
};
Json LocationJson(const Location& l);

// Rack and row numbers; -1 for a server a topology file does not place.
int RackOf(const TopologySettings& t, int server_id);
int RowOfRack(const TopologySettings& t, int rack);
// The default names (rack000, row00) and the topology's own.
std::string RackName(int rack);
std::string RowName(int row);
std::string RackName(const TopologySettings& t, int rack);
std::string RowName(const TopologySettings& t, int row);
std::string RootName(const TopologySettings& t);
// A scalable unit's controller as a failure domain: controller001 for id 1
// (the CRUSH map's bucket, fail-domain's domain).
std::string ControllerName(int controller_id);

// The corosync cluster of server `server_id`: consecutive numbers by
// default; with cluster_spread rack, the servers at the same position in
// cluster_size consecutive racks; with a topology file, its clusters.
int ClusterIdFor(const TopologySettings& t, int cluster_size, int server_id);

// Locations of every storage server (not workers), by fqdn, computed in one
// pass over the world.
std::map<std::string, Location> FleetLocations(const World& world);

}  // namespace cs
