#include "fakes/cluster.h"

namespace cs {

bool Cluster::NodeCanRun(const std::optional<std::string>& nodename) const {
  if (!nodename) return false;
  auto it = nodes.find(*nodename);
  return it != nodes.end() && it->second.CanRunResources();
}

void Cluster::Join(const std::string& nodename, const std::string& fqdn) {
  auto [it, inserted] = nodes.try_emplace(nodename);
  it->second.nodename = nodename;
  if (inserted || it->second.fqdn.empty()) it->second.fqdn = fqdn;
  it->second.online = true;
  StartResourcesFor(nodename);
}

Status Cluster::Leave(const std::string& nodename) {
  auto it = nodes.find(nodename);
  if (it == nodes.end()) return Status::NotFound("node " + nodename + " is not in cluster " + std::to_string(id));
  it->second.online = false;
  MoveOrStopResourcesOf(nodename);
  return Status::Ok();
}

Status Cluster::SetStandby(const std::string& nodename, bool standby) {
  auto it = nodes.find(nodename);
  if (it == nodes.end()) return Status::NotFound("node " + nodename + " is not in cluster " + std::to_string(id));
  it->second.standby = standby;
  if (standby) {
    MoveOrStopResourcesOf(nodename);
  } else if (it->second.online) {
    StartResourcesFor(nodename);
  }
  return Status::Ok();
}

void Cluster::RemoveNode(const std::string& nodename) {
  if (nodes.count(nodename) == 0) return;
  nodes[nodename].online = false;
  MoveOrStopResourcesOf(nodename);
  nodes.erase(nodename);
}

void Cluster::MoveOrStopResourcesOf(const std::string& nodename) {
  for (auto& [label, r] : resources) {
    if (r.started_on != nodename) continue;
    const std::optional<std::string>& other =
        (r.primary_node == nodename) ? r.secondary_node : r.primary_node;
    if (other != nodename && NodeCanRun(other)) {
      r.started_on = other;
    } else {
      r.started_on.reset();
    }
  }
}

void Cluster::StartResourcesFor(const std::string& nodename) {
  if (!NodeCanRun(nodename)) return;
  for (auto& [label, r] : resources) {
    if (r.started_on || !r.enabled) continue;
    if (r.primary_node == nodename || r.secondary_node == nodename) r.started_on = nodename;
  }
}

Status Cluster::RunOn(const std::string& ha_label, const std::optional<std::string>& node,
                      const char* role) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  if (!node) return Status::FailedPrecondition(ha_label + " has no " + role + " node");
  if (!NodeCanRun(node)) {
    return Status::FailedPrecondition(ha_label + ": " + role + " node " + *node +
                                      " is offline or in standby");
  }
  it->second.started_on = node;
  it->second.enabled = true;
  return Status::Ok();
}

Status Cluster::Start(const std::string& ha_label) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  if (it->second.started_on) {  // already running: pacemaker leaves it where it is
    it->second.enabled = true;
    return Status::Ok();
  }
  if (!NodeCanRun(it->second.primary_node) && NodeCanRun(it->second.secondary_node)) {
    return RunOn(ha_label, it->second.secondary_node, "secondary");
  }
  return RunOn(ha_label, it->second.primary_node, "primary");
}

Status Cluster::Stop(const std::string& ha_label) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  it->second.started_on.reset();
  it->second.enabled = false;
  return Status::Ok();
}

Status Cluster::Failover(const std::string& ha_label) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  return RunOn(ha_label, it->second.secondary_node, "secondary");
}

Status Cluster::Failback(const std::string& ha_label) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  return RunOn(ha_label, it->second.primary_node, "primary");
}

Status Cluster::Configure(const std::string& nodename, const std::string& device_path,
                          const std::string& ha_label, const std::string& uuid, bool primary,
                          const std::string& mount_point) {
  if (nodes.count(nodename) == 0) {
    return Status::NotFound("node " + nodename + " is not in cluster " + std::to_string(id));
  }
  auto [it, inserted] = resources.try_emplace(ha_label);
  HaResource& r = it->second;
  if (inserted) {
    r.ha_label = ha_label;
    r.device_path = device_path;
    r.uuid = uuid;
    r.mount_point = mount_point;
    r.enabled = false;  // created with target-role=Stopped, as the real agent does
  } else if (r.uuid != uuid) {
    return Status::AlreadyExists("HA resource " + ha_label + " exists with uuid " + r.uuid);
  }
  (primary ? r.primary_node : r.secondary_node) = nodename;
  return Status::Ok();
}

void Cluster::Unconfigure(const std::string& nodename, const std::string& ha_label, bool primary) {
  // The original looked the resource up under a misspelt key and so never
  // removed anything; we do what the action says.
  auto it = resources.find(ha_label);
  if (it == resources.end()) return;
  if (primary) {
    resources.erase(it);
    return;
  }
  HaResource& r = it->second;
  if (r.secondary_node == nodename) {
    r.secondary_node.reset();
    if (r.started_on == nodename) r.started_on.reset();
  }
}

std::map<std::string, std::optional<std::string>> Cluster::ResourceLocations() const {
  std::map<std::string, std::optional<std::string>> out;
  for (const auto& [label, r] : resources) out[label] = r.started_on;
  return out;
}

const HaResource* Cluster::FindByUuid(const std::string& uuid) const {
  for (const auto& [label, r] : resources) {
    if (r.uuid == uuid) return &r;
  }
  return nullptr;
}

std::vector<const HaResource*> Cluster::RunningOn(const std::string& nodename) const {
  std::vector<const HaResource*> out;
  for (const auto& [label, r] : resources) {
    if (r.started_on == nodename) out.push_back(&r);
  }
  return out;
}

}  // namespace cs
