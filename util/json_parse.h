// ParseUntrustedJson: the one JSON parse for input from anyone else (agents,
// the manager, the control API, the CLI, registration bodies). Bounded in
// size and nesting depth, so a hostile document cannot exhaust the stack
// (nlohmann's copies, dumps and our own walks recurse) or memory; duplicate
// object keys are refused rather than silently resolved to the last one.
// Every refusal is one sentence suitable for a 400 answer.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/status.h"

namespace cs {

struct JsonLimits {
  size_t max_bytes = 16u << 20;  // the HTTP servers' body limit
  int max_depth = 64;            // real documents nest fewer than 10 levels
  // Off for the agent protocol's bulk traffic (reports of thousands of
  // devices, parsed on the manager's io threads): the key check needs
  // nlohmann's slower callback parser. Depth and size stay bounded.
  bool refuse_duplicate_keys = true;
};

// The document in `text`, or InvalidArgument saying what is wrong with it.
Result<nlohmann::json> ParseUntrustedJson(std::string_view text, const JsonLimits& limits = {});

// The same, for call sites that only need to know it failed: a discarded
// value (is_discarded()) in place of the error, as Json::parse(text,
// nullptr, false) answers.
nlohmann::json ParseUntrustedJsonOrDiscarded(std::string_view text, const JsonLimits& limits = {});

}  // namespace cs
