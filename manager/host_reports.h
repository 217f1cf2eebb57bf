// HostReports: what the manager learns from the agents' device plugins,
// as the real manager's plugins did. `linux` gives the block devices a
// host sees, `linux_network` its interfaces and LNet NIDs (kept per host as
// a "host_facts" record), and `lustre` its resource_locations: the ONLY
// source of where each target runs (the target's active_host).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "manager/manager_store.h"

namespace cs::manager {

struct DeviceFact {
  std::string path;
  std::string serial;  // serial_80, else serial_83
};

class HostReports {
 public:
  explicit HostReports(ManagerStore& store) : store_(store) {}

  // A DATA body from one of the host's plugins.
  void OnData(const std::string& fqdn, const std::string& plugin, const Json& body);

  // The host's block devices sorted by path, its NIDs ("10.0.0.1@tcp0") and
  // interface names, as last reported.
  std::vector<DeviceFact> Devices(const std::string& fqdn);
  std::vector<std::string> Nids(const std::string& fqdn);
  std::vector<std::string> Interfaces(const std::string& fqdn);
  // Nodenames of the host's corosync cluster (itself included), as its
  // corosync plugin last reported them; empty while its cluster is down.
  std::vector<std::string> ClusterPeers(const std::string& fqdn);

 private:
  Json Facts(int64_t host_id);
  void ApplyResourceLocations(const Json& locations);

  ManagerStore& store_;
};

}  // namespace cs::manager
