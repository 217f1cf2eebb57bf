#include "fakes/power/apc_console.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <utility>
#include <vector>

namespace cs {

namespace {

std::string Trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(' ') - begin + 1);
}

// A menu choice: a short decimal number, or -1 for anything else.
int ParseChoice(const std::string& text) {
  if (text.empty() || text.size() > 4) return -1;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The Control Outlet menu's items 1..7, in order.
constexpr OutletAction kMenuActions[] = {
    OutletAction::kOn,         OutletAction::kOff,        OutletAction::kReboot,
    OutletAction::kDelayedOn,  OutletAction::kDelayedOff, OutletAction::kDelayedReboot,
    OutletAction::kCancel};

}  // namespace

ApcConsole::ApcConsole(OutletBank* bank, const Clock* clock, ApcConsoleOptions options)
    : bank_(bank), clock_(clock), options_(std::move(options)), editor_(options_.max_line) {}

bool ApcConsole::logged_in() const {
  return state_ != State::kUserName && state_ != State::kPassword && state_ != State::kClosed;
}

std::string ApcConsole::Start() {
  return telnet_.Greeting() + TelnetCodec::Escape(apc_screen::UserNamePrompt());
}

std::string ApcConsole::Receive(std::string_view bytes) {
  if (closed()) return "";
  std::string data;
  std::string reply;
  telnet_.Receive(bytes, &data, &reply);
  std::string text;
  for (char c : data) {
    if (closed()) break;
    const LineEditor::Key key =
        editor_.Put(c, telnet_.echoing(), state_ == State::kPassword, &text);
    if (key != LineEditor::Key::kNone) text += OnKey(key);
  }
  return reply + TelnetCodec::Escape(text);
}

std::string ApcConsole::OnKey(LineEditor::Key key) {
  const bool menus = logged_in() && state_ != State::kCommandLine;
  switch (key) {
    case LineEditor::Key::kEnter:
      return OnLine(editor_.line(), editor_.overlong());
    case LineEditor::Key::kEscape:
      return menus ? Back() : "";
    case LineEditor::Key::kInterrupt:
      // fence_apc leaves every dialogue with Ctrl-C and waits for the main
      // menu's "4- Logout".
      if (menus) return Show(State::kMain);
      return state_ == State::kCommandLine ? apc_screen::CommandPrompt() : "";
    case LineEditor::Key::kEndOfFile:
      return logged_in() ? Logout() : "";
    case LineEditor::Key::kEventLog:
      return menus ? Show(state_) : "";  // no events to show: just redraw
    case LineEditor::Key::kNone:
      break;
  }
  return "";
}

std::string ApcConsole::OnLine(const std::string& line, bool overlong) {
  switch (state_) {
    case State::kUserName:
    case State::kPassword:
      return OnLogin(line, overlong);
    case State::kConfirm:
      return OnConfirm(overlong ? "" : line);
    case State::kPressEnter:
      return Show(State::kControlOutlet);
    case State::kCommandLine:
      return overlong ? "E101: Command Not Found" + apc_screen::CommandPrompt()
                      : OnCommandLine(Trim(line));
    case State::kClosed:
      return "";
    default:
      break;
  }
  // An empty line is <ENTER>- Refresh; anything unknown just redraws too.
  const int choice = overlong ? -1 : ParseChoice(Trim(line));
  return choice < 0 ? Show(state_) : OnMenuChoice(choice);
}

std::string ApcConsole::OnLogin(const std::string& line, bool overlong) {
  if (state_ == State::kUserName) {
    // An empty user name is how clients wake a console up: ask again, free.
    if (line.empty()) return apc_screen::UserNamePrompt();
    user_ = overlong ? "" : line;
    state_ = State::kPassword;
    return apc_screen::PasswordPrompt();
  }
  if (!overlong && user_ == options_.user && line == options_.password) {
    if (options_.dialect == ApcDialect::kCommandLineV5) {
      state_ = State::kCommandLine;
      return apc_screen::BannerV5(Facts()) + apc_screen::CommandPrompt();
    }
    return apc_screen::BannerV3(Facts()) + Show(State::kMain);
  }
  if (++login_failures_ >= options_.max_login_failures) {
    state_ = State::kClosed;
    return apc_screen::Bye();
  }
  state_ = State::kUserName;
  return apc_screen::UserNamePrompt();
}

std::string ApcConsole::OnMenuChoice(int choice) {
  switch (state_) {
    case State::kMain:
      if (choice == 1) return Show(State::kDeviceManager);
      if (choice == 4) return Logout();
      break;
    case State::kDeviceManager:
      if (choice == 2) return Show(State::kOutletManagement);
      break;
    case State::kOutletManagement:
      if (choice == 1) return Show(State::kOutletList);
      break;
    case State::kOutletList:
      if (choice >= 1 && choice <= bank_->OutletCount()) {
        outlet_ = choice;
        return Show(State::kOutlet);
      }
      break;
    case State::kOutlet:
      if (choice == 1) return Show(State::kControlOutlet);
      break;
    case State::kControlOutlet:
      if (choice >= 1 && choice <= 7) {
        choice_ = choice;
        state_ = State::kConfirm;
        return apc_screen::Confirm(View(outlet_), choice);
      }
      break;
    default:
      break;
  }
  // Items this simulator does not model (Network, System, Outlet Restriction,
  // Configure Outlet...) and numbers out of range redraw the menu.
  return Show(state_);
}

