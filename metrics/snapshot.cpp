// Snapshot: figures and their JSON (the metrics contract's shape).
#include "metrics/snapshot.h"

#include <cmath>
#include <ctime>

namespace cs::metrics {

namespace {

double RoundedMicrosToMs(double micros) { return std::round(micros) / 1000.0; }

}  // namespace

void RequestStats::Merge(const RequestStats& other) {
  latency.Merge(other.latency);
  failures += other.failures;
  for (const auto& [reason, n] : other.failures_by_reason) failures_by_reason[reason] += n;
  content_bytes += other.content_bytes;
}

double Snapshot::elapsed_s() const {
  return std::chrono::duration<double>(taken_at - started_at).count();
}

RequestStats Snapshot::Aggregated() const {
  RequestStats total;
  total.name = "Aggregated";
  for (const RequestStats& r : requests) total.Merge(r);
  return total;
}

double PerSecond(uint64_t n, double seconds) { return seconds > 0 ? static_cast<double>(n) / seconds : 0.0; }

std::string FormatIsoTime(WallTime t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json ToJson(const RequestStats& r, double elapsed_s) {
  Json buckets = Json::array();
  for (const auto& [value, n] : r.latency.NonEmptyBuckets()) buckets.push_back(Json::array({RoundedMicrosToMs(value), n}));
  const LatencyHistogram& h = r.latency;
  return Json{{"type", r.type},
              {"name", r.name},
              {"count", h.count()},
              {"failures", r.failures},
              {"failures_by_reason", r.failures_by_reason},
              {"rps", PerSecond(h.count(), elapsed_s)},
              {"min_ms", RoundedMicrosToMs(static_cast<double>(h.min_micros()))},
              {"max_ms", RoundedMicrosToMs(static_cast<double>(h.max_micros()))},
              {"avg_ms", RoundedMicrosToMs(h.mean_micros())},
              {"total_ms", RoundedMicrosToMs(static_cast<double>(h.sum_micros()))},
              {"median_ms", RoundedMicrosToMs(h.Percentile(0.5))},
              {"p90_ms", RoundedMicrosToMs(h.Percentile(0.9))},
              {"p95_ms", RoundedMicrosToMs(h.Percentile(0.95))},
              {"p99_ms", RoundedMicrosToMs(h.Percentile(0.99))},
              {"p999_ms", RoundedMicrosToMs(h.Percentile(0.999))},
              {"content_bytes", r.content_bytes},
              {"buckets", buckets}};
}

Json ToJson(const Snapshot& s) {
  Json requests = Json::array();
  const double elapsed = s.elapsed_s();
  for (const RequestStats& r : s.requests) requests.push_back(ToJson(r, elapsed));
  return Json{{"started_at", FormatIsoTime(s.started_at)},
              {"elapsed_s", std::round(elapsed * 1000.0) / 1000.0},
              {"gauges",
               {{"servers_running", s.gauges.servers_running},
                {"agents_connected", s.gauges.agents_connected},
                {"faults_active", s.gauges.faults_active}}},
              {"requests", requests},
              {"long_poll_messages", s.long_poll_messages}};
}

}  // namespace cs::metrics
