// `cluster-sim power ...`: the original's cluster-power commands.
//   power pdu NAME OUTLET on|off|reboot      (through the running daemon)
//   power server FQDN|all on|off|reboot      (every PDU's outlet of the server)
//   power status servers|pdus                 (from the saved state)
//   power fencing [--json] [--fqdn FQDN]      (every fencing attempt, saved state)
// Switching goes through the daemon's control API, so the change is the
// same as fence_apc's: persisted, and servers power off or boot.
// A scalable unit's storage controller fails and is restored the same way:
//   controller fail ID | controller restore ID   (through the running daemon)
//   controller list [--json]                       (from the saved state)
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"

namespace CLI {
class App;
}

namespace cs::cli {

struct PowerCli {
  CLI::App* pdu = nullptr;
  CLI::App* server = nullptr;
  CLI::App* status = nullptr;
  CLI::App* fencing = nullptr;
  CLI::App* controller_fail = nullptr;
  CLI::App* controller_restore = nullptr;
  CLI::App* controller_list = nullptr;
  int controller_id = 0;
  bool json = false;
  std::string name, outlet, action, fqdn, what;
  std::string control_url = "http://127.0.0.1:8743/";
  std::optional<std::string> token_file;
  std::optional<double> pause_seconds;
};

std::unique_ptr<PowerCli> AddPowerCommands(CLI::App& app);
// -1 when no power or controller command was given.
int RunPowerCli(const GlobalOptions& global, const PowerCli& cli);

}  // namespace cs::cli
