#include "sim/fleet_status.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "fakes/fleet.h"
#include "fakes/topology.h"

namespace cs {

namespace {

std::string OnOff(bool on) { return on ? "on" : "off"; }

Json ServerJson(const World& world, const Server& s, const std::map<std::string, Location>& locations) {
  const Presentations* p = world.presentations.Find(s.fqdn);
  int volumes = 0, absent = 0;  // absent: on a failed controller
  if (p) {
    for (const auto& [path, serial] : *p) (world.VolumePresent(serial) ? volumes : absent) += 1;
  }
  Json j = {{"fqdn", s.fqdn},
            {"nodename", s.nodename},
            {"worker", s.worker},
            {"cluster", s.worker ? Json(nullptr) : Json(world.ClusterIdOf(s))},
            {"has_power", world.HasPower(s)},
            {"power_state", PowerStateName(s.power_state)},
            {"registered", s.registered},
            {"nids", s.Nids()},
            {"volumes", volumes},
            {"volumes_absent", absent},
            {"lnet", s.lnet_up ? "up" : (s.lnet_loaded ? "down" : "unloaded")},
            {"corosync", s.corosync.state},
            {"pacemaker", s.pacemaker.state},
            {"outlet", s.outlet},
            {"pdus", world.PdusFeeding(s)},
            {"boot_time", s.boot_time}};
  if (auto it = locations.find(s.fqdn); it != locations.end()) j["location"] = LocationJson(it->second);
  return j;
}

Json ClusterJson(const Cluster& c) {
  Json nodes = Json::array(), resources = Json::array();
  for (const auto& [name, n] : c.nodes) nodes.push_back(n);
  for (const auto& [label, r] : c.resources) resources.push_back(r);
  return {{"id", c.id}, {"nodes", nodes}, {"resources", resources}};
}

Json PduJson(const TopologySettings& t, const Pdu& p) {
  int on = 0;
  for (const auto& [outlet, state] : p.outlets) on += state;
  return {{"name", p.name},
          {"address", p.address},
          {"port", p.port},
          {"rack", p.rack ? Json(RackName(t, *p.rack)) : Json(nullptr)},
          {"outlets", p.outlets},
          {"outlets_on", on},
          {"outlets_off", static_cast<int>(p.outlets.size()) - on}};
}

// Sorted by number, not by text ("10" after "9").
template <typename T>
std::vector<const T*> ByNumber(const Table<T>& table) {
  std::vector<std::pair<int, const T*>> items;
  for (const auto& [key, value] : table.all()) items.emplace_back(std::stoi(key), &value);
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const T*> out;
  for (auto& [n, v] : items) out.push_back(v);
  return out;
}

// A text table whose columns are as wide as their widest cell.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void Print(std::ostream& out) const {
    std::vector<size_t> width(rows_[0].size(), 0);
    for (const auto& row : rows_) {
      for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    for (const auto& row : rows_) {
      std::string line;
      for (size_t c = 0; c < row.size(); ++c) {
        line += row[c];
        if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
      }
      out << line << "\n";
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace

Json FleetStatusJson(const World& world) {
  const FleetCounts counts = CountFleet(world);
  Json servers = Json::array(), clusters = Json::array(), pdus = Json::array(),
       controllers = Json::array();
  int registered = 0, running = 0;
  const std::map<std::string, Location> locations = FleetLocations(world);
  for (const auto& [fqdn, s] : world.servers.all()) {
    servers.push_back(ServerJson(world, s, locations));
    registered += s.registered;
    running += s.running();
  }
  for (const Cluster* c : ByNumber(world.clusters)) clusters.push_back(ClusterJson(*c));
  for (const auto& [name, p] : world.pdus.all()) pdus.push_back(PduJson(world.settings().topology, p));
  for (const Controller* c : ByNumber(world.controllers)) {
    controllers.push_back({{"controller_id", c->controller_id},
                           {"luns", c->luns.size()},
                           {"disks", c->disks.size()},
                           {"failed", c->failed}});
  }
  Json summary = {{"server_count", counts.server_count}, {"worker_count", counts.worker_count},
                  {"volume_count", counts.volume_count}, {"nid_count", counts.nid_count},
                  {"cluster_size", counts.cluster_size}, {"psu_count", counts.psu_count},
                  {"su_size", counts.su_size},           {"registered", registered},
                  {"running", running},                  {"targets", world.targets.size()},
                  {"manager_url", world.settings().url},
                  {"topology", world.settings().topology}};
  return {{"summary", summary},      {"servers", servers}, {"clusters", clusters},
          {"controllers", controllers}, {"pdus", pdus}};
}

std::string FleetStatusText(const World& world) {
  const Json j = FleetStatusJson(world);
  const Json& sum = j["summary"];
  std::ostringstream out;
  out << "Fleet: " << sum["server_count"] << " servers, " << sum["worker_count"] << " workers, "
      << sum["volume_count"] << " volumes, " << j["pdus"].size() << " PDUs"
      << (world.settings().topology.layout ? " (up to " + sum["psu_count"].dump() + " per rack)"
          : world.settings().topology.rack_size > 0 ? " (" + sum["psu_count"].dump() + " per rack)" : "")
      << ", cluster_size "
      << sum["cluster_size"] << ", su_size " << sum["su_size"] << "; " << sum["registered"]
      << " registered, " << sum["running"] << " running; manager "
      << sum["manager_url"].get<std::string>() << "\n";
  const TopologySettings& topology = world.settings().topology;
  if (topology.layout) {
    const TopologyLayout& l = *topology.layout;
    out << "Topology: from a file: root " << l.root << ", " << l.rows.size() << " rows, " << l.racks.size()
        << " racks, " << (l.clusters.empty() ? std::string("consecutive clusters")
                                             : std::to_string(l.clusters.size()) + " clusters as the file forms them")
        << "\n";
  } else if (topology.rack_size > 0) {
    out << "Topology: rack_size " << topology.rack_size << ", racks_per_row " << topology.racks_per_row
        << ", cluster_spread " << topology.cluster_spread << "\n";
  }
  out << "\n";

  TextTable servers({"SERVER", "CLUSTER", "POWER", "STATE", "REGISTERED", "NIDS", "VOLUMES", "LNET",
                     "COROSYNC", "PACEMAKER", "LOCATION"});
  for (const Json& s : j["servers"]) {
    std::string nids;
    for (const auto& n : s["nids"]) nids += (nids.empty() ? "" : ",") + n.get<std::string>();
    servers.Add({s["fqdn"], s["cluster"].is_null() ? "-" : s["cluster"].dump(),
                 OnOff(s["has_power"]), s["power_state"], s["registered"] ? "yes" : "no", nids,
                 s["volumes"].dump() + (s["volumes_absent"] > 0 ? " (" + s["volumes_absent"].dump() + " absent)" : ""),
                 s["lnet"], s["corosync"], s["pacemaker"],
                 s.contains("location") ? s["location"]["row"].get<std::string>() + "/" +
                                              s["location"]["rack"].get<std::string>()
                                        : "-"});
  }
  servers.Print(out);

  out << "\n";
  TextTable clusters({"CLUSTER", "NODES", "ONLINE", "RESOURCES", "RUNNING"});
  for (const Json& c : j["clusters"]) {
    int online = 0, started = 0;
    for (const auto& n : c["nodes"]) online += n["online"].get<bool>();
    for (const auto& r : c["resources"]) started += !r["started_on"].is_null();
    clusters.Add({c["id"].dump(), std::to_string(c["nodes"].size()), std::to_string(online),
                  std::to_string(c["resources"].size()), std::to_string(started)});
  }
  clusters.Print(out);

  if (!j["controllers"].empty()) {
    out << "\n";
    TextTable controllers({"CONTROLLER", "LUNS", "DISKS", "STATE"});
    for (const Json& c : j["controllers"]) {
      controllers.Add({c["controller_id"].dump(), c["luns"].dump(), c["disks"].dump(),
                       c["failed"].get<bool>() ? "FAILED (LUNs absent)" : "ok"});
    }
    controllers.Print(out);
  }

  out << "\n";
  TextTable pdus({"PDU", "ADDRESS", "FEEDS", "OUTLETS", "ON", "OFF"});
  for (const Json& p : j["pdus"]) {
    pdus.Add({p["name"], p["address"].get<std::string>() + ":" + p["port"].dump(),
              p["rack"].is_null() ? "fleet" : p["rack"].get<std::string>(),
              std::to_string(p["outlets"].size()), p["outlets_on"].dump(), p["outlets_off"].dump()});
  }
  pdus.Print(out);
  return out.str();
}

}  // namespace cs
