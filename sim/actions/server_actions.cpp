// Server-wide actions: device plugin reads, profile, agent life cycle
// (restart, deregister, shutdown, reboot: answered first, then done by the
// runtime), and the configuration steps the simulation only acknowledges
// (ntp, firewall, block device drivers).
#include <algorithm>

#include "sim/actions/action_groups.h"

namespace cs {

namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// device_plugin(plugin=None): {plugin: body} for one plugin or every plugin,
// a bare value as the original answered.
ActionOutcome DevicePluginAction(ActionContext& ctx, const ActionArgs& args) {
  if (ctx.device_plugins == nullptr) {
    return ActionOutcome::Failure("device_plugin: no device plugins are available on " + ctx.fqdn);
  }
  std::vector<std::string> names = ctx.device_plugins->Names();
  if (const auto plugin = args.OptionalString("plugin"); plugin && !plugin->empty()) {
    if (std::find(names.begin(), names.end(), *plugin) == names.end()) {
      return ActionOutcome::Failure("device_plugin: no device plugin named '" + *plugin +
                                    "' (known: " + JoinNames(names) + ")");
    }
    names = {*plugin};
  }
  Json data = Json::object();
  for (const std::string& name : names) {
    Result<Json> body = ctx.device_plugins->StartSession(ctx.world, ctx.fqdn, name);
    if (!body.ok()) return ActionOutcome::Failure("device_plugin " + name + ": " + body.status().message());
    data[name] = *body;
  }
  return ActionOutcome::Value(data);
}

ActionOutcome UpdateProfile(ActionContext& ctx, const ActionArgs& args) {
  const Json& profile = args.Raw("profile");
  auto name = profile.find("name");
  if (name == profile.end() || !name->is_string()) {
    return ActionOutcome::Failure("update_profile: the profile has no \"name\" string: " +
                                  profile.dump());
  }
  MutableThisServer(ctx).profile_name = name->get<std::string>();
  return Ok();
}

// Actions answered with null before the runtime acts on the server.
ActionHandler AnswerThen(AfterResponse after) {
  return [after](ActionContext&, const ActionArgs&) {
    ActionOutcome out = Null();
    out.after = after;
    return out;
  };
}

ActionOutcome KernelStatus(ActionContext&, const ActionArgs&) {
  const std::string kernel = "fake_kernel-0.1";
  return ActionOutcome::Value(
      Json{{"running", kernel}, {"required", kernel}, {"available", Json::array({kernel})}});
}

}  // namespace

void AddServerActions(ActionCatalog& c) {
  using T = ArgType;
  c.Add("device_plugin", {Optional("plugin", T::kString)}, DevicePluginAction);
  c.Add("update_profile", {Required("profile", T::kObject)}, UpdateProfile);
  c.Add("restart_agent", {}, AnswerThen(AfterResponse::kRestartAgent));
  c.Add("deregister_server", {}, AnswerThen(AfterResponse::kDeregister));
  c.Add("shutdown_server", {Optional("halt", T::kBool), Optional("at_time", T::kString)},
        AnswerThen(AfterResponse::kShutdown));
  c.Add("reboot_server", {Optional("at_time", T::kString)}, AnswerThen(AfterResponse::kReboot));
  c.Add("kernel_status", {}, KernelStatus);
  c.Add("configure_ntp", {Required("ntp_server", T::kAny)}, AcknowledgeOk);
  c.Add("unconfigure_ntp", {}, AcknowledgeOk);
  c.Add("initialise_block_device_drivers", {}, AcknowledgeOk);
  const std::vector<ArgSpec> firewall = {Required("port", T::kInt), Required("address", T::kAny),
                                         Required("proto", T::kString),
                                         Required("description", T::kAny),
                                         Required("persist", T::kBool)};
  c.Add("open_firewall", firewall, AcknowledgeOk);
  c.Add("close_firewall", firewall, AcknowledgeOk);
}

}  // namespace cs
