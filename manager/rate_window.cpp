#include "manager/rate_window.h"

namespace cs::manager {

int64_t RateWindow::SecondOf(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void RateWindow::Add(uint64_t n, Clock::time_point now) {
  const int64_t second = SecondOf(now);
  Slot& slot = slots_[static_cast<size_t>(second % static_cast<int64_t>(slots_.size()))];
  if (slot.second != second) slot = Slot{second, 0};
  slot.count += n;
}

double RateWindow::Rate(Clock::time_point now) const {
  const int64_t current = SecondOf(now);
  uint64_t total = 0;
  for (const Slot& slot : slots_) {
    if (slot.second >= current - kWindowSeconds && slot.second < current) total += slot.count;
  }
  return static_cast<double>(total) / kWindowSeconds;
}

}  // namespace cs::manager
