// Snapshot: the figures at one instant, cumulative since the recorder
// started: one RequestStats per request type (count, failures by reason,
// the latency histogram), the fleet's gauges and the long poll's message
// count. What `ctl stats` answers (ToJson, in the metrics contract's shape),
// what /metrics, the CSV files and the HTML report are made from. The
// benchmark fills its own with other request types (bench/).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "metrics/histogram.h"
#include "util/clock.h"
#include <nlohmann/json.hpp>

namespace cs::metrics {

using Json = nlohmann::json;

struct RequestStats {
  std::string type;  // Locust's "Type": POST, GET, ACTION
  std::string name;  // Locust's "Name"
  LatencyHistogram latency;  // successes and failures alike
  uint64_t failures = 0;
  std::map<std::string, uint64_t> failures_by_reason;
  uint64_t content_bytes = 0;  // answer bodies, for Locust's "Average Content Size"

  uint64_t count() const { return latency.count(); }
  // Adds other's figures (same type and name, or the Aggregated row).
  void Merge(const RequestStats& other);
};

struct Gauges {
  int64_t servers_running = 0;
  int64_t agents_connected = 0;
  int64_t faults_active = 0;
};

struct Snapshot {
  WallTime started_at{};
  WallTime taken_at{};
  Gauges gauges;
  std::vector<RequestStats> requests;
  uint64_t long_poll_messages = 0;

  double elapsed_s() const;
  // Every request type together: Locust's "Aggregated" row (type "").
  RequestStats Aggregated() const;
};

// Requests per second over `seconds` (0 when seconds <= 0).
double PerSecond(uint64_t n, double seconds);
// "2026-12-01T12:00:00Z".
std::string FormatIsoTime(WallTime t);

// The contract's JSON: started_at, elapsed_s, gauges, requests[], long_poll_messages.
Json ToJson(const Snapshot& snapshot);
Json ToJson(const RequestStats& stats, double elapsed_s);

}  // namespace cs::metrics
