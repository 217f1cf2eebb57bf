// `cluster-sim scenario` as a user runs it: plans reproducible across
// processes; bad input refused with exit 2 before anything starts; runs on
// the runner's own small world (two or four servers, short durations) that
// pass, fail with a JUnit failure that says why, survive crash-simulator 20
// times, run side by side and soak. Every run is bounded in time.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <sstream>

#include "tests/integration/run_cli.h"

namespace cs::testing {
namespace {

using Json = nlohmann::json;
using std::chrono::seconds;

std::string Source(const std::string& path) { return std::string(CS_SOURCE_DIR) + "/" + path; }

std::string Write(const TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir.Sub(name)) << text;
  return dir.Sub(name);
}

std::vector<Json> HistoryLines(const std::string& path) {
  std::vector<Json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) out.push_back(Json::parse(line));
  return out;
}

TEST(ScenarioCli, PlanIsTheSameBytesInEveryProcessAndDiffersBySeed) {
  std::vector<std::string> args = {"scenario", "plan"};
  for (const char* f : {"power-loss.yaml", "log-storm.yaml", "rolling-reboot.yaml", "target-moves.yaml"}) {
    args.push_back(Source(std::string("scenarios/") + f));
  }
  auto with_seed = [&](const std::string& seed) {
    std::vector<std::string> a = args;
    a.push_back("--seed");
    a.push_back(seed);
    return a;
  };
  const CliResult one = RunCli(with_seed("1"));
  ASSERT_EQ(one.exit_code, 0) << one.Describe();
  EXPECT_EQ(RunCli(with_seed("1")).out, one.out);
  const CliResult two = RunCli(with_seed("2"));
  ASSERT_EQ(two.exit_code, 0) << two.Describe();
  EXPECT_NE(two.out, one.out);
  EXPECT_EQ(Json::parse(one.out)["seed"], 1);
  // Without --seed one is drawn and printed; planning with it gives the same plan.
  const CliResult drawn = RunCli(args);
  ASSERT_EQ(drawn.exit_code, 0) << drawn.Describe();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(drawn.err, m, std::regex("drew seed (\\d+)"))) << drawn.err;
  EXPECT_EQ(RunCli(with_seed(m[1])).out, drawn.out);
}

