// `cluster-sim crush ...`: CRUSH maps and placement (crush/).
//   crush map [--output FILE]   the fleet's CRUSH map (from --config)
//   crush test [--map FILE] [--rule R] [--num-rep N] [--min-x A --max-x B]
//              [--show-mappings|--show-bad-mappings|--show-statistics|
//               --show-utilization|--show-utilization-all]
// prints what `crushtool -i <compiled FILE> --test` prints for the same options
// (the fleet's map when --map is not given).
//   crush place --rule R [--count N] [--first-x A] [--json]
// prints the HA pair (primary, secondary) the rule gives inputs A..A+N-1
// (crush/placement.h), for any manager to use.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "crush/tester.h"

namespace CLI {
class App;
}

namespace cs::cli {

struct CrushCli {
  CLI::App* crush = nullptr;
  CLI::App* test = nullptr;
  CLI::App* map = nullptr;
  CLI::App* place = nullptr;
  int count = 1;
  int first_x = 0;
  bool json = false;
  std::optional<std::string> output;
  std::optional<std::string> map_file;
  std::optional<std::string> rule;
  std::optional<int> num_rep, min_x, max_x, x;
  crush::TestOptions options;
};

std::unique_ptr<CrushCli> AddCrushCommands(CLI::App& app);
// -1 when no crush command was given.
int RunCrushCli(const GlobalOptions& global, const CrushCli& cli);

}  // namespace cs::cli
