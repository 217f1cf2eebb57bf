// Making the plan (see plan.h): resource binding, draws, slots.
#include "scenarios/plan.h"

#include <algorithm>
#include <set>

#include "scenarios/loader.h"
#include "util/random.h"

namespace cs::scenarios {

namespace {

Json StepJson(const PlannedStep& s, bool check) {
  Json j = {{"step", s.step}, {check ? "check" : "test", s.name}, {"params", s.params}};
  if (check) {
    j["within"] = FormatDuration(s.within);
  } else {
    j["delay"] = FormatDuration(s.delay);
  }
  return j;
}

// The resources one run may draw from, and those it has drawn.
struct Pool {
  std::set<int> clusters;
  std::set<std::string> used_servers;
  std::set<int> used_clusters;
  std::set<std::string> used_targets;
};

template <typename T>
const T& Pick(Random& rng, const std::vector<T>& from) {
  return from[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(from.size()) - 1))];
}

Json ServerBinding(const FleetModel& fleet, const std::string& fqdn) {
  const ModelServer* s = fleet.Find(fqdn);
  if (s == nullptr) return {{"fqdn", fqdn}, {"nodename", fqdn.substr(0, fqdn.find('.'))}, {"cluster", nullptr}};
  return {{"fqdn", s->fqdn}, {"nodename", s->nodename}, {"cluster", s->cluster}};
}

Json GroupBinding(int id, const std::vector<std::string>& servers) { return {{"id", id}, {"servers", servers}}; }

std::string NotEnough(const Requirement& r, size_t have, const std::string& what) {
  return "needs " + std::to_string(r.count) + " " + what + " but the " + (have == 0 ? "fleet has none" : "fleet offers " + std::to_string(have)) +
         " (grow the fleet: --server_count, --cluster_size, --su_size, --psu_count)";
}

// Binds one requirement; the message says what the fleet lacked.
Result<Json> Bind(const Requirement& r, const FleetModel& fleet, const Json& bound, Pool& pool, Random& rng) {
  auto in_pool = [&](const std::string& fqdn) {
    const ModelServer* s = fleet.Find(fqdn);
    return s != nullptr && pool.clusters.count(s->cluster) && !pool.used_servers.count(fqdn);
  };
  if (r.kind == "server") {
    std::vector<std::string> chosen;
    Json extra = Json::array();
    if (r.role == "primary" || r.role == "secondary") {
      for (int i = 0; i < r.count; ++i) {
        std::vector<const ModelTarget*> candidates;
        for (const ModelTarget& t : fleet.targets) {
          const std::string& host = r.role == "primary" ? t.primary : t.secondary;
          if (!host.empty() && in_pool(host) && !pool.used_targets.count(t.name)) candidates.push_back(&t);
        }
        if (candidates.empty()) return Status::InvalidArgument(NotEnough(r, chosen.size(), r.role + " servers of targets"));
        const ModelTarget* t = Pick(rng, candidates);
        const std::string host = r.role == "primary" ? t->primary : t->secondary;
        pool.used_servers.insert(host);
        pool.used_targets.insert(t->name);
        chosen.push_back(host);
        extra.push_back(t->name);
      }
    } else if (r.role == "worker") {
      std::vector<std::string> free;
      for (const std::string& w : fleet.workers) {
        if (!pool.used_servers.count(w)) free.push_back(w);
      }
      if (free.size() < static_cast<size_t>(r.count)) return Status::InvalidArgument(NotEnough(r, free.size(), "workers"));
      for (int i = 0; i < r.count; ++i) {
        std::vector<std::string> left;
        for (const std::string& w : free) if (!pool.used_servers.count(w)) left.push_back(w);
        chosen.push_back(Pick(rng, left));
        pool.used_servers.insert(chosen.back());
      }
    } else {
      std::set<std::string> allowed;
      if (!r.in.empty()) {
        for (const Json& f : bound[r.in]["servers"]) allowed.insert(f.get<std::string>());
      }
      for (int i = 0; i < r.count; ++i) {
        std::vector<std::string> left;
        for (const ModelServer& s : fleet.servers) {
          if (in_pool(s.fqdn) && (r.in.empty() || allowed.count(s.fqdn))) left.push_back(s.fqdn);
        }
        if (left.empty()) return Status::InvalidArgument(NotEnough(r, chosen.size(), "servers" + (r.in.empty() ? std::string() : " in $" + r.in)));
        chosen.push_back(Pick(rng, left));
        pool.used_servers.insert(chosen.back());
      }
    }
    if (r.count == 1) {
      Json b = ServerBinding(fleet, chosen[0]);
      if (!extra.empty()) b["target"] = extra[0];
      return b;
    }
    Json list = Json::array();
    for (size_t i = 0; i < chosen.size(); ++i) {
      Json b = ServerBinding(fleet, chosen[i]);
      if (i < extra.size()) b["target"] = extra[i];
      list.push_back(b);
    }
    return list;
  }
  if (r.kind == "cluster") {
    std::vector<int> left;
    for (int c : fleet.clusters) {
      if (pool.clusters.count(c) && !pool.used_clusters.count(c)) left.push_back(c);
    }
    if (left.empty()) return Status::InvalidArgument(NotEnough(r, 0, "corosync clusters"));
    const int c = Pick(rng, left);
    pool.used_clusters.insert(c);
    return GroupBinding(c, fleet.ServersOf(c));
  }
  if (r.kind == "su") {
    std::vector<int> left;
    for (int su : fleet.sus) {
      bool inside = true;
      for (const ModelServer& s : fleet.servers) {
        if (s.su == su && !pool.clusters.count(s.cluster)) inside = false;
      }
      if (inside) left.push_back(su);
    }
    if (left.empty()) return Status::InvalidArgument(NotEnough(r, 0, "scalable units (set --su_size)"));
    const int su = Pick(rng, left);
    std::vector<std::string> servers;
    for (const ModelServer& s : fleet.servers) if (s.su == su) servers.push_back(s.fqdn);
    return GroupBinding(su, servers);
  }
  if (r.kind == "pdu") {
    if (fleet.pdus.empty()) return Status::InvalidArgument(NotEnough(r, 0, "PDUs"));
    return Json{{"name", Pick(rng, fleet.pdus)}};
  }
  if (r.kind == "filesystem") {
    if (fleet.filesystem.empty()) return Status::InvalidArgument(NotEnough(r, 0, "filesystems"));
    return Json{{"name", fleet.filesystem}};
  }
  std::vector<const ModelTarget*> left;  // target
  for (const ModelTarget& t : fleet.targets) {
    const ModelServer* p = fleet.Find(t.primary);
    if ((r.role == "any" || t.kind == r.role) && p != nullptr && pool.clusters.count(p->cluster) &&
        !pool.used_targets.count(t.name)) {
      left.push_back(&t);
    }
  }
  if (left.empty()) return Status::InvalidArgument(NotEnough(r, 0, r.role == "any" ? "targets" : r.role + " targets"));
  const ModelTarget* t = Pick(rng, left);
  pool.used_targets.insert(t->name);
  return Json{{"name", t->name}, {"kind", t->kind}, {"primary", t->primary}, {"secondary", t->secondary}};
}

