// Server: one simulated storage server or HSM worker, everything that lives
// on that machine: its identity and NIDs, lnet / corosync / pacemaker state,
// installed packages, Lustre client mounts, profile, power state and
// registration. Pure data plus small rules; the shared world (clusters,
// devices) is changed through World operations, not from here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "fakes/package.h"

namespace cs {

// One LNet network interface of a server, keyed by its IPv4 address.
struct NetworkInterface {
  int interface_no = 0;
  std::string type = "tcp";      // tcp | o2ib
  std::string lnd_type = "tcp";
  std::optional<int> lnd_network = 0;

  bool operator==(const NetworkInterface&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(NetworkInterface, interface_no, type, lnd_type,
                                                lnd_network)

struct ServiceState {
  std::string state = "stopped";  // started | stopped
  bool operator==(const ServiceState&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ServiceState, state)

struct CorosyncState {
  std::string state = "stopped";
  int mcast_port = 3000;
  bool operator==(const CorosyncState&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CorosyncState, state, mcast_port)

// Whether the server's operating system is running. The agent process runs
// only while the server is "running"; power loss makes it "off" at once.
enum class PowerState { kOff, kStartingUp, kRunning, kShuttingDown };
const char* PowerStateName(PowerState s);
bool ParsePowerState(const std::string& text, PowerState* out);

struct Server {
  int id = 0;              // the i in test%03d / worker%03d
  std::string fqdn;
  std::string nodename;
  bool worker = false;
  std::map<std::string, NetworkInterface> network_interfaces;  // by address
  bool lnet_loaded = false;
  bool lnet_up = false;
  CorosyncState corosync;
  ServiceState pacemaker;
  PackageSet packages;                                // installed
  std::map<std::string, std::string> client_mounts;   // mountspec -> mountpoint
  std::optional<std::string> profile_name;
  PowerState power_state = PowerState::kRunning;
  std::optional<std::string> boot_time;  // agent-format time of the last boot
  int log_rate = 0;                      // synthetic log lines per poll
  // Registration with the manager: set once the manager has issued a
  // certificate (which lives in the server's crypto directory).
  bool registered = false;
  std::optional<int64_t> host_id;
  // Outlet number of this server ("1", "2", ...) on each PDU that feeds it;
  // workers have none.
  std::optional<std::string> outlet;
  // The PDUs feeding it, one per PSU (per-rack PDUs: two PDUs of its rack
  // for two PSUs). Empty: every PDU that has its outlet, the fleet-wide
  // wiring of fleets without racks and of states written before racks had
  // PDUs of their own.
  std::vector<std::string> pdus;
  // How many actions on this server drew random numbers (a target's UUID):
  // with the fleet's seed and the action's name, the identity the next
  // one's random stream is seeded from, so replaying the same actions on
  // the same fleet gives the same UUIDs, and a second format gives new ones.
  uint64_t random_actions = 0;

  bool running() const { return power_state != PowerState::kOff; }
  // "10.0.0.3@tcp0" for every interface on an LNet network, by interface number.
  std::vector<std::string> Nids() const;
  bool operator==(const Server&) const = default;
};

void to_json(Json& j, const Server& s);
void from_json(const Json& j, Server& s);

// Names the original used: test%03d, worker%03d, and ".localdomain".
std::string ServerNodename(int i);
std::string WorkerNodename(int i);
std::string FqdnOf(const std::string& nodename);

// A new server i with nid_count NIDs 10.n.(i/256).(i%256), types
// alternating tcp/o2ib (workers: tcp only, as in the original).
Server MakeServer(int i, int nid_count, bool worker);

}  // namespace cs
