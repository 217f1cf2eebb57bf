#include "cli/manager_commands.h"

#include <CLI/CLI.hpp>

#include "cli/number_options.h"
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "crush/placement.h"
#include "state/store.h"
#include "crypto/files.h"
#include "fakes/json_helpers.h"
#include "util/fd_limit.h"
#include "manager/manager_client.h"
#include "manager/manager_server.h"
#include "net/io_pool.h"
#include "util/clock.h"
#include "util/json_parse.h"

namespace cs::cli {

namespace {

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

Result<std::unique_ptr<manager::ManagerClient>> Connect(const ManagerClientOptions& o) {
  const std::string ca_path = o.ca.empty() ? o.dir + "/ca.crt" : o.ca;
  Result<std::string> ca = crypto::ReadSmallFile(ca_path);
  if (!ca.ok()) {
    return Status::NotFound("cannot read the manager's CA " + ca_path +
                            " (pass --dir of the manager's state, or --ca)");
  }
  auto client = manager::ManagerClient::Create(o.url, *ca);
  if (!client.ok()) return client.status();
  Status s = (*client)->Login(o.username, o.password);
  if (!s.ok()) return s.Context("logging in to " + o.url);
  return client;
}

std::string Text(const Json& j) {
  if (j.is_null()) return "-";
  return j.is_string() ? j.get<std::string>() : j.dump();
}

void PrintTable(const std::vector<std::string>& columns, const Json& objects) {
  std::vector<size_t> width;
  for (const std::string& c : columns) width.push_back(c.size());
  for (const Json& o : objects) {
    for (size_t i = 0; i < columns.size(); ++i) width[i] = std::max(width[i], Text(o.value(columns[i], Json())).size());
  }
  auto row = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      std::cout << cells[i] << (i + 1 < cells.size() ? std::string(width[i] - cells[i].size() + 2, ' ') : "");
    }
    std::cout << "\n";
  };
  row(columns);
  for (const Json& o : objects) {
    std::vector<std::string> cells;
    for (const std::string& c : columns) cells.push_back(Text(o.value(c, Json())));
    row(cells);
  }
}

// Polls a command until it ends; returns its final record. A manager that
// restarts meanwhile is waited for (until the deadline): connection errors
// are retried, and a lost login (sessions live in the manager's memory) is
// renewed. Only an answer about the command itself ends the wait early.
Result<Json> WaitForCommand(manager::ManagerClient& client, const ManagerClientOptions& o, int64_t id) {
  const auto deadline = std::chrono::steady_clock::now() + Millis(o.timeout_seconds);
  Status last;
  while (true) {
    Result<Json> c = client.Call("GET", "api/command/" + std::to_string(id) + "/");
    if (c.ok()) {
      const std::string state = c->value("state", "");
      if (state != "pending" && state != "running") return c;
      last = Status::Unavailable("command " + std::to_string(id) + " still " + state + " after the timeout");
    } else if (c.status().code() != Status::Code::kFailedPrecondition) {
      last = c.status().Context("waiting for command " + std::to_string(id));  // no answer: restarting?
    } else if (c.status().message().find(": 401 ") != std::string::npos ||
               c.status().message().find(": 403 ") != std::string::npos) {
      last = c.status();
      (void)client.Login(o.username, o.password);  // a restarted manager forgot our session
    } else {
      return c;
    }
    if (std::chrono::steady_clock::now() > deadline) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

int ReportCommand(manager::ManagerClient& client, const ManagerClientOptions& o, int64_t id) {
  if (!o.wait) {
    std::cout << "command " << id << " started\n";
    return kExitOk;
  }
  Result<Json> c = WaitForCommand(client, o, id);
  if (!c.ok()) return Fail(c.status().message());
  std::cout << "command " << id << " " << (*c)["state"].get<std::string>() << "\n";
  for (const Json& e : (*c)["errors"]) std::cout << "  " << Text(e) << "\n";
  return (*c)["state"] == "succeeded" ? kExitOk : kExitError;
}

// "test000:1" -> {"host": "test000", "device": 1}; "test000:/dev/sdb" -> path.
// A device as the manager takes it: an index in the host's sorted device
// paths, or a path.
Json DeviceJson(const std::string& device) {
  if (device.find_first_not_of("0123456789") == std::string::npos && device.size() < 9) return std::stoi(device);
  return device;
}

Result<Json> ParsePlacement(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return Status::InvalidArgument("'" + text + "' is not HOST:DEVICE (an index or a path)");
  }
  return Json{{"host", text.substr(0, colon)}, {"device", DeviceJson(text.substr(colon + 1))}};
}

}  // namespace

