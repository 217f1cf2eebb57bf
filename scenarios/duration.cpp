// Parsing and printing scenario durations (see duration.h).
#include "scenarios/duration.h"

#include <cctype>
#include <cmath>

namespace cs::scenarios {

namespace {

Status NotADuration(const std::string& text) {
  return Status::InvalidArgument("'" + text + "' is not a duration (write e.g. 90s, 500ms, 2m, 1h or 1m30s)");
}

int64_t UnitMillis(const std::string& unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60000;
  if (unit == "h") return 3600000;
  return -1;
}

}  // namespace

Result<Millis> ParseDuration(const std::string& text) {
  if (text.empty() || text.size() > 40) return NotADuration(text);
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return NotADuration(text);
    const std::string number = text.substr(start, i - start);
    const size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const int64_t unit = UnitMillis(text.substr(unit_start, i - unit_start));
    if (unit < 0) return NotADuration(text);
    char* end = nullptr;
    const double value = std::strtod(number.c_str(), &end);
    if (end == nullptr || *end != '\0' || !std::isfinite(value)) return NotADuration(text);
    total += static_cast<int64_t>(std::llround(value * static_cast<double>(unit)));
    if (total > int64_t{365} * 24 * 3600000) return Status::InvalidArgument("'" + text + "' is longer than a year");
  }
  return Millis(total);
}

Result<Millis> ParseDuration(const Json& value) {
  if (value.is_number()) {
    const double seconds = value.get<double>();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 365.0 * 24 * 3600) {
      return Status::InvalidArgument(value.dump() + " is not a duration in seconds from 0 to a year");
    }
    return Millis(static_cast<int64_t>(std::llround(seconds * 1000)));
  }
  if (value.is_string()) return ParseDuration(value.get<std::string>());
  return Status::InvalidArgument(value.dump() + " is not a duration (write e.g. 90s)");
}

std::string FormatDuration(Millis d) {
  const int64_t ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace cs::scenarios
