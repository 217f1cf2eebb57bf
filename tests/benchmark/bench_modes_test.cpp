// Each of the five modes against the built-in manager, throttled so that
// its limit comes within seconds: the mode finds a limit, prints it and
// the monitors (seven API paths sampled, the queues' depths), and writes
// its JSON report. Also bad input (exit 2, one line) and SIGINT mid-mode.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "bench/child_process.h"
#include "benchmark/monitors.h"
#include "metrics/locust_csv.h"
#include "tests/benchmark/bench_test_util.h"
#include "util/json_parse.h"

namespace cs::benchmark::testing {
namespace {

std::string FileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class BenchModeTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeDir(); }
  void TearDown() override { RemoveDir(dir_); }

  BenchRun Run(std::vector<std::string> args, double throttle) {
    for (const std::string& o : FastOptions(throttle)) args.push_back(o);
    return RunBench(args, dir_);
  }

  // The monitors ran throughout and are in the report and the output.
  void ExpectMonitors(const BenchRun& run) {
    ASSERT_TRUE(run.report.is_object()) << run.output;
    const Json& latency = run.report["api_latency"];
    ASSERT_EQ(latency.size(), LatencyPaths().size()) << run.output;
    for (const Json& path : latency) {
      EXPECT_GT(path["samples"].get<int>(), 0) << path.dump();
      EXPECT_TRUE(path["mean_s"].is_number()) << path.dump();
      EXPECT_TRUE(path["p95_s"].is_number()) << path.dump();
      EXPECT_NE(run.output.find(path["path"].get<std::string>() + " "), std::string::npos);
    }
    bool journal = false, jobs = false;
    for (const Json& q : run.report["queues"]) {
      journal = journal || q["name"] == "agent_systemd_journal_rx";
      jobs = jobs || q["name"] == "job_scheduler";
      EXPECT_LE(q["min"].get<double>(), q["average"].get<double>());
      EXPECT_LE(q["average"].get<double>(), q["max"].get<double>());
    }
    EXPECT_TRUE(jobs) << run.report["queues"].dump();
    EXPECT_NE(run.output.find("API latencies"), std::string::npos);
    EXPECT_NE(run.output.find("Queue lengths (avg, min, max):"), std::string::npos);
    (void)journal;
  }

  std::string dir_;
};

TEST_F(BenchModeTest, ConcurrentRegistrationLimitFindsTheFleetWhoseSetupTimesOut) {
  // With the load reports: the benchmark's own requests in Locust's CSVs and the HTML report.
  const std::string prefix = dir_ + "/load", html = dir_ + "/load.html";
  BenchRun run = Run({"concurrent_registration_limit", "--servers", "2", "--command-timeout", "15", "--csv", prefix,
                      "--html", html},
                     3);
  ASSERT_EQ(run.status, 0) << run.output;
  ExpectMonitors(run);
  ExpectLocustCsvAndHtml(prefix, html, dir_);
  EXPECT_NE(FileText(metrics::StatsCsvPath(prefix)).find("CONTROL,register_many,"), std::string::npos);
  EXPECT_TRUE(run.report["limit_found"].get<bool>()) << run.output;
  EXPECT_EQ(run.report["stop_reason"], "failed");
  // Every step but the last registered its servers and set them up.
  const Json& steps = run.report["steps"];
  ASSERT_GE(steps.size(), 1u);
  for (size_t i = 0; i + 1 < steps.size(); ++i) EXPECT_TRUE(steps[i]["ok"].get<bool>()) << steps.dump();
  EXPECT_FALSE(steps.back()["ok"].get<bool>());
  EXPECT_NE(run.output.find("Limit: found"), std::string::npos) << run.output;
}

TEST_F(BenchModeTest, ConcurrentRegistrationLimitCountsAControlTimeoutAsTheLimit) {
  // A control API bound shorter than registering a growing step takes:
  // the step that gets no answer is the limit, not an error.
  // Steps of 20 servers: with group commit a step of 80 registers within
  // the 1.5 s even on a loaded machine, so steps must grow fast enough that
  // a quiet machine meets the bound too (400 servers at the 20th step).
  BenchRun run = Run({"concurrent_registration_limit", "--servers", "20", "--command-timeout", "60", "--control-timeout",
                      "1.5", "--max-steps", "20"},
                     0);
  ASSERT_EQ(run.status, 0) << run.output;
  ASSERT_TRUE(run.report.is_object()) << run.output;
  EXPECT_TRUE(run.report["limit_found"].get<bool>()) << run.output;
  EXPECT_EQ(run.report["stop_reason"], "failed") << run.output;
  const Json& steps = run.report["steps"];
  ASSERT_GE(steps.size(), 1u) << run.output;
  for (size_t i = 0; i + 1 < steps.size(); ++i) EXPECT_TRUE(steps[i]["ok"].get<bool>()) << steps.dump();
  EXPECT_TRUE(steps.back().value("no_answer", false)) << steps.dump();
  // The limit is the last good step.
  EXPECT_EQ(run.report["limit"].get<double>(), 20.0 * static_cast<double>(steps.size() - 1)) << steps.dump();
  EXPECT_NE(run.output.find("got no answer within the control timeout"), std::string::npos) << run.output;
}

