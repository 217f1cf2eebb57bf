#include "pacemaker/cib_reader.h"

#include <pugixml.hpp>

#include <algorithm>
#include <limits>

#include "pacemaker/cib_writer.h"

namespace cs::pacemaker {

namespace {

// "3.16.1" -> {3, 16, 1}; empty when it is not a version.
std::vector<int> ParseVersion(const std::string& text) {
  std::vector<int> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t dot = text.find('.', start);
    const std::string part = text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 6) return {};
    parts.push_back(std::stoi(part));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

Status CheckRoot(pugi::xml_node cib) {
  if (!cib) return Status::InvalidArgument("not a CIB: the document's root is not <cib>");
  const std::string feature_set = cib.attribute("crm_feature_set").value();
  const std::vector<int> theirs = ParseVersion(feature_set), ours = ParseVersion(kCrmFeatureSet);
  if (theirs.empty()) return Status::InvalidArgument("not a CIB: crm_feature_set '" + feature_set + "' is not a version");
  if (theirs > ours) {
    return Status::InvalidArgument("CIB from a newer pacemaker: crm_feature_set " + feature_set + " is newer than " +
                                   kCrmFeatureSet + " (Debian 12)");
  }
  if (!cib.child("configuration")) return Status::InvalidArgument("damaged CIB: no <configuration>");
  for (const char* section : {"crm_config", "nodes", "resources", "constraints"}) {
    if (!cib.child("configuration").child(section)) {
      return Status::InvalidArgument(std::string("damaged CIB: no <configuration><") + section + ">");
    }
  }
  return Status::Ok();
}

std::string NvValue(pugi::xml_node set, const char* name) {
  return set.find_child_by_attribute("nvpair", "name", name).attribute("value").value();
}

Result<CibNode> ReadNode(pugi::xml_node node) {
  CibNode n;
  n.uname = node.attribute("uname").value();
  if (n.uname.empty()) return Status::InvalidArgument("damaged CIB: a <node> without uname");
  std::map<int, nlohmann::json> agents;
  for (pugi::xml_node attrs : node.children("instance_attributes")) {
    for (pugi::xml_node nv : attrs.children("nvpair")) {
      const std::string name = nv.attribute("name").value(), value = nv.attribute("value").value();
      if (name == "standby") n.standby = value == "on" || value == "true";
      const size_t sep = name.find("_fence_");
      if (sep == std::string::npos || sep == 0 || name.find_first_not_of("0123456789") != sep) continue;
      if (sep > 6) return Status::InvalidArgument("damaged CIB: node " + n.uname + " has fence attribute " + name);
      agents[std::stoi(name.substr(0, sep))][name.substr(sep + 7)] = value;
    }
  }
  for (auto& [index, agent] : agents) {
    if (agent.contains("ipport")) {
      const std::string port = agent["ipport"];
      // A port in digits becomes a number, as configure_fencing sends it;
      // anything else stays text, for fencing to refuse with a reason.
      if (!port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos) {
        agent["ipport"] = std::stoi(port);
      }
    }
    n.fence_agents.push_back(agent);
  }
  return n;
}

Result<CibTarget> ReadTarget(pugi::xml_node primitive) {
  CibTarget t;
  t.ha_label = primitive.attribute("id").value();
  if (t.ha_label.empty()) return Status::InvalidArgument("damaged CIB: a Target primitive without id");
  t.uuid = NvValue(primitive.child("instance_attributes"), "target");
  if (t.uuid.empty()) return Status::InvalidArgument("damaged CIB: primitive " + t.ha_label + " has no target uuid");
  const std::string role = NvValue(primitive.child("meta_attributes"), "target-role");
  t.started = role.empty() || role == "Started";
  return t;
}

}  // namespace

Result<CibConfig> ReadCibConfig(const std::string& xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_string(xml.c_str());
  if (!parsed) {
    return Status::InvalidArgument(std::string("not a CIB: XML error at offset ") + std::to_string(parsed.offset) +
                                   ": " + parsed.description());
  }
  pugi::xml_node cib = doc.child("cib");
  CS_RETURN_IF_ERROR(CheckRoot(cib));
  pugi::xml_node configuration = cib.child("configuration");
  CibConfig config;
  // The epoch only grows (each restore adds one), so one at the top of an
  // int could not be written back: refused rather than overflowed.
  const long long epoch = cib.attribute("epoch").as_llong();
  if (epoch < 0 || epoch >= std::numeric_limits<int>::max()) {
    return Status::InvalidArgument("damaged CIB: epoch " + std::string(cib.attribute("epoch").value()) +
                                   " is not from 0 to " + std::to_string(std::numeric_limits<int>::max() - 1));
  }
  config.epoch = static_cast<int>(epoch);
  std::set<std::string> unames;
  for (pugi::xml_node node : configuration.child("nodes").children("node")) {
    auto n = ReadNode(node);
    if (!n.ok()) return n.status();
    if (!unames.insert(n->uname).second) return Status::InvalidArgument("damaged CIB: node " + n->uname + " twice");
    config.nodes.push_back(std::move(*n));
  }
  std::map<std::string, size_t> by_label;
  for (pugi::xml_node p : configuration.child("resources").children("primitive")) {
    if (std::string(p.attribute("type").value()) != "Target") continue;
    auto t = ReadTarget(p);
    if (!t.ok()) return t.status();
    if (by_label.count(t->ha_label)) return Status::InvalidArgument("damaged CIB: resource " + t->ha_label + " twice");
    by_label[t->ha_label] = config.targets.size();
    config.targets.push_back(std::move(*t));
  }
  for (pugi::xml_node c : configuration.child("constraints").children("rsc_location")) {
    const std::string id = c.attribute("id").value(), rsc = c.attribute("rsc").value(), node = c.attribute("node").value();
    const bool primary = id == rsc + "-primary", secondary = id == rsc + "-secondary";
    if (!primary && !secondary) continue;  // not configure_target_ha's (cli-prefer-*, ...)
    auto it = by_label.find(rsc);
    if (it == by_label.end()) return Status::InvalidArgument("damaged CIB: constraint " + id + " for no resource");
    if (!unames.count(node)) return Status::InvalidArgument("damaged CIB: constraint " + id + " on unknown node " + node);
    (primary ? config.targets[it->second].primary_node : config.targets[it->second].secondary_node) = node;
  }
  return config;
}

Status CheckSameCluster(const CibConfig& cib, const Cluster& cluster) {
  std::set<std::string> theirs, ours;
  for (const CibNode& n : cib.nodes) theirs.insert(n.uname);
  for (const auto& [name, n] : cluster.nodes) ours.insert(name);
  if (theirs == ours) return Status::Ok();
  std::string list;
  for (const std::string& n : theirs) list += (list.empty() ? "" : ", ") + n;
  return Status::FailedPrecondition("a foreign CIB: its nodes (" + (list.empty() ? "none" : list) +
                                    ") are not cluster " + std::to_string(cluster.id) + "'s");
}

Cluster WithConfiguration(const Cluster& cluster, const CibConfig& cib,
                          const std::function<void(HaResource&)>& fill_unknown) {
  Cluster out = cluster;
  for (const CibNode& n : cib.nodes) {
    ClusterNode& node = out.nodes.at(n.uname);
    node.standby = n.standby;
    node.fence_agents = n.fence_agents;
  }
  out.resources.clear();
  int order = 1;
  for (const CibTarget& t : cib.targets) {
    HaResource r;
    r.ha_label = t.ha_label;
    r.uuid = t.uuid;
    r.enabled = t.started;
    r.primary_node = t.primary_node;
    r.secondary_node = t.secondary_node;
    r.order = order++;
    if (const HaResource* known = cluster.FindByUuid(t.uuid)) {
      r.device_path = known->device_path;
      r.mount_point = known->mount_point;
      if (known->ha_label == t.ha_label) {
        r.started_on = known->started_on;  // still running where it ran
        r.blocked_on = known->blocked_on;
      }
    } else if (fill_unknown) {
      fill_unknown(r);
    }
    out.resources[r.ha_label] = std::move(r);
  }
  out.next_order = order;
  out.epoch = std::max(cluster.epoch, cib.epoch) + 1;
  return out;
}

}  // namespace cs::pacemaker
