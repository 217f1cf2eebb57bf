// LiveFleet: the built-in manager and the simulator as separate processes
// on 127.0.0.1 (the real cluster-sim binary, as users run them), N servers
// registered, a steady phase and an action storm, measured from outside:
// the manager's REST API (hosts, commands, session_stats), the simulator's
// control API (`agents`) and /proc. bench/live_fleet_bench prints the
// figures; the scale test in the suite checks them. Every wait is bounded
// and both processes are ended by PID.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace cs::bench {

struct LiveFleetOptions {
  std::string binary;         // the cluster-sim executable
  int servers = 1000;
  int su_size = 4;
  double steady_seconds = 60;
  double poll_seconds = 10;
  double actions_per_second = 0;  // 0: no action storm
  double storm_seconds = 10;
  // false: the manager runs with --no-host-setup (no setup commands, hosts
  // stay "registered"): the agent protocol alone.
  bool set_up_hosts = true;
  // Bounds: registration until every host is managed, and shutdown.
  double register_timeout_seconds = 600;
  int registrations_in_flight = 0;  // 0: register's default
  std::string work_dir;       // "": a fresh directory under /tmp, removed after
  std::function<void(const std::string&)> progress;  // may be empty
};

struct Figure {
  std::string name;
  double value = 0;
  std::string unit;
};

struct LiveFleetReport {
  std::vector<Figure> figures;
  // For the scale test.
  int hosts_registered = 0;
  int hosts_with_every_session = 0;  // at the end of the steady phase
  int hosts_managed = 0;
  int64_t missed_poll_updates = 0;
  int64_t failed_requests = 0;
  int hosts_ever_unreachable = 0;
  int cli_hosts_listed = -1;         // `cluster-sim manager hosts --json` after the steady phase
  double registration_seconds = 0;   // until every plugin session is open
  std::string notes;                 // what went wrong, for a failure message
  const Figure* Find(const std::string& name) const;
};

// The plugins every simulated server opens a session for.
const std::vector<std::string>& ExpectedPlugins();
// The plugins that send DATA on every poll (the others only on change).
const std::vector<std::string>& EveryPollPlugins();

Result<LiveFleetReport> RunLiveFleet(const LiveFleetOptions& options);

}  // namespace cs::bench
