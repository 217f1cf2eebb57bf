// The registry of tests and checks, their parameter definitions and the
// helpers tests use to read resolved parameters (see registry.h).
#include "scenarios/registry.h"

#include <thread>

namespace cs::scenarios {

const char* ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kDuration: return "duration";
    case ParamType::kInt: return "int";
    case ParamType::kString: return "string";
    case ParamType::kBool: return "bool";
    case ParamType::kServer: return "server";
    case ParamType::kServers: return "servers";
    case ParamType::kPdu: return "pdu";
    case ParamType::kTarget: return "target";
  }
  return "string";
}

Json ParamDef::ToJson() const {
  Json j = {{"name", name}, {"type", ParamTypeName(type)}, {"required", required}, {"help", help}};
  if (!required) j["default"] = default_value;
  auto bound = [this](int64_t v) { return type == ParamType::kDuration ? Json(FormatDuration(Millis(v))) : Json(v); };
  if (min) j["min"] = bound(*min);
  if (max) j["max"] = bound(*max);
  if (!choices.empty()) j["choices"] = choices;
  return j;
}

namespace {

Json ParamsJson(const std::vector<ParamDef>& params) {
  Json out = Json::array();
  for (const ParamDef& p : params) out.push_back(p.ToJson());
  return out;
}

}  // namespace

Json TestDef::ToJson() const {
  return {{"name", name}, {"help", help}, {"params", ParamsJson(params)},
          {"needs_owned_world", needs_owner}, {"exclusive", exclusive}};
}

Json CheckDef::ToJson() const {
  return {{"name", name}, {"help", help}, {"params", ParamsJson(params)},
          {"within", FormatDuration(default_within)}};
}

void Registry::Add(TestDef test) { tests_[test.name] = std::move(test); }
void Registry::Add(CheckDef check) { checks_[check.name] = std::move(check); }

const TestDef* Registry::FindTest(const std::string& name) const {
  auto it = tests_.find(name);
  return it == tests_.end() ? nullptr : &it->second;
}

const CheckDef* Registry::FindCheck(const std::string& name) const {
  auto it = checks_.find(name);
  return it == checks_.end() ? nullptr : &it->second;
}

Json Registry::ToJson() const {
  Json tests = Json::array(), checks = Json::array();
  for (const auto& [name, t] : tests_) tests.push_back(t.ToJson());
  for (const auto& [name, c] : checks_) checks.push_back(c.ToJson());
  return {{"tests", tests}, {"checks", checks}};
}

ParamDef Required(std::string name, ParamType type, std::string help) {
  ParamDef p;
  p.name = std::move(name);
  p.type = type;
  p.required = true;
  p.help = std::move(help);
  return p;
}

ParamDef Optional(std::string name, ParamType type, Json default_value, std::string help) {
  ParamDef p = Required(std::move(name), type, std::move(help));
  p.required = false;
  p.default_value = std::move(default_value);
  return p;
}

ParamDef WithRange(ParamDef p, std::optional<int64_t> min, std::optional<int64_t> max) {
  p.min = min;
  p.max = max;
  return p;
}

ParamDef WithChoices(ParamDef p, std::vector<std::string> choices) {
  p.choices = std::move(choices);
  return p;
}

namespace {

std::string RangeText(const ParamDef& def) {
  auto show = [&](int64_t v) { return def.type == ParamType::kDuration ? FormatDuration(Millis(v)) : std::to_string(v); };
  if (def.min && def.max) return " from " + show(*def.min) + " to " + show(*def.max);
  if (def.min) return " of at least " + show(*def.min);
  if (def.max) return " of at most " + show(*def.max);
  return "";
}

Status CheckBounds(const ParamDef& def, int64_t v, const std::string& what, const Json& value) {
  if ((def.min && v < *def.min) || (def.max && v > *def.max)) {
    return Status::InvalidArgument("expected " + what + RangeText(def) + ", not " + value.dump());
  }
  return Status::Ok();
}

}  // namespace

Status CheckParamValue(const ParamDef& def, const Json& value) {
  const auto bad = [&](const std::string& what) {
    return Status::InvalidArgument("expected " + what + RangeText(def) + ", not " + value.dump());
  };
  switch (def.type) {
    case ParamType::kDuration: {
      Result<Millis> d = ParseDuration(value);
      if (!d.ok()) return d.status();
      return CheckBounds(def, d->count(), "a duration", value);
    }
    case ParamType::kInt:
      if (!value.is_number_integer()) return bad("a whole number");
      return CheckBounds(def, value.get<int64_t>(), "a whole number", value);
    case ParamType::kBool:
      return value.is_boolean() ? Status::Ok() : bad("true or false");
    case ParamType::kString:
      if (!value.is_string()) return bad("a string");
      if (!def.choices.empty()) {
        for (const std::string& c : def.choices) {
          if (value == c) return Status::Ok();
        }
        std::string list;
        for (const std::string& c : def.choices) list += (list.empty() ? "" : ", ") + c;
        return bad("one of " + list);
      }
      return Status::Ok();
    case ParamType::kServer:
    case ParamType::kPdu:
    case ParamType::kTarget:
      return value.is_string() && !value.get<std::string>().empty() ? Status::Ok() : bad(std::string("a ") + ParamTypeName(def.type) + " name");
    case ParamType::kServers:
      if (!value.is_array() || value.empty()) return bad("a non-empty list of servers");
      for (const Json& v : value) {
        if (!v.is_string()) return bad("a list of server names");
      }
      return Status::Ok();
  }
  return Status::Ok();
}

StepOutcome StepOutcome::From(const Status& s, Json v) {
  if (s.ok()) return Ok(std::move(v));
  if (s.code() == Status::Code::kUnavailable) return Info(s.message());
  return Fail(s.message());
}

std::string StepContext::String(const std::string& name) const { return params.at(name).get<std::string>(); }
int64_t StepContext::Int(const std::string& name) const { return params.at(name).get<int64_t>(); }
bool StepContext::Bool(const std::string& name) const { return params.at(name).get<bool>(); }
bool StepContext::Has(const std::string& name) const { return params.contains(name) && !params[name].is_null(); }

Millis StepContext::Duration(const std::string& name) const {
  Result<Millis> d = ParseDuration(params.at(name));
  return d.ok() ? *d : Millis(0);
}

std::vector<std::string> StepContext::Strings(const std::string& name) const {
  const Json& v = params.at(name);
  if (v.is_string()) return {v.get<std::string>()};
  return v.get<std::vector<std::string>>();
}

bool StepContext::Sleep(Millis d) const {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
    if (cancelled && cancelled->load()) return false;
    const auto left = until - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, Millis(100)));
  }
  return !(cancelled && cancelled->load());
}

Result<std::vector<Json>> ManagerApi::ListAll(const std::string& path, size_t max_objects) {
  std::vector<Json> out;
  const std::string sep = path.find('?') == std::string::npos ? "?" : "&";
  constexpr size_t kPage = 200;
  while (out.size() < max_objects) {
    Result<Json> page = Get(path + sep + "limit=" + std::to_string(kPage) + "&offset=" + std::to_string(out.size()));
    if (!page.ok()) return page.status();
    if (page->is_array()) {  // a manager without paging
      for (const Json& o : *page) out.push_back(o);
      return out;
    }
    const Json objects = page->value("objects", Json::array());
    for (const Json& o : objects) out.push_back(o);
    const Json meta = page->value("meta", Json::object());
    const size_t total = meta.value("total_count", out.size());
    if (objects.empty() || out.size() >= total) return out;
  }
  return out;
}

}  // namespace cs::scenarios
