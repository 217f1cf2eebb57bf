// Cluster: the HA state one corosync/pacemaker cluster holds: its member
// nodes (online or not, standby or not) and its HA resources (a Lustre target
// each: where it may run and where it runs now). The rules are the original
// simulator's, made explicit:
//  - start / failback run a resource on its primary, failover on its
//    secondary, stop leaves it nowhere;
//  - a node leaving (or going standby) moves each resource it runs to the
//    other of primary/secondary when that node can run resources, else stops it;
//  - a node joining (or coming out of standby) starts stopped resources whose
//    primary or secondary it is, and never moves running ones back
//    (resource-stickiness 1000 in the real cluster).
// A resource that was stopped on purpose (target-role Stopped) stays stopped
// when nodes come and go.
#pragma once

#include <map>
#include <optional>
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

  bool CanRunResources() const { return online && !standby; }
  bool operator==(const ClusterNode&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ClusterNode, nodename, fqdn, online, standby)

struct HaResource {
  std::string ha_label;
  std::string uuid;
  std::string device_path;
  std::string mount_point;
  std::optional<std::string> primary_node;
  std::optional<std::string> secondary_node;
  std::optional<std::string> started_on;
  // False once stopped on purpose: node joins do not start it again.
  bool enabled = true;

  bool operator==(const HaResource&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HaResource, ha_label, uuid, device_path,
                                                mount_point, primary_node, secondary_node,
                                                started_on, enabled)

struct Cluster {
  int id = 0;
  std::map<std::string, ClusterNode> nodes;       // by nodename
  std::map<std::string, HaResource> resources;    // by ha_label

  // Adds the node (online) or marks it online again; then starts what it may.
  void Join(const std::string& nodename, const std::string& fqdn);
  // Marks the node offline and moves or stops what it ran.
  Status Leave(const std::string& nodename);
  Status SetStandby(const std::string& nodename, bool standby);
  void RemoveNode(const std::string& nodename);

  Status Start(const std::string& ha_label);
  Status Stop(const std::string& ha_label);
  Status Failover(const std::string& ha_label);
  Status Failback(const std::string& ha_label);

  // configure_target_ha: records nodename as primary or secondary of the
  // resource, creating it (stopped) on first sight.
  Status Configure(const std::string& nodename, const std::string& device_path,
                   const std::string& ha_label, const std::string& uuid, bool primary,
                   const std::string& mount_point);
  // unconfigure_target_ha: the primary removes the resource, a secondary
  // only its own role.
  void Unconfigure(const std::string& nodename, const std::string& ha_label, bool primary);
  void ClearResources() { resources.clear(); }

  // ha_label -> node it runs on (nullopt when stopped).
  std::map<std::string, std::optional<std::string>> ResourceLocations() const;
  const HaResource* FindByUuid(const std::string& uuid) const;
  std::vector<const HaResource*> RunningOn(const std::string& nodename) const;

  bool operator==(const Cluster&) const = default;

 private:
  Status RunOn(const std::string& ha_label, const std::optional<std::string>& node,
               const char* role);
  bool NodeCanRun(const std::optional<std::string>& nodename) const;
  void MoveOrStopResourcesOf(const std::string& nodename);
  void StartResourcesFor(const std::string& nodename);
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Cluster, id, nodes, resources)

}  // namespace cs
