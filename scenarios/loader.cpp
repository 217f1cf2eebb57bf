// Reading and validating scenario files (see loader.h).
#include "scenarios/loader.h"

#include <functional>
#include <regex>
#include <set>

namespace cs::scenarios {

Status ScenarioSpec::Error(const std::string& pointer_suffix, const std::string& field,
                           const std::string& message) const {
  const int line = doc ? doc->LineOf(pointer + pointer_suffix) : 0;
  return Status::InvalidArgument(file() + (line > 0 ? ":" + std::to_string(line) : "") + ": scenario '" +
                                 name + "': " + field + ": " + message);
}

namespace {

const std::set<std::string> kScenarioKeys = {"name", "description", "weight", "repeat", "world", "requires", "steps", "checks"};
const std::set<std::string> kRequirementKinds = {"server", "cluster", "su", "pdu", "filesystem", "target"};

bool IsWord(const std::string& s, const std::regex& re) { return std::regex_match(s, re); }

const Requirement* FindVar(const std::vector<Requirement>& reqs, const std::string& var) {
  for (const Requirement& r : reqs) {
    if (r.var == var) return &r;
  }
  return nullptr;
}

// Checks a raw parameter value (literal, draw or reference) of type `def`.
Status CheckRaw(const ScenarioSpec& s, const ParamDef& def, const Json& raw, const std::string& pointer,
                const std::string& field, int depth = 0) {
  if (raw.is_string() && !raw.get<std::string>().empty() && raw.get<std::string>()[0] == '$') {
    Result<ParamType> t = ReferenceType(s.requires_, raw.get<std::string>());
    if (!t.ok()) return s.Error(pointer, field, t.status().message());
    if (!Compatible(def.type, *t)) {
      return s.Error(pointer, field, raw.get<std::string>() + " is a " + ParamTypeName(*t) + ", expected a " +
                                         ParamTypeName(def.type));
    }
    return Status::Ok();
  }
  if (raw.is_object() && raw.size() == 1 && (raw.contains("range") || raw.contains("choice"))) {
    if (depth > 0) return s.Error(pointer, field, "a draw cannot contain another draw");
    if (raw.contains("range")) {
      const Json& r = raw["range"];
      if (def.type != ParamType::kInt && def.type != ParamType::kDuration) {
        return s.Error(pointer, field, "a range draws only durations and whole numbers; use {choice: [...]}");
      }
      if (!r.is_array() || r.size() != 2) return s.Error(pointer, field, "range takes [low, high]");
      for (size_t i = 0; i < 2; ++i) {
        Status v = CheckParamValue(def, r[i]);
        if (!v.ok()) return s.Error(pointer + "/range/" + std::to_string(i), field, v.message());
      }
      const bool ordered = def.type == ParamType::kInt ? r[0].get<int64_t>() <= r[1].get<int64_t>()
                                                       : *ParseDuration(r[0]) <= *ParseDuration(r[1]);
      if (!ordered) return s.Error(pointer, field, "range [" + r[0].dump() + ", " + r[1].dump() + "] has low above high");
      return Status::Ok();
    }
    const Json& c = raw["choice"];
    if (!c.is_array() || c.empty()) return s.Error(pointer, field, "choice takes a non-empty list");
    for (size_t i = 0; i < c.size(); ++i) {
      CS_RETURN_IF_ERROR(CheckRaw(s, def, c[i], pointer + "/choice/" + std::to_string(i), field, depth + 1));
    }
    return Status::Ok();
  }
  Status v = CheckParamValue(def, raw);
  if (!v.ok()) return s.Error(pointer, field, v.message());
  return Status::Ok();
}

ParamDef DurationDef(const std::string& name) {
  return WithRange(Optional(name, ParamType::kDuration, "0s", ""), 0, int64_t{24} * 3600000);
}

// Parameters of one step or check: every given key known, every required
// one present, every value of its type.
Status CheckParams(const ScenarioSpec& s, const std::vector<ParamDef>& defs, const Json& params,
                   const std::string& pointer, const std::string& field, const std::string& what) {
  for (const auto& [key, value] : params.items()) {
    const ParamDef* def = nullptr;
    for (const ParamDef& d : defs) {
      if (d.name == key) def = &d;
    }
    if (def == nullptr) {
      std::string known;
      for (const ParamDef& d : defs) known += (known.empty() ? "" : ", ") + d.name;
      return s.Error(pointer + "/" + key, field + "." + key,
                     what + " has no parameter '" + key + "'" + (known.empty() ? " (it takes none)" : " (it takes " + known + ")"));
    }
    CS_RETURN_IF_ERROR(CheckRaw(s, *def, value, pointer + "/" + key, field + "." + key));
  }
  for (const ParamDef& d : defs) {
    if (d.required && !params.contains(d.name)) {
      return s.Error(pointer, field, what + " needs parameter '" + d.name + "' (" + d.help + ")");
    }
  }
  return Status::Ok();
}

Status ParseRequirement(ScenarioSpec& s, const std::string& var, const Json& spec) {
  static const std::regex kVar("[a-z_][a-z0-9_]{0,31}");
  const std::string ptr = "/requires/" + var;
  const std::string field = "requires." + var;
  if (!IsWord(var, kVar)) return s.Error(ptr, field, "a variable name is a lower-case word (a-z, 0-9, _)");
  if (!spec.is_object()) return s.Error(ptr, field, "expected a map such as {server: primary}");
  Requirement r;
  r.var = var;
  r.pointer = s.pointer + ptr;
  for (const auto& [key, value] : spec.items()) {
    if (kRequirementKinds.count(key)) {
      if (!r.kind.empty()) return s.Error(ptr, field, "names two resources (" + r.kind + " and " + key + ")");
      if (!value.is_string()) return s.Error(ptr + "/" + key, field + "." + key, "expected a word such as any");
      r.kind = key;
      r.role = value.get<std::string>();
    } else if (key == "count") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 1000) {
        return s.Error(ptr + "/count", field + ".count", "expected a whole number from 1 to 1000, not " + value.dump());
      }
      r.count = value.get<int>();
    } else if (key == "in") {
      if (!value.is_string()) return s.Error(ptr + "/in", field + ".in", "expected the name of a cluster variable");
      r.in = value.get<std::string>();
    } else {
      return s.Error(ptr + "/" + key, field + "." + key,
                     "unknown key (a requirement is one of server, cluster, su, pdu, filesystem, target, with count and in for servers)");
    }
  }
  if (r.kind.empty()) return s.Error(ptr, field, "names no resource (server, cluster, su, pdu, filesystem or target)");
  static const std::map<std::string, std::set<std::string>> kRoles = {
      {"server", {"primary", "secondary", "any", "worker"}}, {"cluster", {"any"}}, {"su", {"any"}},
      {"pdu", {"any"}}, {"filesystem", {"any"}}, {"target", {"any", "MGT", "MDT", "OST"}}};
  if (!kRoles.at(r.kind).count(r.role)) {
    std::string allowed;
    for (const std::string& a : kRoles.at(r.kind)) allowed += (allowed.empty() ? "" : ", ") + a;
    return s.Error(ptr + "/" + r.kind, field + "." + r.kind, "'" + r.role + "' is not one of " + allowed);
  }
  if (r.kind != "server" && (r.count != 1 || !r.in.empty())) {
    return s.Error(ptr, field, "count and in apply to servers only");
  }
  if (!r.in.empty()) {
    const Requirement* c = FindVar(s.requires_, r.in);
    if (c == nullptr || c->kind != "cluster") {
      return s.Error(ptr + "/in", field + ".in", "'" + r.in + "' is not a cluster variable required before it");
    }
  }
  s.requires_.push_back(r);
  return Status::Ok();
}

