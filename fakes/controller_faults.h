// Controller faults: a scalable unit's storage controller fails and is
// restored. While it is failed its LUNs are absent from every server of the
// SU (device reports, NodeSeesDevice, actions on the paths), and pacemaker
// sees the targets on them fail: each running one's monitor fails, its
// restart fails on every node (no node sees the device), and it stops,
// banned where it failed. Restoring brings the LUNs back and cleans up
// those targets' failures (`crm_resource --cleanup`, what an administrator
// runs once the storage is back; pacemaker itself would wait for
// failure-timeout, 20 minutes), so pacemaker starts them again. Pure world
// logic: the simulator saves each change in one transaction.
#pragma once

#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "fakes/world.h"
#include "util/status.h"

namespace cs {

struct ControllerChange {
  int controller_id = 0;
  bool failed = false;
  bool changed = false;                      // false: it already was so
  std::vector<std::string> volumes;          // its LUNs (serials)
  std::vector<std::string> targets_stopped;  // HA labels running before, not after
  std::vector<std::string> targets_started;  // HA labels not running before, running after
};

// Fails (failed true) or restores a controller. NotFound for an id the
// fleet has no controller for (naming those it has).
Result<ControllerChange> SetControllerFailed(World& world, int controller_id, bool failed);
// Restores every failed controller (clear_faults); one change each.
std::vector<ControllerChange> RestoreAllControllers(World& world);
// {controller_id, failed, changed, volumes, targets_stopped, targets_started}
Json ControllerChangeJson(const ControllerChange& change);

}  // namespace cs
