#include "sim/log.h"

#include <chrono>
#include <iostream>

#include "util/clock.h"
#include "util/log_escape.h"

namespace cs {

namespace {
const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}
}  // namespace

bool ParseLogLevel(const std::string& text, LogLevel* out) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (text == LevelName(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

bool Log::OpenFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  file_.open(path, std::ios::app);
  return file_.is_open();
}

void Log::Write(LogLevel level, const std::string& subject, const std::string& text) {
  if (level < level_) return;
  const std::string line = FormatAgentTime(SystemClock().Now()) + " " + LevelName(level) + " " +
                           (subject.empty() ? "-" : EscapeForLog(subject, kMaxLogSubject)) + ": " +
                           EscapeForLog(text, kMaxLogText) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  if (stderr_) std::cerr << line << std::flush;
  if (file_.is_open()) file_ << line << std::flush;
}

std::string RedactSecretInPath(const std::string& path) {
  const std::string marker = "register/";
  auto at = path.find(marker);
  if (at == std::string::npos) return path;
  auto start = at + marker.size();
  auto end = path.find('/', start);
  return path.substr(0, start) + "<redacted>" + (end == std::string::npos ? "" : path.substr(end));
}

}  // namespace cs
