#include "sim/actions/action_args.h"

#include <charconv>
#include <cstdint>

namespace cs {

namespace {

const char* TypeDescription(ArgType type) {
  switch (type) {
    case ArgType::kString: return "a string";
    case ArgType::kInt: return "an integer";
    case ArgType::kReal: return "a number";
    case ArgType::kBool: return "a boolean";
    case ArgType::kList: return "a list";
    case ArgType::kObject: return "an object";
    case ArgType::kAny: return "a value";
  }
  return "a value";
}

bool Matches(ArgType type, const Json& value) {
  switch (type) {
    case ArgType::kString: return value.is_string();
    case ArgType::kInt: return IsIntLike(value);
    case ArgType::kReal: return value.is_number() || value.is_string();
    case ArgType::kBool: return value.is_boolean();
    case ArgType::kList: return value.is_array();
    case ArgType::kObject: return value.is_object();
    case ArgType::kAny: return true;
  }
  return false;
}

// Shortened JSON text of a value, for error messages.
std::string Show(const Json& value) {
  std::string text = value.dump();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

std::string ParamNames(const std::vector<ArgSpec>& params) {
  if (params.empty()) return "none";
  std::string out;
  for (const ArgSpec& p : params) out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

// A kInt or kReal argument within its documented range (and finite).
Status CheckNumber(const std::string& who, const ArgSpec& p, const Json& value) {
  const std::string name = who + ": " + p.name;
  if (p.type == ArgType::kInt) {
    return CheckInteger(name, value, p.int_range.value_or(IntRange{INT64_MIN, INT64_MAX})).status();
  }
  if (p.type == ArgType::kReal) {
    return CheckReal(name, value, p.real_range.value_or(RealRange{-1e300, 1e300})).status();
  }
  return Status::Ok();
}

const Json& NullJson() {
  static const Json null_json;
  return null_json;
}

}  // namespace

ArgSpec Required(std::string name, ArgType type) { return ArgSpec{std::move(name), type, true, false, std::nullopt, std::nullopt}; }
ArgSpec Optional(std::string name, ArgType type) { return ArgSpec{std::move(name), type, false, true, std::nullopt, std::nullopt}; }

ArgSpec Within(ArgSpec spec, IntRange range) {
  spec.int_range = range;
  return spec;
}

ArgSpec Within(ArgSpec spec, RealRange range) {
  spec.real_range = range;
  return spec;
}

bool IsIntLike(const Json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX);
  if (value.is_number_integer()) return true;
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  int64_t unused = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), unused);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

int64_t ToInt(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  int64_t out = 0;
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    std::from_chars(text.data(), text.data() + text.size(), out);
  }
  return out;
}

Status ValidateArgs(std::string_view action, const std::vector<ArgSpec>& params, const Json& args) {
  const std::string who(action);
  if (args.is_null()) {
    for (const ArgSpec& p : params) {
      if (p.required) return Status::InvalidArgument(who + ": missing argument '" + p.name + "'");
    }
    return Status::Ok();
  }
  if (!args.is_object()) {
    return Status::InvalidArgument(who + ": arguments must be an object of named arguments, got " +
                                   Show(args));
  }
  for (const auto& [name, value] : args.items()) {
    bool known = false;
    for (const ArgSpec& p : params) known = known || p.name == name;
    if (!known) {
      return Status::InvalidArgument(who + ": unexpected argument '" + name +
                                     "' (it takes: " + ParamNames(params) + ")");
    }
  }
  for (const ArgSpec& p : params) {
    auto it = args.find(p.name);
    if (it == args.end()) {
      if (p.required) return Status::InvalidArgument(who + ": missing argument '" + p.name + "'");
      continue;
    }
    if (it->is_null() && p.nullable) continue;
    if (!Matches(p.type, *it)) {
      return Status::InvalidArgument(who + ": argument '" + p.name + "' must be " +
                                     TypeDescription(p.type) + (p.nullable ? " or null" : "") +
                                     ", got " + Show(*it));
    }
    CS_RETURN_IF_ERROR(CheckNumber(who, p, *it));
  }
  return Status::Ok();
}

bool ActionArgs::Has(const std::string& name) const {
  return args_.is_object() && args_.contains(name) && !args_.at(name).is_null();
}

const Json& ActionArgs::Raw(const std::string& name) const {
  if (!args_.is_object()) return NullJson();
  auto it = args_.find(name);
  return it == args_.end() ? NullJson() : *it;
}

std::string ActionArgs::String(const std::string& name) const {
  return OptionalString(name).value_or("");
}

std::optional<std::string> ActionArgs::OptionalString(const std::string& name) const {
  const Json& v = Raw(name);
  if (v.is_string()) return v.get<std::string>();
  return std::nullopt;
}

std::optional<int64_t> ActionArgs::OptionalInt(const std::string& name) const {
  const Json& v = Raw(name);
  if (IsIntLike(v)) return ToInt(v);
  return std::nullopt;
}

int64_t ActionArgs::Int(const std::string& name) const { return OptionalInt(name).value_or(0); }

std::optional<double> ActionArgs::OptionalReal(const std::string& name) const {
  const Json& v = Raw(name);
  if (v.is_null()) return std::nullopt;
  auto r = CheckReal(name, v, RealRange{-1e300, 1e300});
  if (!r.ok()) return std::nullopt;
  return *r;
}

bool ActionArgs::Bool(const std::string& name, bool default_value) const {
  const Json& v = Raw(name);
  return v.is_boolean() ? v.get<bool>() : default_value;
}

std::vector<std::string> ActionArgs::StringList(const std::string& name) const {
  std::vector<std::string> out;
  const Json& v = Raw(name);
  if (!v.is_array()) return out;
  for (const Json& item : v) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace cs
