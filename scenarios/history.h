// History: what happened during a run, one JSON line per event, in the
// manner of Jepsen: a test's "invoke" then "ok", "fail", or "info" (the
// outcome is unknown), a check's "invoke" then its verdict, each with what
// the daemon and manager answered:
//   {"time", "run", "scenario", "repetition", "step", "type", "f", "value"}
// Runs that execute side by side (--parallel) interleave by time and stay
// attributable by run, scenario and repetition. Thread-safe; lines are
// written by a writer thread of its own, so no caller holds a lock across
// the disk write.
#pragma once

#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs::scenarios {

class History {
 public:
  // `path` empty: events are counted but not written.
  static Result<std::unique_ptr<History>> Open(const std::string& path);
  ~History();  // writes what is queued

  void Record(int run, const std::string& scenario, int repetition, int step, const std::string& type,
              const std::string& f, const Json& value);
  size_t events() const;

 private:
  History() = default;
  void WriteLoop();

  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::string> queue_;
  bool closing_ = false;
  size_t events_ = 0;
  std::ofstream out_;  // the writer thread's alone
  std::thread writer_;
};

// Now as ISO-8601 UTC with milliseconds: "2026-12-01T09:30:11.123Z".
std::string NowIso();

}  // namespace cs::scenarios