// "$victim.target" -> the bound value.
Json Lookup(const std::vector<Requirement>& reqs, const Json& bound, const std::string& ref) {
  const size_t dot = ref.find('.');
  const std::string var = ref.substr(1, dot == std::string::npos ? std::string::npos : dot - 1);
  const std::string field = dot == std::string::npos ? "" : ref.substr(dot + 1);
  const Json& b = bound.at(var);
  std::string kind;
  for (const Requirement& r : reqs) if (r.var == var) kind = r.kind;
  if (b.is_array()) {  // several servers
    Json list = Json::array();
    for (const Json& s : b) list.push_back(s["fqdn"]);
    return list;
  }
  if (!field.empty()) return b.value(field, Json());
  if (kind == "server") return b["fqdn"];
  if (kind == "cluster" || kind == "su") return b["servers"];
  return b["name"];
}

Json Resolve(const ParamDef& def, const Json& raw, const std::vector<Requirement>& reqs, const Json& bound,
             Random& rng) {
  Json v;
  if (raw.is_string() && !raw.get<std::string>().empty() && raw.get<std::string>()[0] == '$') {
    v = Lookup(reqs, bound, raw);
  } else if (raw.is_object() && raw.contains("range")) {
    if (def.type == ParamType::kInt) {
      v = rng.Uniform(raw["range"][0].get<int64_t>(), raw["range"][1].get<int64_t>());
    } else {
      v = FormatDuration(Millis(rng.Uniform(ParseDuration(raw["range"][0])->count(), ParseDuration(raw["range"][1])->count())));
    }
  } else if (raw.is_object() && raw.contains("choice")) {
    const Json& c = raw["choice"];
    v = Resolve(def, c[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(c.size()) - 1))], reqs, bound, rng);
  } else {
    v = raw;
  }
  if (def.type == ParamType::kDuration) v = FormatDuration(*ParseDuration(v));
  if (def.type == ParamType::kServers && v.is_string()) v = Json::array({v});
  return v;
}

