// Durations as scenario files write them: "90s", "500ms", "2m", "1h", "1m30s"
// or a bare number of seconds. The plan prints them back in the same form,
// so a plan's values are valid scenario input again.
#pragma once

#include <chrono>
#include <string>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs::scenarios {

using Millis = std::chrono::milliseconds;

// "90s", "1m30s", "250ms", "2h", 12 (seconds), 1.5 (seconds). Negative and
// unit-less text are refused with a message that shows what was given.
Result<Millis> ParseDuration(const Json& value);
Result<Millis> ParseDuration(const std::string& text);

// 90000 -> "90s", 1500 -> "1500ms", 120000 -> "2m": the shortest exact form.
std::string FormatDuration(Millis d);

}  // namespace cs::scenarios
