// BenchReports: `cluster-sim bench --csv PREFIX --html FILE`, the load
// reports of docs/metrics.md for the benchmark's own requests (the
// RequestRecorder's rows: the modes' REST calls, the monitors' seven API
// paths and system_status/, the control API operations such as
// register_many). A sampler thread takes a history row every `period`
// (2 s, as the daemon does) and appends it to PREFIX_stats_history.csv;
// Finish() takes the last row and writes PREFIX_stats.csv,
// PREFIX_failures.csv and the HTML report. The CLI calls Finish() however
// the mode ended (a limit, a bound, an error, SIGINT), so the reports hold
// what was measured. Paths are checked before anything starts
// (cli::CheckReportPaths); Start() creates the CSV files with their headers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "benchmark/recorder.h"
#include "metrics/history.h"
#include "metrics/locust_csv.h"
#include "util/status.h"

namespace cs::benchmark {

struct ReportFiles {
  std::optional<std::string> csv_prefix;
  std::optional<std::string> html;
  std::chrono::milliseconds period{2000};
};

class BenchReports {
 public:
  // `gauges` is called on a thread of its own every `period` (it may be
  // slow: the simulator's control API answers late while it registers a
  // large step), and each row takes the last answer, so rows stay on time.
  BenchReports(ReportFiles files, RequestRecorder& recorder, std::function<metrics::Gauges()> gauges);
  ~BenchReports();  // stops the sampler (without writing: call Finish)

  bool enabled() const { return files_.csv_prefix || files_.html; }
  Status Start();
  // The last row and every file; `subtitle` heads the HTML report.
  Status Finish(const std::string& subtitle);

 private:
  void Run();
  void ReadGauges();
  void Sample();
  void StopSampler();

  const ReportFiles files_;
  RequestRecorder& recorder_;
  std::function<metrics::Gauges()> gauges_;
  metrics::History history_;
  metrics::HistoryCsv csv_;
  std::mutex gauges_mu_;
  metrics::Gauges last_gauges_;
  std::mutex mu_;  // the history file (the sampler and Finish)
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_, gauges_thread_;
};

}  // namespace cs::benchmark
