// ApcDialogue: what a person at an APC switched rack PDU's telnet console
// types to read its outlets and switch them, as a byte-in / byte-out state
// machine for one connection (no sockets, no timers: apc_session.h runs it).
//
// It logs in, tells the console's dialect from what it shows (the AOS v2/v3
// menus, or the AOS v5+ "apc>" command line, the two fence_apc knows), then
// works through a plan: read every outlet's state, and/or switch outlets on,
// off or reboot. In the menus it picks items by their label ("Device
// Manager", "Outlet Management", "Control Outlet", "Immediate Off"), not by
// fixed numbers, so firmware that orders its menus differently still works.
// One connection does the whole plan and logs out.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pdu_client/telnet_client_codec.h"
#include "util/status.h"

namespace cs {

enum class PowerAction { kOn, kOff, kReboot };

// "on", "off", "reboot" <-> PowerAction; false for anything else.
bool ParsePowerAction(const std::string& text, PowerAction* out);
const char* PowerActionName(PowerAction action);

struct ApcPlan {
  std::string user = "apc";
  std::string password = "apc";
  bool read_outlets = false;
  std::vector<std::pair<int, PowerAction>> switches;  // outlet number, action; in order
};

struct ApcOutlet {
  std::string name;
  bool on = false;
};

class ApcDialogue {
 public:
  explicit ApcDialogue(ApcPlan plan);

  // Consumes bytes from the PDU and returns the bytes to send back.
  std::string Receive(std::string_view bytes);
  // The PDU hung up. Returns the final status (ok when the plan was done).
  Status Closed();

  // The plan is carried out (and we logged out), or it failed.
  bool finished() const { return state_ == State::kDone || state_ == State::kFailed; }
  const Status& status() const { return status_; }
  // What the outlet list showed (read_outlets), by outlet number.
  const std::map<int, ApcOutlet>& outlets() const { return outlets_; }
  // The switches carried out so far.
  size_t switched() const { return next_switch_; }
  // "logging in", "switching outlet 3 off", ...: for error messages.
  std::string Doing() const;

 private:
  enum class State {
    kUserName, kPassword, kLoggedIn,
    kMainMenu, kDeviceManager, kOutletManagement, kOutletList, kOutletMenu, kControlOutlet,
    kConfirm, kIssued, kBackToMain, kLoggingOut,
    kCommandLine, kCommandAnswer,
    kDone, kFailed,
  };

  // Looks at what the screen shows so far and answers when it is complete.
  std::string Advance();
  std::string AdvanceMenus();
  std::string AdvanceCommandLine();
  std::string NextMenuTask();  // from the main menu: the next thing to do
  std::string NextCommand();
  std::string Type(const std::string& line, State next);  // line + Enter
  std::string Choose(const std::string& label, State next);
  std::string Fail(Status status);
  bool MenuPromptShown() const;
  bool ReadOutletList();

  const ApcPlan plan_;
  TelnetClientCodec telnet_;
  State state_ = State::kUserName;
  Status status_;
  std::string screen_;  // console text since we last typed
  bool outlets_read_ = false;
  size_t next_switch_ = 0;
  std::map<int, ApcOutlet> outlets_;
  int logins_ = 0;
};

}  // namespace cs
