#include "sim/timed_outlet_bank.h"

#include <deque>
#include <mutex>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace cs {

namespace asio = boost::asio;

struct TimedOutletBank::Shared : std::enable_shared_from_this<Shared> {
  // One thing to do to an outlet after waiting.
  struct Step {
    std::chrono::milliseconds wait;
    bool on;
  };

  struct Outlet {
    explicit Outlet(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    std::deque<Step> plan;
    // Bumped on every change of plan, so a timer handler that was already
    // queued when its plan was replaced knows to do nothing.
    unsigned generation = 0;
  };

  Shared(asio::any_io_executor ex, OutletBank* bank, OutletDelays d)
      : outlets(bank), delays(d) {
    const asio::any_io_executor strand = asio::make_strand(ex);
    for (int i = 0; i < bank->OutletCount(); ++i) {
      timers.push_back(std::make_unique<Outlet>(strand));
    }
  }

  // Caller holds mu.
  void Replace(int outlet, std::vector<Step> steps) {
    Outlet& o = *timers[static_cast<size_t>(outlet - 1)];
    o.plan.assign(steps.begin(), steps.end());
    ++o.generation;
    o.timer.cancel();
    Next(outlet);
  }

  // Caller holds mu. Runs the plan's steps that need no wait, then arms the
  // timer for the first that does.
  void Next(int outlet) {
    Outlet& o = *timers[static_cast<size_t>(outlet - 1)];
    while (!o.plan.empty() && o.plan.front().wait.count() <= 0) {
      Apply(outlet, o.plan.front().on);
      o.plan.pop_front();
    }
    if (o.plan.empty()) return;
    o.timer.expires_after(o.plan.front().wait);
    o.plan.front().wait = std::chrono::milliseconds(0);
    o.timer.async_wait([self = shared_from_this(), outlet, gen = o.generation](
                           const boost::system::error_code& ec) {
      if (ec) return;
      std::lock_guard<std::mutex> lock(self->mu);
      Outlet& again = *self->timers[static_cast<size_t>(outlet - 1)];
      if (self->stopped || gen != again.generation) return;
      self->Next(outlet);
    });
  }

  void Apply(int outlet, bool on) {
    // The wrapped bank's errors have nowhere to go from a timer; the outlet
    // simply keeps its state, as a relay that failed would.
    (void)outlets->Switch(outlet, on ? OutletAction::kOn : OutletAction::kOff);
  }

  mutable std::mutex mu;
  OutletBank* const outlets;
  const OutletDelays delays;
  std::vector<std::unique_ptr<Outlet>> timers;
  bool stopped = false;
};

TimedOutletBank::TimedOutletBank(asio::any_io_executor executor, OutletBank* outlets,
                                 OutletDelays delays)
    : shared_(std::make_shared<Shared>(std::move(executor), outlets, delays)) {}

TimedOutletBank::~TimedOutletBank() { CancelAll(); }

int TimedOutletBank::OutletCount() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->outlets->OutletCount();
}

bool TimedOutletBank::IsOn(int outlet) const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->outlets->IsOn(outlet);
}

std::string TimedOutletBank::Name(int outlet) const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->outlets->Name(outlet);
}

Status TimedOutletBank::Switch(int outlet, OutletAction action) {
  std::lock_guard<std::mutex> lock(shared_->mu);
  if (outlet < 1 || outlet > static_cast<int>(shared_->timers.size())) {
    return Status::InvalidArgument("no outlet " + std::to_string(outlet));
  }
  if (shared_->stopped) return Status::Unavailable("the PDU is shutting down");
  const OutletDelays& d = shared_->delays;
  const std::chrono::milliseconds now{0};
  std::vector<Shared::Step> steps;
  switch (action) {
    case OutletAction::kOn: steps = {{now, true}}; break;
    case OutletAction::kOff: steps = {{now, false}}; break;
    case OutletAction::kReboot: steps = {{now, false}, {d.reboot_pause, true}}; break;
    case OutletAction::kDelayedOn: steps = {{d.power_on, true}}; break;
    case OutletAction::kDelayedOff: steps = {{d.power_off, false}}; break;
    case OutletAction::kDelayedReboot:
      steps = {{d.power_off, false}, {d.reboot_pause + d.power_on, true}};
      break;
    case OutletAction::kCancel: break;
  }
  shared_->Replace(outlet, std::move(steps));
  return Status::Ok();
}

void TimedOutletBank::CancelAll() {
  std::lock_guard<std::mutex> lock(shared_->mu);
  shared_->stopped = true;
  for (auto& o : shared_->timers) {
    o->plan.clear();
    ++o->generation;
    o->timer.cancel();
  }
}

int TimedOutletBank::PendingCount() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  int n = 0;
  for (const auto& o : shared_->timers) n += o->plan.empty() ? 0 : 1;
  return n;
}

}  // namespace cs
