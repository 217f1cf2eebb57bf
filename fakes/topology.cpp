#include "fakes/topology.h"

#include <algorithm>
#include <cstdio>

#include "fakes/world.h"

namespace cs {

void TopologyLayout::Index() {
  int count = 0;
  for (const Rack& r : racks) count += static_cast<int>(r.servers.size());
  rack_of.assign(static_cast<size_t>(count), -1);
  position_of.assign(static_cast<size_t>(count), -1);
  cluster_of.clear();
  for (size_t k = 0; k < racks.size(); ++k) {
    for (size_t p = 0; p < racks[k].servers.size(); ++p) {
      const int index = racks[k].servers[p];
      if (index < 0 || index >= count) continue;  // a hand-edited state: the server stays unplaced
      rack_of[static_cast<size_t>(index)] = static_cast<int>(k);
      position_of[static_cast<size_t>(index)] = static_cast<int>(p);
    }
  }
  if (clusters.empty()) return;
  cluster_of.assign(static_cast<size_t>(count), -1);
  for (size_t c = 0; c < clusters.size(); ++c) {
    for (int index : clusters[c]) {
      if (index >= 0 && index < count) cluster_of[static_cast<size_t>(index)] = static_cast<int>(c);
    }
  }
}

int TopologyLayout::IndexOf(int server_id) const {
  const int index = server_id - first_server;
  return index >= 0 && index < server_count() && rack_of[static_cast<size_t>(index)] >= 0 ? index : -1;
}

void to_json(Json& j, const TopologyLayout& l) {
  Json racks = Json::array();
  for (const auto& r : l.racks) {
    racks.push_back({{"name", r.name}, {"row", r.row}, {"servers", r.servers}, {"pdus", r.pdus}, {"feeds", r.feeds}});
  }
  j = Json{{"root", l.root},
           {"rows", l.rows},
           {"racks", racks},
           {"first_server", l.first_server},
           {"default_psu_count", l.default_psu_count},
           {"clusters", l.clusters}};
}

void from_json(const Json& j, TopologyLayout& l) {
  l = TopologyLayout();
  l.root = j.value("root", l.root);
  l.rows = j.value("rows", l.rows);
  for (const Json& r : j.value("racks", Json::array())) {
    TopologyLayout::Rack rack;
    rack.name = r.at("name").get<std::string>();
    rack.row = r.value("row", 0);
    rack.servers = r.value("servers", rack.servers);
    rack.pdus = r.value("pdus", rack.pdus);
    rack.feeds = r.value("feeds", rack.feeds);
    l.racks.push_back(std::move(rack));
  }
  l.first_server = j.value("first_server", 0);
  l.default_psu_count = j.value("default_psu_count", 1);
  l.clusters = j.value("clusters", l.clusters);
  l.Index();
}

void to_json(Json& j, const TopologySettings& t) {
  j = Json{{"rack_size", t.rack_size}, {"racks_per_row", t.racks_per_row}, {"cluster_spread", t.cluster_spread}};
  if (t.layout) j["layout"] = *t.layout;
}

void from_json(const Json& j, TopologySettings& t) {
  const TopologySettings d;
  t.rack_size = j.value("rack_size", d.rack_size);
  t.racks_per_row = j.value("racks_per_row", d.racks_per_row);
  t.cluster_spread = j.value("cluster_spread", d.cluster_spread);
  t.layout = nullptr;
  if (j.contains("layout") && !j.at("layout").is_null()) {
    t.layout = std::make_shared<const TopologyLayout>(j.at("layout").get<TopologyLayout>());
  }
}

bool Racked(const TopologySettings& t) { return t.rack_size > 0 || t.layout != nullptr; }

Json LocationJson(const Location& l) {
  return {{"root", l.root}, {"row", l.row},   {"rack", l.rack},
          {"host", l.host}, {"pdus", l.pdus}, {"controller", l.controller ? Json(*l.controller) : Json(nullptr)}};
}

int RackOf(const TopologySettings& t, int server_id) {
  if (t.layout) {
    const int index = t.layout->IndexOf(server_id);
    return index < 0 ? -1 : t.layout->rack_of[static_cast<size_t>(index)];
  }
  return t.rack_size > 0 ? server_id / t.rack_size : 0;
}

int RowOfRack(const TopologySettings& t, int rack) {
  if (t.layout) return rack >= 0 && rack < static_cast<int>(t.layout->racks.size()) ? t.layout->racks[static_cast<size_t>(rack)].row : -1;
  return t.racks_per_row > 0 ? rack / t.racks_per_row : 0;
}

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

std::string RackName(const TopologySettings& t, int rack) {
  if (!t.layout) return RackName(rack);
  return rack >= 0 && rack < static_cast<int>(t.layout->racks.size()) ? t.layout->racks[static_cast<size_t>(rack)].name
                                                                       : "unplaced";
}

std::string RowName(const TopologySettings& t, int row) {
  if (!t.layout) return RowName(row);
  return row >= 0 && row < static_cast<int>(t.layout->rows.size()) ? t.layout->rows[static_cast<size_t>(row)] : "unplaced";
}

std::string RootName(const TopologySettings& t) { return t.layout ? t.layout->root : "default"; }

int ClusterIdFor(const TopologySettings& t, int cluster_size, int server_id) {
  const int size = cluster_size > 0 ? cluster_size : 1;
  if (t.layout && !t.layout->cluster_of.empty()) {
    const int index = t.layout->IndexOf(server_id);
    // A server the file does not place gets a cluster of its own past the file's.
    if (index < 0) return static_cast<int>(t.layout->clusters.size()) + std::max(server_id - t.layout->first_server, 0);
    return t.layout->cluster_of[static_cast<size_t>(index)];
  }
  if (t.cluster_spread != "rack" || t.rack_size <= 0 || t.layout) return server_id / size;
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
    l.root = RootName(t);
    l.rack = RackName(t, rack);
    l.row = RowName(t, RowOfRack(t, rack));
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
