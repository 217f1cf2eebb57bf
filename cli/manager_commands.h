// The `cluster-sim manager ...` commands: `manager` alone serves the
// built-in manager until SIGINT/SIGTERM; the others call a running
// manager's REST API (hosts, targets, commands, fs create, start/stop,
// failover/failback, token create). Each returns the process exit status
// (0 ok, 2 error with one line on stderr).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cs::cli {

struct ManagerServeOptions {
  std::string listen = "127.0.0.1:8000";
  std::string dir = "manager_state";
  double long_poll_seconds = 30;
  double step_timeout_seconds = 300;
};

// How a client command reaches the manager.
struct ManagerClientOptions {
  std::string url = "https://localhost:8000/";
  std::string dir = "manager_state";  // its ca.crt verifies the manager
  std::string ca;                     // a CA file instead of <dir>/ca.crt
  std::string username = "admin";
  std::string password = "lustre";
  bool json = false;
  bool wait = false;                  // wait for the command to end
  double timeout_seconds = 600;
};

struct FsCreateOptions {
  std::string name;
  std::string mgt;                 // host:device
  std::vector<std::string> mdts;   // host:device...
  std::vector<std::string> osts;
};

int RunManagerServe(const ManagerServeOptions& options);
int RunManagerList(const ManagerClientOptions& options, const std::string& what);
int RunManagerFsCreate(const ManagerClientOptions& options, const FsCreateOptions& fs);
int RunManagerTargetAction(const ManagerClientOptions& options, const std::string& verb,
                           const std::string& target);
int RunManagerTokenCreate(const ManagerClientOptions& options, int credits,
                          const std::string& profile, std::optional<double> expiry_minutes);

}  // namespace cs::cli
