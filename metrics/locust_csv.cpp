// Locust's CSV files (locust_csv.h). Rows are written the way Python's csv
// module writes them: a field is quoted only when it holds a comma, a quote
// or a line break; lines end with \r\n.
#include "metrics/locust_csv.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace cs::metrics {

namespace {

std::string Field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void Line(std::ostream& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << Field(fields[i]);
  out << "\r\n";
}

// Floats as Locust's figures read: up to 6 decimals, no trailing zeros.
std::string Real(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s += '0';
  return s;
}

std::string Fixed6(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

std::string Int(double v) { return std::to_string(static_cast<int64_t>(std::llround(v))); }
std::string Int(uint64_t v) { return std::to_string(v); }

// Locust orders entries by name, then method; Aggregated comes last.
std::vector<const RequestStats*> Sorted(const Snapshot& s) {
  std::vector<const RequestStats*> out;
  for (const RequestStats& r : s.requests) {
    if (r.count()) out.push_back(&r);  // Locust lists only what was requested
  }
  std::sort(out.begin(), out.end(), [](const RequestStats* a, const RequestStats* b) {
    return std::tie(a->name, a->type) < std::tie(b->name, b->type);
  });
  return out;
}

std::vector<std::string> StatsRow(const RequestStats& r, double elapsed_s) {
  const LatencyHistogram& h = r.latency;
  std::vector<std::string> row = {r.type,
                                  r.name,
                                  Int(h.count()),
                                  Int(r.failures),
                                  Int(h.Percentile(0.5) / 1000.0),
                                  Real(h.mean_micros() / 1000.0),
                                  Real(static_cast<double>(h.min_micros()) / 1000.0),
                                  Real(static_cast<double>(h.max_micros()) / 1000.0),
                                  Real(h.count() ? static_cast<double>(r.content_bytes) / static_cast<double>(h.count()) : 0),
                                  Real(PerSecond(h.count(), elapsed_s)),
                                  Real(PerSecond(r.failures, elapsed_s))};
  for (double q : kLocustPercentiles) row.push_back(h.count() ? Int(h.Percentile(q) / 1000.0) : "N/A");
  return row;
}

std::vector<std::string> HistoryLine(const HistoryRow& row, const HistoryEntry& e) {
  const auto unix_s = std::chrono::duration_cast<std::chrono::seconds>(row.at.time_since_epoch()).count();
  // Rates as Locust's "%2f" prints them; percentiles N/A only before the
  // first request, 0 for a window without one (Locust's full history).
  std::vector<std::string> line = {std::to_string(unix_s), std::to_string(row.gauges.agents_connected), e.type, e.name,
                                   Fixed6(e.rps), Fixed6(e.failures_per_s)};
  for (double p : e.window_percentiles_ms) line.push_back(e.total_count ? Int(p) : "N/A");
  for (const std::string& v : {Int(e.total_count), Int(e.total_failures), Int(e.total_median_ms), Real(e.total_avg_ms),
                               Real(e.total_min_ms), Real(e.total_max_ms), Real(e.total_avg_content)}) {
    line.push_back(v);
  }
  return line;
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError("cannot write " + path);
  out << text;
  out.close();
  if (!out) return Status::IoError("writing " + path + " failed (disk full?)");
  return Status::Ok();
}

std::string StatsText(const Snapshot& s) {
  std::ostringstream out;
  Line(out, LocustStatsColumns());
  for (const RequestStats* r : Sorted(s)) Line(out, StatsRow(*r, s.elapsed_s()));
  RequestStats total = s.Aggregated();
  total.type = "";
  Line(out, StatsRow(total, s.elapsed_s()));
  return out.str();
}

std::string FailuresText(const Snapshot& s) {
  std::ostringstream out;
  Line(out, LocustFailuresColumns());
  for (const RequestStats* r : Sorted(s)) {
    for (const auto& [reason, n] : r->failures_by_reason) Line(out, {r->type, r->name, reason, Int(n)});
  }
  return out.str();
}

void HistoryLines(std::ostream& out, const HistoryRow& row) {
  for (const HistoryEntry& e : row.entries) {
    if (e.total_count || e.name == "Aggregated") Line(out, HistoryLine(row, e));
  }
}

}  // namespace

std::vector<std::string> LocustStatsColumns() {
  std::vector<std::string> c = {"Type",
                                "Name",
                                "Request Count",
                                "Failure Count",
                                "Median Response Time",
                                "Average Response Time",
                                "Min Response Time",
                                "Max Response Time",
                                "Average Content Size",
                                "Requests/s",
                                "Failures/s"};
  c.insert(c.end(), kLocustPercentileNames.begin(), kLocustPercentileNames.end());
  return c;
}

std::vector<std::string> LocustHistoryColumns() {
  std::vector<std::string> c = {"Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s"};
  c.insert(c.end(), kLocustPercentileNames.begin(), kLocustPercentileNames.end());
  for (const char* name : {"Total Request Count", "Total Failure Count", "Total Median Response Time",
                           "Total Average Response Time", "Total Min Response Time", "Total Max Response Time",
                           "Total Average Content Size"}) {
    c.emplace_back(name);
  }
  return c;
}

std::vector<std::string> LocustFailuresColumns() { return {"Method", "Name", "Error", "Occurrences"}; }

std::string StatsCsvPath(const std::string& prefix) { return prefix + "_stats.csv"; }
std::string HistoryCsvPath(const std::string& prefix) { return prefix + "_stats_history.csv"; }
std::string FailuresCsvPath(const std::string& prefix) { return prefix + "_failures.csv"; }

Status WriteLocustStatsAndFailures(const std::string& prefix, const Snapshot& snapshot) {
  CS_RETURN_IF_ERROR(WriteFile(StatsCsvPath(prefix), StatsText(snapshot)));
  return WriteFile(FailuresCsvPath(prefix), FailuresText(snapshot));
}

Status WriteLocustCsv(const std::string& prefix, const Snapshot& snapshot, const std::vector<HistoryRow>& rows) {
  std::ostringstream history;
  Line(history, LocustHistoryColumns());
  for (const HistoryRow& row : rows) HistoryLines(history, row);
  CS_RETURN_IF_ERROR(WriteFile(HistoryCsvPath(prefix), history.str()));
  return WriteLocustStatsAndFailures(prefix, snapshot);
}

Status HistoryCsv::Open(const std::string& prefix) {
  prefix_ = prefix;
  Snapshot empty;
  CS_RETURN_IF_ERROR(WriteLocustStatsAndFailures(prefix, empty));
  out_.open(HistoryCsvPath(prefix), std::ios::binary | std::ios::trunc);
  if (!out_) return Status::IoError("cannot write " + HistoryCsvPath(prefix));
  Line(out_, LocustHistoryColumns());
  out_.flush();
  if (!out_) return Status::IoError("writing " + HistoryCsvPath(prefix) + " failed");
  return Status::Ok();
}

Status HistoryCsv::Append(const HistoryRow& row) {
  if (!out_.is_open()) return Status::FailedPrecondition("the history CSV is not open");
  HistoryLines(out_, row);
  out_.flush();
  if (!out_) return Status::IoError("appending to " + HistoryCsvPath(prefix_) + " failed (disk full?)");
  return Status::Ok();
}

}  // namespace cs::metrics
