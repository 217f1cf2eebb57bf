// `cluster-sim scenario list | plan | run`: the front end of scenarios/.
// list prints the registry, plan prints the concrete plan of scenario files
// for a fleet and a seed, run executes it (docs/scenarios.md). Exit status
// 0 every check passed, 1 a check or step failed, 2 bad input or a world
// that could not be brought up.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/fleet.h"

namespace CLI {
class App;
}

namespace cs::cli {

struct ScenarioCli {
  CLI::App* scenario = nullptr;
  CLI::App* list = nullptr;
  CLI::App* plan = nullptr;
  CLI::App* run = nullptr;
  bool json = false;
  std::vector<std::string> files;
  std::optional<uint64_t> seed;
  int parallel = 1;
  std::string soak;          // a duration; "" when not soaking
  int soak_plan_runs = 20;   // plan --soak: how many draws to print
  FleetSpec fleet;           // setup's options for the runner's own world
  std::string placement;     // its filesystem's placement rule; "": the manager's default
  // An existing world instead of the runner's own.
  std::optional<std::string> control_url;
  std::optional<std::string> control_token_file;
  std::optional<std::string> manager_url;
  std::string manager_ca;
  std::string username = "admin";
  std::string password = "lustre";
  // Reports.
  std::string junit, report, history;
  std::string work_dir;      // scratch directory; default a new one under /tmp
  bool keep = false;         // keep the scratch directory
  std::vector<std::string> argv;  // the command line, for the replay command
};

std::unique_ptr<ScenarioCli> AddScenarioCommands(CLI::App& app, int argc, char** argv);
bool ScenarioCliParsed(const ScenarioCli& cli);
int RunScenarioCli(ScenarioCli& cli);

}  // namespace cs::cli
