// The load figures of a live fleet against the built-in manager, as
// processes on 127.0.0.1: `ctl stats` has the five request types with
// counts that fit what happened, and GET /metrics parses with Prometheus's
// own parser (Debian's python3-prometheus-client); `run --csv --html`
// interrupted by SIGINT still writes Locust's CSV files and the report; a
// report path that cannot be written stops the command before it starts.
#include <csignal>
#include <fstream>

#include "tests/integration/e2e_fixture.h"
#include "tests/util/terminal_run.h"

namespace cs::testing {
namespace {

const Json* FindRequest(const Json& stats, const std::string& type, const std::string& name) {
  for (const Json& r : stats["requests"]) {
    if (r["type"] == type && r["name"] == name) return &r;
  }
  return nullptr;
}

class MetricsTest : public EndToEndTest {
 protected:
  std::string ControlUrl() {
    EXPECT_TRUE(simulator->WaitForOutput("control: listening on")) << simulator->Output();
    std::smatch m;
    const std::string out = simulator->Output();
    if (!std::regex_search(out, m, std::regex("control: listening on (127\\.0\\.0\\.1:\\d+)"))) return "";
    return "http://" + m[1].str() + "/";
  }
  Json Stats(const std::string& control_url) {
    CliResult r = RunCli({"ctl", "stats", "--control-url", control_url});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return Json::parse(r.out, nullptr, false);
  }
};

TEST_F(MetricsTest, LiveFleetStatsHaveEveryRequestTypeAndPrometheusParsesThem) {
  StartManager();
  Setup(2);  // 2 servers and a worker
  StartSimulator({"register", "--username", "admin", "--password", "lustre"});
  ASSERT_TRUE(simulator->WaitForOutput("Registered 3 of 3 servers", seconds(120))) << simulator->Output();
  ASSERT_TRUE(AllManaged(3));  // the manager has set them up: actions ran
  const std::string control = ControlUrl();
  ASSERT_FALSE(control.empty());
  Json stats;
  // Every agent has polled and posted at least once by now, or soon.
  ASSERT_TRUE(Eventually([&] {
    stats = Stats(control);
    const Json* action = FindRequest(stats, "ACTION", "round trip");
    return action && (*action)["count"].get<int>() >= 3;
  }, seconds(30))) << stats.dump(1);
  ASSERT_EQ(stats["requests"].size(), 5u) << stats.dump(1);
  const Json* reg = FindRequest(stats, "POST", "register");
  const Json* session = FindRequest(stats, "POST", "session create");
  const Json* data = FindRequest(stats, "POST", "DATA");
  const Json* poll = FindRequest(stats, "GET", "long poll");
  const Json* action = FindRequest(stats, "ACTION", "round trip");
  ASSERT_TRUE(reg && session && data && poll && action) << stats.dump(1);
  EXPECT_EQ((*reg)["count"], 3) << reg->dump();
  EXPECT_EQ((*reg)["failures"], 0) << reg->dump();
  // Each of the 3 agents asks for a session per plugin (several plugins).
  EXPECT_GE((*session)["count"].get<int>(), 3 * 3) << session->dump();
  EXPECT_GE((*data)["count"].get<int>(), (*session)["count"].get<int>() / 4) << data->dump();
  EXPECT_GE((*poll)["count"].get<int>(), 3) << poll->dump();
  EXPECT_GT(stats["long_poll_messages"].get<int>(), 0);
  for (const Json* r : {reg, session, data, poll, action}) {
    int64_t in_buckets = 0;
    for (const Json& b : (*r)["buckets"]) in_buckets += b[1].get<int64_t>();
    EXPECT_EQ(in_buckets, (*r)["count"].get<int64_t>()) << r->dump();
    EXPECT_LE((*r)["min_ms"].get<double>(), (*r)["median_ms"].get<double>()) << r->dump();
    EXPECT_LE((*r)["median_ms"].get<double>(), (*r)["p95_ms"].get<double>()) << r->dump();
    EXPECT_LE((*r)["p95_ms"].get<double>(), (*r)["max_ms"].get<double>()) << r->dump();
    EXPECT_GT((*r)["max_ms"].get<double>(), 0.0) << r->dump();
  }
  EXPECT_EQ(stats["gauges"]["servers_running"], 3);
  EXPECT_EQ(stats["gauges"]["agents_connected"], 3);
  EXPECT_EQ(stats["gauges"]["faults_active"], 0);
  EXPECT_GT(stats["elapsed_s"].get<double>(), 0.0);

  CliResult parsed = RunProgram("/usr/bin/python3",
                                {std::string(CS_SOURCE_DIR) + "/tests/metrics/check_prometheus.py", control + "metrics", "3"});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.Describe();
}

}  // namespace
}  // namespace cs::testing

