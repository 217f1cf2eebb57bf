// The loader: valid files load; every kind of bad input is refused with a
// message naming the file, the line, the scenario and the field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scenarios/loader.h"

namespace cs::scenarios {
namespace {

const Registry& R() { return Registry::Builtin(); }

const char* kGood = R"(
- name: power-loss
  description: the primary of a target loses power
  weight: 2
  repeat: 3
  requires:
    victim: {server: primary}
  steps:
    - test: power-off
      server: $victim
      delay: {range: [0s, 2s]}
    - test: wait
      duration: {choice: [1s, 2s, 500ms]}
    - test: power-on
      server: $victim
  checks:
    - check: targets-running
      within: 90s
    - check: invariants
)";

Status LoadError(const std::string& text) {
  Result<std::vector<ScenarioSpec>> r = LoadScenarioText(text, "bad.yaml", R());
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? Status::Ok() : r.status();
}

TEST(Loader, ReadsAScenarioWithRequirementsDrawsAndChecks) {
  auto specs = LoadScenarioText(kGood, "good.yaml", R());
  ASSERT_TRUE(specs.ok()) << specs.status().message();
  ASSERT_EQ(specs->size(), 1u);
  const ScenarioSpec& s = (*specs)[0];
  EXPECT_EQ(s.name, "power-loss");
  EXPECT_EQ(s.weight, 2);
  EXPECT_EQ(s.repeat, 3);
  ASSERT_EQ(s.requires_.size(), 1u);
  EXPECT_EQ(s.requires_[0].kind, "server");
  EXPECT_EQ(s.requires_[0].role, "primary");
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[0].params["server"], "$victim");
  EXPECT_TRUE(s.steps[0].delay.contains("range"));
  ASSERT_EQ(s.checks.size(), 2u);
  EXPECT_EQ(s.checks[0].within, "90s");
}

TEST(Loader, ReadsJsonAsTheYamlSubsetItIs) {
  const char* json = R"([{"name": "j", "steps": [{"test": "wait", "duration": "1s"}],
                          "checks": [{"check": "invariants", "within": 5}]}])";
  auto specs = LoadScenarioText(json, "j.json", R());
  ASSERT_TRUE(specs.ok()) << specs.status().message();
  EXPECT_EQ((*specs)[0].checks[0].within, 5);
}

TEST(Loader, UnknownTestNamesFileLineScenarioAndField) {
  const Status s = LoadError("- name: x\n  steps:\n    - test: power-of\n  checks:\n    - check: invariants\n");
  EXPECT_EQ(s.message(), "bad.yaml:3: scenario 'x': steps[0].test: unknown test 'power-of' (see cluster-sim scenario list)");
}

TEST(Loader, UnknownCheck) {
  const Status s = LoadError("- name: x\n  steps:\n    - test: wait\n      duration: 1s\n  checks:\n    - check: nope\n");
  EXPECT_NE(s.message().find("checks[0].check: unknown check 'nope'"), std::string::npos) << s.message();
}

