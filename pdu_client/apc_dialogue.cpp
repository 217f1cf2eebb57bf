#include "pdu_client/apc_dialogue.h"

#include <regex>
#include <utility>

namespace cs {

namespace {

constexpr char kCtrlC = '\x03';

std::string TrimRight(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  return s;
}

// The line the cursor is on: what follows the last line break, trimmed.
std::string LastLine(const std::string& screen) {
  const size_t nl = screen.find_last_of('\n');
  return TrimRight(nl == std::string::npos ? screen : screen.substr(nl + 1));
}

// The number of the menu item labelled `label` ("     2- Outlet Management").
int MenuItem(const std::string& screen, const std::string& label) {
  static const std::regex kItem(R"((?:^|\n)\s*(\d+)- ([^\r\n]*))");
  for (auto it = std::sregex_iterator(screen.begin(), screen.end(), kItem); it != std::sregex_iterator(); ++it) {
    if (TrimRight((*it)[2].str()) == label) return std::stoi((*it)[1].str());
  }
  return -1;
}

// The first line of `screen` that holds `marker`, for error messages.
std::string LineWith(const std::string& screen, const std::string& marker) {
  const size_t at = screen.find(marker);
  if (at == std::string::npos) return "";
  const size_t begin = screen.rfind('\n', at);
  const size_t end = screen.find_first_of("\r\n", at);
  const size_t from = begin == std::string::npos ? 0 : begin + 1;
  std::string line = screen.substr(from, end == std::string::npos ? std::string::npos : end - from);
  while (!line.empty() && line.front() == ' ') line.erase(line.begin());
  return TrimRight(line);
}

// The AOS command line's "apc>" (a word and '>'; the menus' footer
// "<ESC>" must not pass for one while it arrives).
bool CommandPromptShown(const std::string& last_line) {
  static const std::regex kPrompt(R"([A-Za-z0-9_.@-]+>)");
  return std::regex_match(last_line, kPrompt);
}

const char* MenuLabel(PowerAction action) {
  switch (action) {
    case PowerAction::kOn: return "Immediate On";
    case PowerAction::kOff: return "Immediate Off";
    case PowerAction::kReboot: return "Immediate Reboot";
  }
  return "";
}

const char* Command(PowerAction action) {
  switch (action) {
    case PowerAction::kOn: return "olOn";
    case PowerAction::kOff: return "olOff";
    case PowerAction::kReboot: return "olReboot";
  }
  return "";
}

}  // namespace

bool ParsePowerAction(const std::string& text, PowerAction* out) {
  if (text == "on") *out = PowerAction::kOn;
  else if (text == "off") *out = PowerAction::kOff;
  else if (text == "reboot") *out = PowerAction::kReboot;
  else return false;
  return true;
}

const char* PowerActionName(PowerAction action) {
  switch (action) {
    case PowerAction::kOn: return "on";
    case PowerAction::kOff: return "off";
    case PowerAction::kReboot: return "reboot";
  }
  return "";
}

ApcDialogue::ApcDialogue(ApcPlan plan) : plan_(std::move(plan)) {}

std::string ApcDialogue::Receive(std::string_view bytes) {
  if (finished()) return "";
  std::string data;
  std::string reply;
  telnet_.Receive(bytes, &data, &reply);
  for (char c : data) {
    if (c != '\0') screen_.push_back(c);
  }
  // A console screen is a few KiB; more without a prompt is not a console.
  if (screen_.size() > (1u << 20)) return reply + Fail(Status::Unavailable("the PDU sent 1 MiB without a prompt"));
  return reply + Advance();
}

Status ApcDialogue::Closed() {
  if (state_ == State::kLoggingOut || state_ == State::kDone) {
    state_ = State::kDone;
    return status_;
  }
  if (state_ != State::kFailed) Fail(Status::Unavailable("the PDU hung up while " + Doing()));
  return status_;
}

std::string ApcDialogue::Doing() const {
  switch (state_) {
    case State::kUserName:
    case State::kPassword:
    case State::kLoggedIn:
      return "logging in";
    case State::kLoggingOut:
    case State::kDone:
      return "logging out";
    default:
      break;
  }
  if (next_switch_ < plan_.switches.size()) {
    const auto& [outlet, action] = plan_.switches[next_switch_];
    return "switching outlet " + std::to_string(outlet) + " " + PowerActionName(action);
  }
  return "reading the outlets";
}

std::string ApcDialogue::Fail(Status status) {
  state_ = State::kFailed;
  status_ = std::move(status);
  return "";
}

std::string ApcDialogue::Type(const std::string& line, State next) {
  screen_.clear();
  state_ = next;
  return TelnetClientCodec::Escape(line) + "\r\n";
}

std::string ApcDialogue::Choose(const std::string& label, State next) {
  const int item = MenuItem(screen_, label);
  if (item < 0) return Fail(Status::Unavailable("the PDU's menu has no '" + label + "' item"));
  return Type(std::to_string(item), next);
}

bool ApcDialogue::MenuPromptShown() const { return LastLine(screen_) == ">"; }

std::string ApcDialogue::Advance() {
  const std::string prompt = LastLine(screen_);
  switch (state_) {
    case State::kUserName:
      if (screen_.find("User Name") == std::string::npos || prompt.empty() || prompt.back() != ':') return "";
      return Type(plan_.user, State::kPassword);
    case State::kPassword:
      if (screen_.find("Password") == std::string::npos || prompt.empty() || prompt.back() != ':') return "";
      return Type(plan_.password, State::kLoggedIn);
    case State::kLoggedIn:
      if (screen_.find("User Name") != std::string::npos || screen_.find("Bye") != std::string::npos) {
        return Fail(Status::FailedPrecondition("the PDU refused user '" + plan_.user + "' and its password"));
      }
      if (MenuPromptShown() && screen_.find("Control Console") != std::string::npos) {
        state_ = State::kMainMenu;
        return NextMenuTask();
      }
      if (CommandPromptShown(prompt)) {
        state_ = State::kCommandLine;
        return NextCommand();
      }
      return "";
    case State::kCommandLine:
    case State::kCommandAnswer:
      return AdvanceCommandLine();
    case State::kLoggingOut:
      if (screen_.find("Bye") != std::string::npos) state_ = State::kDone;
      return "";
    case State::kDone:
    case State::kFailed:
      return "";
    default:
      return AdvanceMenus();
  }
}

std::string ApcDialogue::NextMenuTask() {
  const bool work_left = (plan_.read_outlets && !outlets_read_) || next_switch_ < plan_.switches.size();
  return Choose(work_left ? "Device Manager" : "Logout", work_left ? State::kDeviceManager : State::kLoggingOut);
}

// Menus: each screen is complete when the "> " prompt shows.
std::string ApcDialogue::AdvanceMenus() {
  if (state_ == State::kConfirm) {
    const std::string prompt = LastLine(screen_);
    if (screen_.find("'YES'") == std::string::npos || prompt.empty() || prompt.back() != ':') return "";
    return Type("YES", State::kIssued);
  }
  if (state_ == State::kIssued) {
    if (screen_.find("<ENTER>") == std::string::npos) return "";
    if (screen_.find("successfully") == std::string::npos) {
      const std::string said = LineWith(screen_, "Command");
      return Fail(Status::Unavailable("the PDU did not " + Doing() + ": " + (said.empty() ? "no confirmation" : said)));
    }
    ++next_switch_;
    return Type("", State::kBackToMain);  // the Control Outlet menu comes back
  }
  if (!MenuPromptShown()) return "";
  switch (state_) {
    case State::kMainMenu:
      return NextMenuTask();
    case State::kDeviceManager:
      // AOS v3 has an Outlet Management level; v2 lists outlet control here.
      if (MenuItem(screen_, "Outlet Management") >= 0) return Choose("Outlet Management", State::kOutletManagement);
      return Choose("Outlet Control/Configuration", State::kOutletList);
    case State::kOutletManagement:
      return Choose("Outlet Control/Configuration", State::kOutletList);
    case State::kOutletList: {
      if (!ReadOutletList()) return Fail(Status::Unavailable("the PDU's outlet list shows no outlets"));
      if (next_switch_ >= plan_.switches.size()) {
        screen_.clear();
        state_ = State::kBackToMain;
        return std::string(1, kCtrlC);
      }
      const int outlet = plan_.switches[next_switch_].first;
      if (outlets_.count(outlet) == 0) {
        return Fail(Status::NotFound("the PDU has no outlet " + std::to_string(outlet) + " (it has 1 to " +
                                     std::to_string(outlets_.rbegin()->first) + ")"));
      }
      return Type(std::to_string(outlet), State::kOutletMenu);
    }
    case State::kOutletMenu:
      return Choose("Control Outlet", State::kControlOutlet);
    case State::kControlOutlet:
      return Choose(MenuLabel(plan_.switches[next_switch_].second), State::kConfirm);
    case State::kBackToMain:
      if (screen_.find("Control Console") != std::string::npos) {
        state_ = State::kMainMenu;
        return NextMenuTask();
      }
      screen_.clear();
      return std::string(1, kCtrlC);  // Ctrl-C: back to the Control Console
    default:
      return "";
  }
}

// "     3- test002.localdomain            ON" lines of the outlet list.
bool ApcDialogue::ReadOutletList() {
  static const std::regex kOutlet(R"((?:^|\n)\s*(\d+)- (.*?)\s+(ON|OFF)\s*(?=\r?\n))");
  std::map<int, ApcOutlet> outlets;
  for (auto it = std::sregex_iterator(screen_.begin(), screen_.end(), kOutlet); it != std::sregex_iterator(); ++it) {
    outlets[std::stoi((*it)[1].str())] = ApcOutlet{(*it)[2].str(), (*it)[3].str() == "ON"};
  }
  if (outlets.empty()) return false;
  outlets_ = std::move(outlets);
  outlets_read_ = true;
  return true;
}

// Command line (AOS v5+): each answer is complete when the "apc>" prompt shows.
std::string ApcDialogue::AdvanceCommandLine() {
  if (!CommandPromptShown(LastLine(screen_))) return "";
  if (state_ == State::kCommandAnswer) {
    if (screen_.find("E000") == std::string::npos) {
      static const std::regex kError(R"(E\d{3}: [^\r\n]*)");
      std::smatch m;
      const std::string said = std::regex_search(screen_, m, kError) ? m.str() : "no answer code";
      return Fail(Status::NotFound("the PDU did not " + Doing() + ": " + said));
    }
    if (plan_.read_outlets && !outlets_read_) {
      static const std::regex kLine(R"((?:^|\n)\s*(\d+): (.*): (On|Off)\s*(?=\r?\n|$))");
      for (auto it = std::sregex_iterator(screen_.begin(), screen_.end(), kLine); it != std::sregex_iterator(); ++it) {
        outlets_[std::stoi((*it)[1].str())] = ApcOutlet{(*it)[2].str(), (*it)[3].str() == "On"};
      }
      outlets_read_ = true;
    } else {
      ++next_switch_;
    }
    state_ = State::kCommandLine;
  }
  return NextCommand();
}

std::string ApcDialogue::NextCommand() {
  if (plan_.read_outlets && !outlets_read_) return Type("olStatus all", State::kCommandAnswer);
  if (next_switch_ < plan_.switches.size()) {
    const auto& [outlet, action] = plan_.switches[next_switch_];
    return Type(std::string(Command(action)) + " " + std::to_string(outlet), State::kCommandAnswer);
  }
  return Type("exit", State::kLoggingOut);
}

}  // namespace cs
