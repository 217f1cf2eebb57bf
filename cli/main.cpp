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

  // cluster-sim manager: serve the built-in manager, or talk to a running one.
  cs::cli::ManagerServeOptions serve;
  cs::cli::ManagerClientOptions mc;
  CLI::App* manager = app.add_subcommand("manager", "Run the built-in manager (no subcommand), or query and drive a running one");
  manager->add_option("--listen", serve.listen, "ADDRESS:PORT to serve on")->capture_default_str();
  manager->add_option("--dir", serve.dir, "Manager state directory (CA, certificates, users, database)")->capture_default_str();
  manager->add_option("--long-poll", serve.long_poll_seconds, "Seconds a GET for agent messages may wait")->capture_default_str();
  manager->add_option("--step-timeout", serve.step_timeout_seconds, "Seconds an agent action may take")->capture_default_str();
  auto client_options = [&mc](CLI::App* sub) {
    sub->add_option("--manager-url", mc.url, "URL of the running manager")->capture_default_str();
    sub->add_option("--dir", mc.dir, "The manager's state directory (its ca.crt verifies the manager)")->capture_default_str();
    sub->add_option("--ca", mc.ca, "The manager's CA certificate file, instead of <dir>/ca.crt");
    sub->add_option("--username", mc.username, "Manager user")->capture_default_str();
    sub->add_option("--password", mc.password, "Manager password");
    sub->add_flag("--json", mc.json, "Machine-readable output");
  };
  CLI::App* m_hosts = manager->add_subcommand("hosts", "List registered hosts");
  CLI::App* m_targets = manager->add_subcommand("targets", "List targets and where they run");
  CLI::App* m_commands = manager->add_subcommand("commands", "List commands and their state");
  CLI::App* m_fs = manager->add_subcommand("fs", "Filesystems");
  m_fs->require_subcommand(1);
  cs::cli::FsCreateOptions fs;
  CLI::App* m_fs_create = m_fs->add_subcommand("create", "Create a filesystem (format, register, configure HA, start)");
  m_fs_create->add_option("--name", fs.name, "Filesystem name (1-8 characters)")->required();
  m_fs_create->add_option("--mgt", fs.mgt, "HOST:DEVICE of the MGT (DEVICE: index in the host's device list, or a path)")->required();
  m_fs_create->add_option("--mdt", fs.mdts, "HOST:DEVICE of an MDT (repeat for more)")->required();
  m_fs_create->add_option("--ost", fs.osts, "HOST:DEVICE of an OST (repeat for more)")->required();
  std::string target_name;
  std::vector<std::pair<std::string, CLI::App*>> target_verbs;
  for (const char* verb : {"start", "stop", "failover", "failback"}) {
    CLI::App* sub = manager->add_subcommand(verb, std::string("Run ") + verb + "_target for a target");
    sub->add_option("TARGET", target_name, "Target name (testfs-OST0000), ha_label or id")->required();
    target_verbs.emplace_back(verb, sub);
  }
  CLI::App* m_token = manager->add_subcommand("token", "Registration tokens");
  m_token->require_subcommand(1);
  int credits = 100;
  std::string profile = "base_managed_rh7";
  std::optional<double> expiry_minutes;
  CLI::App* m_token_create = m_token->add_subcommand("create", "Create a token; prints its secret (for register --secret)");
  m_token_create->add_option("--credits", credits, "Registrations it allows")->capture_default_str();
  m_token_create->add_option("--profile", profile, "Server profile of the hosts it registers")->capture_default_str();
  m_token_create->add_option("--expiry-minutes", expiry_minutes, "Minutes until it expires (default 60)");
  for (CLI::App* sub : {m_hosts, m_targets, m_commands, m_fs_create, m_token_create}) client_options(sub);
  for (auto& [verb, sub] : target_verbs) client_options(sub);
  for (CLI::App* sub : {m_fs_create}) {
    sub->add_flag("--wait", mc.wait, "Wait for the command to end; exit 2 if it fails");
    sub->add_option("--timeout", mc.timeout_seconds, "Seconds to wait")->capture_default_str();
  }
  for (auto& [verb, sub] : target_verbs) {
    sub->add_flag("--wait", mc.wait, "Wait for the command to end; exit 2 if it fails");
    sub->add_option("--timeout", mc.timeout_seconds, "Seconds to wait")->capture_default_str();
  }

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
  if (manager->parsed()) {
    if (m_hosts->parsed()) return cs::cli::RunManagerList(mc, "host");
    if (m_targets->parsed()) return cs::cli::RunManagerList(mc, "target");
    if (m_commands->parsed()) return cs::cli::RunManagerList(mc, "command");
    if (m_fs_create->parsed()) return cs::cli::RunManagerFsCreate(mc, fs);
    if (m_token_create->parsed()) return cs::cli::RunManagerTokenCreate(mc, credits, profile, expiry_minutes);
    for (auto& [verb, sub] : target_verbs) {
      if (sub->parsed()) return cs::cli::RunManagerTargetAction(mc, verb, target_name);
    }
    return cs::cli::RunManagerServe(serve);
  }
  return cs::cli::Fail("no command given (see cluster-sim --help)");
}
