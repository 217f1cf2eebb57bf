// Test helper: small clusters built the way the real agent builds them
// (nodes join, configure_target_ha on primary then secondary, start_target).
#pragma once

#include <string>

#include "fakes/cluster.h"

namespace cs::testing {

inline std::string NodeName(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "test%03d", i);
  return buf;
}

inline Cluster ClusterOfNodes(int count) {
  Cluster c;
  for (int i = 0; i < count; ++i) c.Join(NodeName(i), NodeName(i) + ".localdomain");
  return c;
}

// Configures ha_label with primary/secondary node numbers (-1: none).
inline void AddTarget(Cluster& c, const std::string& label, int primary, int secondary) {
  const std::string uuid = "uuid-" + label;
  if (primary >= 0) (void)c.Configure(NodeName(primary), "/dev/" + label, label, uuid, true, "/mnt/" + label);
  if (secondary >= 0) (void)c.Configure(NodeName(secondary), "/dev/" + label, label, uuid, false, "/mnt/" + label);
}

}  // namespace cs::testing
