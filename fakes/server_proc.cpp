#include "fakes/server_proc.h"

#include <map>

#include "fakes/path_parts.h"

namespace cs {

namespace {

// The conf param a /proc file reflects, and the value Lustre shows when
// nobody set it.
struct ProcParam {
  std::string target_label;
  std::string conf_param;
  std::string name;  // the file's name, which is the param's
  const std::map<std::string, std::string>* defaults;
};

const std::map<std::string, std::string> kLovDefaults = {{"stripesize", "1"}};
const std::map<std::string, std::string> kObdfilterDefaults = {
    {"writethrough_cache_enable", "16"}, {"sync_journal", "0"}};
const std::map<std::string, std::string> kMdtDefaults = {{"hsm_control", "disabled"}};

Result<ProcParam> ParseProcPath(const std::string& path) {
  const std::vector<std::string> p = PathParts(path);
  if (p.size() != 6 || p[0] != "proc" || p[1] != "fs" || p[2] != "lustre") {
    return Status::InvalidArgument("cannot resolve " + path +
                                   ": expected /proc/fs/lustre/<kind>/<target>/<param>");
  }
  const std::string& kind = p[3];
  const std::string& object = p[4];
  const std::string& param = p[5];
  if (kind == "lov") {
    // The lov device is named after its MDT: testfs-MDT0000-mdtlov.
    const size_t dash = object.rfind('-');
    if (dash == std::string::npos || dash == 0) {
      return Status::InvalidArgument("cannot resolve " + path + ": bad lov name " + object);
    }
    const std::string mdt = object.substr(0, dash);
    return ProcParam{mdt, mdt + ".lov." + param, param, &kLovDefaults};
  }
  if (kind == "obdfilter") return ProcParam{object, object + ".ost." + param, param, &kObdfilterDefaults};
  if (kind == "mdt") return ProcParam{object, object + ".mdt." + param, param, &kMdtDefaults};
  return Status::InvalidArgument("cannot resolve " + path +
                                 ": only lov, obdfilter and mdt tunables are simulated");
}

std::string Labels(const std::vector<StartedTarget>& targets) {
  std::string out;
  for (const auto& t : targets) out += (out.empty() ? "" : ", ") + t.target->label;
  return "[" + out + "]";
}

}  // namespace

std::vector<StartedTarget> TargetsStartedOn(const World& world, const Server& server) {
  std::vector<StartedTarget> out;
  const Cluster* cluster = world.ClusterOf(server);
  const Presentations* seen = world.presentations.Find(server.fqdn);
  if (cluster == nullptr || seen == nullptr) return out;
  for (const auto& [path, serial] : *seen) {
    const LustreTarget* target = world.targets.Find(serial);
    if (target == nullptr) continue;
    const HaResource* resource = cluster->FindByUuid(target->uuid);
    if (resource == nullptr || resource->started_on != server.nodename) continue;
    out.push_back(StartedTarget{target, world.volumes.Find(serial), path});
  }
  return out;
}

Result<std::string> ReadServerProc(const World& world, const Server& server,
                                   const std::string& path) {
  Result<ProcParam> param = ParseProcPath(path);
  if (!param.ok()) return param.status();
  const std::vector<StartedTarget> here = TargetsStartedOn(world, server);
  const LustreTarget* target = nullptr;
  for (const auto& t : here) {
    if (t.target->label == param->target_label) target = t.target;
  }
  if (target == nullptr) {
    return Status::FailedPrecondition(server.fqdn + ": cannot read " + path + ": " +
                                      param->target_label +
                                      " is not started here (targets here: " + Labels(here) + ")");
  }
  // A missing MGT record means nothing was ever set through it: defaults.
  if (const Mgt* mgt = world.mgts.Find(target->mgsnode)) {
    auto set = mgt->conf_params.find(param->conf_param);
    if (set != mgt->conf_params.end()) return set->second;
  }
  auto fallback = param->defaults->find(param->name);
  if (fallback == param->defaults->end()) {
    return Status::NotFound(server.fqdn + ": " + param->conf_param +
                            " is not set and the simulator knows no default for " + param->name);
  }
  return fallback->second;
}

}  // namespace cs
