// History: the figures over time, a row every sampling interval (the
// daemon samples every 2 s), for Locust's stats_history CSV and the HTML
// report's charts. A row holds, per request type and for all together
// (Locust's "Aggregated"), the rates and percentiles of the window since the
// previous row and the cumulative totals, plus the fleet's gauges.
//
// Bounded memory for long runs: at most `max_rows` rows (default 2,048,
// about 3 MiB) are kept. When full, every other row is dropped and from
// then on only every second sample is kept, so memory stays flat while the
// rows still span the whole run: with 2 s samples the first 68 minutes are
// kept at 2 s, 24 hours at 64 s, a week at about 8 minutes. Each row is
// still handed to the caller as it is made (Add returns it), so the CSV file
// on disk gets every row.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "metrics/snapshot.h"

namespace cs::metrics {

// Locust's percentiles and their column names ("50%" .. "100%").
constexpr std::array<double, 11> kLocustPercentiles{0.50, 0.66, 0.75, 0.80, 0.90, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0};
constexpr std::array<const char*, 11> kLocustPercentileNames{"50%", "66%", "75%", "80%",   "90%",   "95%",
                                                             "98%", "99%", "99.9%", "99.99%", "100%"};

struct HistoryEntry {
  std::string type, name;  // "", "Aggregated" for all together
  // The window since the previous row.
  double rps = 0, failures_per_s = 0;
  uint64_t window_count = 0;
  std::array<double, 11> window_percentiles_ms{};  // kLocustPercentiles; 0 when window_count is 0
  // Since the start.
  uint64_t total_count = 0, total_failures = 0;
  double total_median_ms = 0, total_avg_ms = 0, total_min_ms = 0, total_max_ms = 0, total_avg_content = 0;
};

struct HistoryRow {
  WallTime at{};
  Gauges gauges;
  std::vector<HistoryEntry> entries;  // request types in the snapshot's order, then Aggregated
  const HistoryEntry& aggregated() const { return entries.back(); }
};

// One entry from cumulative stats now and at the previous row.
HistoryEntry MakeEntry(const RequestStats& now, const RequestStats* before, double window_s);

class History {
 public:
  explicit History(size_t max_rows = 2048);

  // The row for `snapshot` (its window starts at the previous Add's
  // snapshot, or at the start); kept or not as above, returned either way.
  HistoryRow Add(const Snapshot& snapshot);
  std::vector<HistoryRow> Rows() const;
  // How many samples one kept row stands for now (1, 2, 4, ...).
  size_t stride() const;

 private:
  const size_t max_rows_;
  mutable std::mutex mu_;
  std::vector<HistoryRow> rows_;
  std::optional<Snapshot> previous_;
  size_t stride_ = 1;
  size_t since_kept_ = 0;
};

}  // namespace cs::metrics