// What differs between a step and a check as a file writes them.
struct EntryKind {
  const char* list;    // "steps"
  const char* key;     // "test"
  const char* timing;  // "delay"
  const char* empty_message;
  std::function<const std::vector<ParamDef>*(const std::string&)> params_of;  // null: unknown name
};

// A list of steps or checks: each a map of its name, its timing and its
// parameters; `add` keeps each once validated.
Status ParseEntries(ScenarioSpec& s, const Json& list, const EntryKind& kind,
                    const std::function<void(std::string, Json, Json, std::string)>& add) {
  const std::string name = kind.list;
  if (!list.is_array() || list.empty()) return s.Error("/" + name, name, kind.empty_message);
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string ptr = "/" + name + "/" + std::to_string(i);
    const std::string field = name + "[" + std::to_string(i) + "]";
    const std::string key = kind.key;
    const Json& raw = list[i];
    if (!raw.is_object() || !raw.value(key, Json()).is_string()) {
      return s.Error(ptr, field, "expected a map with '" + key + ": <name>'");
    }
    const std::string entry = raw[key];
    const std::vector<ParamDef>* defs = kind.params_of(entry);
    if (defs == nullptr) {
      return s.Error(ptr + "/" + key, field + "." + key, "unknown " + key + " '" + entry + "' (see cluster-sim scenario list)");
    }
    Json params = Json::object(), timing;
    for (const auto& [k, value] : raw.items()) {
      if (k == key) continue;
      if (k == kind.timing) {
        timing = value;
        CS_RETURN_IF_ERROR(CheckRaw(s, DurationDef(k), value, ptr + "/" + k, field + "." + k));
      } else {
        params[k] = value;
      }
    }
    CS_RETURN_IF_ERROR(CheckParams(s, *defs, params, ptr, field, key + " '" + entry + "'"));
    add(entry, std::move(params), std::move(timing), s.pointer + ptr);
  }
  return Status::Ok();
}

