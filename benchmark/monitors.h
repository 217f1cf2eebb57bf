// Monitors: what runs beside every benchmark mode, as in the original
// benchmark.py. ApiLatencyMonitor GETs one REST path once a second and
// keeps each answer's latency (or a failure); its summary is the mean ±
// the standard error of the successful samples, and their 95th percentile.
// QueueDepthMonitor reads system_status/'s queues once a second and
// summarises each queue's depth as average, min and max. Each runs on a
// thread of its own with its own REST client, is bounded by its stop()
// (called by the mode's runner, also on SIGINT), and keeps every sample
// (one a second: a day of sampling is 86,400 small records).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fakes/json_helpers.h"

namespace cs::manager {
class ManagerClient;
}

namespace cs::benchmark {

class Target;

// The seven paths the original sampled.
const std::vector<std::string>& LatencyPaths();

struct LatencySummary {
  std::string path;
  size_t samples = 0, failures = 0;
  std::optional<double> mean_s, stderr_s, p95_s;  // nullopt: no successful sample
};

class ApiLatencyMonitor {
 public:
  ApiLatencyMonitor(Target& target, std::string path, std::chrono::milliseconds period = std::chrono::seconds(1));
  ~ApiLatencyMonitor();  // Stop()s
  void Start();
  void Stop();
  LatencySummary Summary() const;
  // Every successful latency so far, in seconds, and the failures count
  // (the live line reads them).
  std::vector<double> Latencies() const;

 private:
  void Run();
  Target& target_;
  const std::string path_;
  const std::chrono::milliseconds period_;
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::vector<double> latencies_;
  size_t failures_ = 0;
  std::thread thread_;
};

struct QueueSummary {
  std::string name;
  double average = 0;
  int64_t min = 0, max = 0;
  size_t samples = 0;
};

class QueueDepthMonitor {
 public:
  explicit QueueDepthMonitor(Target& target, std::chrono::milliseconds period = std::chrono::seconds(1));
  ~QueueDepthMonitor();
  void Start();
  void Stop();
  std::vector<QueueSummary> Summary() const;
  size_t failures() const;

 private:
  void Run();
  Target& target_;
  const std::chrono::milliseconds period_;
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::map<std::string, std::vector<int64_t>> depths_;
  size_t failures_ = 0;
  std::thread thread_;
};

// Mean ± standard error and p95 of a sample (seconds); nullopt when empty.
LatencySummary Summarise(const std::string& path, const std::vector<double>& latencies, size_t failures);
// The value below which 95 % of the sample falls (nearest rank).
double Percentile(std::vector<double> values, double fraction);

}  // namespace cs::benchmark
