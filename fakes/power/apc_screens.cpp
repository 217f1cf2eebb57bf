#include "fakes/power/apc_screens.h"

#include <cstdio>
#include <ctime>

namespace cs {

namespace {

constexpr const char* kRule =
    "-------------------------------------------------------------------------------";

// "------- Title ---...---" padded to the 79-column width the device uses.
std::string Header(const std::string& title) {
  std::string line = "------- " + title + " ";
  while (line.size() < 79) line.push_back('-');
  return "\r\n" + line + "\r\n\r\n";
}

std::string Footer(bool help) {
  return std::string("\r\n     ") + (help ? "?- Help, " : "") +
         "<ESC>- Back, <ENTER>- Refresh, <CTRL-L>- Event Log\r\n> ";
}

std::string Item(int number, const std::string& text) {
  return "     " + std::to_string(number) + "- " + text + "\r\n";
}

std::string OnOff(bool on) { return on ? "ON" : "OFF"; }

std::string OutletFacts(const OutletView& outlet) {
  return "        Name         : " + outlet.name + "\r\n" +
         "        Outlet       : " + std::to_string(outlet.number) + "\r\n" +
         "        State        : " + OnOff(outlet.on) + "\r\n\r\n";
}

// The banner's "02/13/2013" and "10:49:37".
std::string DateText(const std::tm& tm) {
  char buf[32];
  std::strftime(buf, sizeof buf, "%m/%d/%Y", &tm);
  return buf;
}

std::string TimeText(const std::tm& tm) {
  char buf[32];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

std::string UpTime(std::chrono::seconds up) {
  const long long minutes = up.count() / 60;
  return std::to_string(minutes / (24 * 60)) + " Days " +
         std::to_string(minutes / 60 % 24) + " Hours " + std::to_string(minutes % 60) +
         " Minutes";
}

// The banner's left column is 54 characters wide.
std::string TwoColumns(const std::string& left, const std::string& right) {
  std::string line = left;
  while (line.size() < 54) line.push_back(' ');
  return line + right + "\r\n";
}

std::string Banner(const BannerFacts& facts, const std::string& version) {
  const std::time_t t = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::seconds>(facts.now));
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::string out = "\r\n\r\n";
  out += "American Power Conversion               Network Management Card AOS      " +
         version + "\r\n";
  out += "(c) Copyright 2009 All Rights Reserved  Rack PDU APP                     " +
         version + "\r\n";
  out += std::string(kRule) + "\r\n";
  out += TwoColumns("Name      : " + facts.pdu_name, "Date : " + DateText(tm));
  out += TwoColumns("Contact   : Unknown", "Time : " + TimeText(tm));
  out += TwoColumns("Location  : Unknown", "User : Administrator");
  out += TwoColumns("Up Time   : " + UpTime(facts.up_time), "Stat : P+ N+ A+");
  out += "\r\nSwitched Rack PDU: Communication Established\r\n";
  return out;
}

}  // namespace

std::string PrintableName(const std::string& name, int number) {
  std::string out;
  for (char c : name) {
    if (c >= 0x20 && c <= 0x7e && out.size() < 20) out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) out = "Outlet " + std::to_string(number);
  return out;
}

namespace apc_screen {

std::string UserNamePrompt() { return "\r\nUser Name : "; }
std::string PasswordPrompt() { return "Password  : "; }
std::string Bye() { return "\r\nConnection Closed - Bye\r\n"; }

std::string BannerV3(const BannerFacts& facts) { return Banner(facts, "v3.7.3"); }

std::string ControlConsole() {
  return Header("Control Console") + Item(1, "Device Manager") + Item(2, "Network") +
         Item(3, "System") + Item(4, "Logout") +
         "\r\n     <ESC>- Main Menu, <ENTER>- Refresh, <CTRL-L>- Event Log\r\n> ";
}

// fence_apc tells firmware v3 from v2 by "Outlet Management" here, and must
// not find "Outlet Control/Configuration" (that would mean the v2 layout).
std::string DeviceManager() {
  return Header("Device Manager") + Item(1, "Phase Management") +
         Item(2, "Outlet Management") + Item(3, "Power Supply Status") + Footer(false);
}

// fence_apc sends one more "1" per outlet when it sees "2- Outlet Restriction"
// here: that is the Control Outlet item of the outlet's own menu.
std::string OutletManagement() {
  return Header("Outlet Management") + Item(1, "Outlet Control/Configuration") +
         Item(2, "Outlet Restriction") + Footer(false);
}

// fence_apc parses each line with (\d+)- (.*?)\s+(ON|OFF).
std::string OutletList(const std::vector<OutletView>& outlets) {
  std::string out = Header("Outlet Control/Configuration");
  for (const OutletView& o : outlets) {
    std::string line = "     " + std::to_string(o.number) + "- " + o.name;
    do line.push_back(' '); while (line.size() < 37);
    out += line + OnOff(o.on) + "\r\n";
  }
  return out + Footer(false);
}

std::string OutletMenu(const OutletView& outlet) {
  return Header("Outlet " + std::to_string(outlet.number)) + OutletFacts(outlet) +
         Item(1, "Control Outlet") + Item(2, "Configure Outlet") + Footer(true);
}

std::string ControlOutlet(const OutletView& outlet) {
  return Header("Control Outlet") + OutletFacts(outlet) + Item(1, "Immediate On") +
         Item(2, "Immediate Off") + Item(3, "Immediate Reboot") + Item(4, "Delayed On") +
         Item(5, "Delayed Off") + Item(6, "Delayed Reboot") + Item(7, "Cancel") +
         Footer(true);
}

std::string Confirm(const OutletView& outlet, int choice) {
  static const char* const kTitles[] = {"",           "Immediate On", "Immediate Off",
                                        "Immediate Reboot", "Delayed On", "Delayed Off",
                                        "Delayed Reboot",   "Cancel"};
  static const char* const kWhat[] = {"",
                                      "immediately turn on",
                                      "immediately turn off",
                                      "immediately reboot",
                                      "turn on, after its power on delay,",
                                      "turn off, after its power off delay,",
                                      "reboot, with its delays,",
                                      "cancel pending commands on"};
  const std::string rule = "        " + std::string(kRule).substr(8) + "\r\n";
  return "\r\n" + rule + "        " + kTitles[choice] + "\r\n" + rule + "\r\n" +
         "        This command will " + kWhat[choice] + " outlet " +
         std::to_string(outlet.number) + "\r\n        named '" + outlet.name + "'.\r\n\r\n" +
         "        Enter 'YES' to continue or <ENTER> to cancel : ";
}

std::string CommandIssued(bool ok, const std::string& detail) {
  std::string out = ok ? "\r\n        Command successfully issued.\r\n"
                       : "\r\n        Command failed: " + detail + "\r\n";
  return out + "\r\n        Press <ENTER> to continue...";
}

std::string Cancelled() { return "\r\n        Command cancelled.\r\n"; }

// fence_apc picks the command-line dialect when the banner's first
// "v<digit>." is v5, v6 or v7.
std::string BannerV5(const BannerFacts& facts) { return Banner(facts, "v5.1.9"); }

std::string CommandPrompt() { return "\r\napc>"; }

}  // namespace apc_screen
}  // namespace cs
