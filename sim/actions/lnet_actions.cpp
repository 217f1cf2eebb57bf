// LNet actions: the module's loaded/up state, which interfaces carry an LNet
// network (configure_lnet), and Lustre client mounts on the server, which
// need LNet up.
#include "sim/actions/action_groups.h"

namespace cs {

namespace {

ActionHandler SetLnet(bool loaded, bool up) {
  return [loaded, up](ActionContext& ctx, const ActionArgs&) {
    Server& server = MutableThisServer(ctx);
    server.lnet_loaded = loaded;
    server.lnet_up = up;
    return Ok();
  };
}

struct LnetNid {
  std::string address;
  std::string lnd_type;
  int lnd_network = 0;
};

// lnet_configuration["network_interfaces"]: [[address, lnd_type, lnd_network], ...]
Result<std::vector<LnetNid>> ParseNids(const Server& server, const Json& configuration) {
  std::vector<LnetNid> nids;
  auto list = configuration.find("network_interfaces");
  if (list == configuration.end() || !list->is_array()) {
    return Status::InvalidArgument(
        "configure_lnet: lnet_configuration needs a \"network_interfaces\" list");
  }
  for (const Json& item : *list) {
    if (!item.is_array() || item.size() != 3 || !item[0].is_string() || !item[1].is_string() ||
        !IsIntLike(item[2])) {
      return Status::InvalidArgument("configure_lnet: each network interface is [address, lnd_type, "
                                     "lnd_network], got " + item.dump());
    }
    LnetNid nid{item[0].get<std::string>(), item[1].get<std::string>(),
                static_cast<int>(ToInt(item[2]))};
    if (server.network_interfaces.count(nid.address) == 0) {
      return Status::NotFound("configure_lnet: " + server.fqdn + " has no interface with address " +
                              nid.address);
    }
    nids.push_back(nid);
  }
  return nids;
}

// Every interface leaves LNet, then the listed ones join their networks.
void ApplyNids(Server& server, const std::vector<LnetNid>& nids) {
  for (auto& [address, iface] : server.network_interfaces) iface.lnd_network.reset();
  for (const LnetNid& nid : nids) {
    NetworkInterface& iface = server.network_interfaces[nid.address];
    iface.lnd_type = nid.lnd_type;
    iface.lnd_network = nid.lnd_network;
  }
}

ActionOutcome ConfigureLnet(ActionContext& ctx, const ActionArgs& args) {
  Result<std::vector<LnetNid>> nids = ParseNids(ThisServer(ctx), args.Raw("lnet_configuration"));
  if (!nids.ok()) return ActionOutcome::FromStatus(nids.status());
  ApplyNids(MutableThisServer(ctx), *nids);
  return Ok();
}

ActionOutcome UnconfigureLnet(ActionContext& ctx, const ActionArgs&) {
  ApplyNids(MutableThisServer(ctx), {});
  return Ok();
}

struct ClientMountSpec {
  std::string mountspec;   // "<mgs nids>:/<fsname>"
  std::string mountpoint;
};

// filesystems: [[mountspec, mountpoint], ...]
Result<std::vector<ClientMountSpec>> ParseFilesystems(const char* action, const Json& filesystems) {
  std::vector<ClientMountSpec> out;
  for (const Json& item : filesystems) {
    if (!item.is_array() || item.size() != 2 || !item[0].is_string() || !item[1].is_string()) {
      return Status::InvalidArgument(std::string(action) +
                                     ": each filesystem is [mountspec, mountpoint], got " + item.dump());
    }
    ClientMountSpec spec{item[0].get<std::string>(), item[1].get<std::string>()};
    if (spec.mountspec.find(":/") == std::string::npos) {
      return Status::InvalidArgument(std::string(action) + ": mountspec '" + spec.mountspec +
                                     "' is not <mgs nids>:/<fsname>");
    }
    out.push_back(spec);
  }
  return out;
}

// A client mount brings LNet up first, as mounting Lustre does. The original
// recorded "<mountpoint>/<fsname>" as the mount point; a real agent mounts
// where it is told, so we record the mount point as given.
ActionOutcome MountFilesystems(ActionContext& ctx, const ActionArgs& args) {
  auto specs = ParseFilesystems("mount_lustre_filesystems", args.Raw("filesystems"));
  if (!specs.ok()) return ActionOutcome::FromStatus(specs.status());
  if (specs->empty()) return Null();
  Server& server = MutableThisServer(ctx);
  server.lnet_loaded = true;
  server.lnet_up = true;
  for (const auto& spec : *specs) server.client_mounts[spec.mountspec] = spec.mountpoint;
  return Null();
}

ActionOutcome UnmountFilesystems(ActionContext& ctx, const ActionArgs& args) {
  auto specs = ParseFilesystems("unmount_lustre_filesystems", args.Raw("filesystems"));
  if (!specs.ok()) return ActionOutcome::FromStatus(specs.status());
  bool mounted = false;
  for (const auto& spec : *specs) mounted = mounted || ThisServer(ctx).client_mounts.count(spec.mountspec);
  if (!mounted) return Null();  // nothing to do: the world stays untouched
  Server& server = MutableThisServer(ctx);
  for (const auto& spec : *specs) server.client_mounts.erase(spec.mountspec);
  return Null();
}

}  // namespace

void AddLnetActions(ActionCatalog& c) {
  using T = ArgType;
  c.Add("load_lnet", {}, SetLnet(/*loaded=*/true, /*up=*/false));
  c.Add("start_lnet", {}, SetLnet(true, true));
  c.Add("stop_lnet", {}, SetLnet(true, false));
  c.Add("unload_lnet", {}, SetLnet(false, false));
  c.Add("configure_lnet", {Required("lnet_configuration", T::kObject)}, ConfigureLnet);
  c.Add("unconfigure_lnet", {}, UnconfigureLnet);
  c.Add("mount_lustre_filesystems", {Required("filesystems", T::kList)}, MountFilesystems);
  c.Add("unmount_lustre_filesystems", {Required("filesystems", T::kList)}, UnmountFilesystems);
}

}  // namespace cs
