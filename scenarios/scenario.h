// A scenario as a file states it, before any draw: its name, the resources
// it requires (bound to variables), its tests in order and its checks. The
// loader (loader.h) makes these from YAML/JSON files and has validated every
// name, parameter, variable and literal against the registry; the planner
// (plan.h) turns them into concrete runs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "scenarios/world_request.h"
#include "scenarios/yaml_json.h"

namespace cs::scenarios {

// A resource a scenario requires, bound to the variable `var`.
//   server: primary | secondary | any | worker   (count, in: <cluster var>)
//   cluster: any   su: any   pdu: any   filesystem: any   target: any | MGT | MDT | OST
struct Requirement {
  std::string var;
  std::string kind;   // server, cluster, su, pdu, filesystem, target
  std::string role;   // server role, target kind, or "any"
  int count = 1;      // servers only
  std::string in;     // servers only: the cluster variable they must belong to
  std::string pointer;  // JSON pointer of the requirement in its file
};

struct StepSpec {
  std::string test;
  Json params = Json::object();  // raw: literals, {range}, {choice}, "$var"
  Json delay;                    // raw duration before the step; null: none
  std::string pointer;
};

struct CheckSpec {
  std::string check;
  Json params = Json::object();
  Json within;                   // raw duration; null: the check's default
  std::string pointer;
};

struct ScenarioSpec {
  std::shared_ptr<const SourceDocument> doc;
  std::string name;
  std::string description;
  double weight = 1;
  int repeat = 1;
  std::vector<Requirement> requires_;
  std::vector<StepSpec> steps;
  std::vector<CheckSpec> checks;
  WorldRequest world;  // what it asks of the runner's own world; empty: any
  std::string pointer;  // "/2" for the third scenario of the file

  const std::string& file() const { return doc->path; }
  // "<file>:<line>: scenario '<name>': <field>: <message>" as an
  // InvalidArgument: how every error about a scenario reads.
  Status Error(const std::string& pointer_suffix, const std::string& field, const std::string& message) const;
};

}  // namespace cs::scenarios
