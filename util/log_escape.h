// EscapeForLog: makes any value safe to put in a log line. Everything that
// reaches a log (URL paths, argument values, messages quoting them) may come
// from anyone; escaped and cut short, it can neither forge a line nor fill a
// disk. sim/log.h's Log applies it to every line; the manager's stderr too.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cs {

// `text` safe for one log line: control characters (newlines, NUL, ESC, C1
// codes) and bytes that are not UTF-8 become \n, \r, \t or \xNN, so no
// value can forge a line or drive a terminal; cut to `max_bytes` with a note
// of the full length.
std::string EscapeForLog(std::string_view text, size_t max_bytes);
constexpr size_t kMaxLogText = 2048;
constexpr size_t kMaxLogSubject = 256;

}  // namespace cs
