// The one bounded JSON parse behind every untrusted body (control API,
// manager REST and registration bodies, agent messages both ways): any input
// is answered with a document or an error, never a crash or a hang; a
// document it accepts is within the limits and dumps and re-parses to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/json_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cs::JsonLimits limits;
  limits.max_depth = 16;
  cs::Result<nlohmann::json> doc = cs::ParseUntrustedJson(text, limits);
  if (!doc.ok()) return 0;
  const std::string again = doc->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  cs::Result<nlohmann::json> reparsed = cs::ParseUntrustedJson(again, limits);
  if (!reparsed.ok()) __builtin_trap();
  return 0;
}
