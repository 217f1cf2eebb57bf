// The scenario commands (see scenario_command.h).
#include "cli/scenario_command.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <iostream>
#include <random>

#include "cli/commands.h"
#include "cli/number_options.h"
#include "scenarios/loader.h"
#include "scenarios/plan.h"
#include "scenarios/run_command.h"

namespace cs::cli {

namespace {

// The largest count of the runner's world.
constexpr int kMaxWorldCount = 100000;

void AddPlanOptions(CLI::App* sub, ScenarioCli& c) {
  sub->add_option("FILES", c.files, "Scenario files (YAML or JSON)")->required();
  sub->add_option("--seed", c.seed, "Seed of every draw (default: one is drawn and printed)");
  sub->add_option("--parallel", c.parallel, "Run up to K scenarios at once on disjoint corosync clusters")
      ->check(CLI::Range(1, 64))->capture_default_str();
  sub->add_option("--soak", c.soak, "Draw scenarios by weight until this much time is up (e.g. 30m)");
  AddCountOption(sub, "server_count", &c.fleet.server_count, "Storage servers of the runner's world (default 4)", kMaxWorldCount);
  AddCountOption(sub, "worker_count", &c.fleet.worker_count, "HSM workers (default 0)", kMaxWorldCount);
  AddCountOption(sub, "volume_count", &c.fleet.volume_count, "Volumes (default 2 x server_count)", kMaxWorldCount);
  AddCountOption(sub, "cluster_size", &c.fleet.cluster_size, "Servers per corosync cluster (default 2)", kMaxWorldCount);
  AddCountOption(sub, "psu_count", &c.fleet.psu_count, "PSUs per server = PDUs (default 2)", kMaxWorldCount);
  AddCountOption(sub, "su_size", &c.fleet.su_size, "Servers per scalable unit (default 0: SAN-style)", kMaxWorldCount);
  AddCountOption(sub, "rack_size", &c.fleet.rack_size, "Servers per rack, each rack with its own PDUs (default 0: one rack)", kMaxWorldCount);
  AddCountOption(sub, "racks_per_row", &c.fleet.racks_per_row, "Racks per row (default 0: one row)", kMaxWorldCount);
  sub->add_option("--cluster_spread,--cluster-spread", c.fleet.cluster_spread,
                  "rack: each corosync cluster's nodes in different racks (default none)")
      ->check(CLI::IsMember({"none", "rack"}));
  sub->add_option("--placement", c.placement,
                  "Place the runner's filesystem with this rule of the fleet's CRUSH map (by_host, by_rack, by_row; by_controller, by_pdu where the fleet has them)");
  sub->add_option("--control-url", c.control_url, "Drive this running daemon's control API instead of a world of our own");
  sub->add_option("--control-token-file", c.control_token_file, "The control API's bearer token file");
  sub->add_option("--manager-url", c.manager_url, "The manager of that daemon (with --control-url)");
  sub->add_option("--ca", c.manager_ca, "The manager's CA certificate (PEM); default: do not verify");
  sub->add_option("--username", c.username, "Manager user")->capture_default_str();
  sub->add_option("--password", c.password, "Manager password (default: the built-in default)");
}

}  // namespace

std::unique_ptr<ScenarioCli> AddScenarioCommands(CLI::App& app, int argc, char** argv) {
  auto c = std::make_unique<ScenarioCli>();
  for (int i = 0; i < argc; ++i) c->argv.push_back(argv[i]);
  c->scenario = app.add_subcommand("scenario", "Seeded fault scenarios: list the tests and checks, plan, run");
  c->scenario->require_subcommand(1);
  c->list = c->scenario->add_subcommand("list", "Every registered test and check, with its parameters");
  c->list->add_flag("--json", c->json, "Machine-readable output");
  c->plan = c->scenario->add_subcommand("plan", "Print the concrete plan of scenario files as JSON; runs nothing");
  AddPlanOptions(c->plan, *c);
  c->plan->add_option("--count", c->soak_plan_runs, "With --soak: how many draws to print")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  c->run = c->scenario->add_subcommand("run", "Run scenario files: bring up a world (or use --control-url), execute, report");
  AddPlanOptions(c->run, *c);
  c->run->add_option("--junit", c->junit, "Write JUnit XML here");
  c->run->add_option("--report", c->report, "Write the JSON report here");
  c->run->add_option("--history", c->history, "Write the history (JSON lines) here");
  c->run->add_option("--work-dir", c->work_dir, "Scratch directory of the runner's world (default: a new one in /tmp)");
  c->run->add_flag("--keep", c->keep, "Keep the scratch directory afterwards");
  return c;
}

bool ScenarioCliParsed(const ScenarioCli& c) { return c.scenario->parsed(); }

int RunScenarioCli(ScenarioCli& c) {
  const scenarios::Registry& registry = scenarios::Registry::Builtin();
  if (c.list->parsed()) {
    if (c.json) {
      std::cout << registry.ToJson().dump(2) << "\n";
      return kExitOk;
    }
    std::cout << scenarios::RegistryText(registry);
    return kExitOk;
  }
  scenarios::RunCommandOptions o;
  o.files = c.files;
  o.parallel = c.parallel;
  o.soak = c.soak;
  o.soak_plan_runs = c.soak_plan_runs;
  o.fleet = c.fleet;
  o.placement = c.placement == "default" ? "" : c.placement;
  o.control_url = c.control_url;
  o.control_token_file = c.control_token_file;
  o.manager_url = c.manager_url;
  o.manager_ca = c.manager_ca;
  o.username = c.username;
  o.password = c.password;
  o.junit = c.junit;
  o.report = c.report;
  o.history = c.history;
  o.work_dir = c.work_dir;
  o.keep = c.keep;
  o.binary = "/proc/self/exe";
  if (c.seed) {
    o.seed = *c.seed;
  } else {
    std::random_device device;
    o.seed = (static_cast<uint64_t>(device()) << 20 ^ device()) % 1000000000;
    std::cerr << "cluster-sim: no --seed given; drew seed " << o.seed << " (replay with --seed " << o.seed << ")\n";
  }
  // The replay command: this one with the seed made explicit.
  std::string replay;
  for (size_t i = 0; i < c.argv.size(); ++i) {
    const std::string& a = c.argv[i];
    if (a == "--seed") { ++i; continue; }
    if (a.rfind("--seed=", 0) == 0) continue;
    replay += (replay.empty() ? "" : " ") + (i == 0 ? std::string("cluster-sim") : scenarios::ShellQuote(a));
  }
  o.replay = replay + " --seed " + std::to_string(o.seed);
  if (c.plan->parsed()) return scenarios::RunPlanCommand(o, std::cout, std::cerr);
  o.terminal = isatty(STDERR_FILENO) != 0;
  return scenarios::RunRunCommand(o, std::cout, std::cerr);
}

}  // namespace cs::cli
