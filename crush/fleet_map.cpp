#include "crush/fleet_map.h"

#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

#include "fakes/topology.h"
#include "fakes/world.h"

namespace cs::crush {

namespace {

std::string Weight(int count) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d.000", count);
  return buf;
}

void Bucket(std::ostringstream& m, const std::string& type, const std::string& name, int id,
            const std::vector<std::pair<std::string, int>>& items) {
  int total = 0;
  for (const auto& item : items) total += item.second;
  m << type << " " << name << " {\n\tid " << id << "\n\t# weight " << Weight(total)
    << "\n\talg straw2\n\thash 0\t# rjenkins1\n";
  for (const auto& [item, weight] : items) m << "\titem " << item << " weight " << Weight(weight) << "\n";
  m << "}\n";
}

}  // namespace

std::string FleetMapText(const World& world) { return FleetMapText(world, {}); }

std::string FleetMapText(const World& world, const std::set<std::string>& only) {
  const TopologySettings& t = world.settings().topology;
  // row -> rack -> servers (number, nodename), in number order.
  std::map<int, std::map<int, std::map<int, std::string>>> rows;
  for (const auto& [fqdn, s] : world.servers.all()) {
    if (s.worker || (!only.empty() && !only.count(s.nodename))) continue;
    const int rack = RackOf(t, s.id);
    if (rack < 0) continue;  // not placed by the topology file (`check` reports it)
    rows[RowOfRack(t, rack)][rack][s.id] = s.nodename;
  }
  std::ostringstream m;
  m << "# begin crush map\n# the cluster-sim fleet: root -> row -> rack -> host (one device per server)\n"
       "tunable choose_local_tries 0\ntunable choose_local_fallback_tries 0\ntunable choose_total_tries 50\n"
       "tunable chooseleaf_descend_once 1\ntunable chooseleaf_vary_r 1\ntunable chooseleaf_stable 1\n"
       "tunable straw_calc_version 1\ntunable allowed_bucket_algs 54\n\n# devices\n";
  for (const auto& [row, racks] : rows) {
    for (const auto& [rack, servers] : racks) {
      for (const auto& [id, nodename] : servers) m << "device " << id << " " << nodename << "\n";
    }
  }
  m << "\n# types\ntype 0 host\ntype 1 rack\ntype 2 row\ntype 3 root\n\n# buckets\n";
  // Ids: the root -1, then the rows, then the racks, in order.
  int next_id = -2 - static_cast<int>(rows.size());
  std::vector<std::pair<std::string, int>> root_items;
  int row_id = -2;
  for (const auto& [row, racks] : rows) {
    std::vector<std::pair<std::string, int>> row_items;
    for (const auto& [rack, servers] : racks) {
      std::vector<std::pair<std::string, int>> hosts;
      for (const auto& [id, nodename] : servers) hosts.emplace_back(nodename, 1);
      Bucket(m, "rack", RackName(t, rack), next_id--, hosts);
      row_items.emplace_back(RackName(t, rack), static_cast<int>(servers.size()));
    }
    Bucket(m, "row", RowName(t, row), row_id--, row_items);
    int weight = 0;
    for (const auto& item : row_items) weight += item.second;
    root_items.emplace_back(RowName(t, row), weight);
  }
  Bucket(m, "root", RootName(t), -1, root_items);
  m << "\n# rules\n";
  int rule_id = 0;
  for (const char* domain : {"host", "rack", "row"}) {
    m << "rule by_" << domain << " {\n\tid " << rule_id++ << "\n\ttype replicated\n\tmin_size 1\n\tmax_size 10\n"
      << "\tstep take " << RootName(t) << "\n\tstep chooseleaf firstn 0 type " << domain << "\n\tstep emit\n}\n";
  }
  m << "\n# end crush map\n";
  return m.str();
}

}  // namespace cs::crush
