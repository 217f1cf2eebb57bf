// Target actions: formatting and registering Lustre targets on the shared
// storage, the MGS's configuration, detect_scan, and the HA side: a
// target's resource in the server's corosync cluster (configure/unconfigure,
// start/stop/failover/failback). Import/export and the agent's target store
// are acknowledged only.
#include "fakes/lustre_targets.h"
#include "fakes/cluster_env.h"
#include "fakes/hsm/hsm_world.h"
#include "sim/actions/action_groups.h"

namespace cs {

namespace {

// mgsnode: [[nid, ...], ...]; a bare NID string counts as a group of one.
Result<std::vector<std::vector<std::string>>> ParseMgsnode(const Json& value) {
  std::vector<std::vector<std::string>> groups;
  if (value.is_null()) return groups;
  for (const Json& group : value) {
    std::vector<std::string> nids;
    if (group.is_string()) {
      nids.push_back(group.get<std::string>());
    } else if (group.is_array()) {
      for (const Json& nid : group) {
        if (!nid.is_string()) return Status::InvalidArgument("format_target: a NID must be a string, got " + nid.dump());
        nids.push_back(nid.get<std::string>());
      }
    } else {
      return Status::InvalidArgument("format_target: mgsnode must be a list of NID lists, got " + value.dump());
    }
    groups.push_back(std::move(nids));
  }
  return groups;
}

ActionOutcome FormatTargetAction(ActionContext& ctx, const ActionArgs& args) {
  FormatRequest request;
  request.device = args.String("device");
  request.backfstype = args.String("backfstype");
  request.target_types = args.StringList("target_types");
  auto mgsnode = ParseMgsnode(args.Raw("mgsnode"));
  if (!mgsnode.ok()) return ActionOutcome::FromStatus(mgsnode.status());
  request.mgsnode = *mgsnode;
  request.failnode = args.StringList("failnode");
  request.fsname = args.OptionalString("fsname");
  if (auto index = args.OptionalInt("index")) request.index = static_cast<int>(*index);
  request.mkfsoptions = args.OptionalString("mkfsoptions");
  Result<Json> e2fs = FormatTarget(ctx.world, ThisServer(ctx), request, ctx.random);
  if (!e2fs.ok()) return ActionOutcome::FromStatus(e2fs.status());
  return ActionOutcome::Value(*e2fs);  // bare, as the original answered
}

ActionOutcome RegisterTargetAction(ActionContext& ctx, const ActionArgs& args) {
  Result<std::string> label = RegisterTarget(ctx.world, ThisServer(ctx), args.String("device_path"));
  if (!label.ok()) return ActionOutcome::FromStatus(label.status());
  return ActionOutcome::Value(Json{{"label", *label}});
}

// Only an MGS's writeconf (no mgsnode given) changes the simulated state:
// its conf params are erased.
ActionOutcome WriteconfTarget(ActionContext& ctx, const ActionArgs& args) {
  const Json& mgsnode = args.Raw("mgsnode");
  if (!mgsnode.is_null() && !mgsnode.empty()) return Null();
  if (!args.Has("device")) return ActionOutcome::Failure("writeconf_target: no device given");
  Status s = EraseMgsConfParams(ctx.world, ctx.fqdn, args.String("device"));
  return s.ok() ? Null() : ActionOutcome::FromStatus(s.Context("writeconf_target"));
}

ActionOutcome PurgeConfiguration(ActionContext& ctx, const ActionArgs& args) {
  Status s = PurgeFilesystem(ctx.world, ctx.fqdn, args.String("mgs_device_path"),
                             args.String("filesystem_name"));
  return s.ok() ? Null() : ActionOutcome::FromStatus(s.Context("purge_configuration"));
}

// The local filesystem on the device, bare as the original answered (null
// when the device is free). The original answered a bare string for an
// occupied device, which the manager could not read; we answer the real
// agent's error wrapper instead.
ActionOutcome CheckBlockDevice(ActionContext& ctx, const ActionArgs& args) {
  Result<std::string> serial = SerialAtPath(ctx.world, ctx.fqdn, args.String("path"));
  if (!serial.ok()) return ActionOutcome::FromStatus(serial.status().Context("check_block_device"));
  const Volume* volume = ctx.world.volumes.Find(*serial);
  if (volume == nullptr || !volume->local_filesystem) return Null();
  return ActionOutcome::Value(AgentError("Filesystem found: type '" + *volume->local_filesystem + "'"));
}

ActionOutcome DetectScanAction(ActionContext& ctx, const ActionArgs& args) {
  std::vector<std::string> paths;
  for (const Json& device : args.Raw("target_devices")) {
    auto path = device.is_object() ? device.find("path") : device.end();
    if (!device.is_object() || path == device.end() || !path->is_string()) {
      return ActionOutcome::Failure("detect_scan: each target device needs a \"path\" string, got " +
                                    device.dump());
    }
    paths.push_back(path->get<std::string>());
  }
  return ActionOutcome::Value(DetectScan(ctx.world, ThisServer(ctx), paths));
}

ActionOutcome SetConfParamAction(ActionContext& ctx, const ActionArgs& args) {
  if (!args.Has("key")) return ActionOutcome::Failure("set_conf_param: no key given");
  const std::string key = args.String("key");
  const std::optional<std::string> value = args.OptionalString("value");
  // <fs>-MDT0000.mdt.hsm_control also drives the filesystem's coordinator,
  // in the same transaction; an unknown value is refused before anything
  // changes.
  const std::optional<std::string> hsm_fs = HsmControlFilesystem(key);
  if (hsm_fs && value) {
    HsmCoordinatorRecord probe;
    Status valid = ApplyHsmControl(probe, *value);
    if (!valid.ok()) return ActionOutcome::Failure("set_conf_param " + key + ": " + valid.message());
  }
  Status s = SetConfParam(ctx.world, ThisServer(ctx), key, value);
  if (s.ok() && hsm_fs && value) s = ControlHsmCoordinator(ctx.world, *hsm_fs, *value);
  return s.ok() ? Null() : ActionOutcome::FromStatus(s);
}

// The server's cluster, or an error for a worker (which has none).
Result<Cluster*> MutableCluster(ActionContext& ctx, const char* action) {
  const Server& server = ThisServer(ctx);
  if (ctx.world.ClusterOf(server) == nullptr) {
    return Status::FailedPrecondition(std::string(action) + ": " + ctx.fqdn +
                                      " belongs to no corosync cluster");
  }
  return ctx.world.MutableClusterOf(server);
}

const HaResource* FindResource(ActionContext& ctx, const std::string& ha_label) {
  const Cluster* cluster = ctx.world.ClusterOf(ThisServer(ctx));
  if (cluster == nullptr) return nullptr;
  auto it = cluster->resources.find(ha_label);
  return it == cluster->resources.end() ? nullptr : &it->second;
}

ActionOutcome ConfigureTargetHa(ActionContext& ctx, const ActionArgs& args) {
  // Check first, so a refusal leaves the cluster untouched.
  const std::string ha_label = args.String("ha_label");
  const HaResource* existing = FindResource(ctx, ha_label);
  if (existing && existing->uuid != args.String("uuid")) {
    return ActionOutcome::Failure("configure_target_ha: HA resource " + ha_label +
                                  " exists with uuid " + existing->uuid);
  }
  Result<Cluster*> cluster = MutableCluster(ctx, "configure_target_ha");
  if (!cluster.ok()) return ActionOutcome::FromStatus(cluster.status());
  Status s = (*cluster)->Configure(ThisServer(ctx).nodename, args.String("device"), ha_label,
                                   args.String("uuid"), args.Bool("primary"),
                                   args.String("mount_point"));
  return s.ok() ? ActionOutcome::Value(AgentResult(nullptr))
                : ActionOutcome::FromStatus(s.Context("configure_target_ha"));
}

// The original looked the resource up under a misspelt key and so never
// removed anything; we remove it (primary) or this node's role (secondary),
// and refuse while it runs, as the real agent does.
ActionOutcome UnconfigureTargetHa(ActionContext& ctx, const ActionArgs& args) {
  const std::string ha_label = args.String("ha_label");
  const HaResource* resource = FindResource(ctx, ha_label);
  if (resource == nullptr) return ActionOutcome::Value(AgentResult(nullptr));  // already gone
  if (resource->started_on) {
    return ActionOutcome::Failure("unconfigure_target_ha: cannot unconfigure-ha: " + ha_label +
                                  " is still running on " + *resource->started_on);
  }
  Result<Cluster*> cluster = MutableCluster(ctx, "unconfigure_target_ha");
  if (!cluster.ok()) return ActionOutcome::FromStatus(cluster.status());
  (*cluster)->Unconfigure(ThisServer(ctx).nodename, ha_label, args.Bool("primary"));
  return ActionOutcome::Value(AgentResult(nullptr));
}

using ClusterOp = Status (Cluster::*)(const std::string&, const ClusterEnv&);

// start/stop/failover/failback: checks the resource exists before touching
// the cluster, so a wrong label changes nothing.
ActionHandler ResourceAction(const char* action, ClusterOp op) {
  return [action, op](ActionContext& ctx, const ActionArgs& args) {
    const std::string ha_label = args.String("ha_label");
    if (FindResource(ctx, ha_label) == nullptr) {
      return ActionOutcome::Failure(std::string(action) + ": no HA resource " + ha_label +
                                    " in the cluster of " + ctx.fqdn);
    }
    Result<Cluster*> cluster = MutableCluster(ctx, action);
    if (!cluster.ok()) return ActionOutcome::FromStatus(cluster.status());
    const size_t failures_before = (*cluster)->resources.at(ha_label).failed_on.size();
    Status s = ((**cluster).*op)(ha_label, WorldClusterEnv(ctx.world));
    if (!s.ok()) {
      ActionOutcome failed = ActionOutcome::FromStatus(s.Context(action));
      // A start that failed on a node bans it there until a cleanup, whatever
      // the command's outcome: the failcount lives in the CIB's status.
      failed.keep_changes_on_failure = (*cluster)->resources.at(ha_label).failed_on.size() > failures_before;
      return failed;
    }
    if (std::string(action) != "start_target") return Ok();
    // start_target answers where the target now runs.
    return ActionOutcome::Value(AgentResult((*cluster)->resources.at(ha_label).started_on));
  };
}

void AddFormatActions(ActionCatalog& c) {
  using T = ArgType;
  c.Add("format_target",
        {Required("device_type", T::kString), Required("target_name", T::kAny),
         Required("device", T::kString), Required("backfstype", T::kString),
         Optional("target_types", T::kList), Optional("mgsnode", T::kList),
         Optional("fsname", T::kString), Optional("failnode", T::kList),
         Optional("servicenode", T::kList), Optional("param", T::kObject),
         Optional("index", T::kInt), Optional("comment", T::kAny),
         Optional("mountfsoptions", T::kString), Optional("network", T::kList),
         Optional("device_size", T::kInt), Optional("mkfsoptions", T::kString),
         Optional("reformat", T::kBool), Optional("stripe_count_hint", T::kInt),
         Optional("iam_dir", T::kBool), Optional("dryrun", T::kBool), Optional("verbose", T::kBool),
         Optional("quiet", T::kBool)},
        FormatTargetAction);
  c.Add("register_target",
        {Required("device_path", T::kString), Required("mount_point", T::kString),
         Required("backfstype", T::kString)},
        RegisterTargetAction);
  c.Add("writeconf_target",
        {Optional("device", T::kString), Optional("target_types", T::kList),
         Optional("mgsnode", T::kList), Optional("fsname", T::kString),
         Optional("failnode", T::kList), Optional("servicenode", T::kList),
         Optional("param", T::kObject), Optional("index", T::kInt), Optional("comment", T::kAny),
         Optional("mountfsoptions", T::kString), Optional("network", T::kList),
         Optional("erase_params", T::kBool), Optional("nomgs", T::kBool),
         Optional("writeconf", T::kBool), Optional("dryrun", T::kBool),
         Optional("verbose", T::kBool), Optional("quiet", T::kBool)},
        WriteconfTarget);
  c.Add("purge_configuration",
        {Required("mgs_device_path", T::kString), Required("mgs_device_type", T::kString),
         Required("filesystem_name", T::kString)},
        PurgeConfiguration);
  c.Add("check_block_device", {Required("path", T::kString), Required("device_type", T::kString)},
        CheckBlockDevice);
  c.Add("detect_scan", {Optional("target_devices", T::kList)}, DetectScanAction);
  c.Add("set_conf_param", {Optional("key", T::kString), Optional("value", T::kString)},
        SetConfParamAction);
}

void AddHaActions(ActionCatalog& c) {
  using T = ArgType;
  c.Add("configure_target_ha",
        {Required("primary", T::kBool), Required("device", T::kString),
         Required("ha_label", T::kString), Required("uuid", T::kString),
         Required("mount_point", T::kString)},
        ConfigureTargetHa);
  c.Add("unconfigure_target_ha",
        {Required("primary", T::kBool), Required("ha_label", T::kString), Required("uuid", T::kString)},
        UnconfigureTargetHa);
  const std::vector<ArgSpec> label = {Required("ha_label", T::kString)};
  c.Add("start_target", label, ResourceAction("start_target", &Cluster::Start));
  c.Add("stop_target", label, ResourceAction("stop_target", &Cluster::Stop));
  c.Add("failover_target", label, ResourceAction("failover_target", &Cluster::Failover));
  c.Add("failback_target", label, ResourceAction("failback_target", &Cluster::Failback));
  c.Add("import_target",
        {Required("device_type", T::kString), Required("path", T::kString),
         Required("pacemaker_ha_operation", T::kAny), Optional("validate_importable", T::kBool)},
        AcknowledgeOk);
  c.Add("export_target", {Required("device_type", T::kString), Required("path", T::kString)},
        AcknowledgeOk);
  c.Add("configure_target_store",
        {Required("device", T::kString), Required("uuid", T::kString),
         Required("mount_point", T::kString), Required("backfstype", T::kString),
         Required("device_type", T::kString)},
        AcknowledgeNull);
  c.Add("unconfigure_target_store", {Required("uuid", T::kString)}, AcknowledgeNull);
}

}  // namespace

void AddTargetActions(ActionCatalog& c) {
  AddFormatActions(c);
  AddHaActions(c);
}

}  // namespace cs
