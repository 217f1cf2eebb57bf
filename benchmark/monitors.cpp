#include "benchmark/monitors.h"

#include <algorithm>
#include <cmath>

#include "benchmark/target.h"
#include "manager/manager_client.h"

namespace cs::benchmark {

namespace {
using std::chrono::steady_clock;
}

const std::vector<std::string>& LatencyPaths() {
  static const std::vector<std::string> paths = {"/api/session/",      "/api/volume/",        "/api/target/",
                                                 "/api/host/",         "/api/host/?limit=0", "/api/volume/?limit=0",
                                                 "/api/target/?limit=0"};
  return paths;
}

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

LatencySummary Summarise(const std::string& path, const std::vector<double>& latencies, size_t failures) {
  LatencySummary s;
  s.path = path;
  s.samples = latencies.size() + failures;
  s.failures = failures;
  if (latencies.empty()) return s;
  const double n = static_cast<double>(latencies.size());
  double sum = 0;
  for (double v : latencies) sum += v;
  const double mean = sum / n;
  double squares = 0;
  for (double v : latencies) squares += (v - mean) * (v - mean);
  // The original's figure: population standard deviation over sqrt(n).
  s.mean_s = mean;
  s.stderr_s = std::sqrt(squares / n) / std::sqrt(n);
  s.p95_s = Percentile(latencies, 0.95);
  return s;
}

ApiLatencyMonitor::ApiLatencyMonitor(Target& target, std::string path, std::chrono::milliseconds period)
    : target_(target), path_(std::move(path)), period_(period) {}

ApiLatencyMonitor::~ApiLatencyMonitor() { Stop(); }

void ApiLatencyMonitor::Start() { thread_ = std::thread([this] { Run(); }); }

void ApiLatencyMonitor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ApiLatencyMonitor::Run() {
  auto client = target_.NewClient();
  const std::string relative = path_.substr(1);  // "api/host/"
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const auto started = steady_clock::now();
    const Result<Json> answer = client.ok() ? (*client)->Call("GET", relative) : Result<Json>(client.status());
    const bool ok = answer.ok();
    target_.RecordRest("GET", relative, started, answer);
    const double seconds = std::chrono::duration<double>(steady_clock::now() - started).count();
    if (!client.ok()) client = target_.NewClient();  // try to log in again next time
    lock.lock();
    if (ok) {
      latencies_.push_back(seconds);
    } else {
      ++failures_;
    }
    stop_cv_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

LatencySummary ApiLatencyMonitor::Summary() const {
  std::lock_guard<std::mutex> lock(mu_);
  return Summarise(path_, latencies_, failures_);
}

std::vector<double> ApiLatencyMonitor::Latencies() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latencies_;
}

QueueDepthMonitor::QueueDepthMonitor(Target& target, std::chrono::milliseconds period)
    : target_(target), period_(period) {}

QueueDepthMonitor::~QueueDepthMonitor() { Stop(); }

void QueueDepthMonitor::Start() { thread_ = std::thread([this] { Run(); }); }

void QueueDepthMonitor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void QueueDepthMonitor::Run() {
  auto client = target_.NewClient();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const auto started = steady_clock::now();
    Result<Json> status = client.ok() ? (*client)->Call("GET", "api/system_status/") : Result<Json>(client.status());
    target_.RecordRest("GET", "api/system_status/", started, status);
    if (!client.ok()) client = target_.NewClient();
    lock.lock();
    const Json queues = status.ok() ? status->value("rabbitmq", Json::object()).value("queues", Json()) : Json();
    if (!queues.is_array()) {
      ++failures_;
    } else {
      for (const Json& q : queues) {
        if (q.value("name", Json()).is_string() && q.value("messages", Json()).is_number()) {
          depths_[q["name"].get<std::string>()].push_back(q["messages"].get<int64_t>());
        }
      }
    }
    stop_cv_.wait_for(lock, period_, [this] { return stopping_; });
  }
}

std::vector<QueueSummary> QueueDepthMonitor::Summary() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<QueueSummary> out;
  for (const auto& [name, values] : depths_) {
    QueueSummary s;
    s.name = name;
    s.samples = values.size();
    double sum = 0;
    for (int64_t v : values) sum += static_cast<double>(v);
    s.average = values.empty() ? 0 : sum / static_cast<double>(values.size());
    s.min = values.empty() ? 0 : *std::min_element(values.begin(), values.end());
    s.max = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    out.push_back(s);
  }
  return out;
}

size_t QueueDepthMonitor::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

}  // namespace cs::benchmark
