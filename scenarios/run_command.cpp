// scenario plan: files + fleet + seed -> the plan on stdout (see run_command.h).
#include "scenarios/run_command.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "crypto/files.h"
#include "scenarios/loader.h"
#include "scenarios/manager_rest.h"
#include "scenarios/plan.h"
#include "scenarios/world_source.h"

namespace cs::scenarios {

FleetSpec ScenarioFleetDefaults(FleetSpec spec) {
  if (!spec.server_count) spec.server_count = 4;
  if (!spec.worker_count) spec.worker_count = 0;
  if (!spec.cluster_size) spec.cluster_size = 2;
  if (!spec.psu_count) spec.psu_count = 2;
  if (!spec.su_size) spec.su_size = 0;
  return spec;
}

std::string ShellQuote(const std::string& word) {
  bool plain = !word.empty();
  for (char c : word) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || std::string("-_./:=,@%+").find(c) != std::string::npos);
  }
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string RegistryText(const Registry& registry) {
  std::ostringstream out;
  auto params = [&](const std::vector<ParamDef>& defs) {
    for (const ParamDef& p : defs) {
      out << "    " << p.name << " (" << ParamTypeName(p.type);
      if (!p.required) out << ", default " << (p.default_value.is_null() ? "none" : p.default_value.dump());
      if (p.min || p.max) {
        const Json j = p.ToJson();
        out << ", " << (p.min ? j["min"].dump() : "") << ".." << (p.max ? j["max"].dump() : "");
      }
      out << "): " << p.help << "\n";
    }
  };
  out << "TESTS (steps: '- test: NAME' with parameters; any step may have 'delay: DURATION')\n";
  for (const auto& [name, t] : registry.tests()) {
    out << "  " << name << (t.needs_owner ? "  [own world only]" : "") << (t.exclusive ? "  [exclusive]" : "") << "\n      "
        << t.help << "\n";
    params(t.params);
  }
  out << "\nCHECKS ('- check: NAME' with parameters and 'within: DURATION')\n";
  for (const auto& [name, c] : registry.checks()) {
    out << "  " << name << "  (within " << FormatDuration(c.default_within) << " by default)\n      " << c.help << "\n";
    params(c.params);
  }
  return out.str();
}

Result<std::vector<WorldGroup>> GroupByWorld(const RunCommandOptions& o, const std::vector<ScenarioSpec>& specs) {
  std::vector<WorldGroup> groups;
  for (const ScenarioSpec& s : specs) {
    if (!s.world.empty() && o.control_url) {
      return s.Error("/world", "world",
                     "asks for a world of its own (" + s.world.options.dump() +
                         "); with --control-url the runner drives the daemon as it is: drop --control-url, or run a scenario without world");
    }
    auto same = [&](const WorldGroup& g) { return g.world.Key() == s.world.Key(); };
    auto it = std::find_if(groups.begin(), groups.end(), same);
    if (it == groups.end()) {
      WorldGroup g;
      g.options = o;
      g.world = s.world;
      ApplyWorldRequest(s.world, g.options.fleet, g.options.placement);
      groups.push_back(std::move(g));
      it = groups.end() - 1;
    }
    it->specs.push_back(s);
  }
  if (groups.size() > 1 && !o.soak.empty()) {
    return Status::InvalidArgument("--soak draws from the scenarios of one world; these ask for " + std::to_string(groups.size()) +
                                   " different worlds (their world: maps): soak them in separate runs");
  }
  return groups;
}

std::string DescribeWorld(const WorldGroup& g) {
  if (g.world.empty()) return "the command line's world";
  return "the world " + g.world.options.dump() + " of scenario '" + g.specs[0].name + "' (" + g.specs[0].file() + ")";
}

void NumberRunsFrom(Plan& plan, int first) {
  for (PlannedRun& run : plan.runs) run.run = ++first;
}

Plan CombinePlans(const std::vector<Plan>& plans, const std::vector<WorldGroup>& groups) {
  if (plans.size() == 1) return plans[0];
  Plan all;
  all.seed = plans[0].seed;
  all.parallel = plans[0].parallel;
  all.fleet = {{"worlds", Json::array()}};
  for (size_t g = 0; g < plans.size(); ++g) {
    Json runs = Json::array();
    for (const PlannedRun& run : plans[g].runs) {
      runs.push_back(run.run);
      all.runs.push_back(run);
    }
    all.fleet["worlds"].push_back({{"world", groups[g].world.options}, {"fleet", plans[g].fleet}, {"runs", runs}});
  }
  return all;
}

int RunPlanCommand(const RunCommandOptions& o, std::ostream& out, std::ostream& err) {
  const Registry& registry = Registry::Builtin();
  auto bad = [&](const Status& s) {
    err << "cluster-sim: " << s.message() << "\n";
    return 2;
  };
  Result<std::vector<ScenarioSpec>> specs = LoadScenarioFiles(o.files, registry);
  if (!specs.ok()) return bad(specs.status());
  Result<std::vector<WorldGroup>> groups = GroupByWorld(o, *specs);
  if (!groups.ok()) return bad(groups.status());
  std::vector<Plan> plans;
  int numbered = 0;
  for (const WorldGroup& g : *groups) {
    Result<std::unique_ptr<WorldSource>> source = OpenWorldSource(g.options);
    if (!source.ok()) return bad(source.status());
    Result<FleetModel> fleet = (*source)->Fleet();
    if (!fleet.ok()) return bad(fleet.status().Context(DescribeWorld(g)));
    Result<Plan> plan = MakePlanFor(g.options, g.specs, *fleet, registry);
    if (!plan.ok()) return bad(plan.status());
    NumberRunsFrom(*plan, numbered);
    numbered += static_cast<int>(plan->runs.size());
    plans.push_back(std::move(*plan));
  }
  Json j = CombinePlans(plans, *groups).ToJson();
  j["replay"] = o.replay;
  out << j.dump(2) << "\n";
  return 0;
}

}  // namespace cs::scenarios
