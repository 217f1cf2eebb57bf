// Locust's CSV files, with Locust 2.12's column names and order, so tools
// that read Locust's output read ours (docs/metrics.md lists the columns):
//   PREFIX_stats.csv          one row per request type, then "Aggregated"
//   PREFIX_stats_history.csv  rows over time: per type, then Aggregated
//                             (Locust's --csv-full-history layout)
//   PREFIX_failures.csv       Method, Name, Error, Occurrences
// Times are milliseconds. For the daemon, HistoryCsv keeps the history file
// open and appends each row as it is sampled; WriteLocustCsv writes all
// three files at once from a snapshot and History::Rows() (the benchmark's
// way: bench/).
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "metrics/history.h"
#include "metrics/snapshot.h"
#include "util/status.h"

namespace cs::metrics {

std::vector<std::string> LocustStatsColumns();
std::vector<std::string> LocustHistoryColumns();
std::vector<std::string> LocustFailuresColumns();

// The three files' names for a prefix.
std::string StatsCsvPath(const std::string& prefix);
std::string HistoryCsvPath(const std::string& prefix);
std::string FailuresCsvPath(const std::string& prefix);

// PREFIX_stats.csv and PREFIX_failures.csv from `snapshot` (overwritten).
Status WriteLocustStatsAndFailures(const std::string& prefix, const Snapshot& snapshot);
// All three, the history from `rows`.
Status WriteLocustCsv(const std::string& prefix, const Snapshot& snapshot, const std::vector<HistoryRow>& rows);

// The history file of a running daemon: Open writes the header (and
// creates the other two files with theirs, so a path that cannot be
// written is known before anything starts); Append adds a row's lines and
// flushes them. Not thread-safe: one sampler calls it.
class HistoryCsv {
 public:
  Status Open(const std::string& prefix);
  Status Append(const HistoryRow& row);
  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
  std::ofstream out_;
};

}  // namespace cs::metrics
