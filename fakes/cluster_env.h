// ClusterEnv from the world: what a cluster's decisions depend on outside
// the cluster itself. A start fails on a node that cannot see the target's
// device (the real resource agent's mount fails there): the device is
// presented to some server of the fleet, but not to that node's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fakes/cluster.h"
#include "fakes/world.h"

namespace cs {

// Starts fail where the node does not see the device; no fencing: a node
// waiting to be fenced stays unclean until a change made with
// FencingClusterEnv (a power change, a join, a PDU answering again).
ClusterEnv WorldClusterEnv(const World& world);

// WorldClusterEnv, plus fencing as fence_chroma does it: a reboot through
// every PDU outlet configure_fencing recorded for the node. The outlets go
// off here (the node is down when fencing reports success); switching them
// on again, after the reboot's pause, is the simulator's (sim/fencing.h). A
// node whose agents name a PDU the world does not have, or an agent other
// than fence_apc / fence_apc_snmp, cannot be fenced, and neither can a
// node with no agent at all (fence_chroma lists only nodes with agents),
// nor one whose PDU is unreachable (Pdu::unreachable).
// Each attempt is recorded in the node's cluster (Cluster::fence_history,
// stamped `now`) and appended to `fenced`, for the simulator to act on once
// the change is saved (boot the node whose outlets came back on, write the
// journal lines). `pdu_port_offset` is the daemon's
// --pdu-port-offset: the agents name the ports the PDUs listen on, saved
// port plus offset.
ClusterEnv FencingClusterEnv(World& world, std::vector<FenceRecord>* fenced, int pdu_port_offset = 0,
                             const std::string& now = "");

// The journal lines the surviving nodes log for a fencing attempt.
std::vector<std::string> FencingJournal(const FenceRecord& record);

// Every cluster's fencing attempts (Cluster::fence_history), oldest first,
// as the control operation fence_history and `power fencing --json` list
// them: [{cluster, seq, time, node, fqdn, executor, executor_fqdn, action,
// outcome ("ok" or "failed"), outlets [{pdu, outlet}], detail}]. `fqdn`
// given: only the attempts on that server.
Json FenceHistoryJson(const World& world, const std::optional<std::string>& fqdn = std::nullopt);

// Whether corosync and pacemaker both run on the server.
bool ClusterServicesRun(const Server& server);
// After start/stop of corosync or pacemaker: a node whose services stopped
// leaves its cluster cleanly (pacemaker moves its resources first); one whose
// services both run again joins.
void FollowClusterServices(World& world, const Server& server, bool was_member);

// Whether the node's server sees the device at `path`: presented to it, and
// not on a failed controller. Paths no server has presented (hand-made test
// resources) are taken as visible everywhere.
bool NodeSeesDevice(const World& world, const std::string& nodename, const std::string& path);

}  // namespace cs
