#include "util/number_check.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

namespace cs {

namespace {

// The value as the user wrote it, cut short and with control characters
// shown, for the message.
std::string Shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 40)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += '?';
    } else {
      out += c;
    }
  }
  if (text.size() > 40) out += "...";
  return "'" + out + "'";
}

std::string RealText(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

Status OutOfRange(std::string_view name, const std::string& shown, const std::string& min, const std::string& max) {
  return Status::InvalidArgument(std::string(name) + " must be from " + min + " to " + max + ", not " + shown);
}

Result<int64_t> InRange(std::string_view name, int64_t v, IntRange range) {
  if (v < range.min || v > range.max) {
    return OutOfRange(name, std::to_string(v), std::to_string(range.min), std::to_string(range.max));
  }
  return v;
}

Result<double> InRange(std::string_view name, double v, RealRange range) {
  if (!std::isfinite(v)) return Status::InvalidArgument(std::string(name) + " must be a finite number");
  if (v < range.min || v > range.max) {
    return OutOfRange(name, RealText(v), RealText(range.min), RealText(range.max));
  }
  return v;
}

}  // namespace

Result<int64_t> ParseInteger(std::string_view name, std::string_view text, IntRange range) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec == std::errc::result_out_of_range) {
    return OutOfRange(name, Shown(text), std::to_string(range.min), std::to_string(range.max));
  }
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    return Status::InvalidArgument(std::string(name) + " must be a whole number, not " + Shown(text));
  }
  return InRange(name, v, range);
}

Result<double> ParseReal(std::string_view name, std::string_view text, RealRange range) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec == std::errc::result_out_of_range) {
    return OutOfRange(name, Shown(text), RealText(range.min), RealText(range.max));
  }
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    return Status::InvalidArgument(std::string(name) + " must be a number, not " + Shown(text));
  }
  return InRange(name, v, range);
}

Result<int64_t> CheckInteger(std::string_view name, const nlohmann::json& value, IntRange range) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return InRange(name, value.get<int64_t>(), range);
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return OutOfRange(name, std::to_string(u), std::to_string(range.min), std::to_string(range.max));
    }
    return InRange(name, static_cast<int64_t>(u), range);
  }
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!std::isfinite(d)) return Status::InvalidArgument(std::string(name) + " must be a finite number");
    if (d != std::floor(d)) return Status::InvalidArgument(std::string(name) + " must be a whole number, not " + RealText(d));
    // Compared as doubles first: a cast of a double past int64's range is undefined.
    if (d < static_cast<double>(range.min) || d > static_cast<double>(range.max) || std::fabs(d) >= 9.2e18) {
      return OutOfRange(name, RealText(d), std::to_string(range.min), std::to_string(range.max));
    }
    return static_cast<int64_t>(d);
  }
  if (value.is_string()) return ParseInteger(name, value.get_ref<const std::string&>(), range);
  return Status::InvalidArgument(std::string(name) + " must be a whole number");
}

Result<double> CheckReal(std::string_view name, const nlohmann::json& value, RealRange range) {
  if (value.is_number()) return InRange(name, value.get<double>(), range);
  if (value.is_string()) return ParseReal(name, value.get_ref<const std::string&>(), range);
  return Status::InvalidArgument(std::string(name) + " must be a number");
}

}  // namespace cs
