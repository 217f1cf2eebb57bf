#include "util/clock.h"

#include <cstdio>
#include <ctime>

namespace cs {

WallTime SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

WallTime ManualClock::Now() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

void ManualClock::Advance(std::chrono::microseconds by) {
  std::lock_guard<std::mutex> lock(mu_);
  now_ += by;
}

void ManualClock::Set(WallTime t) {
  std::lock_guard<std::mutex> lock(mu_);
  now_ = t;
}

std::string FormatAgentTime(WallTime t) {
  auto since_epoch = t.time_since_epoch().count();
  long long seconds = since_epoch / 1000000;
  long long micros = since_epoch % 1000000;
  if (micros < 0) {
    micros += 1000000;
    seconds -= 1;
  }
  std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (micros != 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%06lld", micros);
    out += frac;
  }
  out += "+00:00Z";
  return out;
}

bool ParseAgentTime(const std::string& text, WallTime* out) {
  int year, month, day, hour, minute, second;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6) {
    return false;
  }
  std::string rest = text.substr(static_cast<size_t>(consumed));
  long long micros = 0;
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    long long scale = 100000;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
      if (scale > 0) micros += (rest[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == 1) return false;
    rest = rest.substr(i);
  }
  if (rest != "Z" && rest != "+00:00" && rest != "+00:00Z") return false;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t tt = timegm(&tm);
  *out = WallTime(std::chrono::microseconds(static_cast<long long>(tt) * 1000000 + micros));
  return true;
}

}  // namespace cs
