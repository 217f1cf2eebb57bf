// CLI11 validators over util/number_check.h, so every numeric option of the
// command line is checked by the same code as the control API's arguments:
// NaN, infinity, overflow, trailing garbage and the documented range are
// refused with one sentence before CLI11 converts the text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace cs::cli {

CLI::Validator RealIn(double min, double max);
CLI::Validator IntegerIn(int64_t min, int64_t max);

// Adds a count option (0 to `max`) under the original's name (--server_count)
// and the dashed spelling (--server-count); unset leaves `target` empty.
void AddCountOption(CLI::App* app, const std::string& name, std::optional<int>* target,
                    const std::string& help, int max);

}  // namespace cs::cli
