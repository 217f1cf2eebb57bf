#include "cli/cluster_power.h"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "pdu_client/apc_session.h"
#include "state/store.h"

namespace cs::power_cli {

namespace {

using Json = nlohmann::ordered_json;

// What the state says about one PDU: where it listens, which outlet feeds
// which server.
struct PduInfo {
  std::string name;
  std::string address;
  int port = 0;
  std::map<int, std::string> servers;  // outlet -> fqdn ("" when nothing is plugged in)

  bool Feeds(int outlet, const std::string& fqdn) const {
    auto it = servers.find(outlet);
    return it != servers.end() && it->second == fqdn;
  }
};

struct Fleet {
  std::vector<PduInfo> pdus;                // by name
  std::map<std::string, int> server_outlet;  // fqdn -> outlet, servers with PSUs
  std::vector<std::string> workers;
};

std::optional<int> OutletNumber(const std::string& text) {
  if (text.empty() || text.size() > 6 || !std::all_of(text.begin(), text.end(), ::isdigit)) return std::nullopt;
  const int n = std::stoi(text);
  return n >= 1 ? std::optional<int>(n) : std::nullopt;
}

Result<Fleet> LoadFleet(const Options& options) {
  Store::Options store_options;
  store_options.mode = Store::Mode::kReadOnly;
  auto store = Store::Open(options.config, store_options);
  if (!store.ok()) return store.status();
  const World& w = (*store)->world();
  Fleet fleet;
  for (const auto& [fqdn, s] : w.servers.all()) {
    if (s.worker) fleet.workers.push_back(fqdn);
    if (!s.outlet) continue;
    if (auto n = OutletNumber(*s.outlet)) fleet.server_outlet[fqdn] = *n;
  }
  for (const auto& [name, pdu] : w.pdus.all()) {
    PduInfo info{name, pdu.address, pdu.port + options.port_offset, {}};
    for (const auto& [outlet, on] : pdu.outlets) {
      if (auto n = OutletNumber(outlet)) info.servers[*n] = "";
    }
    for (const auto& [fqdn, s] : w.servers.all()) {
      if (!World::Feeds(pdu, s)) continue;
      if (auto n = OutletNumber(*s.outlet)) info.servers[*n] = fqdn;
    }
    fleet.pdus.push_back(std::move(info));
  }
  return fleet;
}

std::string Hint(const Status& status) {
  if (status.code() != Status::Code::kUnavailable) return "";
  return " (is the fleet running? `cluster-sim run` serves its PDUs)";
}

ApcPlan Plan(const Options& options) {
  ApcPlan plan;
  plan.user = options.user;
  plan.password = options.password;
  return plan;
}

// Carries out `switches` on each PDU; prints one line per outlet switched.
int Switch(const Options& options, const std::vector<const PduInfo*>& pdus,
           const std::vector<int>& outlets, PowerAction action) {
  int rc = kExitOk;
  for (const PduInfo* pdu : pdus) {
    ApcPlan plan = Plan(options);
    for (int outlet : outlets) plan.switches.emplace_back(outlet, action);
    auto done = RunApcSession(pdu->address, pdu->port, plan, options.timeout);
    const size_t switched = done.ok() ? done->switched : 0;
    for (size_t i = 0; i < switched; ++i) {
      std::cout << pdu->name << " outlet " << outlets[i] << ": " << PowerActionName(action) << "\n";
    }
    if (!done.ok()) rc = Report(kExitPduFailed, pdu->name + ": " + done.status().message() + Hint(done.status()));
  }
  std::cout << std::flush;
  return rc;
}

struct PduReading {
  const PduInfo* pdu;
  Result<ApcSessionResult> result;
};

std::vector<PduReading> ReadAll(const Options& options, const Fleet& fleet) {
  std::vector<PduReading> readings;
  for (const PduInfo& pdu : fleet.pdus) {
    ApcPlan plan = Plan(options);
    plan.read_outlets = true;
    readings.push_back({&pdu, RunApcSession(pdu.address, pdu.port, plan, options.timeout)});
  }
  return readings;
}

// The outlet's state as the PDU showed it; nullopt when it could not be read.
std::optional<bool> OutletOn(const PduReading& r, int outlet) {
  if (!r.result.ok()) return std::nullopt;
  auto it = r.result->outlets.find(outlet);
  if (it == r.result->outlets.end()) return std::nullopt;
  return it->second.on;
}

std::string StateText(std::optional<bool> on) { return !on ? "UNKNOWN" : *on ? "ON" : "OFF"; }
Json StateJson(std::optional<bool> on) { return on ? Json(*on) : Json(nullptr); }

void PrintServers(const Options& options, const Fleet& fleet, const std::vector<PduReading>& readings) {
  Json out = Json::array();
  for (const auto& [fqdn, outlet] : fleet.server_outlet) {
    Json feeds = Json::array();
    std::optional<bool> has_power = false;
    if (!options.json) std::cout << fqdn << "\n";
    for (const PduReading& r : readings) {
      if (!r.pdu->Feeds(outlet, fqdn)) continue;
      const std::optional<bool> on = OutletOn(r, outlet);
      if (!options.json) std::cout << "  " << r.pdu->name << " (" << outlet << "): " << StateText(on) << "\n";
      feeds.push_back(Json{{"pdu", r.pdu->name}, {"outlet", outlet}, {"on", StateJson(on)}});
      if (on.value_or(false)) has_power = true;
      else if (!on && has_power == false) has_power = std::nullopt;
    }
    out.push_back(Json{{"fqdn", fqdn}, {"has_power", StateJson(has_power)}, {"outlets", feeds}});
  }
  if (options.json) std::cout << out.dump(2) << "\n";
}

void PrintPdus(const Options& options, const std::vector<PduReading>& readings) {
  Json out = Json::array();
  for (const PduReading& r : readings) {
    if (!options.json) std::cout << r.pdu->name << ":\n";
    Json outlets = Json::array();
    // The PDU's own list, with the state's outlets it did not show.
    std::map<int, std::string> numbers = r.pdu->servers;
    if (r.result.ok()) {
      for (const auto& [n, o] : r.result->outlets) numbers.emplace(n, "");
    }
    for (const auto& [n, fqdn] : numbers) {
      const std::optional<bool> on = OutletOn(r, n);
      if (!options.json) std::cout << "  " << (fqdn.empty() ? "-" : fqdn) << " (" << n << "): " << StateText(on) << "\n";
      outlets.push_back(Json{{"outlet", n}, {"server", fqdn.empty() ? Json(nullptr) : Json(fqdn)}, {"on", StateJson(on)}});
    }
    out.push_back(Json{{"name", r.pdu->name},
                       {"address", r.pdu->address},
                       {"port", r.pdu->port},
                       {"reachable", r.result.ok()},
                       {"error", r.result.ok() ? Json(nullptr) : Json(r.result.status().message())},
                       {"outlets", outlets}});
  }
  if (options.json) std::cout << out.dump(2) << "\n";
}

Result<PowerAction> Action(const std::string& text) {
  PowerAction action;
  if (!ParsePowerAction(text, &action)) {
    return Status::InvalidArgument("action must be on, off or reboot, not '" + text + "'");
  }
  return action;
}

}  // namespace

int Report(int code, const std::string& message) {
  std::cerr << "cluster-power: " << message << std::endl;
  return code;
}

int SwitchPduOutlet(const Options& options, const std::string& name, const std::string& outlet_text,
                    const std::string& action_text) {
  auto action = Action(action_text);
  if (!action.ok()) return Report(kExitBadInput, action.status().message());
  auto fleet = LoadFleet(options);
  if (!fleet.ok()) return Report(kExitBadInput, fleet.status().message());
  auto pdu = std::find_if(fleet->pdus.begin(), fleet->pdus.end(), [&](const PduInfo& p) { return p.name == name; });
  if (pdu == fleet->pdus.end()) {
    std::string names;
    for (const PduInfo& p : fleet->pdus) names += (names.empty() ? "" : ", ") + p.name;
    return Report(kExitBadInput, "no PDU named '" + name + "' (the fleet has " + (names.empty() ? "none" : names) + ")");
  }
  const std::optional<int> outlet = OutletNumber(outlet_text);
  if (!outlet || pdu->servers.count(*outlet) == 0) {
    const std::string range = pdu->servers.empty() ? "no outlets"
                                                   : "outlets 1 to " + std::to_string(pdu->servers.rbegin()->first);
    return Report(kExitBadInput, name + " has " + range + ", not '" + outlet_text + "'");
  }
  return Switch(options, {&*pdu}, {*outlet}, *action);
}

int SwitchServer(const Options& options, const std::string& fqdn, const std::string& action_text) {
  auto action = Action(action_text);
  if (!action.ok()) return Report(kExitBadInput, action.status().message());
  auto fleet = LoadFleet(options);
  if (!fleet.ok()) return Report(kExitBadInput, fleet.status().message());
  std::map<std::string, int> chosen;  // fqdn -> outlet
  std::string lower = fqdn;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "all") {
    chosen = fleet->server_outlet;
  } else if (auto it = fleet->server_outlet.find(fqdn); it != fleet->server_outlet.end()) {
    chosen.insert(*it);
  } else if (std::find(fleet->workers.begin(), fleet->workers.end(), fqdn) != fleet->workers.end()) {
    return Report(kExitBadInput, fqdn + " is a worker: it is plugged into no PDU");
  } else {
    return Report(kExitBadInput, "no server '" + fqdn + "' in " + options.config + " (give its fqdn, or all)");
  }
  if (chosen.empty()) return Report(kExitBadInput, "the fleet in " + options.config + " has no servers on PDUs");
  // Each PDU switches the outlets of the chosen servers it feeds (per-rack
  // PDUs feed only their rack's).
  int rc = kExitOk;
  for (const PduInfo& p : fleet->pdus) {
    std::vector<int> outlets;
    for (const auto& [server, outlet] : chosen) {
      if (p.Feeds(outlet, server)) outlets.push_back(outlet);
    }
    std::sort(outlets.begin(), outlets.end());
    if (outlets.empty()) continue;
    const int switched = Switch(options, {&p}, outlets, *action);
    if (switched != kExitOk) rc = switched;
  }
  return rc;
}

int ShowStatus(const Options& options, const std::string& what) {
  if (what != "servers" && what != "pdus") {
    return Report(kExitBadInput, "status shows servers or pdus, not '" + what + "'");
  }
  auto fleet = LoadFleet(options);
  if (!fleet.ok()) return Report(kExitBadInput, fleet.status().message());
  const std::vector<PduReading> readings = ReadAll(options, *fleet);
  if (what == "servers") {
    PrintServers(options, *fleet, readings);
  } else {
    PrintPdus(options, readings);
  }
  std::cout << std::flush;
  int rc = kExitOk;
  for (const PduReading& r : readings) {
    if (!r.result.ok()) {
      rc = Report(kExitPduFailed, r.pdu->name + ": " + r.result.status().message() + Hint(r.result.status()));
    }
  }
  return rc;
}

}  // namespace cs::power_cli
