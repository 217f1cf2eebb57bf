// cluster-sim: the command-line front end. Parses options with CLI11 and
// hands each command to cli/commands.h; nothing else lives here.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/manager_commands.h"

namespace {

using cs::cli::GlobalOptions;

// Adds an integer option under the original's name (--server_count) and the
// dashed spelling (--server-count).
void AddCount(CLI::App* app, const std::string& name, std::optional<int>* target,
              const std::string& help) {
  std::string dashed = name;
  for (char& c : dashed) c = c == '_' ? '-' : c;
  app->add_option_function<long long>(
         "--" + name + ",--" + dashed,
         [target, name](long long v) {
           if (v < 0 || v > 1000000) {
             throw CLI::ValidationError("--" + name, "must be a whole number from 0 to 1000000, not " + std::to_string(v));
           }
           *target = static_cast<int>(v);
         },
         help)
      ->type_name("N");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cluster-sim: simulated storage servers for a storage manager"};
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.require_subcommand(1);

  GlobalOptions global;
  std::string url;
  app.add_option("--config", global.config, "State directory")->capture_default_str();
  app.add_option("--url", url, "Manager URL (agent endpoints are under <url>agent/)")
      ->default_str("https://localhost:8000/");

  cs::FleetSpec spec;
  CLI::App* setup = app.add_subcommand("setup", "Create the simulated fleet, or extend it to the given totals");
  AddCount(setup, "server_count", &spec.server_count, "Storage servers in total (default 8)");
  AddCount(setup, "worker_count", &spec.worker_count, "HSM workers in total (default 1)");
  AddCount(setup, "volume_count", &spec.volume_count, "Volumes in total (default 2 x server_count)");
  AddCount(setup, "nid_count", &spec.nid_count, "LNet NIDs per server (default 1)");
  AddCount(setup, "cluster_size", &spec.cluster_size, "Servers per corosync cluster (default 4)");
  AddCount(setup, "psu_count", &spec.psu_count, "PSUs per server = number of PDUs (default 1)");
  AddCount(setup, "su_size", &spec.su_size, "Servers per scalable unit; 0: SAN-style (default 0)");
  std::optional<long long> seed;
  setup->add_option("--seed", seed, "Seed of every random stream of the simulation");

  bool json = false;
  CLI::App* status = app.add_subcommand("status", "Show the fleet: servers, clusters, volumes, PDUs");
  status->add_flag("--json", json, "Machine-readable output");

  CLI::App* check = app.add_subcommand("check", "Check the state's invariants; exit 1 on any violation");

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

  std::unique_ptr<cs::cli::ManagerCli> manager_cli = cs::cli::AddManagerCommands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
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

  if (setup->parsed()) return cs::cli::RunSetup(global, spec);
  if (status->parsed()) return cs::cli::RunStatus(global, json);
  if (check->parsed()) return cs::cli::RunCheck(global);
  if (state_export->parsed()) return cs::cli::RunStateExport(global, export_dir);
  if (state_import->parsed()) return cs::cli::RunStateImport(global, import_dir, replace);
  if (testconfig->parsed()) return cs::cli::RunTestConfig(global);
  if (cs::cli::ManagerCliParsed(*manager_cli)) return cs::cli::RunManagerCli(*manager_cli);
  return cs::cli::Fail("no command given (see cluster-sim --help)");
}
