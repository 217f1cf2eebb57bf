// Loader: scenario files (YAML, or JSON as its subset) into ScenarioSpecs,
// validated against the registry before anything runs: unknown test and
// check names, unknown or missing parameters, literals of the wrong type or
// out of range, malformed draws, undefined variables. Every error names the
// file and line, the scenario and the field. The schema is documented in
// docs/scenarios.md.
#pragma once

#include <string>
#include <vector>

#include "scenarios/registry.h"
#include "scenarios/scenario.h"

namespace cs::scenarios {

Result<std::vector<ScenarioSpec>> LoadScenarioFile(const std::string& path, const Registry& registry);
Result<std::vector<ScenarioSpec>> LoadScenarioText(const std::string& text, const std::string& path,
                                                   const Registry& registry);
// Every file in order; scenario names must be unique across them.
Result<std::vector<ScenarioSpec>> LoadScenarioFiles(const std::vector<std::string>& paths,
                                                    const Registry& registry);

// The type a variable reference ("$victim", "$victim.target", "$cl.servers")
// yields, given the requirements in scope; InvalidArgument when it names an
// unknown variable or field. Shared with the planner.
Result<ParamType> ReferenceType(const std::vector<Requirement>& requirements, const std::string& ref);
// Whether a value of type `given` may be passed where `wanted` is expected.
bool Compatible(ParamType wanted, ParamType given);

}  // namespace cs::scenarios
