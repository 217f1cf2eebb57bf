// RunReports: see run_reports.h.
#include "cli/run_reports.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <mutex>

#include "metrics/html_report.h"
#include "metrics/locust_csv.h"

namespace cs::cli {

struct RunReports::Csv {
  metrics::HistoryCsv history;
  bool failed = false;  // said once in the log, not every sample
};

Status CheckReportPaths(const ReportOptions& options) {
  if (options.csv_prefix) {
    for (const std::string& path : {metrics::StatsCsvPath(*options.csv_prefix), metrics::HistoryCsvPath(*options.csv_prefix),
                                    metrics::FailuresCsvPath(*options.csv_prefix)}) {
      CS_RETURN_IF_ERROR(metrics::CheckWritablePath(path).Context("--csv"));
    }
  }
  if (options.html) {
    CS_RETURN_IF_ERROR(metrics::CheckWritablePath(*options.html).Context("--html"));
    auto chart_js = metrics::LoadChartJs();
    if (!chart_js.ok()) return chart_js.status().Context("--html");
  }
  return Status::Ok();
}

RunReports::RunReports(Simulator& sim, ReportOptions options, std::string subtitle)
    : sim_(sim), options_(std::move(options)), subtitle_(std::move(subtitle)), tty_(isatty(STDOUT_FILENO) == 1) {}

Status RunReports::Start() {
  if (!options_.csv_prefix) return Status::Ok();
  csv_ = std::make_shared<Csv>();
  CS_RETURN_IF_ERROR(csv_->history.Open(*options_.csv_prefix).Context("--csv"));
  Log& log = sim_.log();
  const std::string prefix = *options_.csv_prefix;
  sim_.sampler().SetListener([csv = csv_, &log, prefix](const metrics::HistoryRow& row, const metrics::Snapshot& snapshot) {
    Status s = csv->history.Append(row);
    if (s.ok()) s = metrics::WriteLocustStatsAndFailures(prefix, snapshot);
    if (!s.ok() && !csv->failed) log.Error("", "--csv: " + s.message() + " (will retry every sample)");
    csv->failed = !s.ok();
  });
  return Status::Ok();
}

void RunReports::ShowLiveLine() {
  if (!tty_) return;
  const auto row = sim_.sampler().Latest();
  const metrics::Snapshot now = sim_.Stats();
  const int elapsed = static_cast<int>(now.elapsed_s());
  const metrics::RequestStats total = now.Aggregated();
  char line[256];
  std::snprintf(line, sizeof line, "fleet %lld/%lld agents | %.1f req/s | p95 %.1f ms | failures %llu | %02d:%02d:%02d",
                static_cast<long long>(now.gauges.agents_connected), static_cast<long long>(now.gauges.servers_running),
                row ? row->aggregated().rps : 0.0, row ? row->aggregated().window_percentiles_ms[5] : 0.0,
                static_cast<unsigned long long>(total.failures), elapsed / 3600, elapsed / 60 % 60, elapsed % 60);
  std::cout << "\r\033[K" << line << std::flush;
  shown_ = true;
}

bool RunReports::Finish() {
  if (shown_) std::cout << "\n" << std::flush;
  if (!options_.csv_prefix && !options_.html) return true;
  // The sampler stops first, so the final row is the last one written.
  sim_.sampler().Stop();
  sim_.sampler().SampleNow();
  bool ok = true;
  const metrics::Snapshot final_figures = sim_.Stats();
  if (options_.csv_prefix) {
    Status s = metrics::WriteLocustStatsAndFailures(*options_.csv_prefix, final_figures);
    if (!s.ok()) {
      std::cerr << "cluster-sim: --csv: " << s.message() << std::endl;
      ok = false;
    }
  }
  if (options_.html) {
    metrics::ReportInput input;
    input.subtitle = subtitle_;
    input.snapshot = final_figures;
    input.rows = sim_.sampler().history().Rows();
    Status s = metrics::WriteHtmlReport(*options_.html, input);
    if (!s.ok()) {
      std::cerr << "cluster-sim: --html: " << s.message() << std::endl;
      ok = false;
    }
  }
  return ok;
}

}  // namespace cs::cli
