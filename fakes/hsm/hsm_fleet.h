// HsmFleet: every simulated HSM coordinator and running copytool, kept in
// line with the world: a coordinator per filesystem that has an
// HsmCoordinatorRecord (running when the record says so, purged once per
// purge asked for), and a copytool run per configured copytool that is
// running and whose worker is up, registered with its filesystem's
// coordinator under the uuid the world gave it. A worker that goes down
// takes its copytool with it, silently (no UNREGISTER: the machine died);
// when it boots, the copytool registers anew under the uuid the boot drew
// (ReregisterHsmCopytoolsOf). Each copytool's events wait in its relay for the runtime
// to POST them. Pure logic: the runtime (sim/hsm_service.h) calls
// Reconcile and Advance with the time, and the seed fixes every request.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/hsm/copytool_run.h"
#include "fakes/hsm/coordinator.h"
#include "fakes/hsm/event_relay.h"
#include "fakes/world.h"
#include "util/random.h"

namespace cs {

class HsmFleet {
 public:
  // `bandwidth`: bytes/s each copytool shares among its running requests.
  explicit HsmFleet(uint64_t seed, int64_t bandwidth = HsmCopytoolRun::kMaxBandwidth)
      : seed_(seed), bandwidth_(bandwidth) {}

  // Starts, stops, purges and (re)registers to match `world`.
  void Reconcile(const World& world, WallTime now);
  // Runs every loop due by `now` (coordinators every 10 s, copytools every
  // second; a long stall runs at most a few loops, not every missed one).
  void Advance(WallTime now);

  // The coordinator's contribution to its MDT0000's stats ({} if none).
  Json StatsFor(const std::string& filesystem) const;
  // {coordinators: {fs: {enabled, running, stats}}, copytools: {id:
  // {filesystem, fqdn, uuid, active_requests, queued, in_flight}}}.
  Json Report() const;
  const HsmCoordinator* coordinator(const std::string& filesystem) const;
  const HsmCopytoolRun* copytool(const std::string& id) const;
  // Relays by copytool id; one outlives its copytool until it is drained.
  std::map<std::string, CopytoolEventRelay>& relays() { return relays_; }
  // Forgets drained relays of copytools no longer running; their ids.
  std::vector<std::string> DropIdleRelays();
  // Ids of the relays dropped with their events since the last call (their
  // worker went down): whatever was in flight for them is void.
  std::vector<std::string> TakeLostRelays();

 private:
  struct CoordinatorSlot {
    HsmCoordinator coordinator;
    Random random;
    int64_t purges_seen;
    WallTime next_loop;
  };
  struct CopytoolSlot {
    std::string filesystem;
    std::string boot;  // the worker's boot time when it registered
    HsmCopytoolRun run;
    WallTime next_loop;
  };

  void ReconcileCoordinators(const World& world, WallTime now);
  void ReconcileCopytools(const World& world, WallTime now);
  void StopCopytool(const std::string& id, WallTime now);
  void LoseCopytool(const std::string& id);
  CopytoolEventRelay& RelayFor(const std::string& id, const std::string& fqdn);

  uint64_t seed_;
  int64_t bandwidth_;
  std::map<std::string, CoordinatorSlot> coordinators_;  // by filesystem
  std::map<std::string, CopytoolSlot> copytools_;         // by copytool id
  std::map<std::string, CopytoolEventRelay> relays_;      // by copytool id
  std::vector<std::string> lost_relays_;
};

}  // namespace cs
