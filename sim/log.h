// Log: the daemon's event log. One line per notable event, naming the
// server it concerns, to stderr and to <config>/cluster-sim.log. Thread-safe.
// Every subject and text is escaped and cut short (util/log_escape.h): values
// from users and peers cannot forge a line. Never pass a private key, token
// secret or password: callers redact
// (see Redact) before logging anything that came from a user.
#pragma once

#include <fstream>
#include <mutex>
#include <string>

namespace cs {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };
bool ParseLogLevel(const std::string& text, LogLevel* out);

class Log {
 public:
  Log() = default;
  // Opens (appends to) the log file; stderr gets the same lines.
  bool OpenFile(const std::string& path);
  void SetLevel(LogLevel level) { level_ = level; }
  void SetStderr(bool on) { stderr_ = on; }

  void Write(LogLevel level, const std::string& subject, const std::string& text);
  void Info(const std::string& subject, const std::string& text) { Write(LogLevel::kInfo, subject, text); }
  void Warning(const std::string& subject, const std::string& text) { Write(LogLevel::kWarning, subject, text); }
  void Error(const std::string& subject, const std::string& text) { Write(LogLevel::kError, subject, text); }
  void Debug(const std::string& subject, const std::string& text) { Write(LogLevel::kDebug, subject, text); }

 private:
  std::mutex mu_;
  std::ofstream file_;
  LogLevel level_ = LogLevel::kInfo;
  bool stderr_ = true;
};

// "register/<secret>/" -> "register/<redacted>/": for URLs that carry a
// registration token.
std::string RedactSecretInPath(const std::string& path);

}  // namespace cs
