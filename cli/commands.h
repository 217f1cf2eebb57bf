// The commands of the cluster-sim front end that work on the saved state
// (setup, status, check, state export/import, testconfig). Each takes its
// parsed options, does its work through the library and returns the process
// exit status: 0 success, 1 a check found violations, 2 bad input or an
// error (one line on stderr saying what).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "fakes/fleet.h"
#include "util/status.h"

namespace cs {
class Store;
}

namespace cs::cli {

struct GlobalOptions {
  std::string config = "cluster_sim";
  std::optional<std::string> url;
};

constexpr int kExitOk = 0;
constexpr int kExitViolations = 1;
constexpr int kExitError = 2;

int RunSetup(const GlobalOptions& global, const FleetSpec& spec);
int RunStatus(const GlobalOptions& global, bool json);
// `check [--placement RULE]`: the invariants, and with a rule of the fleet's
// CRUSH map every HA pair whose primary and secondary share a domain of it.
int RunCheck(const GlobalOptions& global, const std::optional<std::string>& placement = std::nullopt);
int RunStateExport(const GlobalOptions& global, const std::string& dir);
int RunStateImport(const GlobalOptions& global, const std::string& dir, bool replace);
int RunTestConfig(const GlobalOptions& global);

// The saved state of --config, opened read-only, for the commands that only
// show it (status, check, power status, controller list, crush, cib): the
// daemon may be running and writing meanwhile. "no simulator state in DIR
// (run 'cluster-sim setup' first)" when there is none.
Result<std::unique_ptr<Store>> OpenSavedState(const GlobalOptions& global);

// Prints "cluster-sim: <message>" on stderr and returns kExitError.
int Fail(const std::string& message);

}  // namespace cs::cli
