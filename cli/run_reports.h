// RunReports: what `register` and `run` report about load while they run
// and when they stop (metrics/, docs/metrics.md):
//   --csv PREFIX  Locust's PREFIX_stats.csv, PREFIX_stats_history.csv (a row
//                 appended every sample) and PREFIX_failures.csv, the first
//                 and last rewritten every sample and at the end;
//   --html FILE   the HTML report, written at the end;
//   on a terminal, one live line (fleet, requests per second, p95,
//   failures, elapsed) refreshed every second; nothing when stdout is not
//   a terminal.
// CheckReportPaths runs before anything starts, so a path that cannot be
// written costs one clear line and exit status 2, not a run without its
// report.
#pragma once

#include <optional>
#include <string>

#include "sim/simulator.h"
#include "util/status.h"

namespace cs::cli {

struct ReportOptions {
  std::optional<std::string> csv_prefix;
  std::optional<std::string> html;
};

// Every file the options name can be written; Chart.js is there for --html.
Status CheckReportPaths(const ReportOptions& options);

class RunReports {
 public:
  RunReports(Simulator& sim, ReportOptions options, std::string subtitle);
  // Opens the CSV files and starts appending to the history.
  Status Start();
  // The live line, when stdout is a terminal (called about once a second).
  void ShowLiveLine();
  // The last sample and every file; errors are printed, and make it false.
  bool Finish();

 private:
  Simulator& sim_;
  ReportOptions options_;
  std::string subtitle_;
  bool tty_;
  bool shown_ = false;
  struct Csv;
  std::shared_ptr<Csv> csv_;
};

}  // namespace cs::cli
