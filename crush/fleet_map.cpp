#include "crush/fleet_map.h"

#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "fakes/topology.h"
#include "fakes/world.h"

namespace cs::crush {

namespace {

using Items = std::vector<std::pair<std::string, int>>;  // (name, weight in hosts)

std::string HostCountWeight(int count) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d.000", count);
  return buf;
}

int Total(const Items& items) {
  int total = 0;
  for (const auto& item : items) total += item.second;
  return total;
}

void WriteBucket(std::ostringstream& m, const std::string& type, const std::string& name, int id, const Items& items) {
  m << type << " " << name << " {\n\tid " << id << "\n\t# weight " << HostCountWeight(Total(items))
    << "\n\talg straw2\n\thash 0\t# rjenkins1\n";
  for (const auto& [item, weight] : items) m << "\titem " << item << " weight " << HostCountWeight(weight) << "\n";
  m << "}\n";
}

struct Host {
  std::string nodename;
  std::optional<int> controller;
  std::vector<std::string> pdus;
};

// row -> rack -> server number -> host, in number order.
using Layout = std::map<int, std::map<int, std::map<int, Host>>>;

Layout FleetLayout(const World& world, const std::set<std::string>& only) {
  const TopologySettings& t = world.settings().topology;
  const std::map<std::string, Location> locations = FleetLocations(world);
  Layout rows;
  for (const auto& [fqdn, s] : world.servers.all()) {
    if (s.worker || (!only.empty() && !only.count(s.nodename))) continue;
    const int rack = RackOf(t, s.id);
    if (rack < 0) continue;  // not placed by the topology file (`check` reports it)
    auto l = locations.find(fqdn);
    rows[RowOfRack(t, rack)][rack][s.id] =
        Host{s.nodename, l == locations.end() ? std::optional<int>() : l->second.controller, world.PdusFeeding(s)};
  }
  return rows;
}

// Whether controllers fit between racks and hosts: every host has one and
// no controller's hosts span racks. Otherwise why not, for the map's comment.
std::string ControllerMisfit(const World& world, const Layout& rows) {
  std::map<int, int> rack_of_controller;
  bool any = false, none = false;
  for (const auto& [row, racks] : rows) {
    for (const auto& [rack, hosts] : racks) {
      for (const auto& [id, h] : hosts) {
        if (!h.controller) {
          none = true;
          continue;
        }
        any = true;
        auto [it, fresh] = rack_of_controller.emplace(*h.controller, rack);
        if (!fresh && it->second != rack) {
          return ControllerName(*h.controller) + " serves hosts in " + RackName(world.settings().topology, it->second) +
                 " and " + RackName(world.settings().topology, rack) + ", so it cannot sit under one rack";
        }
      }
    }
  }
  if (!any) return "the fleet has no controllers (SAN-style: setup --su_size makes scalable units)";
  if (none) return "some hosts have no controller";
  return "";
}

void WriteRule(std::ostringstream& m, const std::string& name, int id, const std::string& root, const std::string& type) {
  m << "rule " << name << " {\n\tid " << id << "\n\ttype replicated\n\tmin_size 1\n\tmax_size 10\n"
    << "\tstep take " << root << "\n\tstep chooseleaf firstn 0 type " << type << "\n\tstep emit\n}\n";
}

}  // namespace

std::string FleetMapText(const World& world) { return FleetMapText(world, {}); }

std::string FleetMapText(const World& world, const std::set<std::string>& only) {
  const TopologySettings& t = world.settings().topology;
  const Layout rows = FleetLayout(world, only);
  const std::string misfit = ControllerMisfit(world, rows);
  const bool controllers = misfit.empty();
  // PDU -> the hosts it feeds (a host fed by two PDUs is under both).
  std::map<std::string, Items> pdus;
  for (const auto& [row, racks] : rows) {
    for (const auto& [rack, hosts] : racks) {
      for (const auto& [id, h] : hosts) {
        for (const std::string& pdu : h.pdus) pdus[pdu].emplace_back(h.nodename, 1);
      }
    }
  }
  std::ostringstream m;
  m << "# begin crush map\n# the cluster-sim fleet: root -> row -> rack -> "
    << (controllers ? "controller -> " : "") << "host (one device per server)"
    << (pdus.empty() ? "" : "; PDUs in a hierarchy of their own (root " + std::string(kPduRoot) + " -> pdu -> host)")
    << "\n" << (controllers ? "" : "# no controller level: " + misfit + "\n")
    << "tunable choose_local_tries 0\ntunable choose_local_fallback_tries 0\ntunable choose_total_tries 50\n"
       "tunable chooseleaf_descend_once 1\ntunable chooseleaf_vary_r 1\ntunable chooseleaf_stable 1\n"
       "tunable straw_calc_version 1\ntunable allowed_bucket_algs 54\n\n# devices\n";
  for (const auto& [row, racks] : rows) {
    for (const auto& [rack, hosts] : racks) {
      for (const auto& [id, h] : hosts) m << "device " << id << " " << h.nodename << "\n";
    }
  }
  m << "\n# types\ntype 0 host\ntype 1 controller\ntype 2 rack\ntype 3 row\ntype 4 pdu\ntype 5 root\n\n# buckets\n";
  // Ids: the root -1, the rows -2..., then racks and their controllers in
  // order, then the PDUs and their root.
  int next_id = -2 - static_cast<int>(rows.size());
  Items root_items;
  int row_id = -2;
  for (const auto& [row, racks] : rows) {
    Items row_items;
    for (const auto& [rack, hosts] : racks) {
      Items rack_items;
      if (controllers) {
        std::map<int, Items> by_controller;
        for (const auto& [id, h] : hosts) by_controller[*h.controller].emplace_back(h.nodename, 1);
        for (const auto& [controller, items] : by_controller) {
          WriteBucket(m, "controller", ControllerName(controller), next_id--, items);
          rack_items.emplace_back(ControllerName(controller), Total(items));
        }
      } else {
        for (const auto& [id, h] : hosts) rack_items.emplace_back(h.nodename, 1);
      }
      WriteBucket(m, "rack", RackName(t, rack), next_id--, rack_items);
      row_items.emplace_back(RackName(t, rack), Total(rack_items));
    }
    WriteBucket(m, "row", RowName(t, row), row_id--, row_items);
    root_items.emplace_back(RowName(t, row), Total(row_items));
  }
  WriteBucket(m, "root", RootName(t), -1, root_items);
  if (!pdus.empty()) {
    Items pdu_items;
    for (const auto& [name, hosts] : pdus) {
      WriteBucket(m, "pdu", name, next_id--, hosts);
      pdu_items.emplace_back(name, Total(hosts));
    }
    WriteBucket(m, "root", kPduRoot, next_id--, pdu_items);
  }
  m << "\n# rules\n";
  WriteRule(m, "by_host", 0, RootName(t), "host");
  WriteRule(m, "by_rack", 1, RootName(t), "rack");
  WriteRule(m, "by_row", 2, RootName(t), "row");
  if (controllers) WriteRule(m, "by_controller", 3, RootName(t), "controller");
  if (!pdus.empty()) WriteRule(m, "by_pdu", 4, kPduRoot, "pdu");
  m << "\n# end crush map\n";
  return m.str();
}

}  // namespace cs::crush
