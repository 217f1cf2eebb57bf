#include "fakes/hsm/coordinator.h"

namespace cs {

void HsmCoordinator::RegisterAgent(const std::string& copytool_id, const std::string& uuid) {
  for (auto it = agents_.begin(); it != agents_.end();) {
    it = it->second.copytool_id == copytool_id ? agents_.erase(it) : std::next(it);
  }
  agents_[uuid] = Agent{copytool_id, {}, {}};
}

void HsmCoordinator::DeregisterAgent(const std::string& uuid) { agents_.erase(uuid); }

void HsmCoordinator::Loop(WallTime now, Random& random) {
  if (!running_) return;
  for (auto& [uuid, agent] : agents_) {
    while (agent.queued.size() + agent.active.size() < kMaxRequestsPerCopytool) {
      if (!unassigned_.empty()) {
        agent.queued.push_back(std::move(unassigned_.front()));
        unassigned_.pop_front();
      } else {
        agent.queued.push_back(RandomHsmRequest(random));
      }
    }
  }
  if (random.Uniform(0, 1) == 1) unassigned_.push_back(RandomHsmRequest(random));
  const WallTime cutoff = now - kCompletedKeptFor;
  std::erase_if(completed_, [&](const auto& entry) { return entry.second < cutoff; });
}

std::vector<HsmRequest> HsmCoordinator::TakeAgentRequests(const std::string& uuid) {
  std::vector<HsmRequest> out;
  auto it = agents_.find(uuid);
  if (it == agents_.end()) return out;
  out.assign(std::make_move_iterator(it->second.queued.begin()),
             std::make_move_iterator(it->second.queued.end()));
  it->second.queued.clear();
  return out;
}

void HsmCoordinator::StartRequest(const std::string& uuid, const HsmRequest& request) {
  auto it = agents_.find(uuid);
  if (it == agents_.end()) return;
  it->second.active.emplace(request.fid, request);  // a duplicate start is ignored
}

bool HsmCoordinator::FinishRequest(const std::string& uuid, const HsmRequest& request, WallTime now) {
  auto it = agents_.find(uuid);
  if (it == agents_.end() || it->second.active.erase(request.fid) == 0) return false;
  completed_[request.fid] = now;
  return true;
}

void HsmCoordinator::Purge() {
  unassigned_.clear();
  for (auto& [uuid, agent] : agents_) {
    agent.queued.clear();
    agent.active.clear();
  }
}

size_t HsmCoordinator::waiting_count() const {
  size_t n = unassigned_.size();
  for (const auto& [uuid, agent] : agents_) n += agent.queued.size();
  return n;
}

size_t HsmCoordinator::running_count() const {
  size_t n = 0;
  for (const auto& [uuid, agent] : agents_) n += agent.active.size();
  return n;
}

Json HsmCoordinator::Stats() const {
  if (!enabled_) return Json::object();
  int64_t idle = 0;
  int64_t busy = 0;
  for (const auto& [uuid, agent] : agents_) (agent.active.empty() ? idle : busy) += 1;
  return Json{{"hsm",
               {{"agents", {{"total", idle + busy}, {"idle", idle}, {"busy", busy}}},
                {"actions",
                 {{"waiting", waiting_count()},
                  {"running", running_count()},
                  {"succeeded", completed_count()},
                  {"errored", 0}}}}}};
}

}  // namespace cs
