// ClusterEnv from the world: what a cluster's decisions depend on outside
// the cluster itself. A start fails on a node that cannot see the target's
// device (the real resource agent's mount fails there): the device is
// presented to some server of the fleet, but not to that node's.
#pragma once

#include <string>
#include <vector>

#include "fakes/cluster.h"
#include "fakes/world.h"

namespace cs {

// One fencing attempt, for the simulator to act on once the change is saved
// (boot the node whose outlets came back on, write the journal lines).
struct FenceRecord {
  std::string nodename, fqdn;
  std::string executor;  // the node that ran the fencing device (the DC)
  bool ok = false;
  bool power_cycled = false;  // its outlets were switched off, to come on again
  std::vector<std::pair<std::string, std::string>> outlets;  // (pdu, outlet)
  std::string detail;    // what was switched, or why it could not be
};

ClusterEnv WorldClusterEnv(const World& world);

// WorldClusterEnv, plus fencing as fence_chroma does it: a reboot through
// every PDU outlet configure_fencing recorded for the node. The outlets go
// off here (the node is down when fencing reports success); switching them
// on again, after the reboot's pause, is the simulator's (sim/fencing.h). A
// node whose agents name a PDU the world does not have, or an agent other
// than fence_apc / fence_apc_snmp, cannot be fenced, and neither can a
// node with no agent at all (fence_chroma lists only nodes with agents).
// Each attempt is appended to `fenced`. `pdu_port_offset` is the daemon's
// --pdu-port-offset: the agents name the ports the PDUs listen on, saved
// port plus offset.
ClusterEnv FencingClusterEnv(World& world, std::vector<FenceRecord>* fenced, int pdu_port_offset = 0);

// The journal lines the surviving nodes log for a fencing attempt.
std::vector<std::string> FencingJournal(const FenceRecord& record);

// Whether corosync and pacemaker both run on the server.
bool ClusterServicesRun(const Server& server);
// After start/stop of corosync or pacemaker: a node whose services stopped
// leaves its cluster cleanly (pacemaker moves its resources first); one whose
// services both run again joins.
void FollowClusterServices(World& world, const Server& server, bool was_member);

// Whether the node's server sees the device at `path`. Paths no server sees
// (hand-made test resources) are taken as visible everywhere.
bool NodeSeesDevice(const World& world, const std::string& nodename, const std::string& path);

}  // namespace cs
