// Queries on the world shared by tests, checks and the runner: the
// simulator's status, the manager's targets and commands, and the names
// that tie the two together (an ha_label is "<target name>_<uuid prefix>";
// a cluster node is a nodename, the manager speaks fqdns).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "scenarios/duration.h"
#include "scenarios/world.h"

namespace cs::scenarios {

// The control API's `status`: summary, servers, clusters, pdus, faults.
Result<Json> SimStatus(RemoteOperations& sim);

// "testfs-OST0000_1a2b3c" -> "testfs-OST0000".
std::string TargetNameOfLabel(const std::string& ha_label);
// The fqdn of a cluster node's nodename in a status, or the nodename.
std::string FqdnOfNode(const Json& status, const std::string& nodename);
// The resource of target `name` in a status, or null.
Json SimResource(const Json& status, const std::string& target_name);
// A server of a status by fqdn, or null.
Json SimServer(const Json& status, const std::string& fqdn);

// Whether a run whose scope is `scope` (fqdns; empty: all) may touch `fqdn`.
bool InScope(const std::vector<std::string>& scope, const std::string& fqdn);

// The manager's target object named `name` (or whose ha_label it is).
Result<Json> ManagerTarget(ManagerApi& manager, const std::string& name);
// POST target/<id>/<verb>/; answers the command's id.
Result<int64_t> TargetCommand(ManagerApi& manager, const std::string& name, const std::string& verb);
// Polls command `id` until it is no longer pending or running; Unavailable
// after `timeout` (the outcome is then unknown).
Result<Json> WaitCommand(ManagerApi& manager, int64_t id, Millis timeout, const std::atomic<bool>* cancelled);
// The highest command id the manager has, 0 when none.
Result<int64_t> LastCommandId(ManagerApi& manager);

}  // namespace cs::scenarios
