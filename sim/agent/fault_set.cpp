#include "sim/agent/fault_set.h"

#include <algorithm>

namespace cs::agent {

const char* FaultName(Fault fault) {
  switch (fault) {
    case Fault::kFailConnections: return "fail_connections";
    case Fault::kDropResponses: return "drop_responses";
    case Fault::kManagerUnreachable: return "manager_unreachable";
    case Fault::kLatency: return "latency";
  }
  return "fail_connections";
}

bool ParseFault(const std::string& text, Fault* out) {
  for (Fault f : {Fault::kFailConnections, Fault::kDropResponses, Fault::kManagerUnreachable,
                  Fault::kLatency}) {
    if (text == FaultName(f)) {
      *out = f;
      return true;
    }
  }
  return false;
}

Json HostFaults::ToJson() const {
  Json j = Json::object();
  if (fail_connections) j["fail_connections"] = true;
  if (drop_responses) j["drop_responses"] = true;
  if (manager_unreachable) j["manager_unreachable"] = true;
  if (latency.count() > 0) j["latency_ms"] = latency.count();
  return j;
}

FaultSet::Effective FaultSet::For(const std::string& fqdn) const {
  std::lock_guard<std::mutex> lock(mu_);
  Effective e;
  e.faults = all_;
  e.drop_epoch = drop_epoch_;
  e.unreachable_timeout = unreachable_timeout_;
  auto it = hosts_.find(fqdn);
  if (it != hosts_.end()) {
    const HostFaults& h = it->second;
    e.faults.fail_connections |= h.fail_connections;
    e.faults.drop_responses |= h.drop_responses;
    e.faults.manager_unreachable |= h.manager_unreachable;
    e.faults.latency = std::max(e.faults.latency, h.latency);
  }
  return e;
}

HostFaults* FaultSet::Target(const std::optional<std::string>& fqdn) {
  return fqdn ? &hosts_[*fqdn] : &all_;
}

void FaultSet::SetFlag(const std::optional<std::string>& fqdn, Fault fault, bool on) {
  std::lock_guard<std::mutex> lock(mu_);
  auto set = [&](HostFaults& h) {
    switch (fault) {
      case Fault::kFailConnections: h.fail_connections = on; break;
      case Fault::kDropResponses: h.drop_responses = on; break;
      case Fault::kManagerUnreachable: h.manager_unreachable = on; break;
      case Fault::kLatency: if (!on) h.latency = std::chrono::milliseconds(0); break;
    }
  };
  set(*Target(fqdn));
  if (!fqdn && !on) {
    for (auto& [host, h] : hosts_) set(h);
  }
  if (fault == Fault::kDropResponses && on) ++drop_epoch_;
  std::erase_if(hosts_, [](const auto& entry) { return !entry.second.any(); });
}

void FaultSet::SetLatency(const std::optional<std::string>& fqdn, std::chrono::milliseconds latency) {
  std::lock_guard<std::mutex> lock(mu_);
  Target(fqdn)->latency = latency;
  if (!fqdn && latency.count() == 0) {
    for (auto& [host, h] : hosts_) h.latency = latency;
  }
  std::erase_if(hosts_, [](const auto& entry) { return !entry.second.any(); });
}

void FaultSet::SetUnreachableTimeout(std::chrono::milliseconds timeout) {
  std::lock_guard<std::mutex> lock(mu_);
  unreachable_timeout_ = timeout;
}

void FaultSet::ClearAll() {
  std::lock_guard<std::mutex> lock(mu_);
  all_ = HostFaults{};
  hosts_.clear();
}

void FaultSet::ClearHost(const std::string& fqdn) {
  std::lock_guard<std::mutex> lock(mu_);
  hosts_.erase(fqdn);
}

bool FaultSet::AnyActive() const {
  std::lock_guard<std::mutex> lock(mu_);
  return all_.any() || !hosts_.empty();
}

Json FaultSet::ToJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  Json hosts = Json::object();
  for (const auto& [fqdn, h] : hosts_) hosts[fqdn] = h.ToJson();
  return Json{{"all", all_.ToJson()},
              {"hosts", hosts},
              {"unreachable_timeout_ms", unreachable_timeout_.count()}};
}

}  // namespace cs::agent
