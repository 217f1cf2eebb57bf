// The world a scenario acts on, as the registered tests and checks see it:
// the simulator's control API (RemoteOperations), the manager's REST API
// (ManagerApi) and, only when `scenario run` brought the world up itself,
// the processes behind them (DaemonOwner). Interfaces, so that tests and
// checks run against fakes in unit tests and against a real daemon and
// manager (built-in or IML) in a run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "sim/control/remote_operations.h"
#include "util/status.h"

namespace cs::scenarios {

// The manager's REST API under api/: "host/", "target/3/failover/".
class ManagerApi {
 public:
  virtual ~ManagerApi() = default;
  virtual Result<Json> Get(const std::string& path) = 0;
  virtual Result<Json> Post(const std::string& path, const Json& body) = 0;
  // Every object of a list resource ("target/", "log/?fqdn=x"), page by
  // page (limit/offset, meta.total_count) as IML's API serves them.
  Result<std::vector<Json>> ListAll(const std::string& path, size_t max_objects = 1000000);
};

// The processes of a world the runner brought up itself.
class DaemonOwner {
 public:
  virtual ~DaemonOwner() = default;
  // kill -9 the simulator daemon, then `run` it again from its state.
  virtual Status CrashSimulator() = 0;
  // Stop the built-in manager (SIGTERM), then start it again on its port.
  virtual Status RestartManager() = 0;
};

struct WorldHandles {
  RemoteOperations* sim = nullptr;
  ManagerApi* manager = nullptr;
  DaemonOwner* owner = nullptr;  // null: an existing daemon and manager
};

}  // namespace cs::scenarios
