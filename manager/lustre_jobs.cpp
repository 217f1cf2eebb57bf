#include "manager/lustre_jobs.h"

#include "manager/rest_api.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <cstdio>

namespace cs::manager {

namespace {

StepSpec Step(const std::string& fqdn, const std::string& action, Json args) {
  StepSpec s;
  s.fqdn = fqdn;
  s.action = action;
  s.args = [args](const Json&) { return args; };
  return s;
}

std::string Label(const std::string& kind, const std::string& fsname, int index) {
  if (kind == "MGT") return "MGS";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04x", index);
  return fsname + "-" + kind.substr(0, 1) + (kind == "MDT" ? "DT" : "ST") + buf;
}

}  // namespace

Result<int64_t> LustreJobs::SetUpHost(const HostRecord& host) {
  CommandSpec c;
  c.message = "Set up host " + host.fqdn;
  const std::string f = host.fqdn;
  if (host.profile == "base_monitored") {
    // Monitored servers are watched, never configured: an empty command.
    (void)store_.SetHostState(f, "monitored");
    return jobs_.Submit(std::move(c));
  }
  // The fake install_packages fails on a package it does not offer: ask
  // for none, the packages the simulator starts with are all there is.
  c.steps.push_back(Step(f, "install_packages", {{"repos", Json::array()}, {"packages", Json::array()}}));
  c.steps.push_back(Step(f, "configure_ntp", {{"ntp_server", "localhost"}}));
  c.steps.push_back(Step(f, "load_lnet", Json::object()));
  c.steps.push_back(Step(f, "start_lnet", Json::object()));
  if (host.profile == "base_managed_rh7") {
    const int mcast_port = 4000 + static_cast<int>(host.id % 1000);
    c.steps.push_back(Step(f, "configure_corosync2_stage_1",
                           {{"mcast_port", mcast_port}, {"pcs_password", "chroma"}}));
    StepSpec stage2;
    stage2.fqdn = f;
    stage2.action = "configure_corosync2_stage_2";
    stage2.args = [this, f, mcast_port](const Json&) {
      std::vector<std::string> ifaces = reports_.Interfaces(f);
      return Json{{"ring0_name", ifaces.size() > 0 ? ifaces[0] : "eth0"},
                  {"ring1_name", ifaces.size() > 1 ? ifaces[1] : "eth1"},
                  {"new_node_fqdn", f},
                  {"create_cluster", true},
                  {"mcast_port", mcast_port},
                  {"pcs_password", "chroma"}};
    };
    c.steps.push_back(stage2);
    c.steps.push_back(Step(f, "start_corosync2", Json::object()));
    c.steps.push_back(Step(f, "configure_pacemaker", Json::object()));
    c.steps.push_back(Step(f, "start_pacemaker", Json::object()));
    StepSpec fencing;
    fencing.fqdn = f;
    fencing.action = "configure_fencing";
    fencing.args = [this, id = host.id](const Json&) { return Json{{"agents", FenceAgents(id)}}; };
    c.steps.push_back(fencing);
  }
  (void)store_.SetHostState(f, "configuring");
  c.on_finish = [this, f, profile = host.profile](const std::string& state) { FinishSetUp(f, profile, state); };
  return jobs_.Submit(std::move(c));
}

void LustreJobs::FinishSetUp(const std::string& fqdn, const std::string& profile, const std::string& state) {
  const bool ok = state == "succeeded";
  (void)store_.SetHostState(fqdn, ok ? (profile == "base_monitored" ? "monitored" : "managed") : "setup_failed");
  bool refence = false;
  {
    std::lock_guard<std::mutex> lock(fencing_mu_);
    refence = refence_after_setup_.erase(fqdn) > 0;
  }
  if (!ok || !refence) return;
  std::optional<HostRecord> host = store_.HostByFqdn(fqdn);
  if (host) (void)ConfigureFencing(*host);
}

Json LustreJobs::FenceAgents(int64_t host_id) {
  Json agents = Json::array();
  for (const Json& outlet : store_.ListRecords("power_control_device_outlet")) {
    const Json& host = outlet.value("host", Json());
    if (!host.is_string() || IdFromUri(host.get<std::string>()) != host_id) continue;
    std::optional<Json> device = store_.GetRecord("power_control_device", IdFromUri(outlet.value("device", "")));
    if (!device) continue;
    std::optional<Json> type = store_.GetRecord("power_control_type", IdFromUri(device->value("device_type", "")));
    if (!type) continue;
    agents.push_back({{"agent", type->value("agent", "")},
                      {"login", device->value("username", type->value("default_username", ""))},
                      {"password", device->value("password", type->value("default_password", ""))},
                      {"plug", outlet.value("identifier", "")},
                      {"ipaddr", device->value("address", "")},
                      {"ipport", device->value("port", Json(23))}});
  }
  return agents;
}

Result<int64_t> LustreJobs::ConfigureFencing(const HostRecord& host) {
  CommandSpec c;
  c.message = "Configure fencing on " + host.fqdn;
  StepSpec fencing;
  fencing.fqdn = host.fqdn;
  fencing.action = "configure_fencing";
  fencing.args = [this, id = host.id](const Json&) { return Json{{"agents", FenceAgents(id)}}; };
  c.steps.push_back(fencing);
  return jobs_.Submit(std::move(c));
}

void LustreJobs::OutletsChanged(const std::set<int64_t>& host_ids) {
  for (int64_t id : host_ids) {
    std::optional<HostRecord> host = store_.HostById(id);
    if (!host || host->profile != "base_managed_rh7") continue;
    if (host->state == "managed") {
      (void)ConfigureFencing(*host);
    } else if (host->state == "configuring") {
      std::lock_guard<std::mutex> lock(fencing_mu_);
      refence_after_setup_.insert(host->fqdn);
    }
  }
}

Result<std::string> LustreJobs::ResolveHost(const std::string& name) {
  std::string found;
  for (const HostRecord& h : store_.Hosts()) {
    if (h.fqdn == name || h.nodename == name) return h.fqdn;
    if (h.fqdn.rfind(name + ".", 0) == 0) {
      if (!found.empty()) return Status::InvalidArgument("host '" + name + "' is ambiguous");
      found = h.fqdn;
    }
  }
  if (found.empty()) return Status::NotFound("no registered host '" + name + "'");
  return found;
}

Result<LustreJobs::Placement> LustreJobs::Place(const Json& spec) {
  if (!spec.is_object() || !spec.value("host", Json()).is_string()) {
    return Status::InvalidArgument("each target needs {\"host\", \"device\"}");
  }
  Result<std::string> host = ResolveHost(spec["host"].get<std::string>());
  if (!host.ok()) return host.status();
  const std::vector<DeviceFact> devices = reports_.Devices(*host);
  const Json device = spec.value("device", Json(0));
  std::string path;
  if (device.is_number_integer() || (device.is_string() && !device.get<std::string>().empty() &&
                                     device.get<std::string>()[0] != '/')) {
    const long index = device.is_number_integer() ? device.get<long>() : std::atol(device.get<std::string>().c_str());
    if (index < 0 || static_cast<size_t>(index) >= devices.size()) {
      return Status::InvalidArgument(*host + " has " + std::to_string(devices.size()) +
                                     " reported devices, no index " + std::to_string(index));
    }
    path = devices[static_cast<size_t>(index)].path;
  } else if (device.is_string()) {
    path = device.get<std::string>();
  } else {
    return Status::InvalidArgument("device must be a path or an index");
  }
  Placement p{*host, path, "", ""};
  std::string serial;
  for (const DeviceFact& d : devices) {
    if (d.path == path) serial = d.serial;
  }
  if (serial.empty()) return Status::InvalidArgument(*host + " reported no device " + path);
  // The secondary must be in the primary's corosync cluster: pacemaker can
  // only fail a resource over between members of one cluster.
  const std::vector<std::string> peers = reports_.ClusterPeers(p.primary);
  if (peers.empty()) {
    return Status::FailedPrecondition(
        p.primary + " has not reported a running corosync cluster yet, so no failover partner can be "
        "chosen; set the host up (or wait for its next report) and try again");
  }
  // A named secondary (a placement computed elsewhere, e.g. with a CRUSH
  // rule) must be such a peer that sees the device; otherwise the first one.
  std::optional<std::string> wanted;
  if (spec.contains("secondary")) {
    if (!spec["secondary"].is_string()) return Status::InvalidArgument("secondary must be a host name");
    Result<std::string> named = ResolveHost(spec["secondary"].get<std::string>());
    if (!named.ok()) return named.status();
    if (*named == p.primary) return Status::InvalidArgument("the secondary must not be the primary, " + p.primary);
    wanted = *named;
  }
  for (const HostRecord& h : store_.Hosts()) {
    if (h.fqdn == p.primary || !p.secondary.empty()) continue;
    if (wanted && h.fqdn != *wanted) continue;
    if (std::find(peers.begin(), peers.end(), h.nodename) == peers.end()) continue;
    for (const DeviceFact& d : reports_.Devices(h.fqdn)) {
      if (d.serial == serial) {
        p.secondary = h.fqdn;
        p.secondary_path = d.path;
        break;
      }
    }
  }
  if (wanted && p.secondary.empty()) {
    return Status::FailedPrecondition(*wanted + " cannot be the secondary of " + p.primary + ": it is not in " +
                                      p.primary + "'s corosync cluster or does not see " + path);
  }
  return p;
}

void LustreJobs::AddTargetSteps(CommandSpec& command, int64_t target_id, const Json& target) {
  const std::string key = std::to_string(target_id);
  const std::string kind = target["kind"];
  const std::string primary = target["primary_host"];
  const std::string path = target["device_path"];
  const std::string mount_point = "/mnt/" + target["name"].get<std::string>();
  const Json secondary = target["secondary_host"];

  StepSpec format;
  format.fqdn = primary;
  format.action = "format_target";
  format.args = [target, kind, path](const Json& context) {
    Json mgsnode = Json::array();
    if (kind != "MGT") mgsnode = context.value("mgsnode", Json::array());
    return Json{{"device_type", "linux"},
                {"target_name", target["name"]},
                {"device", path},
                {"backfstype", "ldiskfs"},
                {"target_types", Json::array({kind == "MGT" ? "mgs" : kind == "MDT" ? "mdt" : "ost"})},
                {"mgsnode", mgsnode},
                {"fsname", kind == "MGT" ? Json() : target["filesystem"]},
                {"failnode", target.value("failnode", Json::array())},
                {"servicenode", Json::array()},
                {"param", Json::object()},
                {"index", kind == "MGT" ? Json() : target["index"]},
                {"comment", nullptr},
                {"mountfsoptions", nullptr},
                {"network", Json::array()},
                {"device_size", nullptr},
                {"mkfsoptions", kind == "MDT" ? Json("-I 512 -i 2048") : Json()},
                {"reformat", true},
                {"stripe_count_hint", nullptr},
                {"iam_dir", false},
                {"dryrun", false},
                {"verbose", false},
                {"quiet", false}};
  };
  format.on_result = [this, target_id, key](const Json& result, Json& context) {
    if (!result.is_object() || !result.value("uuid", Json()).is_string()) {
      return Status::InvalidArgument("format_target answered without a uuid");
    }
    const std::string uuid = result["uuid"];
    return store_.UpdateRecord("target", target_id, [&](Json& t) {
      t["uuid"] = uuid;
      t["ha_label"] = t["name"].get<std::string>() + "_" + uuid.substr(0, 6);
      context[key] = t;
    });
  };
  command.steps.push_back(format);

  StepSpec reg = Step(primary, "register_target",
                      {{"device_path", path}, {"mount_point", mount_point}, {"backfstype", "ldiskfs"}});
  reg.on_result = [this, target_id](const Json& result, Json&) {
    if (!result.is_object() || !result.value("label", Json()).is_string()) return Status::Ok();
    return store_.UpdateRecord("target", target_id, [&](Json& t) { t["label"] = result["label"]; });
  };
  command.steps.push_back(reg);

  auto ha_step = [key, mount_point](const std::string& host, bool primary_side, const std::string& device) {
    StepSpec s;
    s.fqdn = host;
    s.action = "configure_target_ha";
    s.args = [key, mount_point, primary_side, device](const Json& context) {
      const Json t = context.value(key, Json::object());
      return Json{{"primary", primary_side}, {"device", device}, {"ha_label", t.value("ha_label", "")},
                  {"uuid", t.value("uuid", "")}, {"mount_point", mount_point}};
    };
    return s;
  };
  command.steps.push_back(ha_step(primary, true, path));
  if (secondary.is_string()) {
    command.steps.push_back(ha_step(secondary.get<std::string>(), false,
                                    target["secondary_device_path"].get<std::string>()));
  }
  StepSpec start;
  start.fqdn = primary;
  start.action = "start_target";
  start.args = [key](const Json& context) {
    return Json{{"ha_label", context.value(key, Json::object()).value("ha_label", "")}};
  };
  command.steps.push_back(start);
}

// A device holds one target: refuses a placement on a device (either side
// of its failover pair) that another target of this request, or of a
// filesystem that is not "failed", already uses. A failed filesystem's
// devices are free again, so the create that follows an interrupted one can
// reuse them.
Status LustreJobs::CheckDevicesFree(const std::vector<Placement>& places) {
  std::set<std::string> failed;  // filesystem ids
  for (const Json& fs : store_.ListRecords("filesystem")) {
    if (fs.value("state", Json()) == "failed") failed.insert(fs.value("id", Json()).dump());
  }
  std::map<std::pair<std::string, std::string>, std::string> used;  // (host, path) -> target name
  for (const Json& t : store_.ListRecords("target")) {
    if (failed.count(t.value("filesystem_id", Json()).dump())) continue;
    const std::string name = t.value("name", Json()).is_string() ? t["name"].get<std::string>() : "a target";
    for (const auto& [host_key, path_key] : {std::pair{"primary_host", "device_path"},
                                            std::pair{"secondary_host", "secondary_device_path"}}) {
      const Json host = t.value(host_key, Json());
      const Json path = t.value(path_key, Json());
      if (host.is_string() && path.is_string()) used[{host.get<std::string>(), path.get<std::string>()}] = name;
    }
  }
  for (const Placement& p : places) {
    for (const auto& [host, path] : {std::pair{p.primary, p.primary_path}, std::pair{p.secondary, p.secondary_path}}) {
      if (host.empty()) continue;
      auto it = used.find({host, path});
      if (it != used.end()) {
        return Status::FailedPrecondition(path + " on " + host + " is in use by " + it->second);
      }
    }
    used[{p.primary, p.primary_path}] = "another target of this filesystem";
    if (!p.secondary.empty()) used[{p.secondary, p.secondary_path}] = "another target of this filesystem";
  }
  return Status::Ok();
}

Result<Json> LustreJobs::CreateFilesystem(const Json& request) {
  if (!request.value("name", Json()).is_string()) return Status::InvalidArgument("name is required");
  const std::string name = request["name"];
  if (name.empty() || name.size() > 8) return Status::InvalidArgument("a filesystem name has 1 to 8 characters");
  for (const Json& fs : store_.ListRecords("filesystem")) {
    if (fs.value("name", "") == name) return Status::AlreadyExists("filesystem " + name + " exists");
  }
  if (!request.contains("mgt")) return Status::InvalidArgument("mgt is required");
  const Json mdts = request.value("mdts", Json::array());
  const Json osts = request.value("osts", Json::array());
  if (!mdts.is_array() || mdts.empty() || !osts.is_array() || osts.empty()) {
    return Status::InvalidArgument("at least one MDT and one OST are required");
  }
  struct Planned { std::string kind; int index; Placement place; };
  std::vector<Planned> planned;
  auto plan = [&](const std::string& kind, int index, const Json& spec) -> Status {
    Result<Placement> p = Place(spec);
    if (!p.ok()) return p.status().Context(kind + " " + std::to_string(index));
    planned.push_back({kind, index, *p});
    return Status::Ok();
  };
  CS_RETURN_IF_ERROR(plan("MGT", 0, request["mgt"]));
  for (size_t i = 0; i < mdts.size(); ++i) CS_RETURN_IF_ERROR(plan("MDT", static_cast<int>(i), mdts[i]));
  for (size_t i = 0; i < osts.size(); ++i) CS_RETURN_IF_ERROR(plan("OST", static_cast<int>(i), osts[i]));

  std::vector<Placement> places;
  for (const Planned& p : planned) places.push_back(p.place);
  CS_RETURN_IF_ERROR(CheckDevicesFree(places));

  // MDTs and OSTs name the MGS by its NIDs, primary then failover, the way
  // the MGS was formatted (the fake keys its MGS table on them).
  const Placement& mgt = planned.front().place;
  Json mgsnode = Json::array({reports_.Nids(mgt.primary)});
  if (mgsnode[0].empty()) {
    return Status::FailedPrecondition(mgt.primary + " has reported no LNet NIDs yet (is LNet up?)");
  }
  if (!mgt.secondary.empty()) mgsnode.push_back(reports_.Nids(mgt.secondary));

  Result<int64_t> fs_id = store_.InsertRecord("filesystem", Json{{"name", name}, {"state", "creating"}});
  if (!fs_id.ok()) return fs_id.status();
  CommandSpec command;
  command.message = "Create filesystem " + name;
  command.context["mgsnode"] = mgsnode;
  for (const Planned& p : planned) {
    Json target = {{"name", Label(p.kind, name, p.index)},
                   {"kind", p.kind},
                   {"filesystem", name},
                   {"filesystem_id", *fs_id},
                   {"index", p.index},
                   {"primary_host", p.place.primary},
                   {"device_path", p.place.primary_path},
                   {"secondary_host", p.place.secondary.empty() ? Json() : Json(p.place.secondary)},
                   {"secondary_device_path", p.place.secondary.empty() ? Json() : Json(p.place.secondary_path)},
                   {"failnode", p.place.secondary.empty() ? Json::array() : Json(reports_.Nids(p.place.secondary))},
                   {"uuid", nullptr},
                   {"ha_label", nullptr},
                   {"active_host", nullptr}};
    Result<int64_t> id = store_.InsertRecord("target", target);
    if (!id.ok()) return id.status();
    AddTargetSteps(command, *id, target);
  }
  const int64_t fid = *fs_id;
  command.on_finish = [this, fid](const std::string& state) {
    (void)store_.UpdateRecord("filesystem", fid, [&state](Json& fs) {
      fs["state"] = state == "succeeded" ? "available" : "failed";
    });
  };
  Result<int64_t> command_id = jobs_.Submit(std::move(command));
  if (!command_id.ok()) return command_id.status();
  return Json{{"filesystem", *store_.GetRecord("filesystem", fid)}, {"command_id", *command_id}};
}

Result<int64_t> LustreJobs::TargetAction(int64_t target_id, const std::string& verb) {
  std::optional<Json> t = store_.GetRecord("target", target_id);
  if (!t) return Status::NotFound("no target " + std::to_string(target_id));
  if (!(*t)["ha_label"].is_string()) return Status::FailedPrecondition("the target is not set up yet");
  if (verb != "start" && verb != "stop" && verb != "failover" && verb != "failback") {
    return Status::InvalidArgument("unknown target action '" + verb + "' (start, stop, failover, failback)");
  }
  if ((verb == "failover" || verb == "failback") && !(*t)["secondary_host"].is_string()) {
    return Status::FailedPrecondition((*t)["name"].get<std::string>() + " has no failover host");
  }
  // Any node of the cluster may run the pacemaker command; prefer the one
  // the agents say runs the target, as an operator would.
  const std::string host = (*t)["active_host"].is_string() ? (*t)["active_host"].get<std::string>()
                                                           : (*t)["primary_host"].get<std::string>();
  CommandSpec c;
  c.message = verb + " target " + (*t)["name"].get<std::string>();
  c.steps.push_back(Step(host, verb + "_target", {{"ha_label", (*t)["ha_label"]}}));
  return jobs_.Submit(std::move(c));
}

Result<int64_t> LustreJobs::HostAction(int64_t host_id, const std::string& action, const Json& args) {
  std::optional<HostRecord> host = store_.HostById(host_id);
  if (!host) return Status::NotFound("no host " + std::to_string(host_id));
  if (action.empty()) return Status::InvalidArgument("no action named");
  if (!args.is_object()) return Status::InvalidArgument("args must be a JSON object");
  CommandSpec c;
  c.message = action + " on " + host->fqdn;
  c.steps.push_back(Step(host->fqdn, action, args));
  return jobs_.Submit(std::move(c));
}

Result<int64_t> LustreJobs::SetConfParam(int64_t filesystem_id, const std::string& key, const Json& value) {
  std::optional<Json> fs = store_.GetRecord("filesystem", filesystem_id);
  if (!fs) return Status::NotFound("no filesystem " + std::to_string(filesystem_id));
  if (key.empty() || key.find('.') == std::string::npos) {
    return Status::InvalidArgument("a conf param key looks like testfs.llite.max_cached_mb, not '" + key + "'");
  }
  if (!value.is_null() && !value.is_string()) return Status::InvalidArgument("the value must be a string or null");
  std::optional<std::string> mgs_host;
  for (const Json& t : store_.ListRecords("target")) {
    if (t.value("filesystem_id", Json()) == filesystem_id && t.value("kind", "") == "MGT" &&
        t.value("active_host", Json()).is_string()) {
      mgs_host = t["active_host"].get<std::string>();
    }
  }
  if (!mgs_host) return Status::FailedPrecondition("the MGS of " + (*fs)["name"].get<std::string>() + " is not running");
  CommandSpec c;
  c.message = "set conf param " + key;
  c.steps.push_back(Step(*mgs_host, "set_conf_param", {{"key", key}, {"value", value}}));
  return jobs_.Submit(std::move(c));
}

}  // namespace cs::manager
