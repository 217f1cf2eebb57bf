#include "net/call_gate.h"

#include <algorithm>

namespace cs::net {

bool CallGate::Enter() {
  std::lock_guard lock(mu_);
  if (closed_) return false;
  inside_.push_back(std::this_thread::get_id());
  return true;
}

void CallGate::Leave() {
  std::lock_guard lock(mu_);
  auto it = std::find(inside_.begin(), inside_.end(), std::this_thread::get_id());
  if (it != inside_.end()) inside_.erase(it);
  cv_.notify_all();
}

void CallGate::Close() {
  std::unique_lock lock(mu_);
  closed_ = true;
  auto self = std::this_thread::get_id();
  cv_.wait(lock, [&] {
    return std::all_of(inside_.begin(), inside_.end(), [&](auto id) { return id == self; });
  });
}

bool CallGate::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

}  // namespace cs::net