int RunManagerServe(const ManagerServeOptions& options) {
  manager::ManagerOptions m;
  const size_t colon = options.listen.rfind(':');
  if (colon == std::string::npos) return Fail("--listen takes ADDRESS:PORT, not " + options.listen);
  m.address = options.listen.substr(0, colon);
  try {
    const int port = std::stoi(options.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    m.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    return Fail("--listen takes ADDRESS:PORT, not " + options.listen);
  }
  m.dir = options.dir;
  m.long_poll = Millis(options.long_poll_seconds);
  m.step_timeout = Millis(options.step_timeout_seconds);
  m.contact_timeout = Millis(options.contact_timeout_seconds);
  m.session_wait = Millis(options.session_wait_seconds);
  m.set_up_hosts = !options.no_host_setup;
  m.rx_throttle_per_second = options.throttle_rx_per_second;

  // Block the stop signals before any thread starts, then wait for them
  // here: no handler runs on an io thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  RaiseOpenFileLimit();  // two connections per agent
  net::IoPool pool(2);
  pool.Start();
  auto server = manager::ManagerServer::Start(pool.context(), m);
  if (!server.ok()) {
    pool.Stop();
    pool.Join();
    return Fail("manager: " + server.status().message());
  }
  std::cout << "cluster-sim manager listening on https://" << m.address << ":" << (*server)->port()
            << "/ (agents: --url " << (*server)->url() << ")\n"
            << "CA certificate: " << (*server)->ca_path() << "\n"
            << std::flush;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cout << "stopping (signal " << signal << ")\n" << std::flush;
  (*server)->Stop();
  server->reset();
  pool.Stop();
  pool.Join();
  return kExitOk;
}

int RunManagerList(const ManagerClientOptions& o, const std::string& what) {
  auto client = Connect(o);
  if (!client.ok()) return Fail(client.status().message());
  Result<Json> list = (*client)->List("api/" + what + "/");
  if (!list.ok()) return Fail(list.status().message());
  if (o.json) {
    std::cout << list->dump(2) << "\n";
    return kExitOk;
  }
  if (what == "host") {
    PrintTable({"id", "fqdn", "nodename", "state", "reachable", "last_contact", "boot_time", "reboots"}, *list);
  } else if (what == "copytool") {
    Json rows = Json::array();
    for (Json c : *list) {
      const Json ops = c["operations"];
      c["running"] = c["active_operations"].size();
      c["finished"] = ops.value("finished", 0);
      c["errored"] = ops.value("errored", 0);
      rows.push_back(c);
    }
    PrintTable({"id", "host", "copytool", "state", "uuid", "events", "running", "finished", "errored", "last_event_at"},
               rows);
  } else if (what == "target") {
    PrintTable({"id", "name", "filesystem", "primary_host", "secondary_host", "active_host", "ha_label"}, *list);
  } else {
    Json rows = Json::array();
    for (Json c : *list) {
      c["steps"] = c["steps"].size();
      c["errors"] = c["errors"].empty() ? Json() : c["errors"][0];
      rows.push_back(c);
    }
    PrintTable({"id", "state", "message", "steps", "created_at", "finished_at", "errors"}, rows);
  }
  return kExitOk;
}

int RunManagerAction(const ManagerClientOptions& o, const std::string& host, const std::string& action,
                     const std::string& args_text) {
  Json args = ParseUntrustedJsonOrDiscarded(args_text);
  if (args.is_discarded() || !args.is_object()) return Fail("--args must be a JSON object, not " + args_text);
  auto client = Connect(o);
  if (!client.ok()) return Fail(client.status().message());
  Result<Json> hosts = (*client)->List("api/host/");
  if (!hosts.ok()) return Fail(hosts.status().message());
  const Json& list = *hosts;
  std::optional<int64_t> id;
  for (const Json& h : list) {
    if (h.value("fqdn", "") == host || h.value("nodename", "") == host) id = h["id"].get<int64_t>();
  }
  if (!id) return Fail("no host " + host);
  Result<Json> started = (*client)->Call("POST", "api/host/" + std::to_string(*id) + "/action/",
                                         Json{{"action", action}, {"args", args}});
  if (!started.ok()) return Fail(started.status().message());
  const int64_t command = (*started)["command_id"].get<int64_t>();
  if (!o.wait) return ReportCommand(**client, o, command);
  Result<Json> done = WaitForCommand(**client, o, command);
  if (!done.ok()) return Fail(done.status().message());
  // The one step: what the agent answered.
  const Json step = done->value("steps", Json::array()).empty() ? Json() : (*done)["steps"][0];
  std::cout << Json{{"state", (*done)["state"]}, {"result", step.value("result", Json())},
                    {"exception", step.value("exception", Json())}}.dump(2) << "\n";
  return (*done)["state"] == "succeeded" ? kExitOk : kExitError;
}

int RunManagerConfParam(const ManagerClientOptions& o, const std::string& fs_name, const std::string& key,
                        const std::optional<std::string>& value) {
  auto client = Connect(o);
  if (!client.ok()) return Fail(client.status().message());
  Result<Json> filesystems = (*client)->List("api/filesystem/");
  if (!filesystems.ok()) return Fail(filesystems.status().message());
  const Json& list = *filesystems;
  std::optional<int64_t> id;
  for (const Json& f : list) {
    if (f.value("name", "") == fs_name) id = f["id"].get<int64_t>();
  }
  if (!id) return Fail("no filesystem " + fs_name);
  Result<Json> started = (*client)->Call("POST", "api/filesystem/" + std::to_string(*id) + "/conf_param/",
                                         Json{{"key", key}, {"value", value ? Json(*value) : Json()}});
  if (!started.ok()) return Fail(started.status().message());
  return ReportCommand(**client, o, (*started)["command_id"].get<int64_t>());
}

// The targets' {host, device[, secondary]} from the flags: HOST:DEVICE, or
// with a rule DEVICE alone and both hosts from the rule (printed, so the
// user sees where each target went and why).
Result<Json> TargetRequests(const FsCreateOptions& fs, bool quiet) {
  std::unique_ptr<Store> store;
  std::optional<crush::HaPlacer> placer;
  if (fs.placement) {
    Store::Options options;
    options.mode = Store::Mode::kReadOnly;
    auto opened = Store::Open(fs.fleet_config, options);
    if (!opened.ok()) return opened.status();
    store = std::move(*opened);
    auto made = crush::HaPlacer::ForFleet(store->world(), *fs.placement);
    if (!made.ok()) return made.status().Context("--placement");
    placer.emplace(std::move(*made));
  }
  int x = 0;
  auto one = [&](const char* flag, const std::string& text) -> Result<Json> {
    if (!placer) {
      auto p = ParsePlacement(text);
      if (!p.ok()) return p.status().Context(flag);
      return *p;
    }
    if (text.find(':') != std::string::npos) {
      return Status::InvalidArgument(std::string(flag) + ": with --placement give DEVICE only, not '" + text +
                                     "': the rule picks the hosts");
    }
    if (text.empty()) return Status::InvalidArgument(std::string(flag) + ": give a DEVICE (an index or a path)");
    Json p = {{"device", DeviceJson(text)}};
    auto pair = placer->Place(x);
    if (!pair.ok()) return pair.status();
    const World& w = store->world();
    const Server* primary = w.FindServerByNodename(pair->primary);
    const Server* secondary = w.FindServerByNodename(pair->secondary);
    p["host"] = primary->fqdn;
    p["secondary"] = secondary->fqdn;
    if (!quiet) {
      std::cout << flag << " " << text << " (x=" << x << "): primary " << pair->primary << " (" << placer->domain_type()
                << " " << pair->primary_domain << "), secondary " << pair->secondary << " ("
                << placer->domain_type() << " " << pair->secondary_domain << "), cluster " << pair->cluster << "\n";
    }
    ++x;
    return p;
  };
  Json request = {{"mdts", Json::array()}, {"osts", Json::array()}};
  auto mgt = one("--mgt", fs.mgt);
  if (!mgt.ok()) return mgt.status();
  request["mgt"] = *mgt;
  for (const auto& [flag, list, key] : {std::tuple{"--mdt", &fs.mdts, "mdts"}, std::tuple{"--ost", &fs.osts, "osts"}}) {
    for (const std::string& text : *list) {
      auto p = one(flag, text);
      if (!p.ok()) return p.status();
      request[key].push_back(*p);
    }
  }
  return request;
}

int RunManagerFsCreate(const ManagerClientOptions& o, const FsCreateOptions& fs) {
  Result<Json> targets = TargetRequests(fs, o.json);
  if (!targets.ok()) return Fail(targets.status().message());
  Json request = *targets;
  request["name"] = fs.name;
  auto client = Connect(o);
  if (!client.ok()) return Fail(client.status().message());
  Result<Json> created = (*client)->Call("POST", "api/filesystem/", request);
  if (!created.ok()) return Fail(created.status().message());
  return ReportCommand(**client, o, (*created)["command_id"].get<int64_t>());
}

int RunManagerTargetAction(const ManagerClientOptions& o, const std::string& verb,
                           const std::string& target) {
  auto client = Connect(o);
  if (!client.ok()) return Fail(client.status().message());
  Result<Json> targets = (*client)->List("api/target/");
  if (!targets.ok()) return Fail(targets.status().message());
  int64_t id = -1;
  for (const Json& t : *targets) {
    if (t.value("name", "") == target || t.value("ha_label", Json()) == target ||
        std::to_string(t.value("id", int64_t{0})) == target) {
      id = t["id"];
    }
  }
  if (id < 0) return Fail("no target '" + target + "' (see cluster-sim manager targets)");
  Result<Json> command = (*client)->Call("POST", "api/target/" + std::to_string(id) + "/" + verb + "/");
  if (!command.ok()) return Fail(command.status().message());
  return ReportCommand(**client, o, (*command)["id"].get<int64_t>());
}

int RunManagerTokenCreate(const ManagerClientOptions& o, int credits, const std::string& profile,
                          std::optional<double> expiry_minutes) {
  auto client = Connect(o);
  if (!client.ok()) return Fail(client.status().message());
  Json request = {{"credits", credits}, {"profile", profile}};
  if (expiry_minutes) {
    request["expiry"] = FormatAgentTime(SystemClock().Now() +
                                        std::chrono::microseconds(static_cast<int64_t>(*expiry_minutes * 60e6)));
  }
  Result<Json> token = (*client)->Call("POST", "api/registration_token/", request);
  if (!token.ok()) return Fail(token.status().message());
  if (o.json) {
    std::cout << token->dump(2) << "\n";
  } else {
    std::cout << (*token)["secret"].get<std::string>() << "\n";
  }
  return kExitOk;
}

}  // namespace cs::cli

