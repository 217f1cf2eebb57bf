// Cluster: the HA state one corosync/pacemaker cluster holds: its member
// nodes (online or not, standby or not, lost uncleanly and waiting to be
// fenced) and its HA resources (a Lustre target each: its target-role, its
// primary/secondary location constraints, where it runs, where its start
// failed). Placement is pacemaker's, for the CIB the real chroma-agent writes
// (pacemaker/placement.h): after every change the cluster settles as
// pacemaker's scheduler would, transition after transition:
//  - start / stop set target-role; failover / failback move the resource the
//    way `crm_resource --move` does (a preference of INFINITY, then removed);
//  - a node lost cleanly (pacemaker stopped, shutdown) frees its resources;
//    one lost uncleanly (power, crash) is fenced first: its resources stay
//    blocked until fencing succeeds (stonith-enabled=true);
//  - without quorum (more than 2 nodes, half or fewer online) every resource
//    stops (no-quorum-policy=stop) and no node is fenced;
//  - a start that fails on a node bans the resource from it
//    (start-failure-is-fatal) until a cleanup (failover / failback);
//  - a monitor that fails (the device went away) recovers the resource in
//    place: a restart, which fails where the device is gone.
// docs/cluster.md says how this is checked against crm_simulate.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "util/status.h"

namespace cs {

struct ClusterNode {
  std::string nodename;
  std::string fqdn;
  bool online = true;
  bool standby = false;
  bool unclean = false;  // lost without a clean shutdown and not yet fenced
  int id = 0;            // pacemaker node id (corosync nodeid), 1-based
  // configure_fencing's agents: [{agent, login, password, ipaddr, ipport, plug}]
  nlohmann::json fence_agents = nlohmann::json::array();

  bool CanRunResources() const { return online && !standby && !unclean; }
  bool operator==(const ClusterNode&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ClusterNode, nodename, fqdn, online, standby, unclean, id,
                                                fence_agents)

struct HaResource {
  std::string ha_label;
  std::string uuid;
  std::string device_path;
  std::string mount_point;
  std::optional<std::string> primary_node;
  std::optional<std::string> secondary_node;
  std::optional<std::string> started_on;
  // target-role: false while Stopped (created so, as the real agent does).
  bool enabled = true;
  int order = 0;                          // position among the CIB's primitives
  std::set<std::string> failed_on;        // nodes where a start failed (banned)
  std::optional<std::string> blocked_on;  // ran on an unclean node, waits for fencing

  bool operator==(const HaResource&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HaResource, ha_label, uuid, device_path,
                                                mount_point, primary_node, secondary_node,
                                                started_on, enabled, order, failed_on, blocked_on)

// One fencing attempt, as pacemaker-fenced keeps it in its history
// (`stonith_admin --history`): the node, the node that ran the fencing
// device (the DC), the outlets switched, the outcome. Kept with the cluster,
// saved in the same transaction as the fencing it records.
struct FenceRecord {
  int seq = 0;          // 1, 2, ... within the cluster
  std::string time;     // when, as ISO-8601 UTC (the agent's time format)
  std::string nodename, fqdn;
  std::string executor;  // the node that ran the fencing device (the DC)
  bool ok = false;
  bool power_cycled = false;  // its outlets were switched off, to come on again
  std::vector<std::pair<std::string, std::string>> outlets;  // (pdu, outlet)
  std::string detail;    // what was switched, or why it could not be

  bool operator==(const FenceRecord&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FenceRecord, seq, time, nodename, fqdn, executor, ok, power_cycled,
                                                outlets, detail)

// What the cluster needs from the world around it, injected so the cluster
// stays pure logic: whether a start succeeds (the node sees the device) and
// whether fencing a node succeeds (its PDU outlets switch). Defaults: yes.
struct ClusterEnv {
  std::function<bool(const HaResource&, const std::string& nodename)> can_start;
  std::function<bool(const ClusterNode&)> fence;
};

// The name of the fencing primitive configure_pacemaker creates.
inline constexpr const char* kFencingResource = "st-fencing";

struct Cluster {
  int id = 0;
  std::map<std::string, ClusterNode> nodes;       // by nodename
  std::map<std::string, HaResource> resources;    // by ha_label
  std::optional<std::string> fencing_on;          // where st-fencing runs
  int next_order = 1;
  int epoch = 1;                                  // CIB admin changes
  // The latest fencing attempts, oldest first, at most kFenceHistoryLimit.
  std::vector<FenceRecord> fence_history;
  int next_fence_seq = 1;
  static constexpr size_t kFenceHistoryLimit = 100;

