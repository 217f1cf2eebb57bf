// cluster-power: the original simulator's power tool, as its own command.
//   cluster-power pdu NAME OUTLET on|off|reboot
//   cluster-power server FQDN|all on|off|reboot
//   cluster-power status servers|pdus [--json]
// It reads the fleet's state directory (read-only) only to learn which PDUs
// exist, where they listen and which outlet feeds which server; everything
// else it asks the PDUs themselves over their telnet console, as a person or
// fence_apc would. So it works whenever the PDUs listen (`cluster-sim run` or
// `register` is up), and what it shows is what the PDUs say.
//
// Exit status: 0 done, 1 a PDU could not be reached or did not do it (one
// line on stderr per PDU saying why), 2 bad input (nothing was switched).
#pragma once

#include <chrono>
#include <string>

namespace cs::power_cli {

struct Options {
  std::string config = "cluster_sim";
  int port_offset = 0;  // the daemon's --pdu-port-offset
  std::string user = "apc";
  std::string password = "apc";
  std::chrono::milliseconds timeout{10000};
  bool json = false;
};

constexpr int kExitOk = 0;
constexpr int kExitPduFailed = 1;
constexpr int kExitBadInput = 2;

int SwitchPduOutlet(const Options& options, const std::string& pdu, const std::string& outlet,
                    const std::string& action);
int SwitchServer(const Options& options, const std::string& fqdn, const std::string& action);
int ShowStatus(const Options& options, const std::string& what);

// Prints "cluster-power: <message>" on stderr; returns `code`.
int Report(int code, const std::string& message);

}  // namespace cs::power_cli