Status ParseSteps(ScenarioSpec& s, const Json& steps, const Registry& registry) {
  const EntryKind kind{"steps", "test", "delay", "expected a non-empty list of tests",
                       [&](const std::string& n) { const TestDef* d = registry.FindTest(n); return d ? &d->params : nullptr; }};
  return ParseEntries(s, steps, kind, [&s](std::string name, Json params, Json timing, std::string pointer) {
    s.steps.push_back({std::move(name), std::move(params), std::move(timing), std::move(pointer)});
  });
}

Status ParseChecks(ScenarioSpec& s, const Json& checks, const Registry& registry) {
  const EntryKind kind{"checks", "check", "within", "expected a non-empty list of checks: a scenario must say what it expects",
                       [&](const std::string& n) { const CheckDef* d = registry.FindCheck(n); return d ? &d->params : nullptr; }};
  return ParseEntries(s, checks, kind, [&s](std::string name, Json params, Json timing, std::string pointer) {
    s.checks.push_back({std::move(name), std::move(params), std::move(timing), std::move(pointer)});
  });
}

Result<ScenarioSpec> ParseScenario(const std::shared_ptr<const SourceDocument>& doc, const Json& raw,
                                   const std::string& pointer, const Registry& registry) {
  static const std::regex kName("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  ScenarioSpec s;
  s.doc = doc;
  s.pointer = pointer;
  s.name = "#" + std::to_string(std::stoi(pointer.substr(pointer.rfind('/') + 1)) + 1);
  if (!raw.is_object()) return s.Error("", "scenario", "expected a map with name, requires, steps and checks");
  if (!raw.value("name", Json()).is_string() || !IsWord(raw["name"], kName)) {
    return s.Error("/name", "name", "expected a name of letters, digits, '-', '_' or '.' (up to 64)");
  }
  s.name = raw["name"];
  for (const auto& [key, value] : raw.items()) {
    if (!kScenarioKeys.count(key)) {
      return s.Error("/" + key, key, "unknown key (a scenario has name, description, weight, repeat, world, requires, steps, checks)");
    }
  }
  if (raw.contains("description")) {
    if (!raw["description"].is_string()) return s.Error("/description", "description", "expected text");
    s.description = raw["description"];
  }
  if (raw.contains("weight")) {
    const Json& w = raw["weight"];
    if (!w.is_number() || w.get<double>() <= 0 || w.get<double>() > 1e6) {
      return s.Error("/weight", "weight", "expected a number above 0 (the share of soak draws), not " + w.dump());
    }
    s.weight = w.get<double>();
  }
  if (raw.contains("repeat")) {
    const Json& r = raw["repeat"];
    if (!r.is_number_integer() || r.get<int64_t>() < 1 || r.get<int64_t>() > 1000) {
      return s.Error("/repeat", "repeat", "expected a whole number from 1 to 1000, not " + r.dump());
    }
    s.repeat = r.get<int>();
  }
  if (raw.contains("world")) {
    Result<WorldRequest> w = ParseWorldRequest(raw["world"]);
    if (!w.ok()) return s.Error("/world", "world", w.status().message());
    s.world = std::move(*w);
  }
  if (raw.contains("requires")) {
    const Json& req = raw["requires"];
    if (!req.is_object()) return s.Error("/requires", "requires", "expected a map of variable: resource");
    // In file order, so 'in:' may name an earlier variable.
    std::vector<std::pair<int, std::string>> order;
    for (const auto& [var, spec] : req.items()) order.emplace_back(doc->LineOf(pointer + "/requires/" + var), var);
    std::sort(order.begin(), order.end());
    for (const auto& [line, var] : order) CS_RETURN_IF_ERROR(ParseRequirement(s, var, req[var]));
  }
  if (!raw.contains("steps")) return s.Error("", "steps", "missing (a scenario runs at least one test)");
  CS_RETURN_IF_ERROR(ParseSteps(s, raw["steps"], registry));
  if (!raw.contains("checks")) return s.Error("", "checks", "missing (a scenario must say what it expects)");
  CS_RETURN_IF_ERROR(ParseChecks(s, raw["checks"], registry));
  return s;
}

Result<std::vector<ScenarioSpec>> FromDocument(SourceDocument document, const Registry& registry) {
  auto doc = std::make_shared<const SourceDocument>(std::move(document));
  Json list = doc->value;
  std::string base;
  if (list.is_object() && list.contains("scenarios") && list.size() == 1) {
    list = list["scenarios"];
    base = "/scenarios";
  }
  if (!list.is_array() || list.empty()) {
    return Status::InvalidArgument(doc->path + ": expected a list of scenarios (each '- name: ...')");
  }
  std::vector<ScenarioSpec> out;
  std::set<std::string> names;
  for (size_t i = 0; i < list.size(); ++i) {
    Result<ScenarioSpec> s = ParseScenario(doc, list[i], base + "/" + std::to_string(i), registry);
    if (!s.ok()) return s.status();
    if (!names.insert(s->name).second) return s->Error("/name", "name", "appears twice in the file");
    out.push_back(std::move(*s));
  }
  return out;
}

}  // namespace

