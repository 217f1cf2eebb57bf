#include "sim/control/control_api.h"

#include <exception>

#include "metrics/prometheus.h"
#include "sim/control/operations.h"

namespace cs {

namespace {

const char* TypeName(ArgType type) {
  switch (type) {
    case ArgType::kString: return "string";
    case ArgType::kInt: return "integer";
    case ArgType::kReal: return "number";
    case ArgType::kBool: return "boolean";
    case ArgType::kList: return "list";
    case ArgType::kObject: return "object";
    case ArgType::kAny: return "any";
  }
  return "any";
}

}  // namespace

void Add(OperationTable& table, std::string name, std::vector<ArgSpec> params, std::string help,
         SyncHandler handler) {
  AddAsync(table, std::move(name), std::move(params), std::move(help),
           [handler = std::move(handler)](ControlContext& ctx, const ActionArgs& args, ControlDone done) {
             done(handler(ctx, args));
           });
}

void AddAsync(OperationTable& table, std::string name, std::vector<ArgSpec> params, std::string help,
              std::function<void(ControlContext&, const ActionArgs&, ControlDone)> handler) {
  ControlOperation op{name, std::move(params), std::move(help), std::move(handler)};
  table[name] = std::move(op);
}

int HttpStatusOf(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return 200;
    case Status::Code::kInvalidArgument: return 400;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kAlreadyExists:
    case Status::Code::kFailedPrecondition: return 409;
    case Status::Code::kUnavailable: return 503;
    default: return 500;
  }
}

ControlApi::ControlApi(Simulator& sim) : ctx_(new ControlContext{sim, {}, {}}) {
  AddLifecycleOperations(ops_);
  AddWorldOperations(ops_);
  AddFleetOperations(ops_);
  AddPowerOperations(ops_);
  AddCheckOperations(ops_);
  AddSimulatorMethods(ops_);
  AddStatsOperations(ops_);

  AddHsmMethods(ops_);
}

std::string ControlApi::PrometheusMetrics() const { return metrics::PrometheusText(ctx_->sim.Stats()); }

ControlApi::~ControlApi() = default;

const ControlOperation* ControlApi::Find(const std::string& name) const {
  auto it = ops_.find(name);
  return it == ops_.end() ? nullptr : &it->second;
}

std::vector<std::string> ControlApi::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, op] : ops_) names.push_back(name);
  return names;
}

Json ControlApi::Describe() const {
  Json out = Json::object();
  for (const auto& [name, op] : ops_) {
    Json params = Json::array();
    for (const ArgSpec& p : op.params) {
      Json param = {{"name", p.name}, {"type", TypeName(p.type)}, {"required", p.required}};
      if (p.int_range) param["range"] = {p.int_range->min, p.int_range->max};
      if (p.real_range) param["range"] = {p.real_range->min, p.real_range->max};
      params.push_back(param);
    }
    out[name] = {{"params", params}, {"help", op.help}};
  }
  return out;
}

Result<Json> ControlApi::NamedArgs(const std::string& name, const Json& positional) const {
  const ControlOperation* op = Find(name);
  if (!op) return Status::NotFound("no operation '" + name + "'");
  if (!positional.is_array()) return Status::InvalidArgument(name + ": parameters must be a list");
  if (positional.size() > op->params.size()) {
    return Status::InvalidArgument(name + " takes at most " + std::to_string(op->params.size()) +
                                   " parameters, got " + std::to_string(positional.size()));
  }
  Json named = Json::object();
  for (size_t i = 0; i < positional.size(); ++i) named[op->params[i].name] = positional[i];
  return named;
}

void ControlApi::Call(const std::string& name, const Json& args, ControlDone done) {
  const ControlOperation* op = Find(name);
  if (!op) return done(Status::NotFound("no operation '" + name + "' (GET /api/v1/ lists them)"));
  if (!args.is_null() && !args.is_object()) {
    return done(Status::InvalidArgument(name + ": arguments must be a JSON object"));
  }
  Status valid = ValidateArgs(name, op->params, args);
  if (!valid.ok()) return done(Status::InvalidArgument(valid.message()));
  // The handler keeps reading `args` until it answers: give it its own copy.
  auto owned = std::make_shared<Json>(args.is_null() ? Json::object() : args);
  try {
    op->run(*ctx_, ActionArgs(*owned), [owned, done](Result<Json> r) { done(std::move(r)); });
  } catch (const std::exception& e) {
    done(Status::Internal(name + " failed: " + e.what()));
  }
}

}  // namespace cs
