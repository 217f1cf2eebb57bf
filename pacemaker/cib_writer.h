// CibWriter: a simulated cluster as the CIB pacemaker would hold for it,
// in the shapes the real chroma-agent wrote (configure_pacemaker's cluster
// options and rsc_defaults, configure_fencing's node attributes and the
// st-fencing device, configure_target_ha's ocf:chroma:Target primitives and
// <label>-primary / -secondary location constraints) plus a status section:
// one node_state per node and an lrm history saying where each resource
// runs, where it was probed and where its start failed. Debian 12's
// crm_verify, crm_mon and crm_simulate read it (tests/pacemaker/).
#pragma once

#include <cstdint>
#include <string>

#include "fakes/cluster.h"

namespace cs::pacemaker {

// Not newer than Debian 12's pacemaker (2.1.5): crm_simulate refuses newer.
inline constexpr const char* kCrmFeatureSet = "3.16.1";
inline constexpr const char* kValidateWith = "pacemaker-3.9";

// `now` (seconds since the epoch) dates the operation history.
std::string WriteCib(const Cluster& cluster, int64_t now);

}  // namespace cs::pacemaker
