// DevicePlugin: what one simulated agent reports to the manager, plugin by
// plugin (linux, linux_network, lustre, corosync, systemd_journal,
// simulator_controller), rendered from the shared world. The agent runtime
// owns sessions and polling (and the action_runner plugin); a plugin only
// turns the world as it is now into DATA bodies. Plugins are pure: no
// sockets, no sleeps, and time and randomness come in through the context,
// so a seeded run renders the same bodies every time.
#pragma once

#include <memory>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/stats/stats_book.h"
#include "fakes/world.h"
#include "util/clock.h"
#include "util/random.h"

namespace cs {

struct PluginContext {
  const World& world;
  const Server& server;
  WallTime now;
  Random& random;
  // The fleet's node and target statistics (fakes/stats/stats_book.h),
  // shared by every agent: a target's series follows it when it fails over.
  StatsBook& stats;
  // Log lines injected by the control API and not yet sent (see
  // MakeLogLine); the journal plugin takes them. May be null: none.
  std::vector<Json>* pending_log_lines = nullptr;
  // The HSM coordinator's stats of a filesystem, merged into its MDT0000's
  // target stats (sim/hsm_service.h). May be null: no HSM.
  const std::function<Json(const std::string& filesystem)>* hsm_stats = nullptr;
  // kPeek: report the statistics as they stand without a poll's drift (the
  // device_plugin action's reading).
  StatsBook::Read stats_read = StatsBook::Read::kNext;
};

// The DATA bodies one poll sends, in order; empty sends nothing. Most
// plugins send one body; the journal splits long backlogs into several,
// as the real agent's DevicePluginMessageCollection did.
using PluginBodies = std::vector<Json>;

class DevicePlugin {
 public:
  virtual ~DevicePlugin() = default;
  virtual std::string_view name() const = 0;
  // The first poll of a session.
  virtual PluginBodies StartSession(PluginContext& ctx) = 0;
  // Every later poll of the session.
  virtual PluginBodies UpdateSession(PluginContext& ctx) = 0;
};

// One of each device plugin an agent runs, action_runner excepted (the
// runtime owns it). Each agent needs its own set.
std::vector<std::unique_ptr<DevicePlugin>> MakeDevicePlugins();

}  // namespace cs
