// MetricsSampler: see metrics_sampler.h.
#include "sim/metrics_sampler.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace cs {

struct MetricsSampler::Timer {
  explicit Timer(boost::asio::io_context& io) : timer(io) {}
  boost::asio::steady_timer timer;
};

MetricsSampler::MetricsSampler(boost::asio::io_context& io, TakeSnapshot take, std::chrono::milliseconds every)
    : take_(std::move(take)), every_(every), timer_(std::make_unique<Timer>(io)) {}

MetricsSampler::~MetricsSampler() { Stop(); }

void MetricsSampler::Start() { Arm(); }

void MetricsSampler::Arm() {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return;
  timer_->timer.expires_after(every_);
  timer_->timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: stopping
    {
      std::lock_guard<std::mutex> check(mu_);
      if (stopped_) return;
    }
    SampleNow();
    Arm();
  });
}

void MetricsSampler::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  timer_->timer.cancel();
}

void MetricsSampler::SetListener(Listener listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listener_ = std::move(listener);
}

metrics::HistoryRow MetricsSampler::SampleNow() {
  const metrics::Snapshot snapshot = take_();
  std::lock_guard<std::mutex> lock(mu_);
  metrics::HistoryRow row = history_.Add(snapshot);
  latest_ = row;
  if (listener_) listener_(row, snapshot);
  return row;
}

std::optional<metrics::HistoryRow> MetricsSampler::Latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latest_;
}

}  // namespace cs
