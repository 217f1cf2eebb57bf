// `cluster-sim cib ...`: the simulated clusters as pacemaker sees them.
//   cib show HOST_OR_CLUSTER [--output FILE]   the cluster's CIB (XML)
//   cib list [--json]                           every cluster: nodes, DC, quorum
// Both read the saved state, so they work with or without a running daemon.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"

namespace CLI {
class App;
}

namespace cs::cli {

struct CibCli {
  CLI::App* show = nullptr;
  CLI::App* list = nullptr;
  std::string which;
  std::optional<std::string> output;
  bool json = false;
};

std::unique_ptr<CibCli> AddCibCommands(CLI::App& app);
// -1 when no cib command was given.
int RunCibCli(const GlobalOptions& global, const CibCli& cli);

}  // namespace cs::cli
