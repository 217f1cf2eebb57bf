// HsmCopytoolRun: one running simulated copytool, as the original's
// fake_hsm_copytool.py ran it: every loop (1 s) it takes the requests its
// coordinator queued for it, starts them, and moves each running one on by
// its share of the shared bandwidth (the original's 96 Gb/s unless told
// otherwise, split evenly; a REMOVE moves two loops' worth of the whole
// link whatever its size); a request that reaches its size finishes.
// It says what it does as the copytool's events (REGISTER, <ACTION>_START,
// <ACTION>_RUNNING at most every 5 s, <ACTION>_FINISH, UNREGISTER) in the
// shape the agent's copytool monitor posted them to the manager.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "fakes/hsm/coordinator.h"
#include "fakes/json_helpers.h"
#include "util/clock.h"

namespace cs {

// The copytool monitor's event time: UTC, "2026-12-01 13:04:05+00:00".
std::string FormatCopytoolEventTime(WallTime t);

class HsmCopytoolRun {
 public:
  static constexpr int64_t kMaxBandwidth = 12884901888;  // bytes/s: 96 Gb/s, 12x QDR
  static constexpr std::chrono::seconds kLoopInterval{1};
  static constexpr std::chrono::seconds kProgressInterval{5};

  HsmCopytoolRun(std::string id, std::string uuid, std::string mount_point, int64_t archive,
                 WallTime started, int64_t bandwidth = kMaxBandwidth);

  const std::string& id() const { return id_; }
  const std::string& uuid() const { return uuid_; }
  int64_t bandwidth() const { return bandwidth_; }
  size_t active_count() const { return active_.size(); }

  Json RegisterEvent(WallTime now) const { return LifecycleEvent("REGISTER", now); }
  Json UnregisterEvent(WallTime now) const { return LifecycleEvent("UNREGISTER", now); }
  // One pass of the copytool loop against its coordinator; the events it
  // produced, in order.
  std::vector<Json> Loop(WallTime now, HsmCoordinator& coordinator);
  // The coordinator cancelled everything (purge): forget it all, silently.
  void CancelAll() { active_.clear(); }

 private:
  Json LifecycleEvent(const char* type, WallTime now) const;
  static Json RequestEvent(const HsmRequest& r, const char* phase, WallTime now);

  std::string id_;
  std::string uuid_;
  std::string mount_point_;
  int64_t archive_;
  int64_t bandwidth_;  // bytes/s shared by the running requests
  WallTime last_progress_event_;
  std::map<std::string, HsmRequest> active_;  // by fid
};

}  // namespace cs
