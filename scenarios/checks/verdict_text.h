// The words of a judge's verdict: its list of problems, names or domains
// joined into the one sentence the verdict carries, and a place that may be
// none. Shared by the judges in scenarios/checks/.
#pragma once

#include <string>
#include <vector>

#include "fakes/json_helpers.h"

namespace cs::scenarios {

// The items in order, separated by `separator`.
inline std::string JoinItems(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// The first `max_items` items separated by "; ", then "; and N more": a
// verdict on a large fleet stays readable.
inline std::string JoinFirstItems(const std::vector<std::string>& items, size_t max_items) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max_items; ++i) out += (out.empty() ? "" : "; ") + items[i];
  if (items.size() > max_items) out += "; and " + std::to_string(items.size() - max_items) + " more";
  return out;
}

// Where something runs, as a verdict says it: the node's name, or "nowhere"
// when `where` is null (or not a name).
inline std::string OrNowhere(const Json& where) { return where.is_string() ? where.get<std::string>() : "nowhere"; }

}  // namespace cs::scenarios
