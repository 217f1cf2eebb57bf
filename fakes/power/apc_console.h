// ApcConsole: the telnet console of an APC AP79xx switched rack PDU, for one
// connection, as a byte-in / byte-out state machine. It owns the telnet
// protocol state, the line editing and the menus; it switches outlets only
// through an OutletBank. No sockets, no timers: the runtime (sim/pdu_server)
// feeds it what a client sent and sends back what it returns.
//
// Dialect. fence_apc (Debian fence-agents) knows two: the menu-driven AOS
// v2/v3 console and the AOS v5+ command line (olStatus/olOn/olOff). The
// default here is the v3 menus, because that is the path fence_apc was tested
// on (its header lists v2.7/v3.5 devices), the one the Python cluster-sim
// imitated, and the one that exercises the most of fence_apc's parsing
// (firmware detection, menu walk, outlet list, YES confirmation, Ctrl-C back
// to the main menu). The v5 command line is offered as a second dialect; its
// commands answer as documented for AOS v5 ("E000: Success", " 1: Name: On").
//
// Telnet: we ask for character mode (server echo), which makes fence_apc's
// telnet send one CR LF per Enter and a raw Ctrl-C (see telnet.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "fakes/power/apc_screens.h"
#include "fakes/power/line_editor.h"
#include "fakes/power/outlet_bank.h"
#include "fakes/power/telnet.h"
#include "util/clock.h"

namespace cs {

enum class ApcDialect { kMenuV3, kCommandLineV5 };

struct ApcConsoleOptions {
  std::string user = "apc";
  std::string password = "apc";
  ApcDialect dialect = ApcDialect::kMenuV3;
  std::string pdu_name = "RackPDU";
  // Wrong passwords before the device hangs up, as AOS does.
  int max_login_failures = 3;
  // Longest input line kept; longer lines are rejected as invalid input.
  size_t max_line = 1024;
  // When the PDU came up; the banner shows the time since.
  WallTime boot_time{};
};

class ApcConsole {
 public:
  // `bank` and `clock` must outlive the console.
  ApcConsole(OutletBank* bank, const Clock* clock, ApcConsoleOptions options);

  ApcConsole(const ApcConsole&) = delete;
  ApcConsole& operator=(const ApcConsole&) = delete;

  // Bytes to send when the connection opens: telnet offers, login prompt.
  std::string Start();

  // Consumes bytes from the client and returns the bytes to send back. After
  // closed() turns true, send what was returned and hang up; further input is
  // ignored.
  std::string Receive(std::string_view bytes);

  bool closed() const { return state_ == State::kClosed; }
  bool logged_in() const;
  // Wrong user name/password pairs so far on this connection.
  int login_failures() const { return login_failures_; }

 private:
  enum class State {
    kUserName,
    kPassword,
    kMain,
    kDeviceManager,
    kOutletManagement,
    kOutletList,
    kOutlet,
    kControlOutlet,
    kConfirm,
    kPressEnter,
    kCommandLine,
    kClosed,
  };

  std::string OnKey(LineEditor::Key key);
  std::string OnLine(const std::string& line, bool overlong);
  std::string OnLogin(const std::string& line, bool overlong);
  std::string OnMenuChoice(int choice);
  std::string OnConfirm(const std::string& line);
  std::string OnCommandLine(const std::string& line);
  std::string OutletStatusLines(const std::string& spec, bool* ok) const;
  std::string SwitchFromCommandLine(const std::string& spec, OutletAction action);
  std::string Back();
  std::string Show(State state);  // enters `state` and returns its screen
  std::string Logout();
  OutletView View(int outlet) const;
  BannerFacts Facts() const;

  OutletBank* const bank_;
  const Clock* const clock_;
  const ApcConsoleOptions options_;
  TelnetCodec telnet_;
  LineEditor editor_;
  State state_ = State::kUserName;
  std::string user_;       // as typed at "User Name :"
  int login_failures_ = 0;
  int outlet_ = 0;         // the outlet whose menus are shown
  int choice_ = 0;         // the Control Outlet item awaiting "YES"
};

}  // namespace cs
