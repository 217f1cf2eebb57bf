#include "fakes/topology.h"

#include <cstdio>

#include "fakes/world.h"

namespace cs {

Json LocationJson(const Location& l) {
  return {{"root", l.root}, {"row", l.row},   {"rack", l.rack},
          {"host", l.host}, {"pdus", l.pdus}, {"controller", l.controller ? Json(*l.controller) : Json(nullptr)}};
}

int RackOf(const TopologySettings& t, int server_id) { return t.rack_size > 0 ? server_id / t.rack_size : 0; }
int RowOfRack(const TopologySettings& t, int rack) { return t.racks_per_row > 0 ? rack / t.racks_per_row : 0; }

std::string RackName(int rack) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "rack%03d", rack);
  return buf;
}
std::string RowName(int row) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "row%02d", row);
  return buf;
}

int ClusterIdFor(const TopologySettings& t, int cluster_size, int server_id) {
  const int size = cluster_size > 0 ? cluster_size : 1;
  if (t.cluster_spread != "rack" || t.rack_size <= 0) return server_id / size;
  const int rack = server_id / t.rack_size;
  const int position = server_id % t.rack_size;
  return (rack / size) * t.rack_size + position;
}

std::map<std::string, Location> FleetLocations(const World& world) {
  const TopologySettings& t = world.settings().topology;
  // A scalable unit's servers see its controller's LUNs.
  std::map<std::string, int> controller_of_serial;
  for (const auto& [key, c] : world.controllers.all()) {
    for (const auto& [serial, lun] : c.luns) controller_of_serial[serial] = c.controller_id;
  }
  std::map<std::string, Location> out;
  for (const auto& [fqdn, s] : world.servers.all()) {
    if (s.worker) continue;
    Location l;
    const int rack = RackOf(t, s.id);
    l.rack = RackName(rack);
    l.row = RowName(RowOfRack(t, rack));
    l.host = s.nodename;
    l.pdus = world.PdusFeeding(s);
    if (const Presentations* p = world.presentations.Find(fqdn)) {
      for (const auto& [path, serial] : *p) {
        if (auto it = controller_of_serial.find(serial); it != controller_of_serial.end()) {
          l.controller = it->second;
          break;
        }
      }
    }
    out.emplace(fqdn, std::move(l));
  }
  return out;
}

}  // namespace cs
