// FakeOutlets: an in-memory OutletBank for the power tests. It records every
// switch it is asked to make, so tests can check what reached the outlets
// (a reboot must show up as off then on). Thread-safe: the PDU server's
// timers switch it from the io_context's threads.
#pragma once

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "fakes/power/outlet_bank.h"

namespace cs {

class FakeOutlets final : public OutletBank {
 public:
  explicit FakeOutlets(int count) : on_(static_cast<size_t>(count), true) {}

  int OutletCount() const override { return static_cast<int>(on_.size()); }
  bool IsOn(int outlet) const override {
    std::lock_guard<std::mutex> lock(mu_);
    return on_.at(static_cast<size_t>(outlet - 1));
  }
  std::string Name(int outlet) const override {
    return outlet == 2 ? "" : "node" + std::to_string(outlet);  // 2: the default name
  }
  Status Switch(int outlet, OutletAction action) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (outlet < 1 || outlet > static_cast<int>(on_.size())) {
      return Status::InvalidArgument("no outlet " + std::to_string(outlet));
    }
    history_.emplace_back(outlet, action);
    if (action == OutletAction::kOn) on_[static_cast<size_t>(outlet - 1)] = true;
    if (action == OutletAction::kOff) on_[static_cast<size_t>(outlet - 1)] = false;
    return Status::Ok();
  }

  void Set(int outlet, bool on) {
    std::lock_guard<std::mutex> lock(mu_);
    on_.at(static_cast<size_t>(outlet - 1)) = on;
  }
  // "off,on" for the actions outlet `outlet` received, oldest first.
  std::string History(int outlet) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& [o, action] : history_) {
      if (o != outlet) continue;
      if (!out.empty()) out += ",";
      out += std::string(OutletActionName(action));
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<bool> on_;
  std::vector<std::pair<int, OutletAction>> history_;
};

}  // namespace cs
