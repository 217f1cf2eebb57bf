// CibReader: the configuration part of a CIB read back into the simulator's
// terms, for restore_cib. It accepts what the real agent's commands write
// (ocf:chroma:Target primitives with a target uuid and a target-role,
// <label>-primary / -secondary location constraints, node standby and
// N_fence_* attributes) and refuses, with a reason, a document that is not a
// CIB, is damaged, comes from a newer pacemaker than Debian 12's, or
// describes another cluster's nodes.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fakes/cluster.h"
#include "util/status.h"

namespace cs::pacemaker {

struct CibTarget {
  std::string ha_label;
  std::string uuid;
  bool started = false;  // target-role
  std::optional<std::string> primary_node, secondary_node;
};

struct CibNode {
  std::string uname;
  bool standby = false;
  nlohmann::json fence_agents = nlohmann::json::array();
};

struct CibConfig {
  std::vector<CibNode> nodes;
  std::vector<CibTarget> targets;  // in CIB order
  int epoch = 0;
};

Result<CibConfig> ReadCibConfig(const std::string& xml);

// Refuses a CIB whose nodes are not exactly the cluster's.
Status CheckSameCluster(const CibConfig& cib, const Cluster& cluster);

// The cluster with the CIB's configuration: its resources (device paths and
// mount points kept from resources of the same uuid, else asked of
// `fill_unknown`: a CIB does not carry them), standby and fencing
// attributes. Where resources run is for the cluster to settle afterwards.
Cluster WithConfiguration(const Cluster& cluster, const CibConfig& cib,
                          const std::function<void(HaResource&)>& fill_unknown = {});

}  // namespace cs::pacemaker
