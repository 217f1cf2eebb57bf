// crush/fleet_map: the simulated fleet as a CRUSH map in Ceph's text format
// — one device per storage server (its number and nodename), straw2 buckets
// for racks and rows under the root ("default" unless a topology file names it) with weights, the optimal
// tunables of Debian 12's Ceph, and one rule per failure domain:
//   by_host (id 0), by_rack (id 1), by_row (id 2):
//   take default; chooseleaf firstn 0 type <domain>; emit
// `crushtool -c` compiles it; the topology comes from fakes/topology.h.
#pragma once

#include <set>
#include <string>

namespace cs {
class World;
}

namespace cs::crush {

std::string FleetMapText(const World& world);
// The same map restricted to some servers (by nodename): their rows, racks
// and devices only, with the same rules (a corosync cluster's own map).
std::string FleetMapText(const World& world, const std::set<std::string>& nodenames);

}  // namespace cs::crush
