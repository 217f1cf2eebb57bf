// cluster-sim: the command-line front end. Parses options with CLI11 and
// hands each command to cli/commands.h; nothing else lives here.
#include <CLI/CLI.hpp>

#include "cli/number_options.h"

#include <iostream>

#include "cli/bench_command.h"
#include "cli/cib_commands.h"
#include "cli/commands.h"
#include "cli/crush_commands.h"
#include "cli/ctl_command.h"
#include "cli/daemon_commands.h"
#include "cli/manager_commands.h"
#include "cli/power_commands.h"
#include "cli/scenario_command.h"
#include "util/broken_pipe.h"

namespace {

using cs::cli::AddCountOption;
using cs::cli::GlobalOptions;

// The largest count `setup` takes.
constexpr int kMaxSetupCount = 1000000;

}  // namespace

int main(int argc, char** argv) {
  // Both daemons and every command: a reader that goes away costs a write, not the process.
  cs::IgnoreBrokenPipes();
  CLI::App app{"cluster-sim: simulated storage servers for a storage manager", "cluster-sim"};
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.set_version_flag("--version", std::string("cluster-sim ") + CS_VERSION);
  app.require_subcommand(1);

  GlobalOptions global;
  std::string url;
  app.add_option("--config", global.config, "State directory")->capture_default_str();
  app.add_option("--url", url, "Manager URL (agent endpoints are under <url>agent/)")
      ->default_str("https://localhost:8000/");

  cs::FleetSpec spec;
  CLI::App* setup = app.add_subcommand("setup", "Create the simulated fleet, or extend it to the given totals");
  AddCountOption(setup, "server_count", &spec.server_count, "Storage servers in total (default 8)", kMaxSetupCount);
  AddCountOption(setup, "worker_count", &spec.worker_count, "HSM workers in total (default 1)", kMaxSetupCount);
  AddCountOption(setup, "volume_count", &spec.volume_count, "Volumes in total (default 2 x server_count)", kMaxSetupCount);
  AddCountOption(setup, "nid_count", &spec.nid_count, "LNet NIDs per server (default 1)", kMaxSetupCount);
  AddCountOption(setup, "cluster_size", &spec.cluster_size, "Servers per corosync cluster (default 4)", kMaxSetupCount);
  AddCountOption(setup, "psu_count", &spec.psu_count, "PSUs per server = number of PDUs (default 1)", kMaxSetupCount);
  AddCountOption(setup, "su_size", &spec.su_size, "Servers per scalable unit; 0: SAN-style (default 0)",
                 kMaxSetupCount);
  AddCountOption(setup, "rack_size", &spec.rack_size, "Servers per rack; 0: one rack (default 0)", kMaxSetupCount);
  AddCountOption(setup, "racks_per_row", &spec.racks_per_row, "Racks per row; 0: one row (default 0)",
                 kMaxSetupCount);
  setup->add_option("--cluster_spread,--cluster-spread", spec.cluster_spread,
                    "none, or rack: each corosync cluster's nodes in different racks (default none)");
  std::optional<std::string> topology_file;
  setup->add_option("--topology", topology_file,
                    "YAML file of rows, racks, PDUs and their feeds, clusters (docs/crush.md); "
                    "replaces --rack_size, --racks_per_row and --cluster_spread")
      ->type_name("FILE");
  setup->add_option("--name_prefix,--name-prefix", spec.name_prefix,
                    "Starts every nodename, PDU name and volume serial: unique names per shard (default none)");
  AddCountOption(setup, "name_offset", &spec.name_offset,
                 "Number of the first server and worker; addresses follow (default 0)", kMaxSetupCount);
  std::optional<long long> seed;
  setup->add_option("--seed", seed, "Seed of every random stream of the simulation")
      ->check(cs::cli::IntegerIn(INT64_MIN, INT64_MAX));

  bool json = false;
  CLI::App* status = app.add_subcommand("status", "Show the fleet: servers, clusters, volumes, PDUs");
  status->add_flag("--json", json, "Machine-readable output");

  CLI::App* check = app.add_subcommand("check", "Check the state's invariants; exit 1 on any violation");
  std::optional<std::string> check_placement;
  check->add_option("--placement", check_placement,
                    "Also report HA pairs that break this rule of the fleet's CRUSH map (by_host, by_rack, by_row; by_controller, by_pdu where the fleet has them)");

  CLI::App* state = app.add_subcommand("state", "Export or import the human-readable JSON view");
  state->require_subcommand(1);
  std::string export_dir, import_dir;
  bool replace = false;
  CLI::App* state_export = state->add_subcommand("export", "Write the original simulator's file layout to DIR");
  state_export->add_option("DIR", export_dir, "Directory to write")->required();
  CLI::App* state_import = state->add_subcommand("import", "Read the original layout from DIR into --config");
  state_import->add_option("DIR", import_dir, "Directory to read")->required();
  state_import->add_flag("--replace", replace, "Overwrite an existing fleet");

  CLI::App* testconfig = app.add_subcommand("testconfig", "Print the integration-test configuration (simulator.json)");

  cs::cli::DaemonOptions daemon;
  std::optional<std::string> ca_file;
  app.add_option("--ca", ca_file, "The manager's CA certificate (PEM): verify the manager with it");
  app.add_flag("--insecure", daemon.insecure, "Do not verify the manager's certificate");
  app.add_option("--log-level", daemon.log_level, "debug, info, warning or error")->capture_default_str();
  auto add_daemon_options = [&](CLI::App* cmd) {
    cmd->add_option("--threads", daemon.threads, "Threads running the agents")->capture_default_str()->check(cs::cli::IntegerIn(1, 64));
    cmd->add_option("--key-type", daemon.key_type, "Server keys: ecdsa (P-256) or rsa (2048)")->capture_default_str();
    cmd->add_option("--poll-seconds", daemon.poll_seconds, "Agent poll period (default 10, like the real agent)")
        ->check(cs::cli::RealIn(0.05, 3600.0));
    cmd->add_option("--boot-seconds", daemon.boot_seconds, "Simulated boot and shutdown time (default 5)")
        ->check(cs::cli::RealIn(0.0, 3600.0));
    cmd->add_option("--start-spread-seconds", daemon.start_spread_seconds,
                    "Spread agent starts over this period (default 10)")->check(cs::cli::RealIn(0.0, 3600.0));
    cmd->add_option("--pdu-port-offset", daemon.pdu_port_offset,
                    "Added to every PDU's port (default 0: 2300, 2301, ...)")->check(cs::cli::IntegerIn(-2000, 60000));
    cmd->add_option("--pdu-reboot-seconds", daemon.pdu_reboot_seconds,
                    "Pause between off and on of an outlet reboot (default 5)")->check(cs::cli::RealIn(0.0, 600.0));
    cmd->add_option("--hsm-bandwidth", daemon.hsm_bandwidth,
                    "Bytes per second each HSM copytool shares among its requests (default 12884901888, "
                    "the original's 96 Gb/s)")->check(cs::cli::IntegerIn(1, int64_t{1} << 50));
    cmd->add_option("--control-listen", daemon.control_listen, "Control API address (ADDR:PORT)")->capture_default_str();
    cmd->add_option("--control-token-file", daemon.control_token_file,
                    "Require Authorization: Bearer <the token in this file> on the control API");
    cmd->add_option("--csv", daemon.csv_prefix,
                    "Write Locust's PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv (docs/metrics.md)")
        ->type_name("PREFIX");
    cmd->add_option("--html", daemon.html, "Write the HTML load report to FILE when stopping (docs/metrics.md)")
        ->type_name("FILE");
  };
  cs::cli::RegisterOptions reg;
  CLI::App* register_cmd = app.add_subcommand("register", "Register every unregistered server with the manager, then keep running");
  register_cmd->add_option("--secret", reg.secret, "Registration token secret");
  register_cmd->add_option("--username", reg.username, "Manager API user (to create tokens)");
  register_cmd->add_option("--password", reg.password, "Manager API password");
  register_cmd->add_flag("--create_pdu_entries,--create-pdu-entries", reg.create_pdu_entries,
                         "Create the PDUs and their outlets on the manager");
  add_daemon_options(register_cmd);
  register_cmd->add_option("--registrations-in-flight", daemon.registrations_in_flight,
                           "Registrations under way at once (default 16)")
      ->check(cs::cli::IntegerIn(1, 4096))->group("");
  CLI::App* run_cmd = app.add_subcommand("run", "Run the registered fleet from the saved state");
  add_daemon_options(run_cmd);
  std::unique_ptr<cs::cli::ManagerCli> manager_cli = cs::cli::AddManagerCommands(app);
  std::unique_ptr<cs::cli::PowerCli> power_cli = cs::cli::AddPowerCommands(app);
  std::unique_ptr<cs::cli::CrushCli> crush_cli = cs::cli::AddCrushCommands(app);
  std::unique_ptr<cs::cli::ScenarioCli> scenario_cli = cs::cli::AddScenarioCommands(app, argc, argv);
  std::unique_ptr<cs::cli::CibCli> cib_cli = cs::cli::AddCibCommands(app);
  std::unique_ptr<cs::cli::BenchCli> bench_cli = cs::cli::AddBenchCommand(app);

  cs::cli::CtlOptions ctl;
  CLI::App* ctl_cmd = app.add_subcommand("ctl", "Call the running daemon's control API: ctl <operation> [--name value ...]");
  ctl_cmd->add_option("--control-url", ctl.url, "The daemon's control API")->capture_default_str();
  ctl_cmd->add_option("--control-token-file", ctl.token_file, "File holding the control API's bearer token");
  ctl_cmd->prefix_command();  // the operation and its --name value pairs are ours to read

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports an unknown command as a missing one: name what it got.
    const std::vector<std::string> extra = app.remaining(true);
    if (dynamic_cast<const CLI::RequiredError*>(&e) && !extra.empty() &&
        std::string(e.what()).find("subcommand") != std::string::npos) {
      return cs::cli::Fail("unknown command '" + extra.front() + "' (see cluster-sim --help)");
    }
    return cs::cli::Fail(std::string(e.what()) + " (see cluster-sim --help)");
  }
  if (!url.empty()) {
    if (url.back() != '/') url += '/';
    global.url = url;
  }
  if (seed) spec.seed = static_cast<uint64_t>(*seed);

  if (setup->parsed()) {
    if (topology_file) {
      auto file = cs::ReadTopologyFile(*topology_file);
      if (!file.ok()) return cs::cli::Fail("setup: " + file.status().message());
      spec.topology = std::move(*file);
    }
    return cs::cli::RunSetup(global, spec);
  }
  if (status->parsed()) return cs::cli::RunStatus(global, json);
  if (check->parsed()) return cs::cli::RunCheck(global, check_placement);
  if (state_export->parsed()) return cs::cli::RunStateExport(global, export_dir);
  if (state_import->parsed()) return cs::cli::RunStateImport(global, import_dir, replace);
  if (testconfig->parsed()) return cs::cli::RunTestConfig(global);
  daemon.ca_file = ca_file;
  if (register_cmd->parsed()) return cs::cli::RunRegister(global, daemon, reg);
  if (run_cmd->parsed()) return cs::cli::RunRun(global, daemon);
  manager_cli->fs.fleet_config = global.config;  // fs create --placement reads the fleet's map
  if (cs::cli::ManagerCliParsed(*manager_cli)) return cs::cli::RunManagerCli(*manager_cli);
  if (cs::cli::ScenarioCliParsed(*scenario_cli)) return cs::cli::RunScenarioCli(*scenario_cli);
  if (cs::cli::BenchCliParsed(*bench_cli)) return cs::cli::RunBenchCli(*bench_cli);
  if (int rc = cs::cli::RunPowerCli(global, *power_cli); rc >= 0) return rc;
  if (int rc = cs::cli::RunCrushCli(global, *crush_cli); rc >= 0) return rc;
  if (int rc = cs::cli::RunCibCli(global, *cib_cli); rc >= 0) return rc;
  if (ctl_cmd->parsed()) {
    ctl.words = ctl_cmd->remaining();
    return cs::cli::RunCtl(ctl);
  }
  return cs::cli::Fail("no command given (see cluster-sim --help)");
}