namespace cs::testing {
namespace {

std::vector<std::string> FileLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

TEST_F(MetricsTest, SigintOfRunWithCsvAndHtmlStillWritesEveryReport) {
  StartManager();
  Setup(2);
  StartSimulator({"register", "--username", "admin", "--password", "lustre"});
  ASSERT_TRUE(simulator->WaitForOutput("Registered 3 of 3 servers", seconds(120))) << simulator->Output();
  ASSERT_EQ(simulator->Stop(), 0) << simulator->Output();
  const std::string prefix = dir.Sub("load"), html = dir.Sub("load.html");
  StartSimulator({"run", "--csv", prefix, "--html", html}, "run.log");
  const std::string history = prefix + "_stats_history.csv";
  // The history is appended while running: a sample with requests in it.
  ASSERT_TRUE(Eventually([&] { return FileLines(history).size() >= 4; }, seconds(60))) << simulator->Output();
  EXPECT_FALSE(PathExists(html));  // the report is written at the end
  ASSERT_EQ(simulator->Stop(seconds(60), SIGINT), 0) << simulator->Output();
  simulator.reset();
  const auto stats = FileLines(prefix + "_stats.csv");
  ASSERT_GE(stats.size(), 3u);
  EXPECT_EQ(stats[0].rfind("Type,Name,Request Count,Failure Count,", 0), 0u) << stats[0];
  EXPECT_EQ(stats.back().rfind(",Aggregated,", 0), 0u) << stats.back();
  bool polled = false;
  for (const std::string& line : stats) polled |= line.rfind("GET,long poll,", 0) == 0;
  EXPECT_TRUE(polled) << stats.size();
  EXPECT_EQ(FileLines(prefix + "_failures.csv").at(0).rfind("Method,Name,Error,Occurrences", 0), 0u);
  ASSERT_TRUE(PathExists(html));
  EXPECT_NE(ReadFile(html).find("new Chart("), std::string::npos);
}

// `run` on a terminal: one line refreshed every second with the fleet
// (agents connected / servers running), requests per second, p95,
// failures and elapsed time; piped, nothing of it (the other tests' logs).
TEST_F(MetricsTest, RunShowsTheLiveLineOnATerminalOnly) {
  StartManager();
  Setup(2);
  StartSimulator({"register", "--username", "admin", "--password", "lustre"});
  ASSERT_TRUE(simulator->WaitForOutput("Registered 3 of 3 servers", seconds(120))) << simulator->Output();
  ASSERT_EQ(simulator->Stop(), 0) << simulator->Output();
  EXPECT_EQ(simulator->Output().find("req/s"), std::string::npos) << simulator->Output();  // piped
  simulator.reset();
  const std::regex line(
      R"(\r\x1b\[Kfleet (\d+)/(\d+) agents \| ([0-9.]+) req/s \| p95 ([0-9.]+) ms \| failures (\d+) \| (\d\d):(\d\d):(\d\d))");
  auto lines = [&](const std::string& out) {
    return std::distance(std::sregex_iterator(out.begin(), out.end(), line), std::sregex_iterator());
  };
  std::vector<std::string> argv = {CS_BINARY, "--config", dir.Sub("sim"), "--ca", dir.Sub("mgr/ca.crt"), "run"};
  for (const char* a : {"--poll-seconds", "0.5", "--start-spread-seconds", "0.2", "--boot-seconds", "0.2",
                        "--control-listen", "127.0.0.1:0", "--pdu-port-offset"}) {
    argv.push_back(a);
  }
  argv.push_back(std::to_string(UniquePortOffset()));
  // Until the line has shown every agent connected and requests flowing, a few times.
  const TerminalRun run = RunOnTerminal(argv, 120, [&](const std::string& out) {
    int full = 0;
    for (auto it = std::sregex_iterator(out.begin(), out.end(), line); it != std::sregex_iterator(); ++it) {
      full += (*it)[1] == "3" && (*it)[2] == "3" && std::stod((*it)[3]) > 0;
    }
    return full >= 3;
  });
  EXPECT_EQ(run.status, 0) << run.output;
  ASSERT_GE(lines(run.output), 3) << run.output;
  std::smatch last;
  for (auto it = std::sregex_iterator(run.output.begin(), run.output.end(), line); it != std::sregex_iterator(); ++it) {
    last = *it;
  }
  EXPECT_EQ(last[1], "3") << last[0];
  EXPECT_EQ(last[2], "3") << last[0];
  EXPECT_GT(std::stod(last[3]), 0.0) << last[0];
  EXPECT_GT(std::stod(last[4]), 0.0) << last[0];
  EXPECT_EQ(last[5], "0") << last[0];
  EXPECT_GE(std::stoi(last[8]) + 60 * std::stoi(last[7]), 1) << last[0];
}

TEST_F(MetricsTest, UnwritableReportPathsStopTheRunBeforeItStarts) {
  StartManager();
  Setup(1);
  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"run", "--csv", dir.Sub("no/such/dir/x")},
        std::vector<std::string>{"run", "--html", dir.Sub("no/such/dir/x.html")},
        std::vector<std::string>{"register", "--secret", "s", "--html", dir.path()}}) {
    std::vector<std::string> args = {"--config", dir.Sub("sim")};
    args.insert(args.end(), bad.begin(), bad.end());
    args.insert(args.end(), {"--control-listen", "127.0.0.1:0"});
    CliResult r = RunCli(args, seconds(30));
    EXPECT_EQ(r.exit_code, 2) << r.Describe();
    EXPECT_EQ(r.ErrLines().size(), 1u) << r.Describe();
    EXPECT_EQ(r.out, "") << r.Describe();
  }
}

}  // namespace
}  // namespace cs::testing
