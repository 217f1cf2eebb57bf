// Control operations on the load figures (metrics/, docs/metrics.md):
//   stats         every request type's counts, failures by reason and latency
//                 histogram, cumulative since the daemon started, with gauges
//   write_report  the HTML report of the run so far, written to a file
#include "metrics/html_report.h"
#include "metrics/snapshot.h"
#include "sim/control/operations.h"

namespace cs {

namespace {

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<Json> WriteReport(ControlContext& ctx, const ActionArgs& args) {
  const std::string path = args.String("path");
  if (path.empty() || path.front() != '/') {
    return Status::InvalidArgument("write_report: path must be absolute (the daemon's working directory is not yours)");
  }
  if (!EndsWith(path, ".html") && !EndsWith(path, ".htm")) {
    return Status::InvalidArgument("write_report: path must end in .html or .htm, not '" + path + "'");
  }
  CS_RETURN_IF_ERROR(metrics::CheckWritablePath(path).Context("write_report"));
  metrics::ReportInput input;
  input.subtitle = "written on demand by the control API";
  input.snapshot = ctx.sim.Stats();
  input.rows = ctx.sim.sampler().history().Rows();
  CS_RETURN_IF_ERROR(metrics::WriteHtmlReport(path, input).Context("write_report"));
  return Json{{"path", path}, {"samples", input.rows.size()}};
}

}  // namespace

void AddStatsOperations(OperationTable& table) {
  Add(table, "stats", {},
      "Load figures since the daemon started: per request type count, failures by reason, rps, "
      "min/median/p90/p95/p99/p99.9/max, latency buckets; gauges (docs/metrics.md)",
      [](ControlContext& ctx, const ActionArgs&) -> Result<Json> { return metrics::ToJson(ctx.sim.Stats()); });
  Add(table, "write_report", {Required("path", ArgType::kString)},
      "Write the HTML report of the run so far (summary table, charts over time) to an absolute .html path",
      WriteReport);
}

}  // namespace cs