TEST(ScenarioCli, ListShowsEveryTestAndCheck) {
  const CliResult text = RunCli({"scenario", "list"});
  ASSERT_EQ(text.exit_code, 0) << text.Describe();
  EXPECT_NE(text.out.find("crash-simulator  [own world only]"), std::string::npos);
  EXPECT_NE(text.out.find("fail-domain  [exclusive]"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("type (string): the domain type: rack, row, pdu or controller"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("domain-survives  (within 1m by default)"), std::string::npos) << text.out;
  const CliResult json = RunCli({"scenario", "list", "--json"});
  ASSERT_EQ(json.exit_code, 0);
  const Json j = Json::parse(json.out);
  EXPECT_GE(j["tests"].size(), 25u);
  EXPECT_GE(j["checks"].size(), 6u);
}

TEST(ScenarioCli, BadInputExitsTwoWithOneClearMessage) {
  TempDir dir;
  const std::string unknown = Write(dir, "unknown.yaml", "- name: x\n  steps: [{test: explode}]\n  checks: [{check: invariants}]\n");
  CliResult r = RunCli({"scenario", "run", unknown, "--seed", "1"});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.err.find(unknown + ":2: scenario 'x': steps[0].test: unknown test 'explode'"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("world:"), std::string::npos) << "nothing may start on bad input: " << r.err;

  const std::string greedy = Write(dir, "greedy.yaml",
                                   "- name: greedy\n  requires:\n    all: {server: any, count: 3}\n"
                                   "  steps: [{test: wait, duration: 1s}]\n  checks: [{check: invariants}]\n");
  r = RunCli({"scenario", "run", greedy, "--seed", "1", "--server_count", "2"});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.err.find("scenario 'greedy': requires.all: needs 3 servers but the fleet offers 2"), std::string::npos) << r.err;

  r = RunCli({"scenario", "run", dir.Sub("missing.yaml"), "--seed", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.yaml: cannot read the file"), std::string::npos) << r.err;

  const std::string fine = Source("scenarios/log-storm.yaml");
  r = RunCli({"scenario", "run", fine, "--seed", "1", "--control-url", "http://127.0.0.1:1/"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--control-url and --manager-url go together"), std::string::npos) << r.err;
  r = RunCli({"scenario", "run", fine, "--seed", "1", "--control-url", "http://127.0.0.1:1/", "--manager-url",
              "https://localhost:1/"});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;

  r = RunCli({"scenario", "run", fine, "--seed", "1", "--soak", "soon"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--soak: 'soon' is not a duration"), std::string::npos) << r.err;
  r = RunCli({"scenario", "run", fine, "--seed", "1", "--junit", "/nonexistent/dir/j.xml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot write /nonexistent/dir/j.xml"), std::string::npos) << r.err;
  r = RunCli({"scenario", "run", fine, "--seed", "1", "--parallel", "3", "--server_count", "4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--parallel 3 needs at least 3 corosync clusters; the fleet has 2"), std::string::npos) << r.err;
}

TEST(ScenarioCli, BadDomainParametersAndWorldsExitTwoBeforeAnythingStarts) {
  TempDir dir;
  const std::string building = Write(dir, "building.yaml",
                                     "- name: x\n  steps: [{test: fail-domain, type: building}]\n  checks: [{check: invariants}]\n");
  CliResult r = RunCli({"scenario", "run", building, "--seed", "1"});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.err.find(building + ":2: scenario 'x': steps[0].type:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rack, row, pdu"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("world:"), std::string::npos) << "nothing may start on bad input: " << r.err;

  const std::string zero = Write(dir, "zero.yaml",
                                 "- name: x\n  steps: [{test: fail-domain, type: rack, count: 0}]\n  checks: [{check: invariants}]\n");
  r = RunCli({"scenario", "plan", zero, "--seed", "1"});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.err.find("steps[0].count:"), std::string::npos) << r.err;

  // A rule the runner's world cannot satisfy: clusters inside one rack each.
  const std::string packed = Write(dir, "packed.yaml",
                                   "- name: packed\n  world: {server_count: 4, rack_size: 2, placement: by_rack}\n"
                                   "  steps: [{test: fail-domain, type: rack}]\n  checks: [{check: domain-survives, type: rack}]\n");
  r = RunCli({"scenario", "run", packed, "--seed", "1"});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.err.find("of scenario 'packed'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--cluster_spread rack"), std::string::npos) << "the message suggests the fix: " << r.err;
  EXPECT_EQ(r.err.find("world: starting"), std::string::npos) << r.err;

  r = RunCli({"scenario", "run", Source("scenarios/rack-loss-placed.yaml"), "--seed", "1", "--control-url",
              "http://127.0.0.1:1/", "--manager-url", "https://localhost:1/"});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.err.find("world: asks for a world of its own"), std::string::npos) << r.err;
}

// The two shipped rack-loss scenarios in one command: each on a world of its
// own (8 servers, 4 racks of 2, two PDUs per rack), one rack cut through its
// PDUs. Under --placement by_rack every target survives, including those
// whose primary was in the dark rack; under the default layout the targets
// of the cluster inside the dark rack go down, and the report names them.
TEST(ScenarioRun, RackLossUnderPlacementSurvivesAndUnderTheDefaultShowsWhatWentDown) {
  TempDir dir;
  const CliResult r = RunCli({"scenario", "run", Source("scenarios/rack-loss-placed.yaml"), Source("scenarios/rack-loss-default.yaml"),
                              "--seed", "1", "--report", dir.Sub("r.json"), "--history", dir.Sub("h.jsonl")},
                             seconds(600));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.out.find("PASS rack-loss-with-placement #1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS rack-loss-default-placement #1"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("on 2 worlds in turn"), std::string::npos) << r.err;

  std::ifstream report_file(dir.Sub("r.json"));
  const Json report = Json::parse(report_file);
  const Json worlds = report["plan"]["fleet"]["worlds"];
  ASSERT_EQ(worlds.size(), 2u) << report["plan"]["fleet"].dump();
  EXPECT_EQ(worlds[0]["world"]["placement"], "by_rack");
  EXPECT_EQ(report["notes"], Json::array()) << "each world came up with the layout its plan predicted (the placed one too)";
  // Server N is in rack N / 2: the placed pairs span two racks, the default ones one.
  auto rack = [](const Json& fqdn) { return std::stoi(fqdn.get<std::string>().substr(4, 3)) / 2; };
  for (const Json& t : worlds[0]["fleet"]["targets"]) EXPECT_NE(rack(t["primary"]), rack(t["secondary"])) << t;
  for (const Json& t : worlds[1]["fleet"]["targets"]) EXPECT_EQ(rack(t["primary"]), rack(t["secondary"])) << t;

  std::map<int, Json> cut, verdict;  // by run
  for (const Json& e : HistoryLines(dir.Sub("h.jsonl"))) {
    if (e["type"] == "invoke") continue;
    if (e["f"] == "fail-domain") cut[e["run"].get<int>()] = e["value"];
    if (e["f"] == "domain-survives") verdict[e["run"].get<int>()] = e["value"]["seen"];
  }
  ASSERT_EQ(cut.size(), 2u);
  for (const auto& [run, value] : cut) {
    EXPECT_EQ(value["type"], "rack");
    ASSERT_EQ(value["domains"].size(), 1u) << value;
    EXPECT_EQ(value["servers"].size(), 2u) << value;
    EXPECT_EQ(value["outlets"].size(), 4u) << "two servers on two PDUs each: " << value;
  }
  EXPECT_TRUE(verdict[1]["down"].empty()) << verdict[1];
  EXPECT_FALSE(verdict[1]["survived"].empty()) << "with seed 1 the dark rack held primaries, which failed over: " << verdict[1];
  ASSERT_FALSE(verdict[2]["down"].empty()) << verdict[2];
  for (const Json& d : verdict[2]["down"]) {
    EXPECT_EQ(d["separated"], false) << d;
    EXPECT_EQ(d["primary_rack"], cut[2]["domains"]) << d;
  }
  const Json default_run = report["runs"][1];
  std::string message;
  for (const Json& s : default_run["steps"]) {
    if (s.value("check", "") == "domain-survives") message = s["message"];
  }
  EXPECT_NE(message.find("down as their placement allows: testfs-"), std::string::npos) << default_run.dump(1);
}

TEST(ScenarioRun, PowerLossPassesAndWritesTheThreeReports) {
  TempDir dir;
  const CliResult r = RunCli({"scenario", "run", Source("scenarios/power-loss.yaml"), "--seed", "3", "--server_count", "2",
                              "--junit", dir.Sub("j.xml"), "--report", dir.Sub("r.json"), "--history", dir.Sub("h.jsonl")},
                             seconds(400));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.out.find("PASS power-loss-of-a-primary #1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("replay: cluster-sim scenario run"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("\r"), std::string::npos) << "no progress line when not on a terminal";

  pugi::xml_document junit;
  ASSERT_TRUE(junit.load_file(dir.Sub("j.xml").c_str()));
  EXPECT_EQ(junit.child("testsuites").attribute("failures").as_int(), 0);
  EXPECT_STREQ(junit.child("testsuites").child("testsuite").attribute("name").value(), "power-loss-of-a-primary");

  std::ifstream report_file(dir.Sub("r.json"));
  const Json report = Json::parse(report_file);
  EXPECT_EQ(report["seed"], 3);
  EXPECT_NE(report["replay"].get<std::string>().find("--seed 3"), std::string::npos);
  EXPECT_EQ(report["passed"], true);
  EXPECT_EQ(report["runs"][0]["steps"].size(), 5u);  // 2 tests, 3 checks
  // The run executed what `plan` with the same seed and fleet prints.
  const CliResult plan = RunCli({"scenario", "plan", Source("scenarios/power-loss.yaml"), "--seed", "3", "--server_count", "2"});
  ASSERT_EQ(plan.exit_code, 0) << plan.Describe();
  EXPECT_EQ(Json::parse(plan.out)["runs"], report["plan"]["runs"]);

  const std::vector<Json> history = HistoryLines(dir.Sub("h.jsonl"));
  ASSERT_FALSE(history.empty());
  int invokes = 0, outcomes = 0;
  std::string victim;
  std::vector<Json> fences;
  for (const Json& e : history) {
    for (const char* key : {"time", "scenario", "repetition", "step", "type", "f", "value"}) EXPECT_TRUE(e.contains(key)) << e;
    if (e["type"] == "fence") {
      fences.push_back(e);
      continue;
    }
    if (e["type"] == "invoke" && e["f"] == "power-off") victim = e["value"]["server"];
    invokes += e["type"] == "invoke";
    outcomes += e["type"] != "invoke";
  }
  EXPECT_EQ(invokes, outcomes);
  EXPECT_EQ(invokes, 6);  // heal + 2 tests + 3 checks
  // The world registered with --create_pdu_entries: the cluster fenced the
  // server that lost power, through its outlets, and the history says so.
  ASSERT_FALSE(victim.empty());
  ASSERT_EQ(fences.size(), 1u) << dir.Sub("h.jsonl");
  const Json& fence = fences[0];
  EXPECT_EQ(fence["f"], "reboot");
  EXPECT_GE(fence["step"].get<int>(), 1) << "after the power-off step";
  EXPECT_EQ(fence["value"]["fqdn"], victim);
  EXPECT_EQ(fence["value"]["outcome"], "ok") << fence;
  EXPECT_TRUE(fence["value"]["executor_fqdn"].is_string() && fence["value"]["executor_fqdn"] != victim) << fence;
  EXPECT_FALSE(fence["value"]["outlets"].empty()) << fence;
}

TEST(ScenarioRun, AWrongExpectationFailsWithAJunitFailureThatSaysWhy) {
  TempDir dir;
  const std::string file = Write(dir, "wrong.yaml", R"(
- name: wrong-expectation
  requires:
    victim: {server: primary}
  steps:
    - test: kill-server
      server: $victim
  checks:
    - check: target-on
      target: $victim.target
      server: $victim
      within: 3s
)");
  const CliResult r = RunCli({"scenario", "run", file, "--seed", "5", "--server_count", "2", "--junit", dir.Sub("j.xml")},
                             seconds(300));
  ASSERT_EQ(r.exit_code, 1) << r.Describe();
  pugi::xml_document junit;
  ASSERT_TRUE(junit.load_file(dir.Sub("j.xml").c_str()));
  pugi::xml_node failure = junit.child("testsuites").child("testsuite").child("testcase").child("failure");
  ASSERT_TRUE(failure) << r.Describe();
  const std::string message = failure.attribute("message").value();
  EXPECT_NE(message.find("check target-on (step 2, within 3s) failed: expected testfs-"), std::string::npos) << message;
  EXPECT_NE(message.find("but the simulator runs"), std::string::npos) << message;
  const std::string text = failure.text().get();
  EXPECT_NE(text.find("seed: 5"), std::string::npos) << text;
  EXPECT_NE(text.find("replay: cluster-sim scenario run"), std::string::npos) << text;
  EXPECT_NE(r.err.find("world: kept"), std::string::npos) << "a failed run keeps its world for inspection: " << r.err;
  std::smatch m;
  if (std::regex_search(r.err, m, std::regex("world: kept (/tmp/cluster-sim-scenario\\.\\w+)/"))) {
    std::filesystem::remove_all(m[1].str());
  }
}

TEST(ScenarioRun, CrashSimulatorTwentyTimesKeepsInvariantsAndNoLostActions) {
  TempDir dir;
  const std::string file = Write(dir, "crash.yaml", R"(
- name: crash-loop
  repeat: 20
  requires:
    victim: {server: primary}
  steps:
    - test: failover
      target: $victim.target
      wait: false
    - test: crash-simulator
      delay: {range: [0ms, 800ms]}
  checks:
    - check: invariants
    - check: commands-finish
      within: 60s
    - check: no-lost-actions
      within: 20s
)");
  const CliResult r = RunCli({"scenario", "run", file, "--seed", "20", "--server_count", "2", "--report", dir.Sub("r.json")},
                             seconds(1500));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::ifstream report_file(dir.Sub("r.json"));
  const Json report = Json::parse(report_file);
  EXPECT_EQ(report["summary"]["passed"], 20);
}

TEST(ScenarioRun, ParallelRunsOnDisjointClustersInterleaveAndStayAttributable) {
  TempDir dir;
  const std::string file = Write(dir, "parallel.yaml", R"(
- name: agent-blip
  repeat: 2
  requires:
    victim: {server: any}
  steps:
    - test: kill-agent
      server: $victim
    - test: restart-agent
      server: $victim
      delay: 1s
  checks:
    - check: manager-agrees
      within: 60s
    - check: targets-running
)");
  const CliResult r = RunCli({"scenario", "run", file, "--seed", "9", "--server_count", "4", "--parallel", "2",
                              "--history", dir.Sub("h.jsonl"), "--report", dir.Sub("r.json")},
                             seconds(400));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::ifstream report_file(dir.Sub("r.json"));
  const Json report = Json::parse(report_file);
  ASSERT_EQ(report["runs"].size(), 2u);
  EXPECT_EQ(report["runs"][0]["slot"], 0);
  EXPECT_EQ(report["runs"][1]["slot"], 1);
  const std::vector<Json> history = HistoryLines(dir.Sub("h.jsonl"));
  // Both runs were under way at once: run 2 began before run 1 ended.
  size_t first_of_2 = history.size(), last_of_1 = 0;
  for (size_t i = 0; i < history.size(); ++i) {
    if (history[i]["run"] == 2 && first_of_2 == history.size()) first_of_2 = i;
    if (history[i]["run"] == 1) last_of_1 = i;
  }
  EXPECT_LT(first_of_2, last_of_1);
}

TEST(ScenarioRun, SoakDrawsRunsUntilTheTimeIsUp) {
  TempDir dir;
  const std::string file = Write(dir, "soak.yaml", R"(
- name: blink
  requires:
    victim: {server: any}
  steps:
    - test: latency
      servers: $victim
      latency: 100ms
      duration: 1s
  checks:
    - check: invariants
- name: idle
  weight: 2
  steps:
    - test: wait
      duration: 500ms
  checks:
    - check: commands-finish
)");
  const CliResult r = RunCli({"scenario", "run", file, "--seed", "4", "--server_count", "2", "--soak", "15s", "--report",
                              dir.Sub("r.json")},
                             seconds(400));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::ifstream report_file(dir.Sub("r.json"));
  const Json report = Json::parse(report_file);
  EXPECT_GE(report["summary"]["runs"], 3);
  EXPECT_EQ(report["summary"]["failed"], 0);
}

}  // namespace
}  // namespace cs::testing
