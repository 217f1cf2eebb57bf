#include "fakes/server.h"

#include <cstdio>
#include <utility>

namespace cs {

const char* PowerStateName(PowerState s) {
  switch (s) {
    case PowerState::kOff: return "off";
    case PowerState::kStartingUp: return "starting_up";
    case PowerState::kRunning: return "running";
    case PowerState::kShuttingDown: return "shutting_down";
  }
  return "off";
}

bool ParsePowerState(const std::string& text, PowerState* out) {
  for (PowerState s : {PowerState::kOff, PowerState::kStartingUp, PowerState::kRunning,
                       PowerState::kShuttingDown}) {
    if (text == PowerStateName(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

std::vector<std::string> Server::Nids() const {
  // Ordered by interface number, not by address text ("10.10..." < "10.2...").
  std::map<int, std::string> by_interface;
  for (const auto& [address, iface] : network_interfaces) {
    if (iface.lnd_network) {
      by_interface[iface.interface_no] =
          address + "@" + iface.type + std::to_string(*iface.lnd_network);
    }
  }
  std::vector<std::string> nids;
  for (auto& [no, nid] : by_interface) nids.push_back(std::move(nid));
  return nids;
}

void to_json(Json& j, const Server& s) {
  j = Json{{"id", s.id},
           {"fqdn", s.fqdn},
           {"nodename", s.nodename},
           {"worker", s.worker},
           {"network_interfaces", s.network_interfaces},
           {"lnet_loaded", s.lnet_loaded},
           {"lnet_up", s.lnet_up},
           {"corosync", s.corosync},
           {"pacemaker", s.pacemaker},
           {"packages", s.packages},
           {"client_mounts", s.client_mounts},
           {"profile_name", s.profile_name},
           // The original's two flags, kept for readers of the old layout.
           {"starting_up", s.power_state == PowerState::kStartingUp},
           {"shutting_down", s.power_state == PowerState::kShuttingDown},
           {"power_state", PowerStateName(s.power_state)},
           {"boot_time", s.boot_time},
           {"log_rate", s.log_rate},
           {"registered", s.registered},
           {"host_id", s.host_id},
           {"outlet", s.outlet},
           {"pdus", s.pdus},
           {"random_actions", s.random_actions}};
}

void from_json(const Json& j, Server& s) {
  Server d;  // defaults for keys the original layout lacks
  s.id = j.at("id").get<int>();
  s.fqdn = j.at("fqdn").get<std::string>();
  s.nodename = j.at("nodename").get<std::string>();
  s.worker = j.value("worker", d.worker);
  s.network_interfaces = j.value("network_interfaces", d.network_interfaces);
  s.lnet_loaded = j.value("lnet_loaded", d.lnet_loaded);
  s.lnet_up = j.value("lnet_up", d.lnet_up);
  s.corosync = j.value("corosync", d.corosync);
  s.pacemaker = j.value("pacemaker", d.pacemaker);
  s.packages = j.value("packages", d.packages);
  s.client_mounts = j.value("client_mounts", d.client_mounts);
  s.profile_name = j.value("profile_name", d.profile_name);
  s.power_state = PowerState::kRunning;
  if (j.contains("power_state")) {
    if (!ParsePowerState(j.at("power_state").get<std::string>(), &s.power_state)) {
      throw Json::other_error::create(501, "unknown power_state " + j.at("power_state").dump(), &j);
    }
  } else if (j.value("starting_up", false)) {
    s.power_state = PowerState::kStartingUp;
  } else if (j.value("shutting_down", false)) {
    s.power_state = PowerState::kShuttingDown;
  }
  s.boot_time = j.value("boot_time", d.boot_time);
  s.log_rate = j.value("log_rate", d.log_rate);
  s.registered = j.value("registered", d.registered);
  s.host_id = j.value("host_id", d.host_id);
  s.outlet = j.value("outlet", d.outlet);
  s.pdus = j.value("pdus", d.pdus);
  s.random_actions = j.value("random_actions", d.random_actions);
}

std::string ServerNodename(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "test%03d", i);
  return buf;
}

std::string WorkerNodename(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "worker%03d", i);
  return buf;
}

std::string FqdnOf(const std::string& nodename) { return nodename + ".localdomain"; }

Server MakeServer(int i, int nid_count, bool worker) {
  static const char* const kTypes[] = {"tcp", "o2ib"};
  Server s;
  s.id = i;
  s.worker = worker;
  s.nodename = worker ? WorkerNodename(i) : ServerNodename(i);
  s.fqdn = FqdnOf(s.nodename);
  for (int n = 0; n < nid_count; ++n) {
    const std::string address =
        "10." + std::to_string(n) + "." + std::to_string(i / 256) + "." + std::to_string(i % 256);
    NetworkInterface iface;
    iface.interface_no = n;
    iface.type = worker ? "tcp" : kTypes[n % 2];
    iface.lnd_type = iface.type;
    iface.lnd_network = n;
    s.network_interfaces[address] = iface;
  }
  return s;
}

}  // namespace cs
