#include "benchmark/runner.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>

#include "benchmark/live_line.h"

namespace cs::benchmark {

namespace {

using std::chrono::steady_clock;

// The original refused a manager without the plugin for the simulated
// controllers; reset needs it too (it deletes their Couplets).
Status CheckPlugin(Target& target) {
  Result<Json> classes = target.Rest("GET", "api/storage_resource_class/?plugin_name=simulator_controller");
  if (!classes.ok()) return classes.status();
  if (classes->value("objects", Json::array()).empty()) {
    return Status::FailedPrecondition("the simulator_controller storage plugin is not enabled on the manager at " +
                                      target.options().url);
  }
  return Status::Ok();
}

std::string Millis(const std::optional<double>& s) {
  if (!s) return "-";
  char text[32];
  snprintf(text, sizeof text, "%.1f", *s * 1000);
  return text;
}

}  // namespace

BenchmarkReport RunBenchmark(const std::string& mode, Target& target, RunnerOptions options) {
  BenchmarkReport report;
  const auto started = steady_clock::now();
  std::atomic<int> fleet{0};
  std::vector<std::unique_ptr<ApiLatencyMonitor>> latency;
  std::unique_ptr<QueueDepthMonitor> queues;
  std::unique_ptr<LiveLine> live;

  Status ready = CheckPlugin(target);
  if (ready.ok() && mode != "reset") {
    if (options.mode.note) options.mode.note("resetting");
    ready = target.Reset(options.mode.deadline);
  }
  if (!ready.ok()) {
    report.mode.mode = mode;
    report.mode.stop_reason = ready.message() == "interrupted" ? "interrupted" : "error";
    report.mode.error = ready.message();
    report.mode.summary = "ended before the mode started: " + ready.message();
  } else {
    if (mode != "reset") {
      for (const std::string& path : LatencyPaths()) {
        latency.push_back(std::make_unique<ApiLatencyMonitor>(target, path, options.monitor_period));
        latency.back()->Start();
      }
      queues = std::make_unique<QueueDepthMonitor>(target, options.monitor_period);
      queues->Start();
    }
    if (options.live_line) {
      live = std::make_unique<LiveLine>([&] {
        LiveFigures f;
        f.fleet = fleet.load();
        f.requests = target.requests();
        f.failures = target.failures();
        std::vector<double> all;
        for (const auto& m : latency) {
          std::vector<double> l = m->Latencies();
          all.insert(all.end(), l.begin(), l.end());
        }
        f.p95_s = Percentile(all, 0.95);
        return f;
      });
    }
    ModeOptions mo = options.mode;
    auto given = mo.fleet_size;
    mo.fleet_size = [&fleet, given](int n) {
      fleet = n;
      if (given) given(n);
    };
    report.mode = RunMode(mode, target, mo);
  }
  if (live) live->Stop();
  for (auto& m : latency) m->Stop();
  if (queues) queues->Stop();
  for (const auto& m : latency) report.latencies.push_back(m->Summary());
  std::sort(report.latencies.begin(), report.latencies.end(),
            [](const LatencySummary& a, const LatencySummary& b) { return a.path < b.path; });
  if (queues) report.queues = queues->Summary();
  report.elapsed_s = std::chrono::duration<double>(steady_clock::now() - started).count();
  report.requests = target.requests();
  report.failures = target.failures();
  report.interrupted = target.interrupted();
  return report;
}

std::string FormatReport(const BenchmarkReport& r) {
  std::ostringstream out;
  char line[256];
  out << r.mode.mode << ": " << r.mode.summary << "\n";
  if (!r.mode.unit.empty()) {
    snprintf(line, sizeof line, "Limit: %s %g %s (stopped: %s)\n", r.mode.limit_found ? "found," : "not found, reached",
             r.mode.value, r.mode.unit.c_str(), r.mode.stop_reason.c_str());
    out << line;
  }
  if (!r.mode.error.empty()) out << "Error: " << r.mode.error << "\n";
  snprintf(line, sizeof line, "Ran in %.0fs (%zu steps, %llu requests, %llu failed)%s\n", r.elapsed_s,
           r.mode.steps.size(), static_cast<unsigned long long>(r.requests),
           static_cast<unsigned long long>(r.failures), r.interrupted ? ", interrupted" : "");
  out << line;
  if (!r.latencies.empty()) {
    out << "API latencies (ms: mean ± standard error, p95; samples, failed):\n";
    for (const LatencySummary& s : r.latencies) {
      if (!s.mean_s) {
        snprintf(line, sizeof line, "  %-24s No data (%zu samples, %zu failed)\n", s.path.c_str(), s.samples, s.failures);
      } else {
        snprintf(line, sizeof line, "  %-24s %s ± %s  p95 %s  (%zu, %zu)\n", s.path.c_str(), Millis(s.mean_s).c_str(),
                 Millis(s.stderr_s).c_str(), Millis(s.p95_s).c_str(), s.samples, s.failures);
      }
      out << line;
    }
  }
  if (!r.queues.empty()) {
    out << "Queue lengths (avg, min, max):\n";
    for (const QueueSummary& q : r.queues) {
      snprintf(line, sizeof line, "  %-32s %8.1f %6lld %6lld\n", q.name.c_str(), q.average,
               static_cast<long long>(q.min), static_cast<long long>(q.max));
      out << line;
    }
  }
  return out.str();
}

Json ReportJson(const BenchmarkReport& r) {
  Json latencies = Json::array();
  for (const LatencySummary& s : r.latencies) {
    latencies.push_back({{"path", s.path},
                         {"samples", s.samples},
                         {"failures", s.failures},
                         {"mean_s", s.mean_s ? Json(*s.mean_s) : Json()},
                         {"stderr_s", s.stderr_s ? Json(*s.stderr_s) : Json()},
                         {"p95_s", s.p95_s ? Json(*s.p95_s) : Json()}});
  }
  Json queues = Json::array();
  for (const QueueSummary& q : r.queues) {
    queues.push_back({{"name", q.name}, {"average", q.average}, {"min", q.min}, {"max", q.max}, {"samples", q.samples}});
  }
  return Json{{"mode", r.mode.mode},
              {"limit_found", r.mode.limit_found},
              {"limit", r.mode.value},
              {"unit", r.mode.unit},
              {"summary", r.mode.summary},
              {"stop_reason", r.mode.stop_reason},
              {"error", r.mode.error},
              {"steps", r.mode.steps},
              {"extra", r.mode.extra},
              {"elapsed_s", r.elapsed_s},
              {"requests", r.requests},
              {"failures", r.failures},
              {"interrupted", r.interrupted},
              {"api_latency", latencies},
              {"queues", queues}};
}

}  // namespace cs::benchmark