  // Adds the node (online) or marks it online again; then settles.
  void Join(const std::string& nodename, const std::string& fqdn, const ClusterEnv& env = {});
  // The node leaves: cleanly (its resources stop there first) or not (it is
  // fenced before they run elsewhere).
  Status Leave(const std::string& nodename, bool clean = false, const ClusterEnv& env = {});
  Status SetStandby(const std::string& nodename, bool standby, const ClusterEnv& env = {});
  void RemoveNode(const std::string& nodename, const ClusterEnv& env = {});

  Status Start(const std::string& ha_label, const ClusterEnv& env = {});
  Status Stop(const std::string& ha_label, const ClusterEnv& env = {});
  Status Failover(const std::string& ha_label, const ClusterEnv& env = {});
  Status Failback(const std::string& ha_label, const ClusterEnv& env = {});
  // The devices of `ha_labels` went away (their controller failed). Where
  // one runs, its monitor fails and pacemaker recovers it in place (stop,
  // then start there, below migration-threshold); a start on a node that
  // cannot see the device fails and bans it there (start-failure-is-fatal),
  // so it moves on until it runs or no node is left. Then settles.
  void MonitorFailed(const std::set<std::string>& ha_labels, const ClusterEnv& env = {});
  // `crm_resource --cleanup` of each resource: forgets its failed starts,
  // so it may start again where it was banned; then settles.
  void Cleanup(const std::set<std::string>& ha_labels, const ClusterEnv& env = {});
  // Runs transitions until nothing changes (fencing first, then placement).
  void Settle(const ClusterEnv& env = {}, const std::map<std::string, std::string>& prefer = {});

  // configure_target_ha: records nodename as primary or secondary of the
  // resource, creating it (stopped) on first sight.
  Status Configure(const std::string& nodename, const std::string& device_path,
                   const std::string& ha_label, const std::string& uuid, bool primary,
                   const std::string& mount_point);
  // unconfigure_target_ha: the primary removes the resource, a secondary
  // only its own role.
  void Unconfigure(const std::string& nodename, const std::string& ha_label, bool primary);
  void ClearResources() { resources.clear(); }
  // Appends an attempt to fence_history (numbering it), dropping the oldest
  // beyond the limit; returns the record as kept.
  const FenceRecord& RecordFencing(FenceRecord record);

  // Quorum as corosync counts it; clusters of two ignore it (the real agent
  // sets no-quorum-policy=ignore there).
  bool HasQuorum() const;
  const char* NoQuorumPolicy() const { return nodes.size() > 2 ? "stop" : "ignore"; }
  // Pacemaker node ids by nodename: each node's own, and fresh ones (in name
  // order) for nodes saved before ids existed.
  std::map<std::string, int> NodeIds() const;
  // The designated controller: the online node with the lowest id.
  const ClusterNode* DesignatedController() const;
  // What crm_mon counts as active on the node (st-fencing included, and what
  // an unclean node still holds).
  size_t ResourcesActiveOn(const std::string& nodename) const;
  // The primitives in CIB order.
  std::vector<const HaResource*> InCibOrder() const;

  // ha_label -> node it runs on (nullopt when stopped).
  std::map<std::string, std::optional<std::string>> ResourceLocations() const;
  const HaResource* FindByUuid(const std::string& uuid) const;
  std::vector<const HaResource*> RunningOn(const std::string& nodename) const;

  bool operator==(const Cluster&) const = default;

 private:
  Status MoveTo(const std::string& ha_label, const std::optional<std::string>& node, const char* role,
                const ClusterEnv& env);
  bool FenceUncleanNodes(const ClusterEnv& env);
  bool RunTransition(const ClusterEnv& env, const std::map<std::string, std::string>& prefer);
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Cluster, id, nodes, resources, fencing_on, next_order, epoch,
                                                fence_history, next_fence_seq)

}  // namespace cs
