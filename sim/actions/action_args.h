// Action arguments: the declared parameters of an action (names as the
// original agent's Python functions have them, with their types and whether
// they have a default) and typed reading of the arguments the manager sent.
// Arguments are checked against the declaration before an action runs, so
// handlers read them without further checks; a mismatch becomes one clear
// sentence ("format_target: argument 'index' must be an integer or null, got
// "x"").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/json_helpers.h"
#include "util/number_check.h"
#include "util/status.h"

namespace cs {

// kReal: a number or its decimal text ("2.5").
enum class ArgType { kString, kInt, kReal, kBool, kList, kObject, kAny };

struct ArgSpec {
  std::string name;
  ArgType type = ArgType::kAny;
  bool required = true;   // false: the Python parameter has a default
  bool nullable = false;  // null (Python None) is accepted
  // The documented range of a kInt or kReal argument, checked (with NaN,
  // infinity and overflow) by util/number_check.h. Unset: int64's range.
  std::optional<IntRange> int_range;
  std::optional<RealRange> real_range;
};

// Shorthands for declaring parameters.
ArgSpec Required(std::string name, ArgType type);
// Optional parameters accept null as well: their Python defaults were often None.
ArgSpec Optional(std::string name, ArgType type);
// The same parameter with its documented range.
ArgSpec Within(ArgSpec spec, IntRange range);
ArgSpec Within(ArgSpec spec, RealRange range);

// Checks `args` (an object, or null for none) against the declaration.
Status ValidateArgs(std::string_view action, const std::vector<ArgSpec>& params, const Json& args);

// Read access to validated arguments. Absent and null read as "not given".
class ActionArgs {
 public:
  explicit ActionArgs(const Json& args) : args_(args) {}

  bool Has(const std::string& name) const;
  // The raw value; null when absent.
  const Json& Raw(const std::string& name) const;
  std::string String(const std::string& name) const;  // "" when not given
  std::optional<std::string> OptionalString(const std::string& name) const;
  std::optional<int64_t> OptionalInt(const std::string& name) const;
  int64_t Int(const std::string& name) const;  // 0 when not given
  std::optional<double> OptionalReal(const std::string& name) const;
  bool Bool(const std::string& name, bool default_value = false) const;
  std::vector<std::string> StringList(const std::string& name) const;

 private:
  const Json& args_;
};

// Integers may come as JSON numbers or as decimal text ("3000"), as ports do.
bool IsIntLike(const Json& value);
int64_t ToInt(const Json& value);

}  // namespace cs
