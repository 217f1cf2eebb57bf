#include "sim/test_config.h"

#include <algorithm>

namespace cs {

namespace {

constexpr const char* kServerProfile = "base_managed_rh7";
constexpr const char* kWorkerProfile = "posix_copytool_worker";

Json HostJson(const World& world, const Server& s) {
  Json host = {{"address", s.fqdn},
               {"root_password", ""},
               {"nodename", s.nodename},
               {"fqdn", s.fqdn},
               {"profile", s.worker ? kWorkerProfile : kServerProfile},
               {"distro", "mock"}};
  if (!s.worker) {
    Json paths = Json::array();
    if (const Presentations* p = world.presentations.Find(s.fqdn)) {
      for (const auto& [path, serial] : *p) paths.push_back(path);
    }
    host["device_paths"] = paths;
  }
  return host;
}

// Servers before workers, each in number order, as the original listed them.
std::vector<const Server*> OrderedHosts(const World& world) {
  std::vector<const Server*> hosts;
  for (const auto& [fqdn, s] : world.servers.all()) hosts.push_back(&s);
  std::sort(hosts.begin(), hosts.end(), [](const Server* a, const Server* b) {
    return std::make_pair(a->worker, a->id) < std::make_pair(b->worker, b->id);
  });
  return hosts;
}

size_t FewestDevicePaths(const World& world) {
  size_t fewest = 0;
  bool first = true;
  for (const auto& [fqdn, s] : world.servers.all()) {
    if (s.worker) continue;
    const Presentations* p = world.presentations.Find(fqdn);
    const size_t n = p ? p->size() : 0;
    fewest = first ? n : std::min(fewest, n);
    first = false;
  }
  return fewest;
}

}  // namespace

Json TestConfigJson(const World& world) {
  const std::vector<const Server*> hosts = OrderedHosts(world);
  Json servers = Json::array(), outlets = Json::array(), pdus = Json::array(),
       devices = Json::array(), clients = Json::array();
  size_t max_outlets = 0;
  for (const auto& [name, p] : world.pdus.all()) max_outlets = std::max(max_outlets, p.outlets.size());
  const std::string pdu_type = "APC 7900 (" + std::to_string(max_outlets) + " outlets)";

  for (const Server* s : hosts) {
    servers.push_back(HostJson(world, *s));
    if (!s->outlet) continue;
    for (const std::string& name : world.PdusFeeding(*s)) {
      const Pdu& p = *world.pdus.Find(name);
      outlets.push_back({{"host", s->fqdn},
                         {"pdu", p.address + ":" + std::to_string(p.port)},
                         {"identifier", *s->outlet}});
    }
  }
  for (const auto& [name, p] : world.pdus.all()) {
    pdus.push_back({{"type", pdu_type}, {"address", p.address}, {"port", p.port}});
  }
  for (size_t i = 0; i < FewestDevicePaths(world); ++i) {
    devices.push_back({{"path_index", i}, {"backend_filesystem", "ldiskfs"}});
  }
  clients.push_back({{"address", "imaginary_client"}, {"distro", "mock"}});
  for (const auto& [address, c] : world.clients.all()) {
    if (address != "imaginary_client") clients.push_back({{"address", address}, {"distro", "mock"}});
  }

  return {
      {"simulator", true},
      {"log_dir", "."},
      {"reset", false},
      {"failover_is_configured", true},
      {"managed", true},
      {"chroma_managers",
       Json::array({{{"server_http_url", world.settings().url},
                     {"users", Json::array({{{"username", "admin"}, {"super", true}, {"password", "lustre"}}})},
                     {"distro", "TEST_DISTRO_NAMETEST_DISTRO_VERSION"}}})},
      {"lustre_servers", servers},
      {"lustre_clients", clients},
      {"hosts", Json::object()},
      {"provision", true},
      {"power_control_types",
       Json::array({{{"agent", "fence_apc"},
                     {"make", "APC"},
                     {"model", "7900"},
                     {"max_outlets", max_outlets},
                     {"default_username", "apc"},
                     {"default_password", "apc"}}})},
      {"power_distribution_units", pdus},
      {"pdu_outlets", outlets},
      {"lustre_devices", devices},
  };
}

}  // namespace cs