std::string ApcConsole::OnConfirm(const std::string& line) {
  if (line != "YES") return apc_screen::Cancelled() + Show(State::kControlOutlet);
  const OutletAction action = kMenuActions[choice_ - 1];
  const Status status = bank_->Switch(outlet_, action);
  state_ = State::kPressEnter;
  return apc_screen::CommandIssued(status.ok(), status.message());
}

std::string ApcConsole::Back() {
  switch (state_) {
    case State::kDeviceManager: return Show(State::kMain);
    case State::kOutletManagement: return Show(State::kDeviceManager);
    case State::kOutletList: return Show(State::kOutletManagement);
    case State::kOutlet: return Show(State::kOutletList);
    case State::kConfirm: return apc_screen::Cancelled() + Show(State::kControlOutlet);
    case State::kControlOutlet: return Show(State::kOutlet);
    case State::kPressEnter: return Show(State::kControlOutlet);
    default: return Show(State::kMain);
  }
}

std::string ApcConsole::Show(State state) {
  state_ = state;
  switch (state) {
    case State::kMain: return apc_screen::ControlConsole();
    case State::kDeviceManager: return apc_screen::DeviceManager();
    case State::kOutletManagement: return apc_screen::OutletManagement();
    case State::kOutletList: {
      std::vector<OutletView> views;
      for (int i = 1; i <= bank_->OutletCount(); ++i) views.push_back(View(i));
      return apc_screen::OutletList(views);
    }
    case State::kOutlet: return apc_screen::OutletMenu(View(outlet_));
    case State::kControlOutlet: return apc_screen::ControlOutlet(View(outlet_));
    default: return "";
  }
}

std::string ApcConsole::Logout() {
  state_ = State::kClosed;
  return apc_screen::Bye();
}

OutletView ApcConsole::View(int outlet) const {
  return OutletView{outlet, PrintableName(bank_->Name(outlet), outlet), bank_->IsOn(outlet)};
}

BannerFacts ApcConsole::Facts() const {
  const WallTime now = clock_->Now();
  const auto up = std::chrono::duration_cast<std::chrono::seconds>(now - options_.boot_time);
  return BannerFacts{options_.pdu_name, now,
                     options_.boot_time == WallTime{} ? std::chrono::seconds(0) : up};
}

// ---- AOS v5 command line ---------------------------------------------------

namespace {

// Outlet numbers named by "all", "3", "1,3" or "2-5"; empty when invalid.
std::vector<int> ParseOutlets(const std::string& spec, int count) {
  std::vector<int> out;
  if (Lower(spec) == "all") {
    for (int i = 1; i <= count; ++i) out.push_back(i);
    return out;
  }
  std::stringstream parts(spec);
  std::string part;
  while (std::getline(parts, part, ',')) {
    const size_t dash = part.find('-');
    const int first = ParseChoice(part.substr(0, dash));
    const int last = dash == std::string::npos ? first : ParseChoice(part.substr(dash + 1));
    if (first < 1 || last < first || last > count) return {};
    for (int i = first; i <= last; ++i) out.push_back(i);
  }
  return out;
}

}  // namespace

std::string ApcConsole::OnCommandLine(const std::string& line) {
  std::istringstream words(line);
  std::string command;
  std::string spec;
  words >> command >> spec;
  command = Lower(command);
  std::string reply;
  if (command.empty()) {
    reply = "";
  } else if (command == "exit" || command == "quit" || command == "bye") {
    return Logout();
  } else if (command == "olstatus") {
    bool ok = false;
    const std::string lines = OutletStatusLines(spec, &ok);
    reply = ok ? "E000: Success\r\n" + lines : "E102: Parameter Error";
  } else if (command == "olon") {
    reply = SwitchFromCommandLine(spec, OutletAction::kOn);
  } else if (command == "oloff") {
    reply = SwitchFromCommandLine(spec, OutletAction::kOff);
  } else if (command == "olreboot") {
    reply = SwitchFromCommandLine(spec, OutletAction::kReboot);
  } else if (command == "oldlyon") {
    reply = SwitchFromCommandLine(spec, OutletAction::kDelayedOn);
  } else if (command == "oldlyoff") {
    reply = SwitchFromCommandLine(spec, OutletAction::kDelayedOff);
  } else if (command == "oldlyreboot") {
    reply = SwitchFromCommandLine(spec, OutletAction::kDelayedReboot);
  } else if (command == "olcancelcmd") {
    reply = SwitchFromCommandLine(spec, OutletAction::kCancel);
  } else {
    reply = "E101: Command Not Found";
  }
  return reply + apc_screen::CommandPrompt();
}

// fence_apc parses each line with ^\s*(\d+): (.*): (On|Off)\s*$.
std::string ApcConsole::OutletStatusLines(const std::string& spec, bool* ok) const {
  const std::vector<int> outlets = ParseOutlets(spec, bank_->OutletCount());
  *ok = !outlets.empty();
  std::string out;
  for (int i : outlets) {
    const OutletView v = View(i);
    out += " " + std::to_string(i) + ": " + v.name + ": " + (v.on ? "On" : "Off") + "\r\n";
  }
  if (!out.empty()) out.resize(out.size() - 2);  // the prompt brings its own CR LF
  return out;
}

std::string ApcConsole::SwitchFromCommandLine(const std::string& spec, OutletAction action) {
  const std::vector<int> outlets = ParseOutlets(spec, bank_->OutletCount());
  if (outlets.empty()) return "E102: Parameter Error";
  for (int i : outlets) {
    if (!bank_->Switch(i, action).ok()) return "E200: Input Error";
  }
  return "E000: Success";
}

}  // namespace cs
