// Copytool actions: HSM copytools configured on a worker, kept in the world
// by id with their arguments, whether they run and the uuid their
// coordinator gave them. The runtime (sim/hsm_service.h) runs every running
// one against its filesystem's coordinator and posts its events.
#include "fakes/hsm/hsm_world.h"
#include "sim/actions/action_groups.h"

namespace cs {

namespace {

ActionOutcome NoSuchCopytool(const char* action, const std::string& id) {
  return ActionOutcome::Failure(std::string(action) + ": no copytool with id '" + id +
                                "' is configured");
}

ActionOutcome ConfigureCopytool(ActionContext& ctx, const ActionArgs& args) {
  Copytool copytool;
  copytool.id = args.String("id");
  copytool.server = ctx.fqdn;
  for (const char* name : {"id", "index", "bin_path", "archive_number", "filesystem", "mountpoint",
                           "hsm_arguments"}) {
    copytool.copytool[name] = args.Raw(name);
  }
  const std::string id = copytool.id;  // Put's key must outlive the moved value
  ctx.world.copytools.Put(id, std::move(copytool));
  return Null();
}

ActionOutcome UnconfigureCopytool(ActionContext& ctx, const ActionArgs& args) {
  const std::string id = args.String("id");
  if (!ctx.world.copytools.contains(id)) return NoSuchCopytool("unconfigure_copytool", id);
  ctx.world.copytools.Erase(id);
  return Null();
}

ActionOutcome StartCopytool(ActionContext& ctx, const ActionArgs& args) {
  const std::string id = args.String("id");
  if (!ctx.world.copytools.contains(id)) return NoSuchCopytool("start_monitored_copytool", id);
  Status s = StartHsmCopytool(ctx.world, id, ctx.random);
  return s.ok() ? Null() : ActionOutcome::Failure("start_monitored_copytool: " + s.message());
}

// Stopping an unknown copytool only logged an error in the original.
ActionOutcome StopCopytool(ActionContext& ctx, const ActionArgs& args) {
  (void)StopHsmCopytool(ctx.world, args.String("id"));
  return Null();
}

}  // namespace

void AddCopytoolActions(ActionCatalog& c) {
  using T = ArgType;
  c.Add("configure_copytool",
        {Required("id", T::kString), Required("index", T::kInt), Required("bin_path", T::kString),
         Required("archive_number", T::kInt), Required("filesystem", T::kString),
         Required("mountpoint", T::kString), Required("hsm_arguments", T::kString)},
        ConfigureCopytool);
  c.Add("unconfigure_copytool", {Required("id", T::kString)}, UnconfigureCopytool);
  c.Add("start_monitored_copytool", {Required("id", T::kString)}, StartCopytool);
  c.Add("stop_monitored_copytool", {Required("id", T::kString)}, StopCopytool);
}

}  // namespace cs
