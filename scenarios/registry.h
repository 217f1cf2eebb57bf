// Registry: the tests (functions that drive the world) and checks
// (functions that judge it) a scenario names, each with its parameters and
// a line of help. `scenario list` prints it; the loader validates scenario
// files against it. Registry::Builtin() holds every test and check of
// scenarios/tests/ and scenarios/checks/ (registered in builtin.cpp: one
// line each).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "scenarios/duration.h"
#include "scenarios/world.h"

namespace cs::scenarios {

enum class ParamType {
  kDuration,  // "90s"; drawn from {range: [10s, 30s]}
  kInt,
  kString,
  kBool,
  kServer,    // an fqdn; usually $var of a server requirement
  kServers,   // a list of fqdns: $cluster, $su, a server var with count
  kPdu,       // a PDU name
  kTarget,    // a target name (testfs-OST0000)
};
const char* ParamTypeName(ParamType type);

struct ParamDef {
  std::string name;
  ParamType type = ParamType::kString;
  bool required = false;
  Json default_value;           // used when not required and not given
  std::optional<int64_t> min;   // kInt: value; kDuration: milliseconds
  std::optional<int64_t> max;
  std::vector<std::string> choices;  // kString: the allowed words
  std::string help;
  Json ToJson() const;
};

// What one run of a scenario remembers between its steps and checks.
struct RunState {
  std::set<std::string> stopped_targets;  // stopped on purpose: targets-running skips them
  std::vector<Json> injected_lines;       // {"fqdn", "message"}: logs-arrive looks for them
  int crashes = 0;                        // crash-simulator steps done
  Json before;                            // the simulator's status when the run began
  int64_t first_command_id = 0;           // manager commands of this run have ids >= this
  std::vector<std::string> scope;         // fqdns this run may touch; empty: all
  std::string marker;                     // unique per run: "s7-power-loss-r1"
  uint64_t seed = 0;                      // the plan's seed
  int step = 0;                           // the step under way (1-based)
  // Failure domains a fail-domain step cut, by type (rack, row, pdu):
  // domain-survives judges targets against them.
  std::map<std::string, std::set<std::string>> lost_domains;
};

// What a test's run function gets. Params are resolved: variables bound,
// draws made, defaults filled in.
struct StepContext {
  WorldHandles world;
  RunState& state;
  const Json& params;
  const std::atomic<bool>* cancelled = nullptr;

  std::string String(const std::string& name) const;
  int64_t Int(const std::string& name) const;
  bool Bool(const std::string& name) const;
  Millis Duration(const std::string& name) const;
  std::vector<std::string> Strings(const std::string& name) const;
  bool Has(const std::string& name) const;
  // Sleeps up to `d` in small slices; false when cancelled.
  bool Sleep(Millis d) const;
};

// A test's outcome, as the history records it: ok, fail (it did not
// happen), info (unknown whether it happened: a timeout, a lost answer).
struct StepOutcome {
  enum class Type { kOk, kFail, kInfo };
  Type type = Type::kOk;
  Json value;  // what the daemon and manager answered
  static StepOutcome Ok(Json v = nullptr) { return {Type::kOk, std::move(v)}; }
  static StepOutcome Fail(std::string message) { return {Type::kFail, Json{{"error", std::move(message)}}}; }
  static StepOutcome Info(std::string message) { return {Type::kInfo, Json{{"unknown", std::move(message)}}}; }
  // ok, or fail/info from a Status (Unavailable: the answer was lost).
  static StepOutcome From(const Status& s, Json v = nullptr);
};

struct TestDef {
  std::string name;
  std::string help;
  std::vector<ParamDef> params;
  bool needs_owner = false;    // only when the runner owns the daemon and manager
  bool exclusive = false;      // touches the whole fleet: never runs beside another scenario
  std::function<StepOutcome(StepContext&)> run;
  Json ToJson() const;
};

// A check's verdict: passed, or what it saw and what it expected.
struct Verdict {
  bool passed = false;
  std::string message;
  Json seen;
  static Verdict Pass(Json seen = nullptr) { return {true, "", std::move(seen)}; }
  static Verdict Failed(std::string message, Json seen = nullptr) { return {false, std::move(message), std::move(seen)}; }
};

struct CheckDef {
  std::string name;
  std::string help;
  std::vector<ParamDef> params;
  Millis default_within{0};  // how long it may take to hold; polled until then
  std::function<Verdict(StepContext&)> evaluate;
  Json ToJson() const;
};

class Registry {
 public:
  void Add(TestDef test);
  void Add(CheckDef check);
  const TestDef* FindTest(const std::string& name) const;
  const CheckDef* FindCheck(const std::string& name) const;
  const std::map<std::string, TestDef>& tests() const { return tests_; }
  const std::map<std::string, CheckDef>& checks() const { return checks_; }
  Json ToJson() const;

  static const Registry& Builtin();

 private:
  std::map<std::string, TestDef> tests_;
  std::map<std::string, CheckDef> checks_;
};

// Shorthands for the parameter lists of tests and checks.
ParamDef Required(std::string name, ParamType type, std::string help);
ParamDef Optional(std::string name, ParamType type, Json default_value, std::string help);
ParamDef WithRange(ParamDef p, std::optional<int64_t> min, std::optional<int64_t> max);
ParamDef WithChoices(ParamDef p, std::vector<std::string> choices);

// Checks a resolved value against its definition; the message names what
// was expected ("a duration from 0s to 10m, not 20m").
Status CheckParamValue(const ParamDef& def, const Json& value);

}  // namespace cs::scenarios
