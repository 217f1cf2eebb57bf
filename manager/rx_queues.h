// RxQueues: the manager's receive queues, one per agent plugin
// ("agent_<plugin>_rx"), in the manner of the RabbitMQ queues the real
// manager's http_agent service published agents' DATA to. The agent
// endpoints publish each DATA message; it is consumed in order per queue.
// What system_status/ reports (depth, publish and ack rates) are these
// queues' own figures.
//
// Consumption: with no throttle, the thread that publishes into an idle
// queue consumes it until it is empty, and a publisher that finds the
// queue being consumed only appends (so an uncontended message is handled
// before its POST is answered, and a contended queue really backs up).
// With a throttle (ManagerOptions::rx_throttle_per_second, for tests and
// benchmarks that need a manager that backs up early), one consumer thread
// takes at most that many messages per second from each queue.
// A consumer takes up to kBatch messages at a time, runs them in order, then
// the queue's flush hook (SetFlush: the journal writes what its messages
// staged in one transaction), and only then acknowledges them, so the
// queue's depth and ack rate stay honest while the writes are batched.
// A queue holds at most kMaxMessages; Full() tells the endpoints to answer
// 503 (the agent sends again later) rather than drop anything.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "manager/rate_window.h"

namespace cs::manager {

struct QueueFigures {
  std::string name;
  uint64_t messages = 0;  // waiting now
  uint64_t published = 0, acked = 0;  // since the start
  double publish_rate = 0, ack_rate = 0;  // per second, recent window
};

class RxQueues {
 public:
  static constexpr size_t kMaxMessages = 200000;
  static constexpr size_t kBatch = 64;

  // throttle_per_second 0: no throttle.
  explicit RxQueues(double throttle_per_second = 0);
  ~RxQueues();  // Stop()s
  RxQueues(const RxQueues&) = delete;
  RxQueues& operator=(const RxQueues&) = delete;

  static std::string QueueName(const std::string& plugin) { return "agent_" + plugin + "_rx"; }

  void Publish(const std::string& queue, std::function<void()> work);
  // Called after each run of a queue's messages, before they are
  // acknowledged. Set before the queue's first Publish.
  void SetFlush(const std::string& queue, std::function<void()> flush);
  // Whether any queue is at kMaxMessages.
  bool Full() const;
  // Every queue seen so far, by name.
  std::vector<QueueFigures> Figures() const;
  // Ends the consumer thread; messages still queued are not handled.
  void Stop();

 private:
  struct Queue {
    std::deque<std::function<void()>> items;
    std::function<void()> flush;
    bool consuming = false;
    uint64_t published = 0, acked = 0;
    RateWindow publish_window, ack_window;
    RateWindow::Clock::time_point next_allowed{};
  };
  void ConsumeInline(Queue& q, std::unique_lock<std::mutex>& lock);
  // Runs up to `most` of q's first messages and its flush outside the
  // lock, then acknowledges them. Called with the lock held.
  void ConsumeBatch(Queue& q, size_t most, std::unique_lock<std::mutex>& lock);
  void ConsumerLoop();

  const double throttle_per_second_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopped_ = false;
  std::map<std::string, Queue> queues_;
  std::thread consumer_;
};

}  // namespace cs::manager
