// crush/fleet_map: the simulated fleet as a CRUSH map in Ceph's text format
// — one device per storage server (its number and nodename), straw2 buckets
// with weights, the optimal tunables of Debian 12's Ceph, and one rule per
// failure domain. Types: host 0, controller 1, rack 2, row 3, pdu 4, root 5.
//  - The placement tree: root ("default" unless a topology file names it)
//    -> row -> rack -> [controller ->] host. The controller level is there
//    when every host belongs to a scalable unit and no unit spans racks
//    (the map's comment says why not otherwise).
//  - PDUs in a hierarchy of their own, root "pdus" -> pdu -> host: a host
//    fed by two PDUs has two parents, which one tree cannot hold.
//  - Rules: by_host (id 0), by_rack (1), by_row (2) take the placement root;
//    by_controller (3) when there is the controller level; by_pdu (4) takes
//    "pdus" when PDUs feed the hosts. Each is
//      take <root>; chooseleaf firstn 0 type <domain>; emit
// `crushtool -c` compiles it; the topology comes from fakes/topology.h.
#pragma once

#include <set>
#include <string>

namespace cs {
class World;
}

namespace cs::crush {

// The root of the PDU hierarchy.
inline constexpr const char* kPduRoot = "pdus";

std::string FleetMapText(const World& world);
// The same map restricted to some servers (by nodename): their rows, racks
// and devices only, with the same rules (a corosync cluster's own map).
std::string FleetMapText(const World& world, const std::set<std::string>& nodenames);

}  // namespace cs::crush
