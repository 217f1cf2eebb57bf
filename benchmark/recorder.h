// RequestRecorder: every request the benchmark itself makes (the modes'
// and monitors' REST calls, the control API operations), by Locust-style
// type and name, with its latency histogram, failures by reason and answer
// sizes, for the CSV files and the HTML report of `bench --csv/--html`
// (benchmark/reports.h). Types are the HTTP method for REST calls and
// "CONTROL" for control API operations; names are the REST path with its
// numeric segments as {id} ("/api/command/{id}/", so a run has a handful
// of rows, not one per command) or the operation's name ("register_many").
// A dozen threads record (a mode, the monitors); one mutex is enough.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "metrics/snapshot.h"
#include "util/status.h"

namespace cs::benchmark {

constexpr const char* kControlType = "CONTROL";

// "api/command/12/?x=1" -> "/api/command/{id}/?x=1".
std::string RequestName(const std::string& path);
// A failed REST call's reason: "HTTP 503" when the manager answered,
// otherwise the transport's ("timeout", "connection refused", ...).
std::string RestFailureReason(const Status& status);
// A failed control API operation's reason, from the Status the control
// client made of the answer (its HTTP status) or of the transport failure.
std::string ControlFailureReason(const Status& status);

class RequestRecorder {
 public:
  RequestRecorder();

  void Record(const std::string& type, const std::string& name, std::chrono::steady_clock::duration took,
              const std::string& failure_reason, uint64_t content_bytes);
  // The figures so far; the gauges are the caller's.
  metrics::Snapshot Take(const metrics::Gauges& gauges) const;

  uint64_t requests() const { return requests_.load(); }
  uint64_t failures() const { return failures_.load(); }

 private:
  const WallTime started_at_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, metrics::RequestStats> stats_;
  std::atomic<uint64_t> requests_{0}, failures_{0};
};

}  // namespace cs::benchmark
