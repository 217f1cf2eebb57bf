// Volumes: the manager's volume/ resource, as IML's API had it: one volume
// per distinct device serial that any host reports (its linux plugin's
// devs), with the hosts that see it as volume_nodes ({host, path,
// primary}). Volume ids are recorded ("volume" records keyed by serial),
// so a volume keeps its id while hosts come and go. The benchmarks read it
// to turn the serials the simulator made into volume ids, and
// filesystem/ POST takes {"volume_id"} as IML's did (ResolveVolumeIds).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "manager/host_reports.h"
#include "manager/manager_store.h"
#include "util/status.h"

namespace cs::manager {

class Volumes {
 public:
  Volumes(ManagerStore& store, HostReports& reports) : store_(store), reports_(reports) {}

  // Every volume, by id, with resource_uri.
  std::vector<Json> List();
  // A filesystem/ POST body whose targets may name {"volume_id": N}: each
  // such target becomes {"host": fqdn, "device": path} on the volume's
  // first host (by host id). InvalidArgument on an unknown volume.
  Result<Json> ResolveVolumeIds(Json request);

 private:
  struct Node {
    int64_t host_id;
    std::string fqdn, path;
  };
  struct Seen {
    std::string serial;
    std::vector<Node> nodes;
  };
  // The serials reported now, in host-id order of their first node.
  std::vector<Seen> Scan();
  // serial -> volume id, recording new serials.
  std::map<std::string, int64_t> Ids(const std::vector<Seen>& seen);

  ManagerStore& store_;
  HostReports& reports_;
  std::mutex mu_;  // one Ids() at a time: a serial gets one id
};

}  // namespace cs::manager
