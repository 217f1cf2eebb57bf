#include "fakes/cluster.h"

#include <algorithm>

#include "pacemaker/placement.h"

namespace cs {

namespace {

bool CanStart(const ClusterEnv& env, const HaResource& r, const std::string& node) {
  return !env.can_start || env.can_start(r, node);
}

bool Fence(const ClusterEnv& env, const ClusterNode& node) { return !env.fence || env.fence(node); }

// The scheduler's view of one target resource.
pacemaker::PlacementResource PlacementOf(const HaResource& r, const std::map<std::string, std::string>& prefer) {
  pacemaker::PlacementResource p;
  p.id = r.ha_label;
  p.target_started = r.enabled;
  p.running_on = r.started_on ? r.started_on : r.blocked_on;
  if (r.primary_node) p.location_scores[*r.primary_node] = 20;
  if (r.secondary_node) {
    p.location_scores[*r.secondary_node] = pacemaker::AddScores(p.location_scores[*r.secondary_node], 10);
  }
  auto preferred = prefer.find(r.ha_label);
  if (preferred != prefer.end()) {
    p.location_scores[preferred->second] =
        pacemaker::AddScores(p.location_scores[preferred->second], pacemaker::kInfinity);
  }
  p.banned = r.failed_on;
  return p;
}

}  // namespace

bool Cluster::HasQuorum() const {
  if (nodes.size() <= 2) return true;
  size_t online = 0;
  for (const auto& [name, n] : nodes) online += n.online ? 1 : 0;
  return online * 2 > nodes.size();
}

std::map<std::string, int> Cluster::NodeIds() const {
  std::map<std::string, int> ids;
  std::set<int> used;
  int max_id = 0;
  for (const auto& [name, n] : nodes) {
    if (n.id > 0 && used.insert(n.id).second) ids[name] = n.id;
    max_id = std::max(max_id, n.id);
  }
  for (const auto& [name, n] : nodes) {
    if (!ids.count(name)) ids[name] = ++max_id;
  }
  return ids;
}

const ClusterNode* Cluster::DesignatedController() const {
  const std::map<std::string, int> ids = NodeIds();
  const ClusterNode* dc = nullptr;
  for (const auto& [name, n] : nodes) {
    if (n.online && (!dc || ids.at(name) < ids.at(dc->nodename))) dc = &n;
  }
  return dc;
}

size_t Cluster::ResourcesActiveOn(const std::string& nodename) const {
  size_t count = fencing_on == nodename ? 1 : 0;
  for (const auto& [label, r] : resources) count += (r.started_on == nodename || r.blocked_on == nodename) ? 1 : 0;
  return count;
}

std::vector<const HaResource*> Cluster::InCibOrder() const {
  std::vector<const HaResource*> out;
  for (const auto& [label, r] : resources) out.push_back(&r);
  std::stable_sort(out.begin(), out.end(), [](const HaResource* a, const HaResource* b) { return a->order < b->order; });
  return out;
}

void Cluster::Join(const std::string& nodename, const std::string& fqdn, const ClusterEnv& env) {
  auto [it, inserted] = nodes.try_emplace(nodename);
  ClusterNode& n = it->second;
  n.nodename = nodename;
  if (inserted || n.fqdn.empty()) n.fqdn = fqdn;
  if (n.id == 0) {
    int max_id = 0;
    for (const auto& [name, other] : nodes) max_id = std::max(max_id, other.id);
    n.id = max_id + 1;
  }
  n.online = true;
  // A node that comes back after a crash has rebooted: what it ran is gone.
  n.unclean = false;
  for (auto& [label, r] : resources) {
    if (r.blocked_on == nodename) r.blocked_on.reset();
  }
  Settle(env);
}

Status Cluster::Leave(const std::string& nodename, bool clean, const ClusterEnv& env) {
  auto it = nodes.find(nodename);
  if (it == nodes.end()) return Status::NotFound("node " + nodename + " is not in cluster " + std::to_string(id));
  ClusterNode& n = it->second;
  if (!n.online) return Status::Ok();
  n.online = false;
  n.unclean = !clean;
  if (fencing_on == nodename) fencing_on.reset();
  for (auto& [label, r] : resources) {
    if (r.started_on != nodename) continue;
    r.started_on.reset();
    if (!clean) r.blocked_on = nodename;
  }
  Settle(env);
  return Status::Ok();
}

Status Cluster::SetStandby(const std::string& nodename, bool standby, const ClusterEnv& env) {
  auto it = nodes.find(nodename);
  if (it == nodes.end()) return Status::NotFound("node " + nodename + " is not in cluster " + std::to_string(id));
  it->second.standby = standby;
  ++epoch;
  Settle(env);
  return Status::Ok();
}

void Cluster::RemoveNode(const std::string& nodename, const ClusterEnv& env) {
  if (nodes.count(nodename) == 0) return;
  (void)Leave(nodename, /*clean=*/true, env);
  nodes.erase(nodename);
  for (auto& [label, r] : resources) {
    r.failed_on.erase(nodename);
    if (r.blocked_on == nodename) r.blocked_on.reset();
  }
  ++epoch;
  Settle(env);
}

const FenceRecord& Cluster::RecordFencing(FenceRecord record) {
  record.seq = next_fence_seq++;
  fence_history.push_back(std::move(record));
  if (fence_history.size() > kFenceHistoryLimit) {
    fence_history.erase(fence_history.begin(),
                        fence_history.begin() + static_cast<std::ptrdiff_t>(fence_history.size() - kFenceHistoryLimit));
  }
  return fence_history.back();
}

bool Cluster::FenceUncleanNodes(const ClusterEnv& env) {
  // Fencing needs quorum unless no-quorum-policy=ignore (pe_can_fence()).
  if (!HasQuorum()) return false;
  bool fenced = false;
  for (auto& [name, n] : nodes) {
    if (!n.unclean || !Fence(env, n)) continue;
    n.unclean = false;
    for (auto& [label, r] : resources) {
      if (r.blocked_on == name) r.blocked_on.reset();
    }
    fenced = true;
  }
  return fenced;
}

bool Cluster::RunTransition(const ClusterEnv& env, const std::map<std::string, std::string>& prefer) {
  std::vector<pacemaker::PlacementNode> pnodes;
  for (const auto& [name, n] : nodes) pnodes.push_back({name, n.CanRunResources()});
  const std::vector<const HaResource*> ordered = InCibOrder();
  std::vector<pacemaker::PlacementResource> presources;
  pacemaker::PlacementResource fencing;
  fencing.id = kFencingResource;
  fencing.running_on = fencing_on;
  presources.push_back(fencing);
  for (const HaResource* r : ordered) presources.push_back(PlacementOf(*r, prefer));
  pacemaker::PlacementOptions options;
  options.can_run = HasQuorum();
  const auto placed = pacemaker::Assign(pnodes, presources, options);

  bool changed = placed[0] != fencing_on;
  fencing_on = placed[0];
  for (size_t i = 0; i < ordered.size(); ++i) {
    HaResource& r = resources.at(ordered[i]->ha_label);
    const std::optional<std::string>& target = placed[i + 1];
    if (r.blocked_on || target == r.started_on) continue;  // blocked: its stop waits for fencing
    changed = true;
    r.started_on.reset();
    if (!target) continue;
    if (CanStart(env, r, *target)) {
      r.started_on = target;
    } else {
      r.failed_on.insert(*target);  // start-failure-is-fatal: banned there
    }
  }
  return changed;
}

void Cluster::Settle(const ClusterEnv& env, const std::map<std::string, std::string>& prefer) {
  // Each transition starts or stops at least one resource, or bans one
  // from a node: bounded by nodes x resources.
  // Fencing is tried once per settle: membership (and so quorum) does not
  // change within one, and a failed attempt is retried at the next change.
  const size_t limit = (nodes.size() + 1) * (resources.size() + 2) + 2;
  (void)FenceUncleanNodes(env);
  for (size_t i = 0; i < limit; ++i) {
    if (!RunTransition(env, prefer)) return;
  }
}

void Cluster::MonitorFailed(const std::set<std::string>& ha_labels, const ClusterEnv& env) {
  for (const std::string& label : ha_labels) {
    auto it = resources.find(label);
    if (it == resources.end()) continue;
    HaResource& r = it->second;
    if (!r.started_on || r.blocked_on || CanStart(env, r, *r.started_on)) continue;  // the restart succeeds
    r.failed_on.insert(*r.started_on);
    r.started_on.reset();
  }
  Settle(env);
}

void Cluster::Cleanup(const std::set<std::string>& ha_labels, const ClusterEnv& env) {
  for (const std::string& label : ha_labels) {
    if (auto it = resources.find(label); it != resources.end()) it->second.failed_on.clear();
  }
  Settle(env);
}

Status Cluster::MoveTo(const std::string& ha_label, const std::optional<std::string>& node, const char* role,
                       const ClusterEnv& env) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  if (!node) return Status::FailedPrecondition("Unable to find the " + std::string(role) + " server for '" + ha_label + "'");
  // As _move_target: cleanup, crm_resource --move (INFINITY), then --un-move.
  it->second.failed_on.clear();
  Settle(env, {{ha_label, *node}});
  Settle(env);
  if (it->second.started_on != node) {
    auto n = nodes.find(*node);
    const std::string why = n == nodes.end() ? "not in the cluster"
                            : !n->second.CanRunResources() ? "offline or in standby"
                            : !it->second.enabled ? "target-role is Stopped"
                                                   : "it cannot run there";
    return Status::FailedPrecondition("Failed to move target " + ha_label + " to " + role + " node " + *node + ": " + why);
  }
  return Status::Ok();
}

