#include "tests/benchmark/bench_test_util.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "bench/child_process.h"
#include "metrics/locust_csv.h"
#include "tests/metrics/report_checks.h"
#include "tests/util/terminal_run.h"
#include "util/json_parse.h"

namespace cs::benchmark::testing {

std::string MakeDir() {
  char pattern[] = "/tmp/cs-bench-test-XXXXXX";
  return mkdtemp(pattern) ? std::string(pattern) : std::string("/tmp");
}

void RemoveDir(const std::string& dir) {
  std::error_code ec;
  if (dir.rfind("/tmp/cs-bench-test-", 0) == 0) std::filesystem::remove_all(dir, ec);
}

BenchRun RunBench(const std::vector<std::string>& args, const std::string& dir, int timeout_s) {
  std::vector<std::string> argv = {CS_BINARY, "bench"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--report", dir + "/report.json"});
  bench::ChildProcess p(argv, dir + "/bench.log");
  BenchRun run;
  run.status = p.Wait(std::chrono::seconds(timeout_s));
  if (run.status == -1) p.Stop();
  run.output = p.Output();
  std::ifstream in(dir + "/report.json");
  std::stringstream text;
  text << in.rdbuf();
  run.report = ParseUntrustedJsonOrDiscarded(text.str());
  if (run.report.is_discarded()) run.report = nullptr;
  return run;
}

BenchRun RunBenchOnTerminal(const std::vector<std::string>& args, int timeout_s) {
  std::vector<std::string> argv = {CS_BINARY, "bench"};
  argv.insert(argv.end(), args.begin(), args.end());
  const cs::testing::TerminalRun t = cs::testing::RunOnTerminal(argv, timeout_s);
  BenchRun run;
  run.status = t.status;
  run.output = t.output;
  return run;
}

std::vector<std::string> FastOptions(double throttle) {
  std::ostringstream rate;
  rate << throttle;
  return {"--poll-seconds", "1", "--throttle-rx", rate.str(), "--monitor-period", "0.5", "--timeout", "200"};
}

void ExpectLocustCsvAndHtml(const std::string& prefix, const std::string& html, const std::string& dir) {
  using cs::testing::FileLines;
  std::string output;
  ASSERT_TRUE(cs::testing::WriteLocustReference(dir + "/locust", &output)) << output;
  for (const auto& [theirs, ours] :
       {std::pair{metrics::StatsCsvPath(dir + "/locust"), metrics::StatsCsvPath(prefix)},
        std::pair{metrics::HistoryCsvPath(dir + "/locust"), metrics::HistoryCsvPath(prefix)},
        std::pair{metrics::FailuresCsvPath(dir + "/locust"), metrics::FailuresCsvPath(prefix)}}) {
    const auto reference = FileLines(theirs), written = FileLines(ours);
    ASSERT_GE(reference.size(), 1u) << theirs;
    ASSERT_GE(written.size(), 1u) << ours;
    EXPECT_EQ(written[0], reference[0]) << ours;
    const size_t fields = cs::testing::Fields(reference[0]);
    for (const std::string& line : written) EXPECT_EQ(cs::testing::Fields(line), fields) << ours << ": " << line;
  }
  const auto stats = FileLines(metrics::StatsCsvPath(prefix));
  auto has_row = [&](const std::string& start) {
    return std::any_of(stats.begin(), stats.end(), [&](const std::string& l) { return l.rfind(start, 0) == 0; });
  };
  EXPECT_TRUE(has_row("GET,/api/host/?limit=0,")) << stats.size();   // a monitor's path
  EXPECT_TRUE(has_row("GET,/api/system_status/,")) << stats.size();  // the queue monitor
  EXPECT_TRUE(has_row("CONTROL,")) << stats.size();                  // the simulator's operations
  EXPECT_EQ(stats.back().rfind(",Aggregated,", 0), 0u) << stats.back();
  // A row every 2 s: a run of several seconds has rows of the Aggregated line.
  const auto history = FileLines(metrics::HistoryCsvPath(prefix));
  EXPECT_GE(std::count_if(history.begin(), history.end(),
                          [](const std::string& l) { return l.find(",Aggregated,") != std::string::npos; }),
            2)
      << history.size();
  std::string dom;
  ASSERT_TRUE(cs::testing::ChromiumDom(html, dir, &dom)) << dom.substr(0, 2000);
  EXPECT_NE(dom.find("data-charts-drawn=\"4\""), std::string::npos) << dom.substr(0, 3000);
  EXPECT_NE(dom.find("/api/host/?limit=0"), std::string::npos);  // the summary table
}

}  // namespace cs::benchmark::testing