// Names in resolved params must exist in the fleet.
Status CheckNames(const ScenarioSpec& s, const ParamDef& def, const Json& v, const FleetModel& fleet,
                  const std::string& pointer, const std::string& field) {
  auto server_known = [&](const std::string& f) {
    return fleet.Find(f) != nullptr || std::find(fleet.workers.begin(), fleet.workers.end(), f) != fleet.workers.end();
  };
  if (def.type == ParamType::kServer || def.type == ParamType::kServers) {
    for (const Json& f : v.is_array() ? v : Json::array({v})) {
      if (!server_known(f.get<std::string>())) return s.Error(pointer, field, "the fleet has no server " + f.get<std::string>());
    }
  }
  if (def.type == ParamType::kPdu && std::find(fleet.pdus.begin(), fleet.pdus.end(), v.get<std::string>()) == fleet.pdus.end()) {
    return s.Error(pointer, field, "the fleet has no PDU " + v.get<std::string>());
  }
  if (def.type == ParamType::kTarget) {
    bool found = false;
    for (const ModelTarget& t : fleet.targets) found = found || t.name == v.get<std::string>();
    if (!found) return s.Error(pointer, field, "the filesystem has no target " + v.get<std::string>());
  }
  return Status::Ok();
}

Result<Json> ResolveParams(const ScenarioSpec& s, const std::vector<ParamDef>& defs, const Json& raw,
                           const Json& bound, const FleetModel& fleet, Random& rng, const std::string& pointer,
                           const std::string& field) {
  Json out = Json::object();
  for (const ParamDef& def : defs) {  // in definition order: draws do not depend on the file's key order
    const std::string key_ptr = pointer.substr(s.pointer.size()) + "/" + def.name;
    if (!raw.contains(def.name)) {
      if (!def.default_value.is_null()) out[def.name] = Resolve(def, def.default_value, s.requires_, bound, rng);
      continue;
    }
    Json v = Resolve(def, raw[def.name], s.requires_, bound, rng);
    Status ok = CheckParamValue(def, v);
    if (!ok.ok()) return s.Error(key_ptr, field + "." + def.name, ok.message());
    CS_RETURN_IF_ERROR(CheckNames(s, def, v, fleet, key_ptr, field + "." + def.name));
    out[def.name] = v;
  }
  return out;
}

bool StaticallyExclusive(const ScenarioSpec& s, const Registry& registry) {
  for (const Requirement& r : s.requires_) {
    if (r.kind == "pdu" || r.kind == "filesystem") return true;
  }
  for (const StepSpec& step : s.steps) {
    if (registry.FindTest(step.test)->exclusive) return true;
  }
  return false;
}

Status BindAll(const ScenarioSpec& s, const FleetModel& fleet, Pool pool, Random rng, Json* bound) {
  *bound = Json::object();
  for (const Requirement& r : s.requires_) {
    Result<Json> b = Bind(r, fleet, *bound, pool, rng);
    if (!b.ok()) return s.Error(r.pointer.substr(s.pointer.size()), "requires." + r.var, b.status().message());
    (*bound)[r.var] = *b;
  }
  return Status::Ok();
}

Result<PlannedRun> PlanRun(const ScenarioSpec& s, int repetition, const std::string& stream, const FleetModel& fleet,
                           const Registry& registry, const std::vector<std::set<int>>& slots, int* next_slot) {
  PlannedRun run;
  run.scenario = s.name;
  run.file = s.file();
  run.repetition = repetition;
  Random rng = Random::ForStream(0, "");  // replaced below
  Pool all;
  all.clusters.insert(fleet.clusters.begin(), fleet.clusters.end());
  const bool exclusive = slots.size() <= 1 || StaticallyExclusive(s, registry);
  Json bound;
  if (!exclusive) {
    const int slot = *next_slot;
    Pool mine;
    mine.clusters = slots[static_cast<size_t>(slot)];
    if (BindAll(s, fleet, mine, Random::ForStream(0, stream), &bound).ok()) {
      run.slot = slot;
      *next_slot = (slot + 1) % static_cast<int>(slots.size());
      for (const ModelServer& m : fleet.servers) {
        if (mine.clusters.count(m.cluster)) run.scope.push_back(m.fqdn);
      }
    }
  }
  if (run.slot < 0) CS_RETURN_IF_ERROR(BindAll(s, fleet, all, Random::ForStream(0, stream), &bound));
  run.bindings = bound;
  rng = Random::ForStream(0, stream + "/params");
  int index = 1;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const StepSpec& spec = s.steps[i];
    const TestDef* def = registry.FindTest(spec.test);
    PlannedStep step;
    step.step = index++;
    step.name = spec.test;
    const std::string field = "steps[" + std::to_string(i) + "]";
    Result<Json> params = ResolveParams(s, def->params, spec.params, bound, fleet, rng, spec.pointer, field);
    if (!params.ok()) return params.status();
    step.params = *params;
    if (!spec.delay.is_null()) {
      ParamDef d = Optional("delay", ParamType::kDuration, "0s", "");
      step.delay = *ParseDuration(Resolve(d, spec.delay, s.requires_, bound, rng));
    }
    run.needs_owner = run.needs_owner || def->needs_owner;
    run.steps.push_back(step);
  }
  for (size_t i = 0; i < s.checks.size(); ++i) {
    const CheckSpec& spec = s.checks[i];
    const CheckDef* def = registry.FindCheck(spec.check);
    PlannedStep check;
    check.step = index++;
    check.name = spec.check;
    const std::string field = "checks[" + std::to_string(i) + "]";
    Result<Json> params = ResolveParams(s, def->params, spec.params, bound, fleet, rng, spec.pointer, field);
    if (!params.ok()) return params.status();
    check.params = *params;
    check.within = def->default_within;
    if (!spec.within.is_null()) {
      ParamDef d = Optional("within", ParamType::kDuration, "0s", "");
      check.within = *ParseDuration(Resolve(d, spec.within, s.requires_, bound, rng));
    }
    run.checks.push_back(check);
  }
  return run;
}

