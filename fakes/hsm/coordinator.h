// HsmCoordinator: the in-memory half of a filesystem's simulated HSM
// coordinator (the MDT's cdt), as the original's fake_hsm_coordinator.py
// ran it: copytools register and get a uuid; every loop (10 s) each
// registered copytool is topped up to three requests (taken from the
// waiting queue first, else invented), one more request joins the waiting
// queue on a coin flip, and requests finished more than five minutes ago
// are forgotten. Its agent and action counts go into MDT0000's stats.
// Pure logic: the caller supplies the time and the random source.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "fakes/hsm/request.h"
#include "fakes/json_helpers.h"
#include "util/clock.h"
#include "util/random.h"

namespace cs {

class HsmCoordinator {
 public:
  static constexpr size_t kMaxRequestsPerCopytool = 3;
  static constexpr std::chrono::seconds kLoopInterval{10};
  static constexpr std::chrono::minutes kCompletedKeptFor{5};

  explicit HsmCoordinator(std::string filesystem) : filesystem_(std::move(filesystem)) {}

  const std::string& filesystem() const { return filesystem_; }
  bool enabled() const { return enabled_; }
  bool running() const { return running_; }
  void SetEnabled(bool enabled) { enabled_ = enabled; }
  void SetRunning(bool running) { running_ = running; }

  // A copytool registers under a fresh uuid; one registered before with the
  // same id is deregistered first (its requests dropped), as the original.
  void RegisterAgent(const std::string& copytool_id, const std::string& uuid);
  void DeregisterAgent(const std::string& uuid);
  bool HasAgent(const std::string& uuid) const { return agents_.contains(uuid); }

  // One pass of the coordinator loop; does nothing unless running.
  void Loop(WallTime now, Random& random);
  // Hands over the requests queued for this copytool (empties its queue).
  std::vector<HsmRequest> TakeAgentRequests(const std::string& uuid);
  void StartRequest(const std::string& uuid, const HsmRequest& request);
  // False (and nothing changes) for a request this copytool never started.
  bool FinishRequest(const std::string& uuid, const HsmRequest& request, WallTime now);
  // Drops every waiting, queued and running request (hsm_control=purge).
  void Purge();

  // {"hsm": {"agents": {total, idle, busy}, "actions": {waiting, running,
  // succeeded, errored}}}, or {} while disabled (the original's hsm_stats).
  Json Stats() const;
  size_t waiting_count() const;
  size_t running_count() const;
  size_t completed_count() const { return completed_.size(); }

 private:
  struct Agent {
    std::string copytool_id;
    std::deque<HsmRequest> queued;
    std::map<std::string, HsmRequest> active;  // by fid
  };

  std::string filesystem_;
  bool enabled_ = false;
  bool running_ = false;
  std::map<std::string, Agent> agents_;  // by uuid
  std::deque<HsmRequest> unassigned_;
  std::map<std::string, WallTime> completed_;  // fid -> when it finished
};

}  // namespace cs
