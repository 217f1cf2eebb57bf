// Simulator::SetOutlet: power as the PDUs see it (reference section 6).
#include "sim/simulator.h"

#include "fakes/cluster_env.h"
#include "sim/fencing.h"

namespace cs {

ClusterEnv Simulator::FencingEnv(World& world, std::vector<FenceRecord>* fenced) const {
  return FencingClusterEnv(world, fenced, options_.pdu_port_offset, FormatAgentTime(clock_.Now()));
}

Status Simulator::SetOutlet(const std::string& pdu_name, const std::string& outlet, bool on) {
  std::string fqdn;
  bool lost_power = false, gained_power = false;
  std::vector<FenceRecord> fenced;
  Status s = store_->Apply([&](World& w) {
    fenced.clear();
    Pdu* pdu = w.pdus.Mutable(pdu_name);
    if (!pdu) return Status::NotFound("no PDU " + pdu_name);
    if (!pdu->outlets.count(outlet)) return Status::NotFound(pdu_name + " has no outlet " + outlet);
    if (const Server* server = w.ServerOnOutlet(pdu_name, outlet)) fqdn = server->fqdn;
    const Server* before = fqdn.empty() ? nullptr : w.servers.Find(fqdn);
    const bool had_power = before && w.HasPower(*before);
    pdu->outlets[outlet] = on;
    if (!before) return Status::Ok();
    const bool has_power = w.HasPower(*before);
    lost_power = had_power && !has_power && before->power_state != PowerState::kOff;
    gained_power = !had_power && has_power && before->power_state == PowerState::kOff;
    if (lost_power) {
      Server* server = w.servers.Mutable(fqdn);
      server->power_state = PowerState::kOff;
      if (Cluster* c = w.MutableClusterOf(*server)) {
        if (c->nodes.count(server->nodename)) return c->Leave(server->nodename, /*clean=*/false, FencingEnv(w, &fenced));
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  options_.log->Info(fqdn.empty() ? pdu_name : fqdn,
                     pdu_name + " outlet " + outlet + (on ? " on" : " off"));
  if (lost_power) {
    StopAgent(fqdn);
    options_.log->Info(fqdn, "lost power");
  }
  LogFencing(*options_.log, fenced);
  ActOnFencing(*this, fenced);
  if (gained_power) return PowerOn(fqdn);
  return Status::Ok();
}

void Simulator::SetPduStarter(std::function<Status()> start_new_pdus) {
  std::lock_guard<std::mutex> lock(mu_);
  pdu_starter_ = std::move(start_new_pdus);
}

Status Simulator::ListenToNewPdus() {
  std::function<Status()> starter;
  {
    std::lock_guard<std::mutex> lock(mu_);
    starter = pdu_starter_;
  }
  return starter ? starter() : Status::Ok();
}

Status Simulator::SetPduReachable(const std::string& pdu_name, bool reachable) {
  std::vector<FenceRecord> fenced;
  bool changed = false;
  Status s = store_->Apply([&](World& w) {
    fenced.clear();
    const Pdu* pdu = w.pdus.Find(pdu_name);
    if (!pdu) return Status::NotFound("no PDU " + pdu_name);
    changed = pdu->unreachable == reachable;
    if (!changed) return Status::Ok();
    w.pdus.Mutable(pdu_name)->unreachable = !reachable;
    if (!reachable) return Status::Ok();
    std::vector<std::string> waiting;  // clusters with a node still to fence
    for (const auto& [key, cluster] : w.clusters.all()) {
      for (const auto& [name, node] : cluster.nodes) {
        if (node.unclean) {
          waiting.push_back(key);
          break;
        }
      }
    }
    for (const std::string& key : waiting) w.clusters.Mutable(key)->Settle(FencingEnv(w, &fenced));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (changed) options_.log->Info(pdu_name, reachable ? "reachable again" : "unreachable: its console takes no session");
  LogFencing(*options_.log, fenced);
  ActOnFencing(*this, fenced);
  return Status::Ok();
}

}  // namespace cs
