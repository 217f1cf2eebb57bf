#include <exception>

#include "sim/actions/action_groups.h"

namespace cs {

const char* AfterResponseName(AfterResponse after) {
  switch (after) {
    case AfterResponse::kNone: return "none";
    case AfterResponse::kDeregister: return "deregister";
    case AfterResponse::kShutdown: return "shutdown";
    case AfterResponse::kReboot: return "reboot";
    case AfterResponse::kRestartAgent: return "restart_agent";
  }
  return "none";
}

const ActionCatalog& ActionCatalog::Default() {
  static const ActionCatalog catalog = [] {
    ActionCatalog c;
    AddServerActions(c);
    AddPackageActions(c);
    AddLnetActions(c);
    AddCorosyncActions(c);
    AddPacemakerActions(c);
    AddTargetActions(c);
    AddCopytoolActions(c);
    return c;
  }();
  return catalog;
}

void ActionCatalog::Add(std::string name, std::vector<ArgSpec> params, ActionHandler handler) {
  actions_[std::move(name)] = ActionDef{std::move(handler), std::move(params)};
}

const ActionDef* ActionCatalog::Find(std::string_view name) const {
  auto it = actions_.find(name);
  return it == actions_.end() ? nullptr : &it->second;
}

std::vector<std::string> ActionCatalog::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, def] : actions_) names.push_back(name);
  return names;
}

const Server& ThisServer(const ActionContext& ctx) { return *ctx.world.servers.Find(ctx.fqdn); }

Server& MutableThisServer(ActionContext& ctx) { return *ctx.world.servers.Mutable(ctx.fqdn); }

ActionOutcome RunAction(const ActionCatalog& catalog, ActionContext& ctx, std::string_view action,
                        const Json& args) {
  const std::string name(action);
  const ActionDef* def = catalog.Find(action);
  if (def == nullptr) {
    return ActionOutcome::Failure("Unknown command " + name + ": the simulated agent on " +
                                  ctx.fqdn + " has no action of that name");
  }
  if (ctx.world.servers.Find(ctx.fqdn) == nullptr) {
    return ActionOutcome::Failure(name + ": no simulated server " + ctx.fqdn);
  }
  Status valid = ValidateArgs(action, def->params, args);
  if (!valid.ok()) return ActionOutcome::FromStatus(valid);
  // Handlers read validated arguments and should not throw; if one does
  // (a bug), the manager still gets an answer and the runtime rolls back.
  try {
    return def->handler(ctx, ActionArgs(args));
  } catch (const std::exception& e) {
    return ActionOutcome::Failure(name + " on " + ctx.fqdn + " failed: internal error: " + e.what());
  }
}

}  // namespace cs
