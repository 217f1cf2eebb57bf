#include "fakes/invariants.h"

#include <map>
#include <set>

namespace cs {

namespace {

using Violations = std::vector<std::string>;

void CheckResources(const World& world, const Cluster& cluster, Violations& out) {
  const std::string where = "cluster " + std::to_string(cluster.id);
  for (const auto& [label, r] : cluster.resources) {
    if (!r.started_on) continue;
    const std::string& node = *r.started_on;
    // Any node may run it (symmetric-cluster=true), except one where its
    // start failed: pacemaker bans it there.
    if (r.failed_on.count(node)) {
      out.push_back(where + ": resource " + label + " runs on " + node + ", where its start failed");
    }
    // Nothing runs on a LUN whose controller failed: its device is gone.
    if (const Server* s = world.FindServerByNodename(node)) {
      const Presentations* seen = world.presentations.Find(s->fqdn);
      auto path = seen ? seen->find(r.device_path) : Presentations::const_iterator();
      if (seen && path != seen->end()) {
        if (const Controller* c = world.FailedControllerOf(path->second)) {
          out.push_back(where + ": resource " + label + " runs on " + node + ", but its device is on failed controller " +
                        std::to_string(c->controller_id));
        }
      }
    }
    auto it = cluster.nodes.find(node);
    if (it == cluster.nodes.end()) {
      out.push_back(where + ": resource " + label + " runs on " + node + ", not a member");
    } else if (!it->second.online) {
      out.push_back(where + ": resource " + label + " runs on offline node " + node);
    }
  }
  for (const auto& [label, r] : cluster.resources) {
    if (!r.blocked_on) continue;
    auto it = cluster.nodes.find(*r.blocked_on);
    if (it == cluster.nodes.end() || !it->second.unclean) {
      out.push_back(where + ": resource " + label + " waits for the fencing of " + *r.blocked_on +
                    ", which is not an unclean member");
    }
  }
  for (const auto& [nodename, node] : cluster.nodes) {
    const Server* s = world.FindServerByNodename(nodename);
    if (!s) {
      out.push_back(where + ": node " + nodename + " is no known server");
    } else if (s->worker) {
      out.push_back(where + ": worker " + s->fqdn + " is a cluster member");
    } else if (world.ClusterIdOf(*s) != cluster.id) {
      out.push_back(where + ": node " + nodename + " belongs to cluster " +
                    std::to_string(world.ClusterIdOf(*s)));
    } else if (node.online && !s->running()) {
      out.push_back(where + ": node " + nodename + " is online but its server is off");
    }
  }
  std::set<std::string> uuids;
  for (const auto& [label, r] : cluster.resources) {
    if (!uuids.insert(r.uuid).second) {
      out.push_back(where + ": uuid " + r.uuid + " is used by two resources");
    }
  }
}

void CheckServers(const World& world, Violations& out) {
  std::set<std::string> nodenames;
  std::map<std::string, std::string> outlets;     // "pdu outlet N" -> fqdn
  std::map<std::string, std::string> fleet_wide;  // outlet -> fqdn, servers on every PDU
  for (const auto& [fqdn, s] : world.servers.all()) {
    if (fqdn != s.fqdn) out.push_back("server " + s.fqdn + " is stored under " + fqdn);
    if (!nodenames.insert(s.nodename).second) out.push_back("nodename " + s.nodename + " is used twice");
    if (s.running() && !world.HasPower(s)) {
      out.push_back("server " + fqdn + " is " + PowerStateName(s.power_state) +
                    " but none of its outlets is on");
    }
    if (s.worker && s.outlet) out.push_back("worker " + fqdn + " has a PDU outlet");
    if (!s.worker) {
      if (!s.outlet) {
        if (world.pdus.size()) out.push_back("server " + fqdn + " has no PDU outlet");
      } else {
        for (const std::string& pdu : s.pdus) {
          const Pdu* p = world.pdus.Find(pdu);
          if (!p || !p->outlets.count(*s.outlet)) {
            out.push_back("server " + fqdn + " is fed by " + pdu + " outlet " + *s.outlet + ", which does not exist");
          }
        }
        if (s.pdus.empty()) fleet_wide.emplace(*s.outlet, fqdn);
        for (const std::string& pdu : world.PdusFeeding(s)) {
          const std::string socket = pdu + " outlet " + *s.outlet;
          if (!outlets.emplace(socket, fqdn).second) {
            out.push_back(socket + " powers both " + outlets[socket] + " and " + fqdn);
          }
        }
      }
      const TopologySettings& t = world.settings().topology;
      if (t.layout && t.layout->IndexOf(s.id) < 0) {
        out.push_back("server " + fqdn + " is in no rack of the fleet's topology file");
      }
      const Cluster* c = world.ClusterOf(s);
      if (!c || !c->nodes.count(s.nodename)) {
        out.push_back("server " + fqdn + " is not a member of its cluster " +
                      std::to_string(world.ClusterIdOf(s)));
      }
    }
    if (s.lnet_up && !s.lnet_loaded) out.push_back("server " + fqdn + " has lnet up but not loaded");
  }
  // Fleet-wide wiring: every fleet-wide PDU has each such server's outlet.
  for (const auto& [name, pdu] : world.pdus.all()) {
    if (pdu.rack) continue;
    for (const auto& [outlet, server] : fleet_wide) {
      if (!pdu.outlets.count(outlet)) {
        out.push_back("PDU " + name + " lacks outlet " + outlet + " of " + server);
      }
    }
  }
}

void CheckDevices(const World& world, Violations& out) {
  for (const auto& [fqdn, paths] : world.presentations.all()) {
    if (!world.servers.contains(fqdn)) out.push_back("presentations for unknown server " + fqdn);
    for (const auto& [path, serial] : paths) {
      if (!world.volumes.contains(serial)) {
        out.push_back(fqdn + ": " + path + " points at missing volume " + serial);
      }
    }
  }
  std::set<std::string> major_minors;
  for (const auto& [serial, v] : world.volumes.all()) {
    if (!major_minors.insert(v.major_minor).second) {
      out.push_back("volume " + serial + " repeats major_minor " + v.major_minor);
    }
  }
  std::set<std::string> labels;
  for (const auto& [serial, t] : world.targets.all()) {
    if (!world.volumes.contains(serial)) out.push_back("target " + t.label + " is on missing volume " + serial);
    if (!world.mgts.contains(t.mgsnode)) {
      out.push_back("target " + t.label + " names MGS " + t.mgsnode + ", which does not exist");
    }
    if (t.label != "MGS" && !labels.insert(t.label).second) {
      out.push_back("target label " + t.label + " is used twice");
    }
  }
  for (const auto& [mgsnode, mgt] : world.mgts.all()) {
    for (const auto& label : mgt.targets) {
      if (!labels.count(label) && label != "MGS") {
        out.push_back("MGS " + mgsnode + " lists unknown target " + label);
      }
    }
  }
  for (const auto& [id, c] : world.controllers.all()) {
    for (const auto& [serial, lun] : c.luns) {
      if (!world.volumes.contains(serial)) out.push_back("controller " + id + " has LUN of missing volume " + serial);
    }
  }
}

}  // namespace

std::vector<std::string> CheckInvariants(const World& world) {
  Violations out;
  CheckServers(world, out);
  for (const auto& [key, cluster] : world.clusters.all()) CheckResources(world, cluster, out);
  CheckDevices(world, out);
  return out;
}

}  // namespace cs