TEST_F(BenchModeTest, LogIngestRateFindsTheRateAtWhichTheJournalQueueBacksUp) {
  BenchRun run = Run({"log_ingest_rate", "--servers", "2", "--settle", "2"}, 2);
  ASSERT_EQ(run.status, 0) << run.output;
  ExpectMonitors(run);
  EXPECT_TRUE(run.report["limit_found"].get<bool>()) << run.output;
  EXPECT_EQ(run.report["stop_reason"], "backed up");
  // The throttle takes 2 messages/s from the queue: the drain rate says so.
  const double drain = run.report["extra"]["drain_messages_per_second"].get<double>();
  EXPECT_GT(drain, 0.5);
  EXPECT_LT(drain, 4.0);
  EXPECT_NEAR(run.report["limit"].get<double>(), drain * 64, 1e-6);
  // Log rates doubled from 8 until the queue backed up three steps running.
  const Json& steps = run.report["steps"];
  ASSERT_GE(steps.size(), 3u);
  EXPECT_EQ(steps[0]["log_rate"], 8);
  for (size_t i = steps.size() - 3; i < steps.size(); ++i) EXPECT_TRUE(steps[i]["backed_up"].get<bool>());
  bool journal_seen_deep = false;
  for (const Json& q : run.report["queues"]) {
    if (q["name"] == "agent_systemd_journal_rx") journal_seen_deep = q["max"].get<double>() > 2;
  }
  EXPECT_TRUE(journal_seen_deep) << run.report["queues"].dump();
}

TEST_F(BenchModeTest, ServerCountLimitStopsWhenAQueueBacksUp) {
  BenchRun run = Run({"server_count_limit", "--command-timeout", "60"}, 2);
  ASSERT_EQ(run.status, 0) << run.output;
  ExpectMonitors(run);
  EXPECT_TRUE(run.report["limit_found"].get<bool>()) << run.output;
  EXPECT_EQ(run.report["stop_reason"], "backed up") << run.output;
  EXPECT_FALSE(run.report["steps"].back()["backed_up"].empty());
  EXPECT_NE(run.output.find("is backed up"), std::string::npos);
}

TEST_F(BenchModeTest, FilesystemSizeLimitGrowsUntilAFilesystemFails) {
  // A command bound too short for the throttled manager's formatting.
  BenchRun run = Run({"filesystem_size_limit", "--servers", "4", "--command-timeout", "20", "--max-steps", "4"}, 3);
  ASSERT_EQ(run.status, 0) << run.output;
  ExpectMonitors(run);
  EXPECT_TRUE(run.report["limit_found"].get<bool>()) << run.output;
  EXPECT_EQ(run.report["stop_reason"], "failed");
  EXPECT_FALSE(run.report["steps"].back()["ok"].get<bool>());
}

TEST_F(BenchModeTest, FilesystemSizeLimitUnthrottledReachesItsStepBound) {
  BenchRun run = RunBench({"filesystem_size_limit", "--servers", "4", "--max-steps", "2", "--poll-seconds", "1",
                           "--command-timeout", "120", "--monitor-period", "0.5"},
                          dir_);
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_FALSE(run.report["limit_found"].get<bool>()) << run.output;
  EXPECT_EQ(run.report["stop_reason"], "max steps");
  ASSERT_EQ(run.report["steps"].size(), 2u);
  EXPECT_EQ(run.report["steps"][1]["osts"], 30);
  EXPECT_TRUE(run.report["steps"][1]["ok"].get<bool>()) << run.report["steps"].dump();
}