Result<ParamType> ReferenceType(const std::vector<Requirement>& reqs, const std::string& ref) {
  static const std::regex kRef("\\$([a-z_][a-z0-9_]*)(\\.([a-z_]+))?");
  std::smatch m;
  if (!std::regex_match(ref, m, kRef)) return Status::InvalidArgument("'" + ref + "' is not a variable ($name or $name.field)");
  const Requirement* r = FindVar(reqs, m[1]);
  if (r == nullptr) return Status::InvalidArgument("'" + ref + "' names no variable of requires");
  const std::string field = m[3];
  auto unknown = [&](const std::string& fields) {
    return Status::InvalidArgument("'" + ref + "': a " + r->kind + " has the fields " + fields);
  };
  if (r->kind == "server") {
    const bool role_target = r->role == "primary" || r->role == "secondary";
    if (field.empty() || field == "fqdn") return r->count == 1 ? ParamType::kServer : ParamType::kServers;
    if (r->count == 1 && field == "nodename") return ParamType::kString;
    if (r->count == 1 && field == "cluster") return ParamType::kInt;
    if (r->count == 1 && field == "target" && role_target) return ParamType::kTarget;
    return unknown(std::string("fqdn, nodename, cluster") + (role_target ? ", target" : "") + " (one server only)");
  }
  if (r->kind == "cluster" || r->kind == "su") {
    if (field.empty() || field == "servers") return ParamType::kServers;
    if (field == "id") return ParamType::kInt;
    return unknown("servers, id");
  }
  if (r->kind == "pdu") {
    if (field.empty() || field == "name") return ParamType::kPdu;
    return unknown("name");
  }
  if (r->kind == "filesystem") {
    if (field.empty() || field == "name") return ParamType::kString;
    return unknown("name");
  }
  if (field.empty() || field == "name") return ParamType::kTarget;  // target
  if (field == "primary" || field == "secondary") return ParamType::kServer;
  return unknown("name, primary, secondary");
}

bool Compatible(ParamType wanted, ParamType given) {
  if (wanted == given) return true;
  if (wanted == ParamType::kServers && given == ParamType::kServer) return true;
  if (wanted == ParamType::kString &&
      (given == ParamType::kServer || given == ParamType::kPdu || given == ParamType::kTarget)) {
    return true;
  }
  return false;
}

Result<std::vector<ScenarioSpec>> LoadScenarioText(const std::string& text, const std::string& path,
                                                   const Registry& registry) {
  Result<SourceDocument> doc = ParseYaml(text, path);
  if (!doc.ok()) return doc.status();
  return FromDocument(std::move(*doc), registry);
}

Result<std::vector<ScenarioSpec>> LoadScenarioFile(const std::string& path, const Registry& registry) {
  Result<SourceDocument> doc = ReadYamlFile(path);
  if (!doc.ok()) return doc.status();
  return FromDocument(std::move(*doc), registry);
}

Result<std::vector<ScenarioSpec>> LoadScenarioFiles(const std::vector<std::string>& paths, const Registry& registry) {
  std::vector<ScenarioSpec> all;
  std::map<std::string, std::string> seen;  // name -> file
  if (paths.empty()) return Status::InvalidArgument("no scenario files given");
  for (const std::string& path : paths) {
    Result<std::vector<ScenarioSpec>> specs = LoadScenarioFile(path, registry);
    if (!specs.ok()) return specs.status();
    for (ScenarioSpec& s : *specs) {
      auto [it, fresh] = seen.emplace(s.name, path);
      if (!fresh) return s.Error("/name", "name", "is also the name of a scenario in " + it->second);
      all.push_back(std::move(s));
    }
  }
  return all;
}

}  // namespace cs::scenarios
