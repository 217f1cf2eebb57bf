// ApcScreens: the text of an APC AP79xx switched rack PDU's telnet console
// (AOS v3 menus and the v5 command line), kept apart from the state machine
// that decides when to show it. Lines end in CR LF like the device's; every
// menu ends in "\r\n> " because fence_apc finds its prompt by "\n>".
#pragma once

#include <string>
#include <vector>

#include "util/clock.h"

namespace cs {

// What a screen shows of one outlet.
struct OutletView {
  int number = 0;
  std::string name;  // already made printable (see PrintableName)
  bool on = false;
};

// Facts shown in the login banner.
struct BannerFacts {
  std::string pdu_name;
  WallTime now;
  std::chrono::seconds up_time{0};
};

// Outlet names come from elsewhere: keep printable ASCII, at most 20
// characters (the device's limit), and "Outlet N" when nothing is left.
std::string PrintableName(const std::string& name, int number);

namespace apc_screen {

std::string UserNamePrompt();
std::string PasswordPrompt();
std::string Bye();

// AOS v3 (menu dialect).
std::string BannerV3(const BannerFacts& facts);
std::string ControlConsole();
std::string DeviceManager();
std::string OutletManagement();
std::string OutletList(const std::vector<OutletView>& outlets);
std::string OutletMenu(const OutletView& outlet);
std::string ControlOutlet(const OutletView& outlet);
// The confirmation asked before an outlet command; `choice` is 1..7 of the
// Control Outlet menu.
std::string Confirm(const OutletView& outlet, int choice);
std::string CommandIssued(bool ok, const std::string& detail);
std::string Cancelled();

// AOS v5 (command-line dialect).
std::string BannerV5(const BannerFacts& facts);
std::string CommandPrompt();  // "apc>"

}  // namespace apc_screen
}  // namespace cs
