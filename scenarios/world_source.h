// WorldSource: where a scenario run's world comes from. The runner's own
// (OwnWorld: the built-in manager, a fleet from setup's options,
// registration with PDU entries and a filesystem, in a scratch directory,
// torn down afterwards; it can crash the daemon and restart the manager),
// or an existing daemon and manager (--control-url, --manager-url), driven
// only through the control API and the manager's REST API.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "scenarios/fleet_model.h"
#include "scenarios/plan.h"
#include "scenarios/run_command.h"
#include "scenarios/world.h"

namespace cs::scenarios {

// Clients of one worker: each worker has its own, since a client sends one
// request at a time.
struct WorldConnection {
  std::unique_ptr<RemoteOperations> sim;
  std::unique_ptr<ManagerApi> manager;
};

class WorldSource {
 public:
  virtual ~WorldSource() = default;
  // The model plans are made for: predicted before BringUp, live after.
  virtual Result<FleetModel> Fleet() = 0;
  // Starts the world (own), or checks both APIs answer (existing).
  virtual Status BringUp(std::ostream& progress) = 0;
  virtual Result<WorldConnection> Connect() = 0;
  virtual DaemonOwner* owner() = 0;  // null for an existing world
  // Stops what BringUp started; `keep`: leave the scratch directory.
  virtual void TearDown(bool keep, std::ostream& progress) = 0;
  // Where the world's files are ("" for an existing world).
  virtual std::string directory() const = 0;
};

Result<std::unique_ptr<WorldSource>> OpenWorldSource(const RunCommandOptions& options);

// The plan options of a command (the seed, --parallel, --soak draws).
Result<Plan> MakePlanFor(const RunCommandOptions& options, const std::vector<ScenarioSpec>& specs,
                         const FleetModel& fleet, const Registry& registry);

}  // namespace cs::scenarios
