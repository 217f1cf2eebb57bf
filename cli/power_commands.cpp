#include "cli/power_commands.h"

#include <CLI/CLI.hpp>

#include "cli/number_options.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <set>

#include "fakes/cluster_env.h"
#include "sim/control/control_server.h"
#include "sim/control/remote_operations.h"
#include "state/store.h"

namespace cs::cli {

namespace {

void AddControlOptions(CLI::App* cmd, PowerCli& c) {
  cmd->add_option("--control-url", c.control_url, "The running daemon's control API")->capture_default_str();
  cmd->add_option("--control-token-file", c.token_file, "File holding the control API's bearer token");
}

Result<Json> CallDaemon(const PowerCli& c, const std::string& operation, Json args) {
  SimulatorRemoteOptions options;
  options.url = c.control_url;
  if (c.token_file) {
    auto token = ReadTokenFile(*c.token_file);
    if (!token.ok()) return token.status();
    options.token = *token;
  }
  if (c.pause_seconds) args["pause_seconds"] = std::to_string(*c.pause_seconds);
  auto ops = SimulatorRemoteOperations::Connect(options);
  if (!ops.ok()) return ops.status();
  return (*ops)->Call(operation, args);
}

int Call(const PowerCli& c, const std::string& operation, Json args) {
  Result<Json> r = CallDaemon(c, operation, std::move(args));
  if (!r.ok()) return Fail("power: " + r.status().message());
  return kExitOk;
}

std::string Joined(const Json& items) {
  std::string out;
  for (const Json& i : items) out += (out.empty() ? "" : ", ") + i.get<std::string>();
  return out.empty() ? "none" : out;
}

// controller fail|restore ID: what changed, in one line (--json: the answer).
int FailOrRestoreController(const PowerCli& c, bool failed) {
  Result<Json> r = CallDaemon(c, failed ? "fail_controller" : "restore_controller", Json{{"controller_id", c.controller_id}});
  if (!r.ok()) return Fail("controller: " + r.status().message());
  if (c.json) {
    std::cout << r->dump(2) << "\n";
    return kExitOk;
  }
  const Json& j = *r;
  const std::string id = "controller " + j["controller_id"].dump();
  if (!j["changed"].get<bool>()) {
    std::cout << id << " was already " << (failed ? "failed" : "working") << "\n";
  } else if (failed) {
    std::cout << id << " failed: " << j["volumes"].size() << " LUNs absent; targets stopped: " << Joined(j["targets_stopped"])
              << "\n";
  } else {
    std::cout << id << " restored: " << j["volumes"].size() << " LUNs back; targets started: "
              << Joined(j["targets_started"]) << "\n";
  }
  return kExitOk;
}

// controller list: every controller with its LUNs, state and the servers
// of its SU, from the saved state.
int PrintControllers(const GlobalOptions& global, const PowerCli& c) {
  auto store = OpenSavedState(global);
  if (!store.ok()) return Fail(store.status().message());
  const World& w = (*store)->world();
  std::vector<std::pair<int, Json>> rows;
  for (const auto& [key, ctl] : w.controllers.all()) {
    std::set<std::string> servers;
    for (const auto& [fqdn, presented] : w.presentations.all()) {
      for (const auto& [path, serial] : presented) {
        if (ctl.luns.count(serial)) servers.insert(fqdn);
      }
    }
    rows.emplace_back(ctl.controller_id, Json{{"controller_id", ctl.controller_id},
                                              {"luns", ctl.luns.size()},
                                              {"disks", ctl.disks.size()},
                                              {"failed", ctl.failed},
                                              {"servers", servers}});
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Json out = Json::array();
  for (auto& [id, row] : rows) out.push_back(std::move(row));
  if (c.json) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  if (out.empty()) {
    std::cout << "no controllers (setup --su_size makes scalable units with one each)\n";
    return kExitOk;
  }
  std::printf("%-10s  %-5s  %-5s  %-6s  %s\n", "CONTROLLER", "LUNS", "DISKS", "STATE", "SERVERS");
  for (const Json& r : out) {
    std::string servers;
    for (const Json& s : r["servers"]) servers += (servers.empty() ? "" : ",") + s.get<std::string>();
    std::printf("%-10d  %-5zu  %-5zu  %-6s  %s\n", r["controller_id"].get<int>(), r["luns"].get<size_t>(),
                r["disks"].get<size_t>(), r["failed"].get<bool>() ? "FAILED" : "ok", servers.c_str());
  }
  return kExitOk;
}

int PrintStatus(const GlobalOptions& global, const std::string& what) {
  if (what != "servers" && what != "pdus") return Fail("power status takes servers or pdus, not " + what);
  auto store = OpenSavedState(global);
  if (!store.ok()) return Fail(store.status().message());
  const World& w = (*store)->world();
  if (what == "servers") {
    for (const auto& [fqdn, s] : w.servers.all()) {
      if (!s.outlet) continue;
      std::cout << fqdn << "\n";
      for (const auto& [name, pdu] : w.pdus.all()) {
        std::cout << "  " << name << " (" << *s.outlet << "): " << (pdu.OutletOn(*s.outlet) ? "ON" : "OFF") << "\n";
      }
    }
    return kExitOk;
  }
  for (const auto& [name, pdu] : w.pdus.all()) {
    std::cout << name << " (" << pdu.address << ":" << pdu.port << "):\n";
    std::vector<std::pair<int, std::string>> outlets;
    for (const auto& [outlet, on] : pdu.outlets) outlets.emplace_back(std::atoi(outlet.c_str()), outlet);
    std::sort(outlets.begin(), outlets.end());
    for (const auto& [n, outlet] : outlets) {
      std::string server = "-";
      for (const auto& [fqdn, s] : w.servers.all()) {
        if (s.outlet == outlet) server = fqdn;
      }
      std::cout << "  " << server << " (" << outlet << "): " << (pdu.OutletOn(outlet) ? "ON" : "OFF") << "\n";
    }
  }
  return kExitOk;
}

// The fencing history as a table (time, node, by, outcome, outlets or why
// not), or as fence_history's JSON.
int PrintFencing(const GlobalOptions& global, const PowerCli& c) {
  auto store = OpenSavedState(global);
  if (!store.ok()) return Fail(store.status().message());
  const Json history =
      FenceHistoryJson((*store)->world(), c.fqdn.empty() ? std::nullopt : std::optional<std::string>(c.fqdn));
  if (c.json) {
    std::cout << history.dump(2) << "\n";
    return kExitOk;
  }
  if (history.empty()) {
    std::cout << "no fencing attempt\n";
    return kExitOk;
  }
  std::printf("%-32s  %-24s  %-24s  %-7s  %s\n", "TIME", "NODE", "BY", "OUTCOME", "DETAIL");
  for (const Json& e : history) {
    const std::string by = e["executor_fqdn"].is_string() ? e["executor_fqdn"].get<std::string>() : "-";
    std::printf("%-32s  %-24s  %-24s  %-7s  %s\n", e["time"].get<std::string>().c_str(),
                e["fqdn"].get<std::string>().c_str(), by.c_str(), e["outcome"].get<std::string>().c_str(),
                e["detail"].get<std::string>().c_str());
  }
  return kExitOk;
}

}  // namespace

std::unique_ptr<PowerCli> AddPowerCommands(CLI::App& app) {
  auto c = std::make_unique<PowerCli>();
  CLI::App* power = app.add_subcommand("power", "PDU outlets: switch them through the running daemon, or show them");
  power->require_subcommand(1);
  c->pdu = power->add_subcommand("pdu", "Switch one outlet of one PDU: NAME OUTLET on|off|reboot");
  c->pdu->add_option("NAME", c->name, "PDU name (pdu000)")->required();
  c->pdu->add_option("OUTLET", c->outlet, "Outlet number")->required();
  c->pdu->add_option("ACTION", c->action, "on, off or reboot")->required();
  c->server = power->add_subcommand("server", "Switch a server's outlet on every PDU: FQDN|all on|off|reboot");
  c->server->add_option("FQDN", c->fqdn, "Server fqdn, or all")->required();
  c->server->add_option("ACTION", c->action, "on, off or reboot")->required();
  for (CLI::App* cmd : {c->pdu, c->server}) {
    AddControlOptions(cmd, *c);
    cmd->add_option("--pause-seconds", c->pause_seconds, "Reboot: seconds between off and on (default 5)")
        ->check(cs::cli::RealIn(0.0, 3600.0));
  }
  c->status = power->add_subcommand("status", "Outlet states from the saved state: servers|pdus");
  c->status->add_option("WHAT", c->what, "servers or pdus")->required();
  c->fencing = power->add_subcommand("fencing", "Every fencing attempt (node, by which node, outcome), from the saved state");
  c->fencing->add_flag("--json", c->json, "Print JSON (as the control operation fence_history)");
  c->fencing->add_option("--fqdn", c->fqdn, "Only the attempts on this server");

  CLI::App* controller = app.add_subcommand("controller", "Storage controllers of scalable units: fail, restore, list");
  controller->require_subcommand(1);
  c->controller_fail = controller->add_subcommand(
      "fail", "Fail a controller through the running daemon: its LUNs vanish from its SU, the targets on them stop");
  c->controller_restore = controller->add_subcommand(
      "restore", "Restore a failed controller: its LUNs come back, pacemaker starts the targets again");
  for (CLI::App* cmd : {c->controller_fail, c->controller_restore}) {
    cmd->add_option("ID", c->controller_id, "Controller id (controller list shows them)")->required();
    cmd->add_flag("--json", c->json, "Print the control API's answer as JSON");
    AddControlOptions(cmd, *c);
  }
  c->controller_list = controller->add_subcommand("list", "Every controller: LUNs, state, servers, from the saved state");
  c->controller_list->add_flag("--json", c->json, "Print JSON");
  return c;
}

int RunPowerCli(const GlobalOptions& global, const PowerCli& c) {
  if (c.pdu->parsed()) {
    return Call(c, "set_outlet", Json{{"pdu", c.name}, {"outlet", c.outlet}, {"action", c.action}});
  }
  if (c.server->parsed()) return Call(c, "power_server", Json{{"fqdn", c.fqdn}, {"action", c.action}});
  if (c.status->parsed()) return PrintStatus(global, c.what);
  if (c.fencing->parsed()) return PrintFencing(global, c);
  if (c.controller_fail->parsed()) return FailOrRestoreController(c, true);
  if (c.controller_restore->parsed()) return FailOrRestoreController(c, false);
  if (c.controller_list->parsed()) return PrintControllers(global, c);
  return -1;
}

}  // namespace cs::cli
