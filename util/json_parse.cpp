#include "util/json_parse.h"

#include <set>
#include <string>
#include <vector>

namespace cs {

namespace {

// Depth of nesting reached anywhere in `text`, counting only brackets
// outside strings; stops early once past `limit`. Runs before the parser so
// that nothing deeper than the limit is ever built.
int DepthWithin(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return 0;
}

struct DuplicateKey {
  std::string key;
};

}  // namespace

Result<nlohmann::json> ParseUntrustedJson(std::string_view text, const JsonLimits& limits) {
  using nlohmann::json;
  if (text.size() > limits.max_bytes) {
    return Status::InvalidArgument("the JSON document has " + std::to_string(text.size()) +
                                   " bytes, more than the limit of " + std::to_string(limits.max_bytes));
  }
  if (DepthWithin(text, limits.max_depth) > limits.max_depth) {
    return Status::InvalidArgument("the JSON document nests deeper than " + std::to_string(limits.max_depth) +
                                   " levels");
  }
  if (!limits.refuse_duplicate_keys) {
    json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Status::InvalidArgument("the body is not valid JSON");
    return doc;
  }
  // One set of keys per object being read, innermost last.
  std::vector<std::set<std::string>> keys;
  json::parser_callback_t watch = [&keys](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == json::parse_event_t::object_end && !keys.empty()) {
      keys.pop_back();
    } else if (event == json::parse_event_t::key && !keys.empty()) {
      if (!keys.back().insert(parsed.get<std::string>()).second) throw DuplicateKey{parsed.get<std::string>()};
    }
    return true;
  };
  try {
    json doc = json::parse(text.begin(), text.end(), watch, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Status::InvalidArgument("the body is not valid JSON");
    return doc;
  } catch (const DuplicateKey& d) {
    std::string shown = d.key.size() > 40 ? d.key.substr(0, 40) + "..." : d.key;
    return Status::InvalidArgument("the JSON document repeats the key " + json(shown).dump(-1, ' ', false, json::error_handler_t::replace) +
                                   " in one object");
  }
}

nlohmann::json ParseUntrustedJsonOrDiscarded(std::string_view text, const JsonLimits& limits) {
  Result<nlohmann::json> doc = ParseUntrustedJson(text, limits);
  if (!doc.ok()) return nlohmann::json(nlohmann::json::value_t::discarded);
  return std::move(*doc);
}

}  // namespace cs
