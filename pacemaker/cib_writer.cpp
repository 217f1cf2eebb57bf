#include "pacemaker/cib_writer.h"

#include <pugixml.hpp>

#include <ctime>
#include <sstream>

namespace cs::pacemaker {

namespace {

void NvPair(pugi::xml_node parent, const std::string& id, const std::string& name, const std::string& value) {
  pugi::xml_node nv = parent.append_child("nvpair");
  nv.append_attribute("id") = id.c_str();
  nv.append_attribute("name") = name.c_str();
  nv.append_attribute("value") = value.c_str();
}

// configure_pacemaker: the cluster options and resource defaults.
void CrmConfig(pugi::xml_node configuration, const Cluster& cluster) {
  pugi::xml_node set = configuration.append_child("crm_config").append_child("cluster_property_set");
  set.append_attribute("id") = "cib-bootstrap-options";
  const std::string p = "cib-bootstrap-options-";
  NvPair(set, p + "no-quorum-policy", "no-quorum-policy", cluster.NoQuorumPolicy());
  NvPair(set, p + "symmetric-cluster", "symmetric-cluster", "true");
  NvPair(set, p + "cluster-infrastructure", "cluster-infrastructure", "corosync");
  NvPair(set, p + "stonith-enabled", "stonith-enabled", "true");
}

void RscDefaults(pugi::xml_node configuration) {
  pugi::xml_node meta = configuration.append_child("rsc_defaults").append_child("meta_attributes");
  meta.append_attribute("id") = "rsc-options";
  NvPair(meta, "rsc-options-resource-stickiness", "resource-stickiness", "1000");
  NvPair(meta, "rsc-options-failure-timeout", "failure-timeout", "20m");
  NvPair(meta, "rsc-options-migration-threshold", "migration-threshold", "3");
}

std::string ScalarText(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Nodes, with standby and configure_fencing's N_fence_* attributes.
void Nodes(pugi::xml_node configuration, const Cluster& cluster) {
  const std::map<std::string, int> ids = cluster.NodeIds();
  pugi::xml_node nodes = configuration.append_child("nodes");
  for (const auto& [name, n] : cluster.nodes) {
    pugi::xml_node node = nodes.append_child("node");
    node.append_attribute("id") = std::to_string(ids.at(n.nodename)).c_str();
    node.append_attribute("uname") = name.c_str();
    const bool has_fencing = n.fence_agents.is_array() && !n.fence_agents.empty();
    if (!n.standby && !has_fencing) continue;
    const std::string set_id = "nodes-" + std::to_string(ids.at(n.nodename));
    pugi::xml_node attrs = node.append_child("instance_attributes");
    attrs.append_attribute("id") = set_id.c_str();
    if (n.standby) NvPair(attrs, set_id + "-standby", "standby", "on");
    if (!has_fencing) continue;
    for (size_t i = 0; i < n.fence_agents.size(); ++i) {
      const nlohmann::json& agent = n.fence_agents[i];
      if (!agent.is_object()) continue;
      for (const auto& [key, value] : agent.items()) {
        const std::string attr = std::to_string(i) + "_fence_" + key;
        NvPair(attrs, set_id + "-" + attr, attr, ScalarText(value));
      }
    }
  }
}

void Operation(pugi::xml_node ops, const std::string& label, const char* name, const char* interval,
               const char* timeout) {
  pugi::xml_node op = ops.append_child("op");
  op.append_attribute("id") = (label + "-" + name + "-" + interval).c_str();
  op.append_attribute("interval") = interval;
  op.append_attribute("name") = name;
  op.append_attribute("timeout") = timeout;
}

// configure_target_ha's primitive, with its current target-role.
void TargetPrimitive(pugi::xml_node resources, const HaResource& r) {
  const std::string& label = r.ha_label;
  pugi::xml_node p = resources.append_child("primitive");
  p.append_attribute("class") = "ocf";
  p.append_attribute("provider") = "chroma";
  p.append_attribute("type") = "Target";
  p.append_attribute("id") = label.c_str();
  pugi::xml_node meta = p.append_child("meta_attributes");
  meta.append_attribute("id") = (label + "-meta_attributes").c_str();
  NvPair(meta, label + "-meta_attributes-target-role", "target-role", r.enabled ? "Started" : "Stopped");
  pugi::xml_node ops = p.append_child("operations");
  ops.append_attribute("id") = (label + "-operations").c_str();
  Operation(ops, label, "monitor", "5", "60");
  Operation(ops, label, "start", "0", "300");
  Operation(ops, label, "stop", "0", "300");
  pugi::xml_node inst = p.append_child("instance_attributes");
  inst.append_attribute("id") = (label + "-instance_attributes").c_str();
  NvPair(inst, label + "-instance_attributes-target", "target", r.uuid);
}

void Location(pugi::xml_node constraints, const std::string& label, const char* role, const std::string& node,
              int score) {
  pugi::xml_node c = constraints.append_child("rsc_location");
  c.append_attribute("id") = (label + "-" + role).c_str();
  c.append_attribute("node") = node.c_str();
  c.append_attribute("rsc") = label.c_str();
  c.append_attribute("score") = std::to_string(score).c_str();
}

void Configuration(pugi::xml_node cib, const Cluster& cluster) {
  pugi::xml_node configuration = cib.append_child("configuration");
  CrmConfig(configuration, cluster);
  Nodes(configuration, cluster);
  pugi::xml_node resources = configuration.append_child("resources");
  pugi::xml_node fencing = resources.append_child("primitive");
  fencing.append_attribute("class") = "stonith";
  fencing.append_attribute("id") = kFencingResource;
  fencing.append_attribute("type") = "fence_chroma";
  const std::vector<const HaResource*> ordered = cluster.InCibOrder();
  for (const HaResource* r : ordered) TargetPrimitive(resources, *r);
  pugi::xml_node constraints = configuration.append_child("constraints");
  for (const HaResource* r : ordered) {
    if (r->primary_node && cluster.nodes.count(*r->primary_node)) {
      Location(constraints, r->ha_label, "primary", *r->primary_node, 20);
    }
    if (r->secondary_node && cluster.nodes.count(*r->secondary_node)) {
      Location(constraints, r->ha_label, "secondary", *r->secondary_node, 10);
    }
  }
  RscDefaults(configuration);
}

// One entry of the operation history, as the controller records it.
struct OpRecord {
  std::string rsc, op_id, key, operation;
  int interval_ms = 0, rc = 0, call_id = 0;
  std::string digest = {};
};

// Pacemaker's digest of st-fencing's (empty) parameters: without it the
// scheduler takes the device's definition as changed and restarts it.
constexpr const char* kFencingStartDigest = "f2317cad3d54cec5d7d7aa7d0bf35cf8";

void AppendOp(pugi::xml_node lrm_resource, const OpRecord& o, const std::string& node, int64_t now) {
  static const std::string kUuid = "00000000-0000-0000-0000-000000000000";
  const int expected_rc = o.operation == "monitor" && o.interval_ms == 0 ? 7 : 0;
  const std::string tkey = std::to_string(o.call_id) + ":1:" + std::to_string(expected_rc) + ":" + kUuid;
  pugi::xml_node op = lrm_resource.append_child("lrm_rsc_op");
  op.append_attribute("id") = o.op_id.c_str();
  op.append_attribute("operation_key") = o.key.c_str();
  op.append_attribute("operation") = o.operation.c_str();
  op.append_attribute("crm-debug-origin") = "do_update_resource";
  op.append_attribute("crm_feature_set") = kCrmFeatureSet;
  op.append_attribute("transition-key") = tkey.c_str();
  op.append_attribute("transition-magic") = ("0:" + std::to_string(o.rc) + ";" + tkey).c_str();
  op.append_attribute("exit-reason") = o.rc == 0 || o.rc == 7 ? "" : "the target's device is not visible on this node";
  op.append_attribute("on_node") = node.c_str();
  op.append_attribute("call-id") = o.call_id;
  op.append_attribute("rc-code") = o.rc;
  op.append_attribute("op-status") = 0;
  op.append_attribute("interval") = o.interval_ms;
  op.append_attribute("last-rc-change") = static_cast<long long>(now);
  op.append_attribute("exec-time") = 0;
  op.append_attribute("queue-time") = 0;
  if (!o.digest.empty()) op.append_attribute("op-digest") = o.digest.c_str();
}

pugi::xml_node LrmResource(pugi::xml_node parent, const std::string& id, bool stonith) {
  pugi::xml_node r = parent.append_child("lrm_resource");
  r.append_attribute("id") = id.c_str();
  r.append_attribute("type") = stonith ? "fence_chroma" : "Target";
  r.append_attribute("class") = stonith ? "stonith" : "ocf";
  if (!stonith) r.append_attribute("provider") = "chroma";
  return r;
}

// What one resource's history on one node says: running, failed, or probed.
void ResourceHistory(pugi::xml_node lrm_resources, const std::string& id, bool stonith, bool runs_here,
                     bool failed_here, const std::string& node, int64_t now, int& call_id) {
  pugi::xml_node r = LrmResource(lrm_resources, id, stonith);
  if (runs_here) {
    AppendOp(r, {id, id + "_last_0", id + "_start_0", "start", 0, 0, ++call_id, stonith ? kFencingStartDigest : ""},
             node, now);
    if (!stonith) AppendOp(r, {id, id + "_monitor_5000", id + "_monitor_5000", "monitor", 5000, 0, ++call_id}, node, now);
  } else if (failed_here) {
    AppendOp(r, {id, id + "_last_failure_0", id + "_start_0", "start", 0, 1, ++call_id}, node, now);
    AppendOp(r, {id, id + "_last_0", id + "_stop_0", "stop", 0, 0, ++call_id}, node, now);
  } else {
    AppendOp(r, {id, id + "_last_0", id + "_monitor_0", "monitor", 0, 7, ++call_id}, node, now);
  }
}

// Fail counts live in the node's transient attributes.
void FailCounts(pugi::xml_node node_state, const Cluster& cluster, const ClusterNode& n, int64_t now) {
  const std::map<std::string, int> ids = cluster.NodeIds();
  pugi::xml_node attrs;
  const std::string set_id = "status-" + std::to_string(ids.at(n.nodename));
  for (const HaResource* r : cluster.InCibOrder()) {
    if (!r->failed_on.count(n.nodename)) continue;
    if (!attrs) {
      pugi::xml_node transient = node_state.append_child("transient_attributes");
      transient.append_attribute("id") = std::to_string(ids.at(n.nodename)).c_str();
      attrs = transient.append_child("instance_attributes");
      attrs.append_attribute("id") = set_id.c_str();
    }
    NvPair(attrs, set_id + "-fail-count-" + r->ha_label + ".start_0", "fail-count-" + r->ha_label + "#start_0",
           "INFINITY");
    NvPair(attrs, set_id + "-last-failure-" + r->ha_label + ".start_0", "last-failure-" + r->ha_label + "#start_0",
           std::to_string(now));
  }
}

void NodeState(pugi::xml_node status, const Cluster& cluster, const ClusterNode& n, int64_t now) {
  const std::map<std::string, int> ids = cluster.NodeIds();
  pugi::xml_node ns = status.append_child("node_state");
  const std::string id = std::to_string(ids.at(n.nodename));
  ns.append_attribute("id") = id.c_str();
  ns.append_attribute("uname") = n.nodename.c_str();
  ns.append_attribute("in_ccm") = n.online ? "true" : "false";
  ns.append_attribute("crmd") = n.online ? "online" : "offline";
  ns.append_attribute("crm-debug-origin") = "do_update_resource";
  // Lost without a clean shutdown: the cluster still expects it (unclean).
  const bool member = n.online || n.unclean;
  ns.append_attribute("join") = member ? "member" : "down";
  ns.append_attribute("expected") = member ? "member" : "down";
  if (!member) return;  // a node that left cleanly has no history to keep
  FailCounts(ns, cluster, n, now);
  pugi::xml_node lrm = ns.append_child("lrm");
  lrm.append_attribute("id") = id.c_str();
  pugi::xml_node lrm_resources = lrm.append_child("lrm_resources");
  int call_id = 0;
  ResourceHistory(lrm_resources, kFencingResource, true, cluster.fencing_on == n.nodename, false, n.nodename, now,
                  call_id);
  for (const HaResource* r : cluster.InCibOrder()) {
    const bool runs = r->started_on == n.nodename || r->blocked_on == n.nodename;
    ResourceHistory(lrm_resources, r->ha_label, false, runs, r->failed_on.count(n.nodename) > 0, n.nodename, now,
                    call_id);
  }
}

// The CIB's own date format: "Tue Dec  1 09:00:00 2026" (UTC).
std::string CibTime(int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
  return buf;
}

}  // namespace

std::string WriteCib(const Cluster& cluster, int64_t now) {
  pugi::xml_document doc;
  pugi::xml_node cib = doc.append_child("cib");
  cib.append_attribute("crm_feature_set") = kCrmFeatureSet;
  cib.append_attribute("validate-with") = kValidateWith;
  cib.append_attribute("epoch") = cluster.epoch;
  cib.append_attribute("num_updates") = 0;
  cib.append_attribute("admin_epoch") = 0;
  cib.append_attribute("have-quorum") = cluster.HasQuorum() ? "1" : "0";
  cib.append_attribute("cib-last-written") = CibTime(now).c_str();
  if (const ClusterNode* dc = cluster.DesignatedController()) {
    cib.append_attribute("dc-uuid") = std::to_string(cluster.NodeIds().at(dc->nodename)).c_str();
  }
  Configuration(cib, cluster);
  pugi::xml_node status = cib.append_child("status");
  for (const auto& [name, n] : cluster.nodes) NodeState(status, cluster, n, now);
  std::ostringstream out;
  doc.save(out, "  ");
  return out.str();
}

}  // namespace cs::pacemaker
