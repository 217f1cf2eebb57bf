// The work behind `cluster-sim scenario plan` and `scenario run`, apart
// from option parsing (cli/scenario_command.cpp): load the files, find the
// fleet (an existing daemon's, or the one the runner will bring up), make
// the plan; for run, bring the world up, execute, write the reports. The
// streams are parameters so tests can read what a user would see.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fakes/fleet.h"
#include "scenarios/plan.h"
#include "scenarios/registry.h"
#include "scenarios/scenario.h"

namespace cs::scenarios {

struct RunCommandOptions {
  std::vector<std::string> files;
  uint64_t seed = 0;
  int parallel = 1;
  std::string soak;  // duration text; "" when not soaking
  int soak_plan_runs = 20;
  FleetSpec fleet;
  std::string placement;  // the filesystem's placement rule; "": the manager's default
  std::optional<std::string> control_url;
  std::optional<std::string> control_token_file;
  std::optional<std::string> manager_url;
  std::string manager_ca;  // a CA file
  std::string username = "admin";
  std::string password = "lustre";
  std::string junit, report, history;
  std::string work_dir;
  bool keep = false;
  bool terminal = false;   // show a live progress line
  std::string binary;      // the cluster-sim binary the runner's world runs
  std::string replay;      // the command that replays this run
};

// The fleet of the runner's own world: setup's options with the scenario
// defaults (4 servers, 2 per corosync cluster, 2 PSUs, no workers).
FleetSpec ScenarioFleetDefaults(FleetSpec spec);

// The scenarios of a command grouped by the world they ask for (their
// `world:` maps; those without one share the command line's world), in
// order of first appearance, each with the command's options and its world
// applied. Refused: a `world:` with --control-url (the runner cannot build
// an existing daemon's fleet), several worlds with --soak.
struct WorldGroup {
  RunCommandOptions options;
  std::vector<ScenarioSpec> specs;
  WorldRequest world;
};
Result<std::vector<WorldGroup>> GroupByWorld(const RunCommandOptions& options, const std::vector<ScenarioSpec>& specs);

// "the world {...} of scenario 'x' (file)": context for a world that cannot be built.
std::string DescribeWorld(const WorldGroup& group);
// Numbers the runs of `plan` from first + 1 on, so the runs of several
// worlds' plans are numbered in one sequence.
void NumberRunsFrom(Plan& plan, int first);
// One plan of several (numbered in sequence already); with more than one
// world, `fleet` lists each world, its fleet and its runs.
Plan CombinePlans(const std::vector<Plan>& plans, const std::vector<WorldGroup>& groups);

int RunPlanCommand(const RunCommandOptions& options, std::ostream& out, std::ostream& err);
int RunRunCommand(const RunCommandOptions& options, std::ostream& out, std::ostream& err);

// Refuses a test that needs the runner's own world (crash-simulator,
// restart-manager) when the world is someone else's; names file and field.
Status CheckOwnership(const std::vector<ScenarioSpec>& specs, const Registry& registry, bool owned);

// `scenario list` as text: tests, then checks, with parameters.
std::string RegistryText(const Registry& registry);
// 'a b' -> "'a b'"; plain words stay as they are.
std::string ShellQuote(const std::string& word);

}  // namespace cs::scenarios