TEST(Loader, UnknownAndMissingParameters) {
  Status s = LoadError("- name: x\n  steps:\n    - test: wait\n      duration: 1s\n      color: red\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("bad.yaml:5: scenario 'x': steps[0].color: test 'wait' has no parameter 'color'"), std::string::npos)
      << s.message();
  s = LoadError("- name: x\n  steps:\n    - test: wait\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("steps[0]: test 'wait' needs parameter 'duration'"), std::string::npos) << s.message();
}

TEST(Loader, WrongTypesAndRanges) {
  Status s = LoadError("- name: x\n  steps:\n    - test: wait\n      duration: soon\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("steps[0].duration: 'soon' is not a duration"), std::string::npos) << s.message();
  s = LoadError("- name: x\n  steps:\n    - test: wait\n      duration: 2h\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("expected a duration from 0s to 1h, not \"2h\""), std::string::npos) << s.message();
  s = LoadError("- name: x\n  requires: {v: {server: any}}\n  steps:\n    - test: inject-log\n      server: $v\n      count: many\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("steps[0].count: expected a whole number from 1 to 100000, not \"many\""), std::string::npos) << s.message();
  s = LoadError("- name: x\n  steps:\n    - test: wait\n      duration: {range: [5s, 1s]}\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("has low above high"), std::string::npos) << s.message();
  s = LoadError("- name: x\n  steps:\n    - test: wait\n      duration: {range: [1s]}\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("range takes [low, high]"), std::string::npos) << s.message();
  s = LoadError("- name: x\n  repeat: 0\n  steps:\n    - test: wait\n      duration: 1s\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("bad.yaml:2: scenario 'x': repeat: expected a whole number from 1 to 1000, not 0"), std::string::npos) << s.message();
  s = LoadError("- name: x\n  steps:\n    - test: wait\n      duration: 1s\n  checks:\n    - check: invariants\n      within: -1s\n");
  EXPECT_NE(s.message().find("checks[0].within"), std::string::npos) << s.message();
}

TEST(Loader, VariablesMustExistAndFit) {
  Status s = LoadError("- name: x\n  steps:\n    - test: kill-server\n      server: $ghost\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("steps[0].server: '$ghost' names no variable of requires"), std::string::npos) << s.message();
  s = LoadError("- name: x\n  requires: {p: {pdu: any}}\n  steps:\n    - test: kill-server\n      server: $p\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("$p is a pdu, expected a server"), std::string::npos) << s.message();
  s = LoadError("- name: x\n  requires: {v: {server: any}}\n  steps:\n    - test: stop-target\n      target: $v.target\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("a server has the fields fqdn, nodename, cluster"), std::string::npos) << s.message();
  s = LoadError("- name: x\n  requires: {v: {server: boss}}\n  steps:\n    - test: wait\n      duration: 1s\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("requires.v.server: 'boss' is not one of any, primary, secondary, worker"), std::string::npos) << s.message();
  s = LoadError("- name: x\n  requires: {v: {server: any, in: c}}\n  steps:\n    - test: wait\n      duration: 1s\n  checks:\n    - check: invariants\n");
  EXPECT_NE(s.message().find("requires.v.in: 'c' is not a cluster variable"), std::string::npos) << s.message();
}

TEST(Loader, StructureErrors) {
  EXPECT_NE(LoadError("name: x\n").message().find("bad.yaml: expected a list of scenarios"), std::string::npos);
  EXPECT_NE(LoadError("- name: x\n  steps: []\n  checks: [{check: invariants}]\n").message().find("steps: expected a non-empty list"),
            std::string::npos);
  EXPECT_NE(LoadError("- name: x\n  steps: [{test: wait, duration: 1s}]\n").message().find("checks: missing"), std::string::npos);
  EXPECT_NE(LoadError("- name: x\n  steps: [{test: wait, duration: 1s}]\n  checks: [{check: invariants}]\n  colour: 1\n")
                .message().find("colour: unknown key"), std::string::npos);
  EXPECT_NE(LoadError("- name: x\n  steps: [{test: wait, duration: 1s}]\n  checks: [{check: invariants}]\n"
                      "- name: x\n  steps: [{test: wait, duration: 1s}]\n  checks: [{check: invariants}]\n")
                .message().find("name: appears twice"), std::string::npos);
  EXPECT_NE(LoadError("- name: [x\n").message().find("not valid YAML: end of sequence flow not found"), std::string::npos);
}

TEST(Loader, UnreadableFileAndDuplicatesAcrossFiles) {
  auto missing = LoadScenarioFiles({"/nonexistent/x.yaml"}, R());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "/nonexistent/x.yaml: cannot read the file");
  const std::string dir = ::testing::TempDir();
  for (const char* name : {"a.yaml", "b.yaml"}) {
    std::ofstream(dir + "/" + name) << "- name: same\n  steps: [{test: wait, duration: 1s}]\n  checks: [{check: invariants}]\n";
  }
  auto dup = LoadScenarioFiles({dir + "/a.yaml", dir + "/b.yaml"}, R());
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("is also the name of a scenario in " + dir + "/a.yaml"), std::string::npos)
      << dup.status().message();
}

TEST(Loader, EveryShippedScenarioFileLoads) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CS_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    auto specs = LoadScenarioFile(entry.path().string(), R());
    EXPECT_TRUE(specs.ok()) << specs.status().message();
  }
  EXPECT_GE(files, 8u);
}

TEST(Duration, ParsesAndPrints) {
  EXPECT_EQ(ParseDuration(std::string("1m30s"))->count(), 90000);
  EXPECT_EQ(ParseDuration(std::string("250ms"))->count(), 250);
  EXPECT_EQ(ParseDuration(Json(1.5))->count(), 1500);
  EXPECT_FALSE(ParseDuration(std::string("5")).ok());
  EXPECT_FALSE(ParseDuration(std::string("5x")).ok());
  EXPECT_FALSE(ParseDuration(Json(-1)).ok());
  EXPECT_EQ(FormatDuration(Millis(90000)), "90s");
  EXPECT_EQ(FormatDuration(Millis(120000)), "2m");
  EXPECT_EQ(FormatDuration(Millis(1500)), "1500ms");
  EXPECT_EQ(*ParseDuration(FormatDuration(Millis(12345))), Millis(12345));
}

TEST(Registry, EveryTestAndCheckHasHelpAndValidDefaults) {
  EXPECT_GE(R().tests().size(), 25u);
  EXPECT_GE(R().checks().size(), 6u);
  for (const auto& [name, t] : R().tests()) {
    EXPECT_FALSE(t.help.empty()) << name;
    for (const ParamDef& p : t.params) {
      EXPECT_FALSE(p.help.empty()) << name << "." << p.name;
      if (!p.required && !p.default_value.is_null()) {
        EXPECT_TRUE(CheckParamValue(p, p.default_value).ok()) << name << "." << p.name;
      }
    }
  }
  for (const char* name : {"invariants", "targets-running", "manager-agrees", "commands-finish", "no-lost-actions", "logs-arrive"}) {
    EXPECT_NE(R().FindCheck(name), nullptr) << name;
  }
  const Json list = R().ToJson();
  EXPECT_EQ(list["tests"].size(), R().tests().size());
}

// Found by the scenario_loader fuzz target: a value that is not UTF-8 threw
// from the error message that tried to show it. Every scalar and key is now
// checked where YAML becomes JSON.
TEST(Loader, TextThatIsNotUtf8IsRefusedWithItsLine) {
  for (const std::string& bad : {std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                                std::string("\xe2\x82"), std::string("\xf4\x90\x80\x80")}) {
    const std::string text = "- name: x\n  steps:\n    - test: partition\n      seconds: 1" + bad + "\n";
    Status s = LoadError(text);
    EXPECT_NE(s.message().find("bad.yaml:4: text that is not UTF-8"), std::string::npos) << s.ToString();
    EXPECT_NE(LoadError("- name: x\n  st" + bad + "eps: []\n").message().find("not UTF-8"), std::string::npos);
  }
  // UTF-8 itself is fine, up to U+10FFFF.
  auto specs = LoadScenarioText(std::string(kGood) + "\n# caf\xc3\xa9 \xf4\x8f\xbf\xbf\n", "good.yaml", R());
  EXPECT_TRUE(specs.ok()) << specs.status().ToString();
}

TEST(Loader, ANumberBeyondADoublesRangeIsRefusedWithItsLine) {
  // Found by fuzz/scenario_loader_fuzz.cpp: std::stod threw out_of_range
  // through the loader and ended the process.
  for (const std::string& big : {std::string("1e999"), std::string("-1e999"), std::string(320, '9') + ".5"}) {
    const std::string text = "- name: x\n  requires: {v: {server: any}}\n  steps:\n    - test: inject-log\n"
                             "      server: $v\n      count: {range: [200, " + big + "]}\n";
    Status s = LoadError(text);
    EXPECT_NE(s.message().find("bad.yaml:6: the number "), std::string::npos) << s.ToString();
    EXPECT_NE(s.message().find("is beyond the range of a double"), std::string::npos) << s.ToString();
    EXPECT_LT(s.message().size(), 200u) << s.ToString();
  }
  // One too small to hold rounds towards 0, as YAML's readers do: the
  // loader then judges the value as any other.
  Status s = LoadError("- name: x\n  steps:\n    - test: partition\n      seconds: 1e-999\n  checks:\n    - check: invariants\n");
  EXPECT_EQ(s.message().find("beyond the range"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace cs::scenarios
