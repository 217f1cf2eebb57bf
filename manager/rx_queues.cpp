#include "manager/rx_queues.h"

#include <vector>

namespace cs::manager {

namespace {
using Clock = RateWindow::Clock;
}

RxQueues::RxQueues(double throttle_per_second) : throttle_per_second_(throttle_per_second) {
  if (throttle_per_second_ > 0) consumer_ = std::thread([this] { ConsumerLoop(); });
}

RxQueues::~RxQueues() { Stop(); }

void RxQueues::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
  }
  wake_.notify_all();
  if (consumer_.joinable()) consumer_.join();
}

void RxQueues::Publish(const std::string& name, std::function<void()> work) {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopped_) return;
  Queue& q = queues_[name];
  q.items.push_back(std::move(work));
  ++q.published;
  q.publish_window.Add(1, Clock::now());
  if (throttle_per_second_ > 0) {
    lock.unlock();
    wake_.notify_one();
    return;
  }
  if (!q.consuming) ConsumeInline(q, lock);
}

void RxQueues::SetFlush(const std::string& name, std::function<void()> flush) {
  std::lock_guard<std::mutex> lock(mu_);
  queues_[name].flush = std::move(flush);
}

// std::map nodes stay put, so `q` remains valid while other queues are
// added; only one consumer runs a queue at a time (`consuming`).
void RxQueues::ConsumeInline(Queue& q, std::unique_lock<std::mutex>& lock) {
  q.consuming = true;
  while (!q.items.empty()) ConsumeBatch(q, kBatch, lock);
  q.consuming = false;
}

void RxQueues::ConsumeBatch(Queue& q, size_t most, std::unique_lock<std::mutex>& lock) {
  std::vector<std::function<void()>> batch;
  while (!q.items.empty() && batch.size() < most) {
    batch.push_back(std::move(q.items.front()));
    q.items.pop_front();
  }
  const std::function<void()> flush = q.flush;
  lock.unlock();
  for (auto& work : batch) work();
  if (flush) flush();
  lock.lock();
  q.acked += batch.size();
  q.ack_window.Add(batch.size(), Clock::now());
}

void RxQueues::ConsumerLoop() {
  const auto spacing = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / throttle_per_second_));
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopped_) {
    const Clock::time_point now = Clock::now();
    Queue* ready = nullptr;
    Clock::time_point earliest = Clock::time_point::max();
    for (auto& [name, q] : queues_) {
      if (q.items.empty()) continue;
      if (q.next_allowed <= now) {
        ready = &q;
        break;
      }
      earliest = std::min(earliest, q.next_allowed);
    }
    if (!ready) {
      if (earliest == Clock::time_point::max()) {
        wake_.wait(lock);
      } else {
        wake_.wait_until(lock, earliest);
      }
      continue;
    }
    ready->next_allowed = now + spacing;
    ConsumeBatch(*ready, 1, lock);  // one message per spacing: the throttle's rate
  }
}

bool RxQueues::Full() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, q] : queues_) {
    if (q.items.size() >= kMaxMessages) return true;
  }
  return false;
}

std::vector<QueueFigures> RxQueues::Figures() const {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Clock::now();
  std::vector<QueueFigures> out;
  for (const auto& [name, q] : queues_) {
    out.push_back(QueueFigures{name, q.items.size(), q.published, q.acked, q.publish_window.Rate(now),
                               q.ack_window.Rate(now)});
  }
  return out;
}

}  // namespace cs::manager
