// RateWindow: events per second over the last few whole seconds, the way
// RabbitMQ's management API reports message_stats.*_details.rate (a rate
// over a recent sampling window, not since the start). Counts fall into
// one-second slots of a small ring, so memory is fixed and an update is
// O(1). Not thread-safe: the owner serialises access.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>

namespace cs::manager {

class RateWindow {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kWindowSeconds = 5;

  void Add(uint64_t n, Clock::time_point now);
  // Events per second over the kWindowSeconds whole seconds before `now`'s.
  double Rate(Clock::time_point now) const;

 private:
  struct Slot {
    int64_t second = -1;
    uint64_t count = 0;
  };
  static int64_t SecondOf(Clock::time_point t);
  std::array<Slot, kWindowSeconds + 1> slots_{};
};

}  // namespace cs::manager
