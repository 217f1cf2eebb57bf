#include "fakes/hsm/hsm_fleet.h"

namespace cs {

namespace {
constexpr int kMaxCatchUpLoops = 3;

// Runs `loop` for each interval due by `now`, at most a few times.
template <typename F>
void RunDue(WallTime& next, WallTime now, std::chrono::seconds interval, F&& loop) {
  for (int i = 0; next <= now && i < kMaxCatchUpLoops; ++i) {
    loop(next);
    next += interval;
  }
  if (next <= now) next = now + interval;  // stalled: skip what was missed
}

std::string TextArg(const Json& args, const char* key, const std::string& fallback) {
  auto it = args.find(key);
  return it != args.end() && it->is_string() ? it->get<std::string>() : fallback;
}
int64_t IntArg(const Json& args, const char* key, int64_t fallback) {
  auto it = args.find(key);
  return it != args.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

// The boot time of the worker when it is up; nullopt while it is off,
// booting or shutting down (or gone).
std::optional<std::string> UpSince(const World& world, const std::string& fqdn) {
  const Server* s = world.servers.Find(fqdn);
  if (s == nullptr || s->power_state != PowerState::kRunning) return std::nullopt;
  return s->boot_time.value_or("");
}
}  // namespace

void HsmFleet::Reconcile(const World& world, WallTime now) {
  ReconcileCoordinators(world, now);
  ReconcileCopytools(world, now);
}

void HsmFleet::ReconcileCoordinators(const World& world, WallTime now) {
  for (auto it = coordinators_.begin(); it != coordinators_.end();) {
    it = world.hsm_coordinators.contains(it->first) ? std::next(it) : coordinators_.erase(it);
  }
  for (const auto& [fsname, record] : world.hsm_coordinators.all()) {
    auto it = coordinators_.find(fsname);
    if (it == coordinators_.end()) {
      // A purge asked for before this process started is history.
      it = coordinators_
               .emplace(fsname, CoordinatorSlot{HsmCoordinator(fsname), Random::ForStream(seed_, "hsm/" + fsname),
                                                record.purges, now})
               .first;
    }
    CoordinatorSlot& slot = it->second;
    if (!slot.coordinator.running() && record.running) slot.next_loop = now;  // loops at once on start
    slot.coordinator.SetEnabled(record.enabled);
    slot.coordinator.SetRunning(record.running);
    if (record.purges > slot.purges_seen) {
      slot.purges_seen = record.purges;
      slot.coordinator.Purge();
      for (auto& [id, copytool] : copytools_) {
        if (copytool.filesystem == fsname) copytool.run.CancelAll();
      }
    }
  }
}

void HsmFleet::ReconcileCopytools(const World& world, WallTime now) {
  std::vector<std::string> gone, lost;
  for (const auto& [id, slot] : copytools_) {
    const Copytool* c = world.copytools.Find(id);
    const std::optional<std::string> up = c != nullptr ? UpSince(world, c->server) : std::nullopt;
    if (c != nullptr && up != slot.boot) {
      lost.push_back(id);  // its worker went down (and maybe came back) since it registered
    } else if (c == nullptr || !c->running || c->uuid != slot.run.uuid() || !coordinators_.contains(slot.filesystem)) {
      gone.push_back(id);
    }
  }
  for (const std::string& id : lost) LoseCopytool(id);
  for (const std::string& id : gone) StopCopytool(id, now);

  for (const auto& [id, c] : world.copytools.all()) {
    if (!c.running || !c.uuid || copytools_.contains(id)) continue;
    const std::optional<std::string> up = UpSince(world, c.server);
    if (!up) continue;
    const std::string fsname = TextArg(c.copytool, "filesystem", "");
    auto coordinator = coordinators_.find(fsname);
    if (coordinator == coordinators_.end()) continue;
    HsmCopytoolRun run(id, *c.uuid, TextArg(c.copytool, "mountpoint", "/mnt/lustre"),
                       IntArg(c.copytool, "archive_number", 1), now, bandwidth_);
    coordinator->second.coordinator.RegisterAgent(id, *c.uuid);
    RelayFor(id, c.server).Put(run.RegisterEvent(now));
    copytools_.emplace(id, CopytoolSlot{fsname, *up, std::move(run), now});
  }
}

void HsmFleet::StopCopytool(const std::string& id, WallTime now) {
  auto it = copytools_.find(id);
  if (it == copytools_.end()) return;
  auto coordinator = coordinators_.find(it->second.filesystem);
  if (coordinator != coordinators_.end()) coordinator->second.coordinator.DeregisterAgent(it->second.run.uuid());
  auto relay = relays_.find(id);
  if (relay != relays_.end()) relay->second.Put(it->second.run.UnregisterEvent(now));
  copytools_.erase(it);
}

void HsmFleet::LoseCopytool(const std::string& id) {
  auto it = copytools_.find(id);
  if (it == copytools_.end()) return;
  auto coordinator = coordinators_.find(it->second.filesystem);
  if (coordinator != coordinators_.end()) coordinator->second.coordinator.DeregisterAgent(it->second.run.uuid());
  copytools_.erase(it);
  if (relays_.erase(id) > 0) lost_relays_.push_back(id);
}

std::vector<std::string> HsmFleet::TakeLostRelays() {
  std::vector<std::string> out;
  out.swap(lost_relays_);
  return out;
}

CopytoolEventRelay& HsmFleet::RelayFor(const std::string& id, const std::string& fqdn) {
  auto it = relays_.find(id);
  if (it == relays_.end()) it = relays_.emplace(id, CopytoolEventRelay(fqdn, id)).first;
  return it->second;
}

void HsmFleet::Advance(WallTime now) {
  for (auto& [fsname, slot] : coordinators_) {
    if (!slot.coordinator.running()) continue;
    RunDue(slot.next_loop, now, HsmCoordinator::kLoopInterval,
           [&](WallTime at) { slot.coordinator.Loop(at, slot.random); });
  }
  for (auto& [id, slot] : copytools_) {
    HsmCoordinator& coordinator = coordinators_.at(slot.filesystem).coordinator;
    CopytoolEventRelay& relay = relays_.at(id);
    RunDue(slot.next_loop, now, HsmCopytoolRun::kLoopInterval, [&](WallTime at) {
      for (Json& event : slot.run.Loop(at, coordinator)) relay.Put(std::move(event));
    });
  }
}

std::vector<std::string> HsmFleet::DropIdleRelays() {
  std::vector<std::string> dropped;
  std::erase_if(relays_, [&](const auto& entry) {
    const bool idle = !copytools_.contains(entry.first) && entry.second.queued() == 0 && !entry.second.in_flight();
    if (idle) dropped.push_back(entry.first);
    return idle;
  });
  return dropped;
}

Json HsmFleet::StatsFor(const std::string& filesystem) const {
  const HsmCoordinator* c = coordinator(filesystem);
  return c != nullptr ? c->Stats() : Json::object();
}

Json HsmFleet::Report() const {
  Json coordinators = Json::object();
  for (const auto& [fsname, slot] : coordinators_) {
    const HsmCoordinator& c = slot.coordinator;
    coordinators[fsname] = Json{{"enabled", c.enabled()}, {"running", c.running()}, {"stats", c.Stats()}};
  }
  Json copytools = Json::object();
  for (const auto& [id, slot] : copytools_) {
    const auto relay = relays_.find(id);
    const bool has_relay = relay != relays_.end();
    copytools[id] = Json{{"filesystem", slot.filesystem},
                         {"fqdn", has_relay ? Json(relay->second.fqdn()) : Json()},
                         {"uuid", slot.run.uuid()},
                         {"active_requests", slot.run.active_count()},
                         {"queued", has_relay ? relay->second.queued() : 0},
                         {"in_flight", has_relay && relay->second.in_flight()}};
  }
  return Json{{"coordinators", coordinators}, {"copytools", copytools}};
}

const HsmCoordinator* HsmFleet::coordinator(const std::string& filesystem) const {
  auto it = coordinators_.find(filesystem);
  return it != coordinators_.end() ? &it->second.coordinator : nullptr;
}

const HsmCopytoolRun* HsmFleet::copytool(const std::string& id) const {
  auto it = copytools_.find(id);
  return it != copytools_.end() ? &it->second.run : nullptr;
}

}  // namespace cs
