// Building the planner's model of the fleet (see fleet_model.h).
#include "scenarios/fleet_model.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "crush/placement.h"
#include "sim/fleet_status.h"
#include "util/clock.h"

namespace cs::scenarios {

const ModelServer* FleetModel::Find(const std::string& fqdn) const {
  for (const ModelServer& s : servers) {
    if (s.fqdn == fqdn || s.nodename == fqdn) return &s;
  }
  return nullptr;
}

std::vector<std::string> FleetModel::ServersOf(int cluster) const {
  std::vector<std::string> out;
  for (const ModelServer& s : servers) {
    if (s.cluster == cluster) out.push_back(s.fqdn);
  }
  return out;
}

Json FleetModel::Summary() const {
  Json targets_json = Json::array();
  for (const ModelTarget& t : targets) {
    targets_json.push_back({{"name", t.name}, {"primary", t.primary}, {"secondary", t.secondary}});
  }
  return {{"servers", servers.size()},     {"workers", workers.size()},
          {"clusters", clusters.size()},   {"cluster_size", counts.cluster_size},
          {"su_size", counts.su_size},     {"psu_count", counts.psu_count},
          {"pdus", pdus},                  {"filesystem", filesystem},
          {"targets", targets_json}};
}

namespace {

std::string TargetName(const std::string& kind, const std::string& fsname, int index) {
  if (kind == "MGT") return "MGS";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04x", index);
  return fsname + (kind == "MDT" ? "-MDT" : "-OST") + buf;
}

int PositionInSu(const FleetModel& fleet, const ModelServer& s) {
  return fleet.counts.su_size > 0 ? s.index % fleet.counts.su_size : s.index;
}

// The server the built-in manager picks as failover partner (see header).
std::string PredictSecondary(const FleetModel& fleet, const ModelServer& primary) {
  for (const ModelServer& s : fleet.servers) {
    if (s.fqdn != primary.fqdn && s.cluster == primary.cluster && s.su == primary.su) return s.fqdn;
  }
  return "";
}

}  // namespace

Result<std::vector<Placement>> FilesystemLayout(const FleetModel& fleet) {
  if (fleet.servers.size() < 2) {
    return Status::InvalidArgument("a filesystem needs at least 2 storage servers; the fleet has " +
                                   std::to_string(fleet.servers.size()));
  }
  int per_server = fleet.servers[0].volumes;
  for (const ModelServer& s : fleet.servers) per_server = std::min(per_server, s.volumes);
  if (per_server < 4) {
    return Status::InvalidArgument("a filesystem needs at least 4 volumes seen by each server; they see " +
                                   std::to_string(per_server) + " (raise --volume_count)");
  }
  std::vector<Placement> out = {{"MGT", 0, fleet.servers[0].fqdn, 0, ""}, {"MDT", 0, fleet.servers[1].fqdn, 1, ""}};
  int ost = 0;
  for (const ModelServer& s : fleet.servers) {
    const int device = per_server / 2 + PositionInSu(fleet, s);
    if (device < per_server) out.push_back({"OST", ost++, s.fqdn, device, ""});
  }
  return out;
}

Result<std::vector<Placement>> PlacedFilesystemLayout(const World& world, const FleetModel& fleet,
                                                      const std::string& rule) {
  if (fleet.counts.su_size > 0) {
    return Status::InvalidArgument("placement " + rule + " needs a SAN-style fleet (su_size 0): in scalable units a device index names a different volume on each host");
  }
  Result<std::vector<Placement>> layout = FilesystemLayout(fleet);
  if (!layout.ok()) return layout;
  Result<crush::HaPlacer> placer = crush::HaPlacer::ForFleet(world, rule);
  if (!placer.ok()) return placer.status().Context("placement");
  // Devices stay as FilesystemLayout gives them: in a SAN-style fleet OST k
  // is on device D/2 + k whichever host runs it, so no two targets share one.
  for (size_t x = 0; x < layout->size(); ++x) {
    Placement& p = (*layout)[x];
    Result<crush::HaPair> pair = placer->Place(static_cast<int>(x));
    if (!pair.ok()) return pair.status().Context("placement " + rule + " of " + p.kind + " " + std::to_string(p.index));
    const Server* primary = world.FindServerByNodename(pair->primary);
    const Server* secondary = world.FindServerByNodename(pair->secondary);
    if (primary == nullptr || secondary == nullptr) return Status::Internal("placement named a host the fleet does not have");
    p.host = primary->fqdn;
    p.secondary = secondary->fqdn;
  }
  return layout;
}

Result<FleetModel> FleetFromStatus(const Json& status, const std::vector<Json>& manager_targets) {
  FleetModel m;
  const Json summary = status.value("summary", Json::object());
  m.counts.server_count = summary.value("server_count", 0);
  m.counts.worker_count = summary.value("worker_count", 0);
  m.counts.volume_count = summary.value("volume_count", 0);
  m.counts.cluster_size = summary.value("cluster_size", 0);
  m.counts.psu_count = summary.value("psu_count", 0);
  m.counts.su_size = summary.value("su_size", 0);
  std::vector<Json> servers;
  for (const Json& s : status.value("servers", Json::array())) {
    if (s.value("worker", false)) {
      m.workers.push_back(s.value("fqdn", ""));
    } else {
      servers.push_back(s);
    }
  }
  std::sort(servers.begin(), servers.end(),
            [](const Json& a, const Json& b) { return a.value("fqdn", "") < b.value("fqdn", ""); });
  std::sort(m.workers.begin(), m.workers.end());
  std::set<int> clusters, sus;
  for (const Json& s : servers) {
    ModelServer ms;
    ms.fqdn = s.value("fqdn", "");
    ms.nodename = s.value("nodename", "");
    ms.index = static_cast<int>(m.servers.size());
    ms.cluster = s.value("cluster", Json()).is_number_integer() ? s["cluster"].get<int>() : -1;
    ms.su = m.counts.su_size > 0 ? ms.index / m.counts.su_size : -1;
    ms.volumes = s.value("volumes", 0);
    clusters.insert(ms.cluster);
    if (ms.su >= 0) sus.insert(ms.su);
    m.servers.push_back(ms);
  }
  m.clusters.assign(clusters.begin(), clusters.end());
  m.sus.assign(sus.begin(), sus.end());
  for (const Json& p : status.value("pdus", Json::array())) m.pdus.push_back(p.value("name", ""));
  std::sort(m.pdus.begin(), m.pdus.end());
  for (const Json& t : manager_targets) {
    ModelTarget mt;
    mt.name = t.value("name", "");
    mt.kind = t.value("kind", "");
    mt.primary = t.value("primary_host", Json()).is_string() ? t["primary_host"].get<std::string>() : "";
    mt.secondary = t.value("secondary_host", Json()).is_string() ? t["secondary_host"].get<std::string>() : "";
    if (m.filesystem.empty() && t.value("filesystem", Json()).is_string()) m.filesystem = t["filesystem"];
    m.targets.push_back(mt);
  }
  std::sort(m.targets.begin(), m.targets.end(), [](const ModelTarget& a, const ModelTarget& b) { return a.name < b.name; });
  return m;
}

Result<FleetModel> PredictFleet(const FleetSpec& spec, const std::string& fsname, const std::string& placement) {
  World world;
  ManualClock clock(WallTime{});
  CS_RETURN_IF_ERROR(SetupFleet(world, spec, clock));
  Result<FleetModel> m = FleetFromStatus(FleetStatusJson(world), {});
  if (!m.ok()) return m;
  Result<std::vector<Placement>> layout = placement.empty() ? FilesystemLayout(*m) : PlacedFilesystemLayout(world, *m, placement);
  if (!layout.ok()) return layout.status();
  m->filesystem = fsname;
  for (const Placement& p : *layout) {
    const ModelServer* primary = m->Find(p.host);
    const std::string secondary = p.secondary.empty() ? PredictSecondary(*m, *primary) : p.secondary;
    m->targets.push_back({TargetName(p.kind, fsname, p.index), p.kind, p.host, secondary});
  }
  std::sort(m->targets.begin(), m->targets.end(), [](const ModelTarget& a, const ModelTarget& b) { return a.name < b.name; });
  return m;
}

}  // namespace cs::scenarios
