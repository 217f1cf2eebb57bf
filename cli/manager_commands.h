// The `cluster-sim manager ...` commands: `manager` alone serves the
// built-in manager until SIGINT/SIGTERM; the others call a running
// manager's REST API (hosts, targets, commands, fs create, start/stop,
// failover/failback, token create). Each returns the process exit status
// (0 ok, 2 error with one line on stderr).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace cs::cli {

struct ManagerServeOptions {
  std::string listen = "127.0.0.1:8000";
  std::string dir = "manager_state";
  double long_poll_seconds = 30;
  double step_timeout_seconds = 300;
  double contact_timeout_seconds = 60;
  double session_wait_seconds = 3600;
  bool no_host_setup = false;  // hosts stay "registered" (benchmarks of the agent protocol alone)
  double throttle_rx_per_second = 0;  // a deliberately slow manager (tests, benchmarks); 0: off
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
  // --placement RULE: the fleet's CRUSH rule picks each target's primary
  // and secondary (crush/placement.h); the targets then name DEVICE only.
  std::optional<std::string> placement;
  std::string fleet_config = "cluster_sim";  // the simulator's --config, read for the fleet's map
};

// The `manager` command tree added to the front end's CLI11 app, and
// the options it parses into.
struct ManagerCli {
  ManagerServeOptions serve;
  ManagerClientOptions client;
  FsCreateOptions fs;
  std::string target;
  int credits = 100;
  std::string profile = "base_managed_rh7";
  std::optional<double> expiry_minutes;
  CLI::App* manager = nullptr;
  CLI::App* hosts = nullptr;
  CLI::App* targets = nullptr;
  CLI::App* copytools = nullptr;
  CLI::App* commands = nullptr;
  CLI::App* fs_create = nullptr;
  CLI::App* token_create = nullptr;
  std::vector<std::pair<std::string, CLI::App*>> target_verbs;
  CLI::App* conf_param = nullptr;
  CLI::App* action = nullptr;
  std::string action_host, action_name, action_args = "{}";
  std::string fs_name, param_key;
  std::optional<std::string> param_value;
};
std::unique_ptr<ManagerCli> AddManagerCommands(CLI::App& app);
bool ManagerCliParsed(const ManagerCli& cli);
int RunManagerCli(const ManagerCli& cli);

int RunManagerServe(const ManagerServeOptions& options);
int RunManagerList(const ManagerClientOptions& options, const std::string& what);
int RunManagerFsCreate(const ManagerClientOptions& options, const FsCreateOptions& fs);
int RunManagerTargetAction(const ManagerClientOptions& options, const std::string& verb,
                           const std::string& target);
int RunManagerTokenCreate(const ManagerClientOptions& options, int credits,
                          const std::string& profile, std::optional<double> expiry_minutes);

}  // namespace cs::cli
