// The control API's arguments: a JSON body (or XML-RPC's positional values)
// checked against an operation's declared parameters, as every operation is
// before its handler runs, then read the way handlers read them. The
// declarations cover every kind the operations use: ranged integers and
// reals (util/number_check.h), strings, booleans, lists, objects, anything.
// Whatever the checks accept, the typed reads must honour the ranges.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/actions/action_args.h"
#include "util/json_parse.h"

namespace {

using cs::ArgType;

const std::vector<cs::ArgSpec>& Params() {
  static const std::vector<cs::ArgSpec> params = {
      cs::Within(cs::Required("timeout_ms", ArgType::kInt), cs::IntRange{0, 86400000}),
      cs::Within(cs::Optional("pause_seconds", ArgType::kReal), cs::RealRange{0, 3600}),
      cs::Optional("count", ArgType::kInt),
      cs::Optional("fqdn", ArgType::kAny),
      cs::Optional("ha_label", ArgType::kString),
      cs::Optional("restart", ArgType::kBool),
      cs::Optional("fqdns", ArgType::kList),
      cs::Optional("packages", ArgType::kObject),
  };
  return params;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json args = cs::ParseUntrustedJsonOrDiscarded(text);
  if (args.is_discarded()) return 0;
  if (!cs::ValidateArgs("fuzz", Params(), args).ok()) return 0;
  cs::ActionArgs a(args);
  const int64_t ms = a.Int("timeout_ms");
  if (ms < 0 || ms > 86400000) __builtin_trap();
  if (auto pause = a.OptionalReal("pause_seconds")) {
    if (!std::isfinite(*pause) || *pause < 0 || *pause > 3600) __builtin_trap();
  }
  (void)a.OptionalInt("count");
  (void)a.String("ha_label");
  (void)a.Bool("restart", true);
  (void)a.StringList("fqdns");
  return 0;
}
