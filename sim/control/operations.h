// The control API's operation groups (one file each) and the helpers they
// share: finding a server, client or cluster from what a test passes (an
// fqdn, a nodename, an address, or a host dict with any of those), and
// wrapping synchronous handlers. Internal to sim/control.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "sim/control/control_api.h"
#include "sim/simulator.h"

namespace cs {

// What handlers work on. CIB backups (the CIB XML `cib show` writes) live
// here: like the real test's /tmp/cib-backup-<node>.xml, they are not part
// of the simulated state.
struct ControlContext {
  Simulator& sim;
  std::mutex backups_mu;
  std::map<std::string, std::string> cib_backups;  // by cluster id
};

using OperationTable = std::map<std::string, ControlOperation>;
using SyncHandler = std::function<Result<Json>(ControlContext&, const ActionArgs&)>;

void Add(OperationTable& table, std::string name, std::vector<ArgSpec> params, std::string help,
         SyncHandler handler);
void AddAsync(OperationTable& table, std::string name, std::vector<ArgSpec> params, std::string help,
              std::function<void(ControlContext&, const ActionArgs&, ControlDone)> handler);

void AddLifecycleOperations(OperationTable& table);  // ops_lifecycle.cpp
void AddWorldOperations(OperationTable& table);      // ops_world.cpp
void AddFleetOperations(OperationTable& table);      // ops_fleet.cpp
void AddProcOperations(OperationTable& table);       // ops_proc.cpp
void AddPowerOperations(OperationTable& table);      // ops_power.cpp
void AddCheckOperations(OperationTable& table);      // ops_check.cpp
void AddSimulatorMethods(OperationTable& table);     // ops_simulator_methods.cpp
void AddStatsOperations(OperationTable& table);      // ops_stats.cpp

void AddHsmMethods(OperationTable& table);           // ops_hsm.cpp

// The fqdn of the server `host` names: a string (fqdn, nodename or one of
// its addresses) or an object with "fqdn", "nodename" or "address".
Result<std::string> ResolveServer(const World& world, const Json& host);
// Same, reading the world under the store lock.
Result<std::string> ResolveServer(Simulator& sim, const Json& host);
// A list of hosts (as above) to fqdns; fails on the first unknown one.
Result<std::vector<std::string>> ResolveServers(Simulator& sim, const Json& hosts);

// {"ok": true}-style answers are not used: operations that only act answer null.
inline Result<Json> Done() { return Json(nullptr); }

}  // namespace cs
