// History: rows over time with bounded memory (history.h).
#include "metrics/history.h"

namespace cs::metrics {

namespace {

double MicrosToMs(double micros) { return micros / 1000.0; }

}  // namespace

HistoryEntry MakeEntry(const RequestStats& now, const RequestStats* before, double window_s) {
  HistoryEntry e;
  e.type = now.type;
  e.name = now.name;
  const LatencyHistogram window = before ? now.latency.Since(before->latency) : now.latency;
  const uint64_t window_failures = before && now.failures >= before->failures ? now.failures - before->failures
                                                                                : (before ? 0 : now.failures);
  e.window_count = window.count();
  e.rps = PerSecond(window.count(), window_s);
  e.failures_per_s = PerSecond(window_failures, window_s);
  if (window.count()) {
    for (size_t i = 0; i < kLocustPercentiles.size(); ++i) e.window_percentiles_ms[i] = MicrosToMs(window.Percentile(kLocustPercentiles[i]));
  }
  const LatencyHistogram& total = now.latency;
  e.total_count = total.count();
  e.total_failures = now.failures;
  e.total_median_ms = MicrosToMs(total.Percentile(0.5));
  e.total_avg_ms = MicrosToMs(total.mean_micros());
  e.total_min_ms = MicrosToMs(static_cast<double>(total.min_micros()));
  e.total_max_ms = MicrosToMs(static_cast<double>(total.max_micros()));
  e.total_avg_content = total.count() ? static_cast<double>(now.content_bytes) / static_cast<double>(total.count()) : 0;
  return e;
}

History::History(size_t max_rows) : max_rows_(std::max<size_t>(max_rows, 2)) {}

HistoryRow History::Add(const Snapshot& snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  HistoryRow row;
  row.at = snapshot.taken_at;
  row.gauges = snapshot.gauges;
  const WallTime since = previous_ ? previous_->taken_at : snapshot.started_at;
  const double window_s = std::chrono::duration<double>(snapshot.taken_at - since).count();
  auto find_before = [&](const RequestStats& r) -> const RequestStats* {
    if (!previous_) return nullptr;
    for (const RequestStats& p : previous_->requests) {
      if (p.type == r.type && p.name == r.name) return &p;
    }
    return nullptr;
  };
  for (const RequestStats& r : snapshot.requests) row.entries.push_back(MakeEntry(r, find_before(r), window_s));
  const RequestStats total = snapshot.Aggregated();
  std::optional<RequestStats> total_before;
  if (previous_) total_before = previous_->Aggregated();
  row.entries.push_back(MakeEntry(total, total_before ? &*total_before : nullptr, window_s));
  row.entries.back().type = "";
  previous_ = snapshot;

  if (++since_kept_ >= stride_) {
    since_kept_ = 0;
    rows_.push_back(row);
    if (rows_.size() >= max_rows_) {
      std::vector<HistoryRow> thinned;
      for (size_t i = 0; i < rows_.size(); i += 2) thinned.push_back(std::move(rows_[i]));
      rows_ = std::move(thinned);
      stride_ *= 2;
    }
  }
  return row;
}

std::vector<HistoryRow> History::Rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_;
}

size_t History::stride() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stride_;
}

}  // namespace cs::metrics
