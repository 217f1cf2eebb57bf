// Number checks: the one place every numeric argument from outside (control
// API operations, CLI options, PDU console fields) is read and checked. A
// value is refused, with one sentence naming the argument, when it is not a
// number, is NaN or infinite, does not fit the type, or falls outside its
// documented range. Integers may come as JSON numbers or as decimal text
// ("3000"), as ports do; reals as numbers or text ("2.5").
#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/status.h"

namespace cs {

struct IntRange {
  int64_t min;
  int64_t max;
};
struct RealRange {
  double min;
  double max;
};

Result<int64_t> ParseInteger(std::string_view name, std::string_view text, IntRange range);
Result<double> ParseReal(std::string_view name, std::string_view text, RealRange range);

Result<int64_t> CheckInteger(std::string_view name, const nlohmann::json& value, IntRange range);
Result<double> CheckReal(std::string_view name, const nlohmann::json& value, RealRange range);

}  // namespace cs
