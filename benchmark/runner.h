// Runner: one benchmark run as the original's run_benchmark() did it:
// check that the manager offers the simulator_controller storage plugin,
// reset, start the monitors (ApiLatencyMonitor on the seven paths, the
// QueueDepthMonitor), run the mode, and stop the monitors whatever
// happened (an error, the deadline, SIGINT), so that the report always
// holds what was measured. Formats the report as text and as JSON.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "benchmark/modes.h"
#include "benchmark/monitors.h"
#include "benchmark/target.h"

namespace cs::benchmark {

struct BenchmarkReport {
  ModeReport mode;
  double elapsed_s = 0;
  std::vector<LatencySummary> latencies;  // by path
  std::vector<QueueSummary> queues;
  uint64_t requests = 0, failures = 0;
  bool interrupted = false;
};

struct RunnerOptions {
  ModeOptions mode;
  bool live_line = true;  // shown only on a terminal anyway
  std::chrono::milliseconds monitor_period{1000};
};

BenchmarkReport RunBenchmark(const std::string& mode, Target& target, RunnerOptions options);

std::string FormatReport(const BenchmarkReport& report);
Json ReportJson(const BenchmarkReport& report);

}  // namespace cs::benchmark
