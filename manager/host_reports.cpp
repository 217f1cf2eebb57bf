#include "manager/host_reports.h"

#include <algorithm>
#include <array>
#include <span>

namespace cs::manager {

namespace {
// A text field of an agent's report, or `fallback` when absent or not text:
// reports are read as they come, whatever their shape.
std::string TextOr(const Json& object, const char* key, const char* fallback) {
  const Json value = object.value(key, Json());
  return value.is_string() ? value.get<std::string>() : fallback;
}

// The nodenames a corosync report's crm_info lists, read in place.
Json ClusterPeersOf(const Json& body) {
  Json peers = Json::array();
  auto crm = body.find("crm_info");
  if (crm == body.end() || !crm->is_object()) return peers;
  auto nodes = crm->find("nodes");
  if (nodes == crm->end() || !nodes->is_object()) return peers;
  for (const auto& [name, node] : nodes->items()) peers.push_back(name);
  return peers;
}

}  // namespace

Json HostReports::Facts(int64_t host_id) {
  std::optional<Json> facts = store_.GetRecord("host_facts", host_id);
  return facts ? *facts : Json::object();
}

void HostReports::OnData(const std::string& fqdn, const std::string& plugin, const Json& body) {
  if (!body.is_object()) return;
  if (plugin == "lustre") {
    if (auto locations = body.find("resource_locations"); locations != body.end()) ApplyResourceLocations(*locations);
    return;
  }
  if (plugin != "linux" && plugin != "linux_network" && plugin != "corosync") return;
  const std::optional<int64_t> host_id = store_.HostIdByFqdn(fqdn);
  if (!host_id) return;
  // The report's parts go into the host's facts as they are, compared in
  // place with the facts in memory: most polls repeat the last report,
  // and then nothing is copied or written. linux, linux_network and
  // corosync reports may arrive at once on two io threads: SetFields is
  // one read-modify-write.
  std::array<ManagerStore::Field, 2> fields;
  size_t n = 0;
  Json peers;
  if (plugin == "corosync") {
    peers = ClusterPeersOf(body);
    if (!peers.empty()) fields[n++] = {"cluster_peers", &peers};
  } else {
    for (const char* key : plugin == "linux" ? std::array<const char*, 2>{"devs", nullptr}
                                             : std::array<const char*, 2>{"interfaces", "lnet"}) {
      if (key == nullptr) continue;
      if (auto it = body.find(key); it != body.end()) fields[n++] = {key, &*it};
    }
  }
  if (n == 0) return;
  (void)store_.SetFields("host_facts", *host_id, std::span<const ManagerStore::Field>(fields.data(), n),
                         /*create=*/true);
}

void HostReports::ApplyResourceLocations(const Json& locations) {
  if (!locations.is_object()) return;
  // One lookup per reported resource: the cost of a report does not grow
  // with the number of hosts or targets the manager knows.
  for (const auto& [label, where] : locations.items()) {
    const std::optional<int64_t> id = store_.TargetIdByLabel(label);
    if (!id) continue;
    Json active;  // null: stopped
    if (where.is_string()) {
      const std::optional<std::string> fqdn = store_.FqdnByNodename(where.get<std::string>());
      active = fqdn ? Json(*fqdn) : where;
    }
    const ManagerStore::Field field{"active_host", &active};
    (void)store_.SetFields("target", *id, std::span<const ManagerStore::Field>(&field, 1));
  }
}

std::vector<DeviceFact> HostReports::Devices(const std::string& fqdn) {
  std::vector<DeviceFact> out;
  std::optional<HostRecord> host = store_.HostByFqdn(fqdn);
  if (!host) return out;
  const Json facts = Facts(host->id);
  if (!facts.contains("devs") || !facts["devs"].is_object()) return out;
  for (const auto& [key, dev] : facts["devs"].items()) {
    if (!dev.is_object() || !dev.value("path", Json()).is_string()) continue;
    DeviceFact d;
    d.path = dev["path"].get<std::string>();
    const Json s80 = dev.value("serial_80", Json());
    const Json s83 = dev.value("serial_83", Json());
    d.serial = s80.is_string() ? s80.get<std::string>() : s83.is_string() ? s83.get<std::string>() : "";
    out.push_back(d);
  }
  std::sort(out.begin(), out.end(), [](const DeviceFact& a, const DeviceFact& b) { return a.path < b.path; });
  return out;
}

std::vector<std::string> HostReports::ClusterPeers(const std::string& fqdn) {
  std::vector<std::string> out;
  std::optional<HostRecord> host = store_.HostByFqdn(fqdn);
  if (!host) return out;
  const Json facts = Facts(host->id);
  const Json peers = facts.value("cluster_peers", Json::array());
  for (const Json& p : peers) {
    if (p.is_string()) out.push_back(p.get<std::string>());
  }
  return out;
}

std::vector<std::string> HostReports::Nids(const std::string& fqdn) {
  std::vector<std::string> out;
  std::optional<HostRecord> host = store_.HostByFqdn(fqdn);
  if (!host) return out;
  const Json facts = Facts(host->id);
  if (!facts.contains("lnet") || !facts["lnet"].is_object()) return out;
  const Json nids = facts["lnet"].value("nids", Json::object());
  if (!nids.is_object()) return out;
  for (const auto& [name, nid] : nids.items()) {
    if (!nid.is_object()) continue;
    const Json net = nid.value("lnd_network", Json());
    out.push_back(TextOr(nid, "nid_address", "") + "@" + TextOr(nid, "type", "tcp") +
                  (net.is_number_integer() ? std::to_string(net.get<int64_t>()) : net.is_string() ? net.get<std::string>() : "0"));
  }
  return out;
}

std::vector<std::string> HostReports::Interfaces(const std::string& fqdn) {
  std::vector<std::string> out;
  std::optional<HostRecord> host = store_.HostByFqdn(fqdn);
  if (!host) return out;
  const Json facts = Facts(host->id);
  if (!facts.contains("interfaces") || !facts["interfaces"].is_object()) return out;
  for (const auto& [name, iface] : facts["interfaces"].items()) out.push_back(name);
  return out;
}

}  // namespace cs::manager
