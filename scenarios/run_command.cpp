// scenario plan: files + fleet + seed -> the plan on stdout (see run_command.h).
#include "scenarios/run_command.h"

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

int RunPlanCommand(const RunCommandOptions& o, std::ostream& out, std::ostream& err) {
  const Registry& registry = Registry::Builtin();
  Result<std::vector<ScenarioSpec>> specs = LoadScenarioFiles(o.files, registry);
  if (!specs.ok()) {
    err << "cluster-sim: " << specs.status().message() << "\n";
    return 2;
  }
  Result<std::unique_ptr<WorldSource>> source = OpenWorldSource(o);
  if (!source.ok()) {
    err << "cluster-sim: " << source.status().message() << "\n";
    return 2;
  }
  Result<FleetModel> fleet = (*source)->Fleet();
  if (!fleet.ok()) {
    err << "cluster-sim: " << fleet.status().message() << "\n";
    return 2;
  }
  Result<Plan> plan = MakePlanFor(o, *specs, *fleet, registry);
  if (!plan.ok()) {
    err << "cluster-sim: " << plan.status().message() << "\n";
    return 2;
  }
  Json j = plan->ToJson();
  j["replay"] = o.replay;
  out << j.dump(2) << "\n";
  return 0;
}

}  // namespace cs::scenarios
