// The HTML report: one self-contained page (no network: Debian's Chart.js
// is read from /usr/share/javascript/chart.js/ and inlined) with the
// summary table of every request type, the failures by reason, and charts
// over time of requests per second, response-time percentiles, failures per
// second and fleet size. Once Chart.js has drawn every chart, the page's
// script sets data-charts-drawn on <body> to their number (tests read it).
#pragma once

#include <string>
#include <vector>

#include "metrics/history.h"
#include "metrics/snapshot.h"
#include "util/status.h"

namespace cs::metrics {

// Where Debian's libjs-chart.js puts the UMD build (the first that exists).
constexpr const char* kChartJsDir = "/usr/share/javascript/chart.js";

struct ReportInput {
  std::string title = "cluster-sim load report";
  std::string subtitle;  // e.g. the command and the manager's URL
  Snapshot snapshot;     // the totals (summary table)
  std::vector<HistoryRow> rows;  // the charts
};

// Chart.js's text; a clear error naming the package when it is missing.
Result<std::string> LoadChartJs(const std::string& dir = kChartJsDir);
std::string RenderHtmlReport(const ReportInput& input, const std::string& chart_js);
// Loads Chart.js, renders, writes `path` (via a temporary file beside it,
// renamed into place, so a reader never sees half a report).
Status WriteHtmlReport(const std::string& path, const ReportInput& input);

// Whether `path` could be written: its directory exists and is writable and
// it is not a directory. For checking options before a run starts.
Status CheckWritablePath(const std::string& path);

}  // namespace cs::metrics
