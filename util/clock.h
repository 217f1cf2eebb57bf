// Clock: where the simulation gets the time. Every fake and the runtime take a
// Clock instead of calling the system, so a scenario can run on a ManualClock
// and be replayed exactly.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace cs {

using WallTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual WallTime Now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  WallTime Now() const override;
};

// A clock that only moves when told to; for tests and seeded scenarios.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(WallTime start) : now_(start) {}
  WallTime Now() const override;
  void Advance(std::chrono::microseconds by);
  void Set(WallTime t);

 private:
  mutable std::mutex mu_;
  WallTime now_;
};

// The agent protocol's time text: ISO-8601 UTC as the original agent wrote it,
// "2018-03-23T01:02:03.123456+00:00Z" (microseconds left out when zero).
std::string FormatAgentTime(WallTime t);
// Parses FormatAgentTime's output and plain "...Z" / "+00:00" forms.
bool ParseAgentTime(const std::string& text, WallTime* out);

}  // namespace cs
