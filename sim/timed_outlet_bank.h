// TimedOutletBank: gives a plain OutletBank (one that can only switch on and
// off right now) the timed behaviour of an APC outlet: reboot is off, a pause,
// on; the delayed commands wait for the outlet's delays; Cancel drops what is
// pending. Timers run on an Asio executor, which is why this lives in sim/
// and not in fakes/.
//
// Thread-safe: every call into the wrapped bank is made under one mutex, so
// the wrapped bank need not be, even when several threads run the executor.
#pragma once

#include <chrono>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "fakes/power/outlet_bank.h"

namespace cs {

// APC calls these Power On Delay, Power Off Delay and Reboot Duration.
struct OutletDelays {
  std::chrono::milliseconds power_on{0};
  std::chrono::milliseconds power_off{0};
  std::chrono::milliseconds reboot_pause{5000};
};

class TimedOutletBank final : public OutletBank {
 public:
  // `outlets` receives only kOn and kOff and must outlive this object.
  TimedOutletBank(boost::asio::any_io_executor executor, OutletBank* outlets,
                  OutletDelays delays);
  ~TimedOutletBank() override;

  TimedOutletBank(const TimedOutletBank&) = delete;
  TimedOutletBank& operator=(const TimedOutletBank&) = delete;

  int OutletCount() const override;
  bool IsOn(int outlet) const override;
  std::string Name(int outlet) const override;
  // A new command for an outlet replaces whatever was pending on it.
  Status Switch(int outlet, OutletAction action) override;

  // Drops every pending step; nothing is switched after this returns.
  void CancelAll();
  // Outlets with a step still pending (for tests and status pages).
  int PendingCount() const;

 private:
  struct Shared;  // outlives this object while timer handlers hold it
  std::shared_ptr<Shared> shared_;
};

}  // namespace cs
