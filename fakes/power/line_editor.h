// LineEditor: turns the bytes a terminal sends into lines and special keys,
// producing the echo a character-mode telnet server owes its client. One per
// connection; pure logic.
//
// Line ends: CR, CR LF, CR NUL and a lone LF each end one line, so telnet
// clients in either mode and raw sockets ("1\r\n", "1\n") all work. Lines are
// capped: characters past the cap are dropped (not echoed) and the line is
// reported as overlong, so garbage cannot make the console hold memory.
#pragma once

#include <cstddef>
#include <string>

namespace cs {

class LineEditor {
 public:
  enum class Key {
    kNone,       // byte consumed, nothing to act on yet
    kEnter,      // line() is complete
    kEscape,     // ESC: APC menus go back one level at once, no Enter needed
    kInterrupt,  // Ctrl-C: APC menus return to the Control Console
    kEndOfFile,  // Ctrl-D: log out
    kEventLog,   // Ctrl-L
  };

  explicit LineEditor(size_t max_line) : max_line_(max_line) {}

  // Consumes one byte. When `echo`, appends what the terminal should show to
  // *echo_out ('*' per character when `mask`, as for passwords).
  Key Put(char c, bool echo, bool mask, std::string* echo_out);

  // The line completed by the last kEnter, without its terminator.
  const std::string& line() const { return line_; }
  // Whether that line was longer than the cap (then line() is truncated).
  bool overlong() const { return line_overlong_; }
  // Forgets a partly typed line (after Ctrl-C, for instance).
  void DiscardPending();

 private:
  Key EndLine(bool echo, std::string* echo_out);

  const size_t max_line_;
  std::string pending_;
  bool pending_overlong_ = false;
  std::string line_;
  bool line_overlong_ = false;
  bool after_cr_ = false;  // a following LF or NUL belongs to the same Enter
};

}  // namespace cs
