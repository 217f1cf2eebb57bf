// The benchmark's own request figures (benchmark/recorder.h) and its load
// reports (benchmark/reports.h) without a manager: request names, failure
// reasons, and the files BenchReports writes from a recorder.
#include <gtest/gtest.h>

#include "benchmark/recorder.h"
#include "benchmark/reports.h"
#include "metrics/locust_csv.h"
#include "tests/metrics/report_checks.h"
#include "tests/state/temp_dir.h"

namespace cs::benchmark {
namespace {

using std::chrono::milliseconds;

TEST(BenchRecorderTest, NamesGroupIdsAndKeepTheMonitorsQueries) {
  EXPECT_EQ(RequestName("api/command/123/"), "/api/command/{id}/");
  EXPECT_EQ(RequestName("api/host/?limit=0"), "/api/host/?limit=0");
  EXPECT_EQ(RequestName("/api/storage_resource/77/"), "/api/storage_resource/{id}/");
  EXPECT_EQ(RequestName("api/registration_token/"), "/api/registration_token/");
  EXPECT_EQ(RequestName("api/fs2/"), "/api/fs2/");  // only whole numeric segments
}

TEST(BenchRecorderTest, FailureReasonsAreShortAndSayWhoFailed) {
  EXPECT_EQ(RestFailureReason(Status::FailedPrecondition("GET api/host/: 503 {\"error\": \"busy\"}")), "HTTP 503");
  EXPECT_EQ(RestFailureReason(Status::Unavailable("the manager did not answer GET api/host/")), "unavailable");
  EXPECT_EQ(RestFailureReason(Status::Unavailable("GET https://127.0.0.1:1/ (/api/session/): connect: Connection refused")),
            "connection refused");
  EXPECT_EQ(RestFailureReason(Status::Corruption("GET api/x/: the answer is not JSON")), "bad answer");
  EXPECT_EQ(ControlFailureReason(Status::InvalidArgument("no server x")), "HTTP 400");
  EXPECT_EQ(ControlFailureReason(Status::Unavailable("queue full")), "HTTP 503");
  EXPECT_EQ(ControlFailureReason(Status::Unavailable("control API register_many: POST http://127.0.0.1:9/ "
                                                     "(register_many): read: Operation timed out")),
            "timeout");
  EXPECT_EQ(ControlFailureReason(Status::Internal("control API answered 500: boom")), "HTTP 500");
}

TEST(BenchReportsTest, RowsEverySampleAndEveryFileAtTheEnd) {
  cs::testing::TempDir dir;
  RequestRecorder recorder;
  const std::string prefix = dir.Sub("load"), html = dir.Sub("load.html");
  BenchReports reports(ReportFiles{prefix, html, milliseconds(50)}, recorder, [] {
    metrics::Gauges g;
    g.servers_running = 4;
    g.agents_connected = 3;
    return g;
  });
  ASSERT_TRUE(reports.Start().ok());
  for (int i = 0; i < 20; ++i) {
    recorder.Record("GET", "/api/host/", milliseconds(10 + i), "", 100);
    recorder.Record(kControlType, "register_many", milliseconds(200), i % 4 == 0 ? "timeout" : "", 10);
    std::this_thread::sleep_for(milliseconds(10));
  }
  std::this_thread::sleep_for(milliseconds(200));
  ASSERT_TRUE(reports.Finish("unit test").ok());
  EXPECT_EQ(recorder.requests(), 40u);
  EXPECT_EQ(recorder.failures(), 5u);
  const auto stats = cs::testing::FileLines(metrics::StatsCsvPath(prefix));
  ASSERT_EQ(stats.size(), 4u);  // header, two types, Aggregated
  EXPECT_EQ(stats[1].rfind("GET,/api/host/,20,0,", 0), 0u) << stats[1];
  EXPECT_EQ(stats[2].rfind("CONTROL,register_many,20,5,", 0), 0u) << stats[2];
  EXPECT_EQ(cs::testing::FileLines(metrics::FailuresCsvPath(prefix)).at(1), "CONTROL,register_many,timeout,5");
  const auto history = cs::testing::FileLines(metrics::HistoryCsvPath(prefix));
  EXPECT_GE(history.size(), 1u + 2 * 2);  // at least two samples of one type and Aggregated
  EXPECT_NE(history.back().find(",3,,Aggregated,"), std::string::npos) << history.back();  // User Count: agents connected
  std::string dom;
  ASSERT_TRUE(cs::testing::ChromiumDom(html, dir.path(), &dom)) << dom.substr(0, 2000);
  EXPECT_NE(dom.find("data-charts-drawn=\"4\""), std::string::npos) << dom.substr(0, 3000);
}

}  // namespace
}  // namespace cs::benchmark