// The seed is mixed into every stream name, so streams of different seeds differ.
std::string Stream(uint64_t seed, const std::string& what) { return std::to_string(seed) + "/" + what; }

}  // namespace

Json PlannedRun::ToJson() const {
  Json steps_json = Json::array(), checks_json = Json::array();
  for (const PlannedStep& s : steps) steps_json.push_back(StepJson(s, false));
  for (const PlannedStep& c : checks) checks_json.push_back(StepJson(c, true));
  return {{"run", run},         {"scenario", scenario}, {"file", file},
          {"repetition", repetition}, {"slot", slot < 0 ? Json() : Json(slot)},
          {"exclusive", slot < 0}, {"scope", scope},     {"bindings", bindings},
          {"steps", steps_json}, {"checks", checks_json}};
}

Json Plan::ToJson() const {
  Json runs_json = Json::array();
  for (const PlannedRun& r : runs) runs_json.push_back(r.ToJson());
  return {{"seed", seed}, {"parallel", parallel}, {"fleet", fleet}, {"runs", runs_json}};
}

Result<Plan> MakePlan(const std::vector<ScenarioSpec>& specs, const FleetModel& fleet, const Registry& registry,
                      const PlanOptions& options) {
  Plan plan;
  plan.seed = options.seed;
  plan.parallel = std::max(1, options.parallel);
  plan.fleet = fleet.Summary();
  if (specs.empty()) return Status::InvalidArgument("no scenarios to plan");
  if (static_cast<size_t>(plan.parallel) > fleet.clusters.size()) {
    return Status::InvalidArgument("--parallel " + std::to_string(plan.parallel) + " needs at least " +
                                   std::to_string(plan.parallel) + " corosync clusters; the fleet has " +
                                   std::to_string(fleet.clusters.size()) + " (raise --server_count or lower --cluster_size)");
  }
  std::vector<std::set<int>> slots(static_cast<size_t>(plan.parallel));
  for (size_t i = 0; i < fleet.clusters.size(); ++i) slots[i % slots.size()].insert(fleet.clusters[i]);
  int next_slot = 0;
  auto add = [&](const ScenarioSpec& s, int repetition, const std::string& stream) -> Status {
    Result<PlannedRun> run = PlanRun(s, repetition, Stream(options.seed, stream), fleet, registry, slots, &next_slot);
    if (!run.ok()) return run.status();
    run->run = static_cast<int>(plan.runs.size()) + 1;
    plan.runs.push_back(std::move(*run));
    return Status::Ok();
  };
  if (options.soak_runs > 0) {
    double total = 0;
    for (const ScenarioSpec& s : specs) total += s.weight;
    std::map<std::string, int> repetitions;
    for (int j = 0; j < options.soak_runs; ++j) {
      Random rng = Random::ForStream(0, Stream(options.seed, "soak/" + std::to_string(j)));
      // A draw in [0, total) with a resolution of a millionth of the total.
      double x = static_cast<double>(rng.Uniform(0, 999999)) / 1e6 * total;
      const ScenarioSpec* chosen = &specs.back();
      for (const ScenarioSpec& s : specs) {
        if (x < s.weight) { chosen = &s; break; }
        x -= s.weight;
      }
      const int rep = ++repetitions[chosen->name];
      CS_RETURN_IF_ERROR(add(*chosen, rep, "soak/" + std::to_string(j) + "/" + chosen->name));
    }
    return plan;
  }
  for (const ScenarioSpec& s : specs) {
    for (int rep = 1; rep <= s.repeat; ++rep) {
      CS_RETURN_IF_ERROR(add(s, rep, s.name + "/" + std::to_string(rep)));
    }
  }
  return plan;
}

}  // namespace cs::scenarios
