// BenchReports: see reports.h.
#include "benchmark/reports.h"

#include "metrics/html_report.h"

namespace cs::benchmark {

BenchReports::BenchReports(ReportFiles files, RequestRecorder& recorder, std::function<metrics::Gauges()> gauges)
    : files_(std::move(files)), recorder_(recorder), gauges_(std::move(gauges)) {}

BenchReports::~BenchReports() { StopSampler(); }

Status BenchReports::Start() {
  if (!enabled()) return Status::Ok();
  if (files_.csv_prefix) CS_RETURN_IF_ERROR(csv_.Open(*files_.csv_prefix).Context("--csv"));
  thread_ = std::thread([this] { Run(); });
  if (gauges_) gauges_thread_ = std::thread([this] { ReadGauges(); });
  return Status::Ok();
}

void BenchReports::ReadGauges() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  do {
    lock.unlock();
    const metrics::Gauges g = gauges_();
    {
      std::lock_guard<std::mutex> gl(gauges_mu_);
      last_gauges_ = g;
    }
    lock.lock();
  } while (!stop_cv_.wait_for(lock, files_.period, [this] { return stopping_; }));
}

void BenchReports::Run() {
  std::unique_lock<std::mutex> lock(stop_mu_);
  while (!stop_cv_.wait_for(lock, files_.period, [this] { return stopping_; })) {
    lock.unlock();
    Sample();
    lock.lock();
  }
}

void BenchReports::Sample() {
  metrics::Gauges gauges;
  {
    std::lock_guard<std::mutex> lock(gauges_mu_);
    gauges = last_gauges_;
  }
  const metrics::HistoryRow row = history_.Add(recorder_.Take(gauges));
  std::lock_guard<std::mutex> lock(mu_);
  // A failed append is retried with the next row; Finish reports the files' state.
  if (files_.csv_prefix) (void)csv_.Append(row);
}

void BenchReports::StopSampler() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (gauges_thread_.joinable()) gauges_thread_.join();  // at most one slow read late
}

Status BenchReports::Finish(const std::string& subtitle) {
  if (!enabled()) return Status::Ok();
  StopSampler();
  // The last row, what happened since the previous one, with the gauges
  // last read: the simulator may be gone or stuck by now.
  Sample();
  metrics::Snapshot final_figures;
  {
    std::lock_guard<std::mutex> lock(gauges_mu_);
    final_figures = recorder_.Take(last_gauges_);
  }
  Status result = Status::Ok();
  if (files_.csv_prefix) {
    Status s = metrics::WriteLocustStatsAndFailures(*files_.csv_prefix, final_figures);
    if (!s.ok()) result = s.Context("--csv");
  }
  if (files_.html) {
    metrics::ReportInput input;
    input.title = "cluster-sim bench report";
    input.subtitle = subtitle;
    input.snapshot = final_figures;
    input.rows = history_.Rows();
    Status s = metrics::WriteHtmlReport(*files_.html, input);
    if (!s.ok() && result.ok()) result = s.Context("--html");
  }
  return result;
}

}  // namespace cs::benchmark
