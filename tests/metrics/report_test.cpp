// The report writers against the real tools: Locust's CSV headers and
// layout compared with files Debian's python3-locust writes itself; the
// HTML report rendered by headless Chromium, whose DOM must show every
// chart drawn; the history's bounded memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "metrics/history.h"
#include "metrics/html_report.h"
#include "metrics/locust_csv.h"
#include "metrics/prometheus.h"
#include "tests/metrics/report_checks.h"
#include "tests/state/temp_dir.h"

namespace cs::metrics {
namespace {

using testing::Fields;
using testing::RunCommand;

std::vector<std::string> Lines(const std::string& path) { return testing::FileLines(path); }

// A run of 40 s: DATA and long polls, some failures, a fleet growing to 10.
struct FakeRun {
  Snapshot snapshot;
  std::vector<HistoryRow> rows;
};

FakeRun MakeRun(size_t max_rows = 2048, int samples = 20) {
  History history(max_rows);
  Snapshot s;
  s.started_at = WallTime(std::chrono::seconds(1700000000));
  s.requests.resize(2);
  s.requests[0].type = "POST";
  s.requests[0].name = "DATA";
  s.requests[1].type = "GET";
  s.requests[1].name = "long poll";
  for (int i = 1; i <= samples; ++i) {
    for (int j = 0; j < 50; ++j) s.requests[0].latency.Record(static_cast<uint64_t>(1000 + 200 * j + 100 * i));
    s.requests[0].content_bytes += 50 * 20;
    for (int j = 0; j < 10; ++j) s.requests[1].latency.Record(static_cast<uint64_t>(500000 + 1000 * j));
    if (i % 5 == 0) {
      s.requests[0].latency.Record(30000);
      ++s.requests[0].failures;
      ++s.requests[0].failures_by_reason["HTTP 500"];
    }
    s.gauges.servers_running = std::min(10, i);
    s.gauges.agents_connected = std::min(10, i - 1);
    s.taken_at = s.started_at + std::chrono::seconds(2 * i);
    history.Add(s);
  }
  return FakeRun{s, history.Rows()};
}

TEST(LocustCsvTest, HeadersAndLayoutEqualLocustsOwn) {
  testing::TempDir dir;
  const std::string ref = dir.path() + "/ref", ours = dir.path() + "/ours";
  std::string output;
  ASSERT_TRUE(testing::WriteLocustReference(ref, &output)) << output;
  FakeRun run = MakeRun();
  ASSERT_TRUE(WriteLocustCsv(ours, run.snapshot, run.rows).ok());
  for (const auto& [theirs, mine] : {std::pair{StatsCsvPath(ref), StatsCsvPath(ours)},
                                     std::pair{HistoryCsvPath(ref), HistoryCsvPath(ours)},
                                     std::pair{FailuresCsvPath(ref), FailuresCsvPath(ours)}}) {
    const auto reference = Lines(theirs), written = Lines(mine);
    ASSERT_GE(reference.size(), 2u) << theirs;
    ASSERT_GE(written.size(), 2u) << mine;
    EXPECT_EQ(written[0], reference[0]) << mine;
    for (const std::string& line : written) EXPECT_EQ(Fields(line), Fields(reference[0])) << mine << ": " << line;
  }
  // The Aggregated row comes last in stats.csv, with an empty Type, as Locust's.
  const auto stats = Lines(StatsCsvPath(ours));
  EXPECT_EQ(stats.back().rfind(",Aggregated,", 0), 0u) << stats.back();
  EXPECT_EQ(Lines(StatsCsvPath(ref)).back().rfind(",Aggregated,", 0), 0u);
  // Locust sorts by name: "DATA" before "long poll".
  EXPECT_EQ(stats[1].rfind("POST,DATA,1004,4,", 0), 0u) << stats[1];
  EXPECT_EQ(stats[2].rfind("GET,long poll,200,0,", 0), 0u) << stats[2];
  EXPECT_EQ(Lines(FailuresCsvPath(ours))[1], "POST,DATA,HTTP 500,4");
  // 20 samples, each with both types and the Aggregated line.
  EXPECT_EQ(Lines(HistoryCsvPath(ours)).size(), 1u + 20 * 3);
}

TEST(LocustCsvTest, AppendedHistoryGrowsRowByRow) {
  testing::TempDir dir;
  const std::string prefix = dir.path() + "/run";
  HistoryCsv csv;
  ASSERT_TRUE(csv.Open(prefix).ok());
  EXPECT_EQ(Lines(HistoryCsvPath(prefix)).size(), 1u);
  EXPECT_EQ(Lines(StatsCsvPath(prefix)).size(), 2u);  // header and an empty Aggregated row
  FakeRun run = MakeRun();
  ASSERT_TRUE(csv.Append(run.rows[0]).ok());
  ASSERT_TRUE(csv.Append(run.rows[1]).ok());
  EXPECT_EQ(Lines(HistoryCsvPath(prefix)).size(), 1u + 2 * 3);
  EXPECT_FALSE(HistoryCsv().Open(dir.path() + "/no/such/dir/run").ok());
}

TEST(HistoryTest, MemoryStaysBoundedAndSpansTheWholeRun) {
  FakeRun run = MakeRun(/*max_rows=*/8, /*samples=*/100);
  EXPECT_LT(run.rows.size(), 8u);
  EXPECT_GE(run.rows.size(), 4u);
  EXPECT_EQ(run.rows.front().at, WallTime(std::chrono::seconds(1700000002)));
  EXPECT_GE(run.rows.back().at, WallTime(std::chrono::seconds(1700000000 + 2 * 80)));
}

TEST(HistoryTest, WindowRatesAreThoseOfTheInterval) {
  FakeRun run = MakeRun();
  const HistoryEntry& data = run.rows[3].entries[0];
  EXPECT_EQ(data.name, "DATA");
  EXPECT_DOUBLE_EQ(data.rps, 50.0 / 2.0);
  EXPECT_EQ(run.rows[3].aggregated().name, "Aggregated");
  EXPECT_DOUBLE_EQ(run.rows[3].aggregated().rps, 60.0 / 2.0);
  EXPECT_DOUBLE_EQ(run.rows[4].entries[0].failures_per_s, 0.5);  // sample 5 had one failure
}

TEST(HtmlReportTest, ChromiumDrawsEveryChart) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/report.html";
  ReportInput input;
  FakeRun run = MakeRun();
  input.snapshot = run.snapshot;
  input.rows = run.rows;
  input.subtitle = "unit test </script><b>escaped</b>";
  ASSERT_TRUE(WriteHtmlReport(path, input).ok());
  std::string dom;
  ASSERT_TRUE(testing::ChromiumDom(path, dir.path(), &dom)) << dom.substr(0, 2000);
  EXPECT_NE(dom.find("data-charts-drawn=\"4\""), std::string::npos) << dom.substr(0, 3000);
  EXPECT_NE(dom.find("HTTP 500"), std::string::npos);  // the failures table
  EXPECT_NE(dom.find("Aggregated"), std::string::npos);
  EXPECT_EQ(dom.find("<b>escaped</b>"), std::string::npos);
  // No network: nothing in the page asks for another resource.
  std::ifstream in(path);
  std::stringstream page;
  page << in.rdbuf();
  EXPECT_EQ(page.str().find("src=\"http"), std::string::npos);
  EXPECT_EQ(page.str().find("href=\"http"), std::string::npos);
}

TEST(HtmlReportTest, MissingChartJsAndBadPathsAreClearErrors) {
  auto missing = LoadChartJs("/nonexistent");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("libjs-chart.js"), std::string::npos);
  EXPECT_FALSE(CheckWritablePath("/nonexistent/dir/report.html").ok());
  EXPECT_FALSE(CheckWritablePath("/tmp").ok());
  EXPECT_FALSE(CheckWritablePath("").ok());
  EXPECT_TRUE(CheckWritablePath("/tmp/cluster-sim-report-check.html").ok());
}

TEST(PrometheusTest, TextParsesWithPrometheusClient) {
  testing::TempDir dir;
  FakeRun run = MakeRun();
  run.snapshot.requests[1].name = "long \"poll\"\\";  // label escaping
  const std::string path = dir.path() + "/metrics.txt";
  std::ofstream(path) << PrometheusText(run.snapshot);
  std::string output;
  const std::string script =
      "import sys\n"
      "from prometheus_client.parser import text_string_to_metric_families\n"
      "fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}\n"
      "h = fams['cluster_sim_request_duration_seconds']\n"
      "assert h.type == 'histogram', h.type\n"
      "names = {s.labels['name'] for s in h.samples}\n"
      "assert names == {'DATA', 'long \"poll\"\\\\'}, names\n"
      "inf = [s.value for s in h.samples if s.name.endswith('_bucket') and s.labels['le'] == '+Inf' and s.labels['name'] == 'DATA']\n"
      "assert inf == [1004.0], inf\n"
      "print('ok')\n";
  std::ofstream(dir.path() + "/check.py") << script;
  ASSERT_EQ(RunCommand("/usr/bin/python3 " + dir.path() + "/check.py " + path, &output), 0) << output;
}

}  // namespace
}  // namespace cs::metrics
