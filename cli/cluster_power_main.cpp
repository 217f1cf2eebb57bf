// cluster-power: switch and show the simulated fleet's PDU outlets by
// talking to the PDUs' telnet consoles (see cli/cluster_power.h). Parses
// options with CLI11; the work is in cli/cluster_power.cpp.
#include <CLI/CLI.hpp>

#include "cli/cluster_power.h"
#include "util/broken_pipe.h"

int main(int argc, char** argv) {
  cs::IgnoreBrokenPipes();  // `cluster-power status servers | head` ends quietly
  namespace pc = cs::power_cli;
  CLI::App app{"cluster-power: switch the simulated fleet's PDU outlets through the PDUs' telnet consoles",
               "cluster-power"};
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.set_version_flag("--version", std::string("cluster-power ") + CS_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the command

  pc::Options options;
  double timeout_seconds = 10;
  app.add_option("--config", options.config, "Simulator state directory (read-only)")->capture_default_str();
  app.add_option("--pdu-port-offset", options.port_offset,
                 "The daemon's --pdu-port-offset (PDU k listens on 2300+k plus this)")
      ->capture_default_str()->check(CLI::Range(-2000, 60000));
  app.add_option("--user", options.user, "PDU console user")->capture_default_str();
  app.add_option("--password", options.password, "PDU console password (or CLUSTER_POWER_PASSWORD)")
      ->capture_default_str()->envname("CLUSTER_POWER_PASSWORD");
  app.add_option("--timeout", timeout_seconds, "Seconds to wait for each answer of a PDU")
      ->capture_default_str()->check(CLI::Range(0.1, 600.0));

  std::string name, outlet, action, fqdn, what;
  CLI::App* pdu = app.add_subcommand("pdu", "Switch one outlet of one PDU");
  pdu->add_option("NAME", name, "PDU name (pdu000, pdu001, ...)")->required();
  pdu->add_option("OUTLET", outlet, "Outlet number (server i is on outlet i+1)")->required();
  pdu->add_option("ACTION", action, "on, off or reboot")->required();
  CLI::App* server = app.add_subcommand("server", "Switch a server's outlet on every PDU");
  server->add_option("FQDN", fqdn, "Server fqdn, or all")->required();
  server->add_option("ACTION", action, "on, off or reboot")->required();
  CLI::App* status = app.add_subcommand("status", "Show outlet states as the PDUs report them");
  status->add_option("WHAT", what, "servers or pdus")->required();
  status->add_flag("--json", options.json, "Machine-readable output");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return pc::Report(pc::kExitBadInput, std::string(e.what()) + " (see cluster-power --help)");
  }
  options.timeout = std::chrono::milliseconds(static_cast<long long>(timeout_seconds * 1000));
  if (pdu->parsed()) return pc::SwitchPduOutlet(options, name, outlet, action);
  if (server->parsed()) return pc::SwitchServer(options, fqdn, action);
  return pc::ShowStatus(options, what);
}