Status Cluster::Start(const std::string& ha_label, const ClusterEnv& env) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  HaResource& r = it->second;
  const size_t failures_before = r.failed_on.size();
  r.enabled = true;
  ++epoch;
  Settle(env);
  if (r.started_on) return Status::Ok();
  if (r.failed_on.size() > failures_before) {
    r.enabled = false;  // the agent sets target-role=Stopped again after a failed start
    Settle(env);
    return Status::FailedPrecondition("Failed to start target " + ha_label);
  }
  return Status::FailedPrecondition("Started " + ha_label + " but no node can run it (" +
                                    (HasQuorum() ? "its nodes are offline, in standby or banned" : "no quorum") + ")");
}

Status Cluster::Stop(const std::string& ha_label, const ClusterEnv& env) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  it->second.enabled = false;
  ++epoch;
  Settle(env);
  return Status::Ok();
}

Status Cluster::Failover(const std::string& ha_label, const ClusterEnv& env) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  return MoveTo(ha_label, it->second.secondary_node, "secondary", env);
}

Status Cluster::Failback(const std::string& ha_label, const ClusterEnv& env) {
  auto it = resources.find(ha_label);
  if (it == resources.end()) return Status::NotFound("no HA resource " + ha_label);
  return MoveTo(ha_label, it->second.primary_node, "primary", env);
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
    r.order = next_order++;
  } else if (r.uuid != uuid) {
    return Status::AlreadyExists("HA resource " + ha_label + " exists with uuid " + r.uuid);
  }
  (primary ? r.primary_node : r.secondary_node) = nodename;
  ++epoch;
  return Status::Ok();
}

void Cluster::Unconfigure(const std::string& nodename, const std::string& ha_label, bool primary) {
  // The original looked the resource up under a misspelt key and so never
  // removed anything; we do what the action says.
  auto it = resources.find(ha_label);
  if (it == resources.end()) return;
  ++epoch;
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