// On a terminal, one live line rewritten in place: fleet size, requests
// per second, p95, failures, elapsed. Piped (every other test), none of it.
TEST_F(BenchModeTest, LiveLineShowsOnATerminalOnly) {
  BenchRun run = RunBenchOnTerminal({"log_ingest_rate", "--servers", "2", "--settle", "3", "--max-steps", "2",
                                     "--poll-seconds", "1", "--monitor-period", "0.5", "--timeout", "200"});
  ASSERT_EQ(run.status, 0) << run.output;
  const std::regex line(R"(\r\x1b\[Kfleet (\d+) \| ([0-9.]+) req/s \| p95 (\d+) ms \| (\d+) failures \| (\d+) s)");
  std::vector<std::smatch> shown;
  for (auto it = std::sregex_iterator(run.output.begin(), run.output.end(), line); it != std::sregex_iterator(); ++it) {
    shown.push_back(*it);
  }
  ASSERT_GE(shown.size(), 3u) << run.output;  // refreshed every second over a run of several seconds
  const std::smatch& last = shown.back();
  EXPECT_EQ(last[1], "2");                       // log_ingest_rate's fleet
  EXPECT_GT(std::stod(last[2]), 0.0) << last[0];  // the monitors' requests at least
  EXPECT_GT(std::stoi(last[3]), 0) << last[0];    // a p95 of the API latencies
  EXPECT_EQ(last[4], "0");
  EXPECT_GE(std::stoi(last[5]), std::stoi(shown.front()[5]) + 2) << last[0];  // elapsed grows
  // The line is cleared before the report.
  EXPECT_NE(run.output.find("\r\x1b[K", last.position() + last.length()), std::string::npos);
  EXPECT_NE(run.output.find("Limit:"), std::string::npos) << run.output;

  // The same run piped: the report, and nothing of the live line.
  BenchRun piped = Run({"log_ingest_rate", "--servers", "2", "--settle", "3", "--max-steps", "2"}, 0);
  ASSERT_EQ(piped.status, 0) << piped.output;
  EXPECT_NE(piped.output.find("Limit:"), std::string::npos) << piped.output;
  EXPECT_EQ(piped.output.find("req/s"), std::string::npos) << piped.output;
  EXPECT_EQ(piped.output.find("\x1b[K"), std::string::npos) << piped.output;
}

TEST_F(BenchModeTest, UnknownModeIsOneLineAndStatus2) {
  BenchRun run = RunBench({"no_such_mode"}, dir_, 60);
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
  EXPECT_NE(run.output.find("unknown mode 'no_such_mode'"), std::string::npos) << run.output;
}

TEST_F(BenchModeTest, ManagerThatDoesNotAnswerIsOneLineAndStatus2) {
  BenchRun run = RunBench({"reset", "--url", "https://127.0.0.1:1/"}, dir_, 120);
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
  EXPECT_NE(run.output.find("does not answer"), std::string::npos) << run.output;
}

TEST_F(BenchModeTest, ReportPathThatCannotBeWrittenIsOneLineAndStatus2) {
  // Found before anything starts: no manager, no simulator.
  for (const auto& [option, says] : {std::pair{"--report", "cannot write the report file"}, std::pair{"--csv", "--csv"},
                                     std::pair{"--html", "--html"}}) {
    bench::ChildProcess p({CS_BINARY, "bench", "reset", option, "/nonexistent-dir/report"}, dir_ + "/out.log");
    EXPECT_EQ(p.Wait(std::chrono::seconds(60)), 2) << option;
    const std::string out = p.Output();
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_NE(out.find(says), std::string::npos) << out;
    EXPECT_EQ(out.find("starting"), std::string::npos) << out;
  }
}

TEST_F(BenchModeTest, SigintMidModeWritesTheReportOfWhatWasMeasured) {
  const std::string prefix = dir_ + "/load", html = dir_ + "/load.html";
  bench::ChildProcess p({CS_BINARY, "bench", "log_ingest_rate", "--servers", "2", "--poll-seconds", "1", "--settle", "30",
                         "--monitor-period", "0.5", "--report", dir_ + "/report.json", "--csv", prefix, "--html", html},
                        dir_ + "/out.log");
  ASSERT_NE(p.WaitForOutput("(log_rate = 8)", std::chrono::seconds(120)), "") << p.Output();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // a few monitor samples
  ASSERT_EQ(kill(p.pid(), SIGINT), 0);
  EXPECT_EQ(p.Wait(std::chrono::seconds(90)), 130) << p.Output();
  std::ifstream in(dir_ + "/report.json");
  std::stringstream text;
  text << in.rdbuf();
  const Json report = ParseUntrustedJsonOrDiscarded(text.str());
  ASSERT_TRUE(report.is_object()) << p.Output();
  EXPECT_TRUE(report["interrupted"].get<bool>());
  EXPECT_EQ(report["stop_reason"], "interrupted");
  ASSERT_EQ(report["api_latency"].size(), LatencyPaths().size());
  EXPECT_GT(report["api_latency"][0]["samples"].get<int>(), 0);
  EXPECT_FALSE(report["queues"].empty());
  // The monitors so far are printed too.
  EXPECT_NE(p.Output().find("Queue lengths (avg, min, max):"), std::string::npos) << p.Output();
  // And the load reports are written with what was measured.
  ExpectLocustCsvAndHtml(prefix, html, dir_);
  EXPECT_NE(FileText(metrics::StatsCsvPath(prefix)).find("CONTROL,set_log_rate,"), std::string::npos);
}

}  // namespace
}  // namespace cs::benchmark::testing
