// Plan: the concrete runs a set of scenarios makes: which resources each run
// binds, which tests with which drawn parameters in what order (and after
// which delays), which checks with which deadlines, and on which slot (a
// set of corosync clusters) it runs beside others under --parallel. A pure
// function of the scenario specs, the fleet model, the seed and the
// options: every draw comes from a random stream named after the scenario
// and repetition (util/random.h), so a plan prints the same bytes in every
// process, and `run --seed N` executes what `plan --seed N` prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/fleet_model.h"
#include "scenarios/registry.h"
#include "scenarios/scenario.h"

namespace cs::scenarios {

struct PlanOptions {
  uint64_t seed = 0;
  int parallel = 1;   // K: slots of disjoint corosync clusters
  int soak_runs = 0;  // > 0: this many runs drawn by weight instead of each scenario repeat times
};

struct PlannedStep {
  int step = 0;  // 1-based, steps first, then checks
  std::string name;  // the test or check
  Json params;
  Millis delay{0};   // tests: pause before it starts
  Millis within{0};  // checks: how long it may take to hold
};

struct PlannedRun {
  int run = 0;  // 1-based position in the plan
  std::string scenario;
  std::string file;
  int repetition = 1;
  int slot = -1;            // -1: exclusive (runs alone, on the whole fleet)
  std::vector<std::string> scope;  // fqdns it may touch; empty: all
  Json bindings = Json::object();
  std::vector<PlannedStep> steps;
  std::vector<PlannedStep> checks;
  bool needs_owner = false;  // has a test that needs a world the runner owns
  Json ToJson() const;
};

struct Plan {
  uint64_t seed = 0;
  int parallel = 1;
  Json fleet;
  std::vector<PlannedRun> runs;
  Json ToJson() const;
};

Result<Plan> MakePlan(const std::vector<ScenarioSpec>& specs, const FleetModel& fleet, const Registry& registry,
                      const PlanOptions& options);

}  // namespace cs::scenarios
