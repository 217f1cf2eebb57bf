#include "fakes/cluster_env.h"

#include <algorithm>
#include <optional>
#include <cstdlib>

namespace cs {

namespace {

struct OutletRef {
  std::string pdu, outlet;
};

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// The PDU outlets a node's fence agents name. PDUs are matched by address
// and port (the saved port plus the daemon's offset, where it listens);
// failing that, when the agents name as many ports as there are PDUs, the
// agents' ports map onto the PDUs at that address in port order.
Result<std::vector<OutletRef>> AgentOutlets(const World& world, const Json& agents, int port_offset) {
  std::vector<std::pair<int, const Pdu*>> pdus;  // by port
  for (const auto& [name, pdu] : world.pdus.all()) pdus.emplace_back(pdu.port, &pdu);
  std::sort(pdus.begin(), pdus.end());
  std::vector<int> agent_ports;
  for (const Json& a : agents) agent_ports.push_back(std::atoi(Text(a.value("ipport", Json("23"))).c_str()));
  std::vector<int> sorted_ports = agent_ports;
  std::sort(sorted_ports.begin(), sorted_ports.end());
  std::vector<OutletRef> out;
  for (size_t i = 0; i < agents.size(); ++i) {
    const Json& a = agents[i];
    const std::string agent = Text(a.value("agent", Json("")));
    if (agent != "fence_apc" && agent != "fence_apc_snmp") {
      return Status::FailedPrecondition("agent " + agent + " is not one the simulator can run");
    }
    const std::string address = Text(a.value("ipaddr", Json(""))), plug = Text(a.value("plug", Json("")));
    const Pdu* match = nullptr;
    for (const auto& [port, pdu] : pdus) {
      if (pdu->address == address && port + port_offset == agent_ports[i]) match = pdu;
    }
    if (!match && pdus.size() == agents.size()) {
      const size_t rank = static_cast<size_t>(std::find(sorted_ports.begin(), sorted_ports.end(), agent_ports[i]) -
                                              sorted_ports.begin());
      if (pdus[rank].second->address == address) match = pdus[rank].second;
    }
    if (!match) {
      return Status::Unavailable("no PDU answers at " + address + ":" + std::to_string(agent_ports[i]));
    }
    if (match->unreachable) {
      // fence_apc's words when its telnet session cannot be opened.
      return Status::Unavailable(match->name + " at " + address + ":" + std::to_string(agent_ports[i]) +
                                 " does not answer: Unable to connect/login to fencing device");
    }
    if (!match->outlets.count(plug)) return Status::NotFound(match->name + " has no outlet " + plug);
    out.push_back({match->name, plug});
  }
  return out;
}

bool FenceNode(World& world, const ClusterNode& node, int port_offset, FenceRecord& record) {
  const Json& agents = node.fence_agents;
  if (!agents.is_array() || agents.empty()) {
    // fence_chroma's `list` names only nodes with fence attributes: no
    // device can fence this one, so pacemaker cannot, and blocks.
    record.detail = "no fencing device configured for " + node.nodename;
    return false;
  }
  auto outlets = AgentOutlets(world, agents, port_offset);
  if (!outlets.ok()) {
    record.detail = outlets.status().message();
    return false;
  }
  for (const OutletRef& o : *outlets) {
    world.pdus.Mutable(o.pdu)->outlets[o.outlet] = false;
    record.outlets.emplace_back(o.pdu, o.outlet);
    record.detail += (record.detail.empty() ? "" : ", ") + o.pdu + " outlet " + o.outlet;
  }
  record.detail = "reboot through " + record.detail;
  record.power_cycled = true;
  const Server* s = world.FindServerByNodename(node.nodename);
  if (s && s->power_state != PowerState::kOff) world.servers.Mutable(s->fqdn)->power_state = PowerState::kOff;
  return true;
}

}  // namespace

bool NodeSeesDevice(const World& world, const std::string& nodename, const std::string& path) {
  bool presented_somewhere = false;
  for (const auto& [fqdn, presented] : world.presentations.all()) {
    auto it = presented.find(path);
    if (it == presented.end()) continue;
    presented_somewhere = true;
    const Server* s = world.servers.Find(fqdn);
    // A volume whose controller failed is presented but absent.
    if (s && s->nodename == nodename) return world.VolumePresent(it->second);
  }
  return !presented_somewhere;
}

ClusterEnv WorldClusterEnv(const World& world) {
  ClusterEnv env;
  env.can_start = [&world](const HaResource& r, const std::string& nodename) {
    return NodeSeesDevice(world, nodename, r.device_path);
  };
  // Only FencingClusterEnv switches outlets: a change made with this one
  // leaves a node that waits for fencing unclean (and its resources
  // blocked) rather than count it fenced with no outlet switched.
  env.fence = [](const ClusterNode&) { return false; };
  return env;
}

ClusterEnv FencingClusterEnv(World& world, std::vector<FenceRecord>* fenced, int pdu_port_offset,
                             const std::string& now) {
  ClusterEnv env = WorldClusterEnv(world);
  env.fence = [&world, fenced, pdu_port_offset, now](const ClusterNode& node) {
    FenceRecord record;
    record.time = now;
    record.nodename = node.nodename;
    record.fqdn = node.fqdn;
    const Server* s = world.FindServerByNodename(node.nodename);
    const Cluster* c = s ? world.ClusterOf(*s) : nullptr;
    const ClusterNode* dc = c ? c->DesignatedController() : nullptr;
    record.executor = dc ? dc->nodename : "";
    const bool ok = FenceNode(world, node, pdu_port_offset, record);
    record.ok = ok;
    // Only the history is touched here, never the nodes the cluster is
    // iterating over while it fences.
    if (c) record = world.MutableClusterOf(*s)->RecordFencing(std::move(record));
    if (fenced) fenced->push_back(record);
    return ok;
  };
  return env;
}

std::vector<std::string> FencingJournal(const FenceRecord& r) {
  const std::string& target = r.nodename;
  const std::string by = r.executor.empty() ? "a peer" : r.executor;
  const std::string client = "pacemaker-controld.1234@" + by;
  std::vector<std::string> lines = {
      "pacemaker-schedulerd[1230]: warning: Cluster node " + target + " will be fenced: peer is no longer part of the cluster",
      "pacemaker-schedulerd[1230]: warning: Scheduling node " + target + " for fencing",
      "pacemaker-controld[1234]: notice: Requesting fencing (reboot) targeting node " + target,
      "pacemaker-fenced[1228]: notice: Client " + client + " wants to fence (reboot) " + target + " using any device",
      "pacemaker-fenced[1228]: notice: Requesting peer fencing (reboot) targeting " + target,
  };
  if (r.ok) {
    lines.push_back("pacemaker-fenced[1228]: notice: Operation 'reboot' [4321] targeting " + target +
                    " using st-fencing returned 0 (OK)");
    lines.push_back("pacemaker-fenced[1228]: notice: Operation 'reboot' targeting " + target + " by " + by + " for " +
                    client + ": OK");
    lines.push_back("pacemaker-controld[1234]: notice: Peer " + target + " was terminated (reboot) by " + by +
                    " on behalf of " + client + ": OK");
  } else {
    lines.push_back("pacemaker-fenced[1228]: error: Operation 'reboot' [4321] targeting " + target +
                    " using st-fencing returned 1 (" + r.detail + ")");
    lines.push_back("pacemaker-fenced[1228]: error: Operation 'reboot' targeting " + target + " by " + by + " for " +
                    client + ": Error occurred");
    lines.push_back("pacemaker-controld[1234]: notice: Peer " + target + " was not terminated (reboot) by " + by +
                    " on behalf of " + client + ": Error occurred");
  }
  return lines;
}

Json FenceHistoryJson(const World& w, const std::optional<std::string>& fqdn) {
  std::vector<std::pair<std::string, Json>> events;  // (time, event)
  for (const auto& [key, cluster] : w.clusters.all()) {
    for (const FenceRecord& r : cluster.fence_history) {
      if (fqdn && r.fqdn != *fqdn) continue;
      Json outlets = Json::array();
      for (const auto& [pdu, outlet] : r.outlets) outlets.push_back({{"pdu", pdu}, {"outlet", outlet}});
      const Server* executor = r.executor.empty() ? nullptr : w.FindServerByNodename(r.executor);
      events.emplace_back(r.time, Json{{"cluster", cluster.id},
                                       {"seq", r.seq},
                                       {"time", r.time},
                                       {"node", r.nodename},
                                       {"fqdn", r.fqdn},
                                       {"executor", r.executor.empty() ? Json() : Json(r.executor)},
                                       {"executor_fqdn", executor ? Json(executor->fqdn) : Json()},
                                       {"action", "reboot"},
                                       {"outcome", r.ok ? "ok" : "failed"},
                                       {"outlets", outlets},
                                       {"detail", r.detail}});
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Json out = Json::array();
  for (auto& [time, event] : events) out.push_back(std::move(event));
  return out;
}

bool ClusterServicesRun(const Server& server) {
  return server.corosync.state == "started" && server.pacemaker.state == "started";
}

void FollowClusterServices(World& world, const Server& server, bool was_member) {
  const bool is_member = ClusterServicesRun(server);
  if (was_member == is_member || !server.running()) return;
  const Cluster* existing = world.ClusterOf(server);
  if (!existing || !existing->nodes.count(server.nodename)) return;
  Cluster* cluster = world.MutableClusterOf(server);
  if (is_member) {
    if (!cluster->nodes.at(server.nodename).online) cluster->Join(server.nodename, server.fqdn, WorldClusterEnv(world));
  } else {
    (void)cluster->Leave(server.nodename, /*clean=*/true, WorldClusterEnv(world));
  }
}

}  // namespace cs
