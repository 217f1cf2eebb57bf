// Reports read back by real parsers: the JUnit XML by pugixml (and by
// Python's xml.etree, as CI tools read it), the JSON report by nlohmann.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <pugixml.hpp>

#include "scenarios/history.h"
#include "scenarios/reports.h"

#include <map>
#include <thread>

namespace cs::scenarios {
namespace {

struct Fixture {
  Plan plan;
  std::vector<RunResult> results;
  RunSummary summary;
  Fixture() {
    plan.seed = 42;
    for (int i = 0; i < 3; ++i) {
      PlannedRun r;
      r.run = i + 1;
      r.scenario = i < 2 ? "power-loss" : "log-storm";
      r.file = "scenarios/x.yaml";
      r.repetition = i < 2 ? i + 1 : 1;
      plan.runs.push_back(r);
    }
    for (const PlannedRun& r : plan.runs) {
      RunResult res;
      res.run = &r;
      res.executed = true;
      res.passed = r.run != 2;
      res.duration_s = 1.5;
      res.steps.push_back({1, "power-off", false, "ok", "", 0, 0.2, nullptr});
      if (!res.passed) {
        res.failure = "check manager-agrees (step 2, within 90s) failed: the manager says <X> runs on a & b";
        res.failures.push_back(res.failure);
        res.steps.push_back({2, "manager-agrees", true, "fail", res.failure, 0.2, 90, nullptr});
      }
      results.push_back(res);
    }
    summary = Summarize(plan, results, 10, "cluster-sim scenario run scenarios/x.yaml --seed 42");
  }
};

TEST(Reports, JunitHasASuitePerScenarioACasePerRepetitionAndFailuresThatSayWhy) {
  Fixture f;
  const std::string xml = JunitXml(f.plan, f.results, f.summary);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  pugi::xml_node suites = doc.child("testsuites");
  EXPECT_EQ(suites.attribute("tests").as_int(), 3);
  EXPECT_EQ(suites.attribute("failures").as_int(), 1);
  pugi::xml_node first = suites.child("testsuite");
  EXPECT_STREQ(first.attribute("name").value(), "power-loss");
  EXPECT_EQ(first.attribute("tests").as_int(), 2);
  EXPECT_EQ(first.attribute("failures").as_int(), 1);
  EXPECT_STREQ(first.child("properties").find_child_by_attribute("property", "name", "seed").attribute("value").value(), "42");
  pugi::xml_node failing = first.find_child_by_attribute("testcase", "name", "repetition 2");
  ASSERT_TRUE(failing);
  pugi::xml_node failure = failing.child("failure");
  ASSERT_TRUE(failure);
  EXPECT_NE(std::string(failure.attribute("message").value()).find("the manager says <X> runs on a & b"), std::string::npos);
  const std::string text = failure.text().get();
  EXPECT_NE(text.find("seed: 42"), std::string::npos) << text;
  EXPECT_NE(text.find("replay: cluster-sim scenario run scenarios/x.yaml --seed 42"), std::string::npos) << text;
  EXPECT_FALSE(first.find_child_by_attribute("testcase", "name", "repetition 1").child("failure"));
  EXPECT_STREQ(first.next_sibling("testsuite").attribute("name").value(), "log-storm");

  // Python's parser, as CI tools use.
  const std::string path = ::testing::TempDir() + "/junit.xml";
  std::ofstream(path) << xml;
  const std::string cmd = "python3 -c \"import xml.etree.ElementTree as E; r=E.parse('" + path +
                          "').getroot(); print(sum(1 for _ in r.iter('failure')), len(list(r.iter('testcase'))))\"";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[64] = {};
  ASSERT_NE(fgets(buf, sizeof buf, p), nullptr);
  pclose(p);
  EXPECT_STREQ(buf, "1 3\n");
}

TEST(Reports, JsonReportCarriesSeedReplayAndTimings) {
  Fixture f;
  const Json j = Json::parse(JsonReport(f.plan, f.results, f.summary).dump());
  EXPECT_EQ(j["seed"], 42);
  EXPECT_EQ(j["replay"], "cluster-sim scenario run scenarios/x.yaml --seed 42");
  EXPECT_EQ(j["passed"], false);
  EXPECT_EQ(j["summary"]["failed"], 1);
  EXPECT_EQ(j["runs"][1]["steps"][1]["duration_s"], 90);
  EXPECT_EQ(j["runs"][1]["steps"][1]["check"], "manager-agrees");
}

TEST(Reports, SummaryNamesFailuresAndTheReplay) {
  Fixture f;
  std::ostringstream out;
  PrintSummary(out, f.results, f.summary);
  const std::string text = out.str();
  EXPECT_NE(text.find("seed 42, 3 run(s): 2 passed, 1 failed"), std::string::npos) << text;
  EXPECT_NE(text.find("FAIL power-loss #2"), std::string::npos) << text;
  EXPECT_NE(text.find("replay: cluster-sim scenario run"), std::string::npos) << text;
}

}  // namespace
}  // namespace cs::scenarios

namespace cs::scenarios {
namespace {

TEST(History, WritesEveryEventAsOneJsonLineFromManyThreads) {
  const std::string path = ::testing::TempDir() + "/history_test.jsonl";
  {
    auto history = History::Open(path);
    ASSERT_TRUE(history.ok());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 100; ++i) (*history)->Record(t + 1, "s", 1, i, "invoke", "wait", Json{{"i", i}});
      });
    }
    for (std::thread& th : threads) th.join();
    EXPECT_EQ((*history)->events(), 400u);
  }
  std::ifstream in(path);
  std::string line;
  std::map<int, int> next;  // per run, steps stay in order
  size_t lines = 0;
  while (std::getline(in, line)) {
    const Json e = Json::parse(line);
    EXPECT_EQ(e["step"], next[e["run"]]++);
    ++lines;
  }
  EXPECT_EQ(lines, 400u);
  EXPECT_FALSE(History::Open("/nonexistent/dir/h.jsonl").ok());
}

}  // namespace
}  // namespace cs::scenarios
