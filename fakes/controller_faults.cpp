// Controller faults (see controller_faults.h).
#include "fakes/controller_faults.h"

#include <algorithm>
#include <map>
#include <set>

#include "fakes/cluster_env.h"

namespace cs {

namespace {

std::string ControllerIds(const World& world) {
  std::vector<int> ids;
  for (const auto& [key, c] : world.controllers.all()) ids.push_back(c.controller_id);
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (int id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

// Cluster key -> the HA labels of its resources on the controller's LUNs
// (matched by the paths the servers see those LUNs at).
std::map<std::string, std::set<std::string>> ResourcesOn(const World& world, const Controller& c) {
  std::set<std::string> paths;
  for (const auto& [fqdn, presented] : world.presentations.all()) {
    for (const auto& [path, serial] : presented) {
      if (c.luns.count(serial)) paths.insert(path);
    }
  }
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [key, cluster] : world.clusters.all()) {
    for (const auto& [label, r] : cluster.resources) {
      if (paths.count(r.device_path)) out[key].insert(label);
    }
  }
  return out;
}

}  // namespace

Result<ControllerChange> SetControllerFailed(World& world, int controller_id, bool failed) {
  const std::string key = std::to_string(controller_id);
  const Controller* c = world.controllers.Find(key);
  if (!c) {
    return Status::NotFound("no controller " + key + (world.controllers.size() == 0
                                                          ? " (the fleet has no controllers: setup --su_size makes them)"
                                                          : " (the fleet has controllers " + ControllerIds(world) + ")"));
  }
  ControllerChange change;
  change.controller_id = controller_id;
  change.failed = failed;
  for (const auto& [serial, lun] : c->luns) change.volumes.push_back(serial);
  if (c->failed == failed) return change;
  change.changed = true;
  const auto affected = ResourcesOn(world, *c);
  world.controllers.Mutable(key)->failed = failed;
  for (const auto& [cluster_key, labels] : affected) {
    Cluster* cluster = world.clusters.Mutable(cluster_key);
    std::map<std::string, bool> ran;
    for (const std::string& label : labels) ran[label] = cluster->resources.at(label).started_on.has_value();
    if (failed) {
      cluster->MonitorFailed(labels, WorldClusterEnv(world));
    } else {
      cluster->Cleanup(labels, WorldClusterEnv(world));
    }
    for (const auto& [label, before] : ran) {
      const bool now = cluster->resources.at(label).started_on.has_value();
      if (before && !now) change.targets_stopped.push_back(label);
      if (!before && now) change.targets_started.push_back(label);
    }
  }
  return change;
}

std::vector<ControllerChange> RestoreAllControllers(World& world) {
  std::vector<int> failed;
  for (const auto& [key, c] : world.controllers.all()) {
    if (c.failed) failed.push_back(c.controller_id);
  }
  std::vector<ControllerChange> out;
  for (int id : failed) {
    if (auto change = SetControllerFailed(world, id, false); change.ok()) out.push_back(std::move(*change));
  }
  return out;
}

Json ControllerChangeJson(const ControllerChange& c) {
  return {{"controller_id", c.controller_id},     {"failed", c.failed},
          {"changed", c.changed},                 {"volumes", c.volumes},
          {"targets_stopped", c.targets_stopped}, {"targets_started", c.targets_started}};
}

}  // namespace cs
