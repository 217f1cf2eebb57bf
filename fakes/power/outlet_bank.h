// OutletBank: what a simulated PDU console switches. The console only knows
// outlets by number (1-based, as printed on the device); whoever implements
// this decides what "power" means (a fake server, a test's array of bools).
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace cs {

// The choices of the APC "Control Outlet" menu. The delayed variants wait for
// the outlet's configured delay; kReboot is off, a pause, then on.
enum class OutletAction {
  kOn,
  kOff,
  kReboot,
  kDelayedOn,
  kDelayedOff,
  kDelayedReboot,
  kCancel,  // drops a pending delayed action or reboot
};

// "on", "off", "reboot", "delayed-on", ... for logs and test messages.
std::string_view OutletActionName(OutletAction action);

class OutletBank {
 public:
  virtual ~OutletBank() = default;
  // Outlets are numbered 1..OutletCount().
  virtual int OutletCount() const = 0;
  virtual bool IsOn(int outlet) const = 0;
  // The outlet's configured name, e.g. "Outlet 3" or a host name.
  virtual std::string Name(int outlet) const = 0;
  // Carries out (or schedules) `action`; not ok for an unknown outlet or an
  // action this bank cannot do.
  virtual Status Switch(int outlet, OutletAction action) = 0;
};

}  // namespace cs
