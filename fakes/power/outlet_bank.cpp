#include "fakes/power/outlet_bank.h"

namespace cs {

std::string_view OutletActionName(OutletAction action) {
  switch (action) {
    case OutletAction::kOn: return "on";
    case OutletAction::kOff: return "off";
    case OutletAction::kReboot: return "reboot";
    case OutletAction::kDelayedOn: return "delayed-on";
    case OutletAction::kDelayedOff: return "delayed-off";
    case OutletAction::kDelayedReboot: return "delayed-reboot";
    case OutletAction::kCancel: return "cancel";
  }
  return "unknown";
}

}  // namespace cs
