// MetricsSampler: the daemon's history of load figures. Every interval
// (2 s by default) a timer on the simulator's io_context takes a snapshot
// (Simulator::Stats), adds its row to the bounded History
// (metrics/history.h) and hands the row to the listener: the CLI's
// stats_history CSV and live line. The listener runs on a pool thread,
// never on an agent's strand, and under the sampler's own lock only (a
// leaf, taken by nothing else), so rows reach it one at a time and in order.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "metrics/history.h"
#include "metrics/snapshot.h"

namespace boost::asio {
class io_context;
}

namespace cs {

class MetricsSampler {
 public:
  using TakeSnapshot = std::function<metrics::Snapshot()>;
  using Listener = std::function<void(const metrics::HistoryRow&, const metrics::Snapshot&)>;

  MetricsSampler(boost::asio::io_context& io, TakeSnapshot take, std::chrono::milliseconds every);
  ~MetricsSampler();

  void Start();
  // No timer sample begins after Stop returns (one in progress finishes first).
  void Stop();
  void SetListener(Listener listener);
  // A sample now, through the listener like the timer's (the end of a run).
  metrics::HistoryRow SampleNow();
  const metrics::History& history() const { return history_; }
  // The latest row, for the live line; none before the first sample.
  std::optional<metrics::HistoryRow> Latest() const;

 private:
  struct Timer;
  void Arm();

  TakeSnapshot take_;
  std::chrono::milliseconds every_;
  metrics::History history_;
  mutable std::mutex mu_;  // the sampler's leaf lock: listener_, latest_, stopped_
  Listener listener_;
  std::optional<metrics::HistoryRow> latest_;
  bool stopped_ = false;
  std::unique_ptr<Timer> timer_;
};

}  // namespace cs
