#include "fakes/power/line_editor.h"

namespace cs {

LineEditor::Key LineEditor::Put(char c, bool echo, bool mask, std::string* echo_out) {
  const bool was_after_cr = after_cr_;
  after_cr_ = false;
  switch (c) {
    case '\r':
      after_cr_ = true;
      return EndLine(echo, echo_out);
    case '\n':
      return was_after_cr ? Key::kNone : EndLine(echo, echo_out);
    case '\0':
      return Key::kNone;
    case '\x1b':
      return Key::kEscape;
    case '\x03':
      DiscardPending();
      return Key::kInterrupt;
    case '\x04':
      return Key::kEndOfFile;
    case '\x0c':
      return Key::kEventLog;
    case '\x08':
    case '\x7f':
      if (!pending_.empty()) {
        pending_.pop_back();
        if (echo) echo_out->append("\b \b");
      }
      return Key::kNone;
    default:
      break;
  }
  // Only printable ASCII is kept; other bytes (binary garbage, UTF-8) are
  // dropped, as a serial-style console would.
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte > 0x7e) return Key::kNone;
  if (pending_.size() >= max_line_) {
    pending_overlong_ = true;
    return Key::kNone;
  }
  pending_.push_back(c);
  if (echo) echo_out->push_back(mask ? '*' : c);
  return Key::kNone;
}

LineEditor::Key LineEditor::EndLine(bool echo, std::string* echo_out) {
  line_.swap(pending_);
  line_overlong_ = pending_overlong_;
  DiscardPending();
  if (echo) echo_out->append("\r\n");
  return Key::kEnter;
}

void LineEditor::DiscardPending() {
  pending_.clear();
  pending_overlong_ = false;
}

}  // namespace cs