namespace cs::cli {


namespace {

void AddClientOptions(CLI::App* sub, ManagerClientOptions& o) {
  sub->add_option("--manager-url", o.url, "URL of the running manager")->capture_default_str();
  sub->add_option("--dir", o.dir, "The manager's state directory (its ca.crt verifies the manager)")
      ->capture_default_str();
  sub->add_option("--ca", o.ca, "The manager's CA certificate file, instead of <dir>/ca.crt");
  sub->add_option("--username", o.username, "Manager user")->capture_default_str();
  sub->add_option("--password", o.password, "Manager password (default: the built-in default)");
  sub->add_flag("--json", o.json, "Machine-readable output");
}

void AddWaitOptions(CLI::App* sub, ManagerClientOptions& o) {
  sub->add_flag("--wait", o.wait, "Wait for the command to end; exit 2 if it does not succeed");
  sub->add_option("--timeout", o.timeout_seconds, "Seconds to wait")
      ->check(cs::cli::RealIn(0, 1e6))->capture_default_str();
}

}  // namespace

std::unique_ptr<ManagerCli> AddManagerCommands(CLI::App& app) {
  auto c = std::make_unique<ManagerCli>();
  c->manager = app.add_subcommand(
      "manager", "Run the built-in manager (no subcommand), or query and drive a running one");
  CLI::App* m = c->manager;
  m->add_option("--listen", c->serve.listen, "ADDRESS:PORT to serve on")->capture_default_str();
  m->add_option("--dir", c->serve.dir, "State directory (CA, certificates, users, database)")
      ->capture_default_str();
  m->add_option("--long-poll", c->serve.long_poll_seconds, "Seconds an agent's GET may wait")
      ->check(cs::cli::RealIn(0.01, 1e6))->capture_default_str();
  m->add_option("--step-timeout", c->serve.step_timeout_seconds, "Seconds an agent action may take")
      ->check(cs::cli::RealIn(0.01, 1e6))->capture_default_str();
  m->add_option("--contact-timeout", c->serve.contact_timeout_seconds,
                "Seconds of silence after which a host is unreachable")
      ->capture_default_str()
      ->check(cs::cli::RealIn(0.5, 86400.0));
  m->add_flag("--no-host-setup", c->serve.no_host_setup,
              "Do not set registered hosts up (they stay 'registered'; for benchmarks)");
  // Advanced, for tests and benchmarks: hidden from --help (empty group).
  m->add_option("--throttle-rx", c->serve.throttle_rx_per_second,
                "At most this many DATA messages per second from each receive queue (0: no limit)")
      ->check(cs::cli::RealIn(0.0, 1e6))
      ->group("");
  m->add_option("--session-wait", c->serve.session_wait_seconds,
                "Seconds a command waits for a host's action_runner session")
      ->check(cs::cli::RealIn(0.01, 1e6))->capture_default_str();

  c->hosts = m->add_subcommand("hosts", "List registered hosts");
  c->targets = m->add_subcommand("targets", "List targets and where the agents say they run");
  c->commands = m->add_subcommand("commands", "List commands and their state");
  c->copytools = m->add_subcommand("copytools", "List HSM copytools and their activity (from their events)");
  CLI::App* fs = m->add_subcommand("fs", "Filesystems");
  fs->require_subcommand(1);
  c->fs_create = fs->add_subcommand("create", "Create a filesystem: format, register, configure HA, start");
  c->fs_create->add_option("--name", c->fs.name, "Filesystem name (1-8 characters)")->required();
  c->fs_create->add_option("--mgt", c->fs.mgt, "HOST:DEVICE of the MGT (DEVICE: an index in the host's sorted device paths, or a path); DEVICE alone with --placement")->required();
  c->fs_create->add_option("--mdt", c->fs.mdts, "HOST:DEVICE of an MDT (repeatable)")->required();
  c->fs_create->add_option("--ost", c->fs.osts, "HOST:DEVICE of an OST (repeatable)")->required();
  c->fs_create->add_option("--placement", c->fs.placement,
                           "A rule of the fleet's CRUSH map (by_host, by_rack, by_row; by_controller, by_pdu where the fleet has them): it places each target's "
                           "primary and secondary (x = the target's position: MGT 0, MDTs, then OSTs)");
  AddWaitOptions(c->fs_create, c->client);
  c->action = m->add_subcommand("action", "Run one agent action on a host: HOST ACTION [--args JSON]");
  c->action->add_option("HOST", c->action_host, "fqdn or nodename")->required();
  c->action->add_option("ACTION", c->action_name, "e.g. start_lnet")->required();
  c->action->add_option("--args", c->action_args, "The action's arguments as a JSON object")->capture_default_str();
  AddWaitOptions(c->action, c->client);
  c->conf_param = m->add_subcommand("conf-param", "Set (or, without --value, clear) a filesystem conf param");
  c->conf_param->add_option("--fs", c->fs_name, "Filesystem name")->required();
  c->conf_param->add_option("--key", c->param_key, "e.g. testfs.llite.max_cached_mb")->required();
  c->conf_param->add_option("--value", c->param_value, "The value; leave out to clear the param");
  AddWaitOptions(c->conf_param, c->client);
  for (const char* verb : {"start", "stop", "failover", "failback"}) {
    CLI::App* sub = m->add_subcommand(verb, std::string("Run ") + verb + "_target for a target");
    sub->add_option("TARGET", c->target, "Target name (testfs-OST0000), ha_label or id")->required();
    AddWaitOptions(sub, c->client);
    c->target_verbs.emplace_back(verb, sub);
  }
  CLI::App* token = m->add_subcommand("token", "Registration tokens");
  token->require_subcommand(1);
  c->token_create = token->add_subcommand("create", "Create a token and print its secret (for register --secret)");
  c->token_create->add_option("--credits", c->credits, "Registrations it allows")
      ->check(cs::cli::IntegerIn(1, 1000000))->capture_default_str();
  c->token_create->add_option("--profile", c->profile, "Server profile of the hosts it registers")
      ->capture_default_str();
  c->token_create->add_option("--expiry-minutes", c->expiry_minutes, "Minutes until it expires (default 60)")
      ->check(cs::cli::RealIn(0.01, 525600));
  for (CLI::App* sub : {c->hosts, c->targets, c->commands, c->copytools, c->fs_create, c->token_create, c->conf_param, c->action}) {
    AddClientOptions(sub, c->client);
  }
  for (auto& [verb, sub] : c->target_verbs) AddClientOptions(sub, c->client);
  return c;
}

bool ManagerCliParsed(const ManagerCli& c) { return c.manager->parsed(); }

int RunManagerCli(const ManagerCli& c) {
  // `manager --dir D hosts` means the same as `manager hosts --dir D`.
  ManagerClientOptions client = c.client;
  if (client.dir == ManagerClientOptions().dir) client.dir = c.serve.dir;
  if (c.hosts->parsed()) return RunManagerList(client, "host");
  if (c.targets->parsed()) return RunManagerList(client, "target");
  if (c.commands->parsed()) return RunManagerList(client, "command");
  if (c.copytools->parsed()) return RunManagerList(client, "copytool");
  if (c.fs_create->parsed()) return RunManagerFsCreate(client, c.fs);
  if (c.action->parsed()) return RunManagerAction(client, c.action_host, c.action_name, c.action_args);
  if (c.conf_param->parsed()) return RunManagerConfParam(client, c.fs_name, c.param_key, c.param_value);
  if (c.token_create->parsed()) {
    return RunManagerTokenCreate(client, c.credits, c.profile, c.expiry_minutes);
  }
  for (const auto& [verb, sub] : c.target_verbs) {
    if (sub->parsed()) return RunManagerTargetAction(client, verb, c.target);
  }
  return RunManagerServe(c.serve);
}

}  // namespace cs::cli
