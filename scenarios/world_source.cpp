// The two world sources (see world_source.h).
#include "scenarios/world_source.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "crypto/files.h"
#include "scenarios/child_process.h"
#include "scenarios/manager_rest.h"
#include "scenarios/world_queries.h"
#include "sim/control/control_server.h"
#include "state/store.h"

namespace cs::scenarios {

namespace {

using std::chrono::seconds;

constexpr const char* kFsName = "testfs";

Result<std::string> ReadCa(const std::string& path) {
  if (path.empty()) return std::string();
  Result<std::string> pem = crypto::ReadSmallFile(path);
  if (!pem.ok()) return Status::NotFound("cannot read the manager's CA " + path);
  return pem;
}

Result<std::unique_ptr<RemoteOperations>> ConnectControl(const std::string& url, const std::optional<std::string>& token_file) {
  SimulatorRemoteOptions options;
  options.url = url;
  if (token_file) {
    Result<std::string> token = ReadTokenFile(*token_file);
    if (!token.ok()) return token.status();
    options.token = *token;
  }
  auto remote = SimulatorRemoteOperations::Connect(options);
  if (!remote.ok()) return remote.status().Context("control API at " + url);
  return std::unique_ptr<RemoteOperations>(std::move(*remote));
}

// A daemon and manager someone else runs.
class ExistingWorld final : public WorldSource {
 public:
  explicit ExistingWorld(const RunCommandOptions& o) : o_(o) {}

  Result<FleetModel> Fleet() override {
    Result<WorldConnection> c = Connect();
    if (!c.ok()) return c.status();
    Result<Json> status = SimStatus(*c->sim);
    if (!status.ok()) return status.status().Context("the daemon at " + *o_.control_url + " did not answer status");
    Result<std::vector<Json>> targets = c->manager->ListAll("target/");
    if (!targets.ok()) return targets.status().Context("the manager at " + *o_.manager_url + " did not list its targets");
    return FleetFromStatus(*status, *targets);
  }
  Status BringUp(std::ostream&) override { return Fleet().status(); }
  Result<WorldConnection> Connect() override {
    WorldConnection c;
    Result<std::unique_ptr<RemoteOperations>> sim = ConnectControl(*o_.control_url, o_.control_token_file);
    if (!sim.ok()) return sim.status();
    c.sim = std::move(*sim);
    Result<Json> alive = c.sim->Call("faults", Json::object());
    if (!alive.ok()) return alive.status().Context("the daemon's control API at " + *o_.control_url + " does not answer");
    Result<std::string> ca = ReadCa(o_.manager_ca);
    if (!ca.ok()) return ca.status();
    auto manager = ManagerRest::Connect({*o_.manager_url, *ca, o_.username, o_.password});
    if (!manager.ok()) return manager.status();
    c.manager = std::move(*manager);
    return c;
  }
  DaemonOwner* owner() override { return nullptr; }
  void TearDown(bool, std::ostream&) override {}
  std::string directory() const override { return ""; }

 private:
  RunCommandOptions o_;
};

// PDU ports 2300 + offset + k, below the ephemeral range, spread by pid so
// runs side by side do not meet.
int PduPortOffset(int attempt) {
  const unsigned slot = (static_cast<unsigned>(getpid()) * 37u + static_cast<unsigned>(attempt) * 101u) % 2500u;
  return 7700 + static_cast<int>(slot) * 8;
}

// The runner's own world.
class OwnWorld final : public WorldSource, public DaemonOwner {
 public:
  explicit OwnWorld(const RunCommandOptions& o) : o_(o), spec_(ScenarioFleetDefaults(o.fleet)) {}
  ~OwnWorld() override {
    simulator_.reset();
    manager_.reset();
  }

  Result<FleetModel> Fleet() override {
    if (!up_) return PredictFleet(spec_, kFsName, o_.placement);
    Result<WorldConnection> c = Connect();
    if (!c.ok()) return c.status();
    Result<Json> status = SimStatus(*c->sim);
    if (!status.ok()) return status.status();
    Result<std::vector<Json>> targets = c->manager->ListAll("target/");
    if (!targets.ok()) return targets.status();
    return FleetFromStatus(*status, *targets);
  }

  Status BringUp(std::ostream& progress) override {
    CS_RETURN_IF_ERROR(MakeDirectory());
    progress << "world: starting the built-in manager in " << dir_ << "/\n" << std::flush;
    CS_RETURN_IF_ERROR(StartManager(""));
    progress << "world: setting up " << *spec_.server_count << " servers, registering them\n" << std::flush;
    CS_RETURN_IF_ERROR(Setup());
    CS_RETURN_IF_ERROR(StartSimulator("register"));
    up_ = true;
    Result<WorldConnection> c = Connect();
    if (!c.ok()) return c.status();
    CS_RETURN_IF_ERROR(WaitManaged(*c->manager));
    progress << "world: creating filesystem " << kFsName << "\n" << std::flush;
    CS_RETURN_IF_ERROR(CreateFilesystem(*c));
    return Status::Ok();
  }

  Result<WorldConnection> Connect() override {
    WorldConnection c;
    Result<std::unique_ptr<RemoteOperations>> sim = ConnectControl("http://" + control_address_ + "/", std::nullopt);
    if (!sim.ok()) return sim.status();
    c.sim = std::move(*sim);
    Result<std::string> ca = ReadCa(dir_ + "/manager/ca.crt");
    if (!ca.ok()) return ca.status();
    auto manager = ManagerRest::Connect({ManagerUrl(), *ca, "admin", "lustre"});
    if (!manager.ok()) return manager.status();
    c.manager = std::move(*manager);
    return c;
  }

  DaemonOwner* owner() override { return this; }

  void TearDown(bool keep, std::ostream& progress) override {
    if (simulator_) simulator_->Stop();
    if (manager_) manager_->Stop();
    simulator_.reset();
    manager_.reset();
    if (dir_.empty()) return;
    if (keep) {
      progress << "world: kept " << dir_ << "/ (logs: manager.log, simulator.log)\n";
    } else if (made_dir_) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  std::string directory() const override { return dir_; }

  Status CrashSimulator() override {
    if (!simulator_) return Status::FailedPrecondition("the simulator is not running");
    simulator_->Kill();
    simulator_.reset();
    return StartSimulator("run");
  }

  Status RestartManager() override {
    if (!manager_) return Status::FailedPrecondition("the manager is not running");
    const int status = manager_->Stop(seconds(30));
    manager_.reset();
    if (status != 0) return Status::Internal("the manager exited with status " + std::to_string(status) + " when stopped");
    // Its port may linger a moment; a few bounded attempts.
    Status s;
    for (int attempt = 0; attempt < 10; ++attempt) {
      s = StartManager(manager_port_);
      if (s.ok()) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return s;
  }

 private:
  std::string ManagerUrl() const { return "https://localhost:" + manager_port_ + "/"; }

  Status MakeDirectory() {
    if (!o_.work_dir.empty()) {
      dir_ = o_.work_dir;
      std::error_code ec;
      if (std::filesystem::exists(dir_, ec) && !std::filesystem::is_empty(dir_, ec)) {
        return Status::InvalidArgument("--work-dir " + dir_ + " is not empty");
      }
      std::filesystem::create_directories(dir_, ec);
      if (ec) return Status::IoError("cannot create " + dir_ + ": " + ec.message());
      return Status::Ok();
    }
    std::string tmpl = "/tmp/cluster-sim-scenario.XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) return Status::IoError("cannot create a scratch directory in /tmp");
    dir_ = tmpl;
    made_dir_ = true;
    return Status::Ok();
  }

  Status StartManager(const std::string& port) {
    const size_t from = FileSize(dir_ + "/manager.log");
    auto m = ChildProcess::Start(o_.binary,
                                 {"manager", "--listen", "127.0.0.1:" + (port.empty() ? "0" : port), "--dir",
                                  dir_ + "/manager", "--long-poll", "2", "--contact-timeout", "5", "--step-timeout",
                                  "60", "--session-wait", "120"},
                                 dir_ + "/manager.log");
    if (!m.ok()) return m.status();
    Result<std::string> p = (*m)->WaitForOutput("listening on https://127\\.0\\.0\\.1:(\\d+)/", seconds(60), from);
    if (!p.ok()) return p.status().Context("starting the manager");
    manager_port_ = *p;
    manager_ = std::move(*m);
    return Status::Ok();
  }

  Status Setup() {
    std::vector<std::string> args = {"--config", dir_ + "/sim", "--url", ManagerUrl(), "setup", "--seed",
                                     std::to_string(o_.seed)};
    auto add = [&](const char* name, const std::optional<int>& v) {
      if (v) {
        args.push_back(std::string("--") + name);
        args.push_back(std::to_string(*v));
      }
    };
    add("server_count", spec_.server_count);
    add("worker_count", spec_.worker_count);
    add("volume_count", spec_.volume_count);
    add("cluster_size", spec_.cluster_size);
    add("psu_count", spec_.psu_count);
    add("su_size", spec_.su_size);
    add("rack_size", spec_.rack_size);
    add("racks_per_row", spec_.racks_per_row);
    if (spec_.cluster_spread) {
      args.push_back("--cluster_spread");
      args.push_back(*spec_.cluster_spread);
    }
    auto setup = ChildProcess::Start(o_.binary, args, dir_ + "/setup.log");
    if (!setup.ok()) return setup.status();
    std::optional<int> rc = (*setup)->Wait(seconds(120));
    if (!rc || *rc != 0) return Status::InvalidArgument("setup failed: " + (*setup)->Output());
    return Status::Ok();
  }

  // `register` the first time, `run` after a crash; on the same control
  // port after the first start, so clients keep their address.
  Status StartSimulator(const std::string& command) {
    Status last;
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::vector<std::string> args = {"--config", dir_ + "/sim", "--ca", dir_ + "/manager/ca.crt", command};
      if (command == "register") {
        for (const char* a : {"--username", "admin", "--password", "lustre", "--create_pdu_entries"}) args.push_back(a);
      }
      if (pdu_offset_ < 0) pdu_offset_ = PduPortOffset(attempt);
      for (const std::string& a : {std::string("--poll-seconds"), std::string("1"), std::string("--boot-seconds"),
                                   std::string("1"), std::string("--start-spread-seconds"), std::string("0.5"),
                                   std::string("--pdu-reboot-seconds"), std::string("1"), std::string("--pdu-port-offset"),
                                   std::to_string(pdu_offset_), std::string("--control-listen"),
                                   control_address_.empty() ? std::string("127.0.0.1:0") : control_address_}) {
        args.push_back(a);
      }
      const size_t from = FileSize(dir_ + "/simulator.log");
      auto sim = ChildProcess::Start(o_.binary, args, dir_ + "/simulator.log");
      if (!sim.ok()) return sim.status();
      // From where this start's output begins: the log also holds the
      // crashed predecessor's lines.
      Result<std::string> address =
          (*sim)->WaitForOutput("control: listening on (127\\.0\\.0\\.1:\\d+)", seconds(60), from);
      if (address.ok()) {
        control_address_ = *address;
        simulator_ = std::move(*sim);
        return Status::Ok();
      }
      last = address.status();
      (*sim)->Kill();
      if (command == "register") pdu_offset_ = -1;  // try other PDU ports
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return last.Context("starting the simulator (" + command + ")");
  }

  Status WaitManaged(ManagerApi& manager) {
    const size_t expected = static_cast<size_t>(*spec_.server_count + *spec_.worker_count);
    const auto deadline = std::chrono::steady_clock::now() + seconds(180);
    std::string last = "no answer";
    while (std::chrono::steady_clock::now() < deadline) {
      Result<std::vector<Json>> hosts = manager.ListAll("host/");
      if (hosts.ok()) {
        size_t managed = 0;
        for (const Json& h : *hosts) managed += h.value("state", "") == "managed" && h.value("reachable", false);
        if (hosts->size() == expected && managed == expected) return Status::Ok();
        last = std::to_string(managed) + " of " + std::to_string(expected) + " hosts managed";
        for (const Json& h : *hosts) {
          if (h.value("state", "") == "setup_failed") return Status::Unavailable(h.value("fqdn", "") + ": host setup failed");
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return Status::Unavailable("the hosts were not all set up within 180 s (" + last + ")");
  }

  Status CreateFilesystem(WorldConnection& c) {
    Result<Json> status = SimStatus(*c.sim);
    if (!status.ok()) return status.status();
    Result<FleetModel> fleet = FleetFromStatus(*status, {});
    if (!fleet.ok()) return fleet.status();
    Result<std::vector<Placement>> layout = Layout(*fleet);
    if (!layout.ok()) return layout.status();
    Json request = {{"name", kFsName}, {"mdts", Json::array()}, {"osts", Json::array()}};
    for (const Placement& p : *layout) {
      Json place = {{"host", p.host}, {"device", p.device}};
      if (!p.secondary.empty()) place["secondary"] = p.secondary;
      if (p.kind == "MGT") request["mgt"] = place;
      if (p.kind == "MDT") request["mdts"].push_back(place);
      if (p.kind == "OST") request["osts"].push_back(place);
    }
    // Hosts report their corosync cluster a poll after setup: retry a while.
    const auto deadline = std::chrono::steady_clock::now() + seconds(90);
    Result<Json> created = Status::Unavailable("not tried");
    while (std::chrono::steady_clock::now() < deadline) {
      created = c.manager->Post("filesystem/", request);
      if (created.ok()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    if (!created.ok()) return created.status().Context("creating the filesystem");
    const Json command = created->value("command", Json::object());
    const int64_t id = command.value("id", created->value("command_id", int64_t{0}));
    Result<Json> done = WaitCommand(*c.manager, id, seconds(180), nullptr);
    if (!done.ok()) return done.status().Context("creating the filesystem");
    if ((*done)["state"] != "succeeded") {
      return Status::Unavailable("creating the filesystem: command " + std::to_string(id) + " " +
                                 (*done)["state"].get<std::string>() + ": " + done->value("errors", Json()).dump());
    }
    // Until the manager sees every target on its primary.
    const auto placed = std::chrono::steady_clock::now() + seconds(60);
    while (std::chrono::steady_clock::now() < placed) {
      Result<std::vector<Json>> targets = c.manager->ListAll("target/");
      if (targets.ok() && targets->size() == layout->size()) {
        bool all = true;
        for (const Json& t : *targets) all = all && t.value("active_host", Json()) == t.value("primary_host", Json());
        if (all) return Status::Ok();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return Status::Unavailable("the manager did not see every target on its primary within 60 s");
  }

  // The filesystem's layout: the default one, or placed with the rule on the
  // fleet's map, read from the simulator's state as `manager fs create
  // --placement` reads it (read-only, beside the running daemon).
  Result<std::vector<Placement>> Layout(const FleetModel& fleet) {
    if (o_.placement.empty()) return FilesystemLayout(fleet);
    Store::Options options;
    options.mode = Store::Mode::kReadOnly;
    auto store = Store::Open(dir_ + "/sim", options);
    if (!store.ok()) return store.status().Context("reading the fleet's state for placement " + o_.placement);
    return PlacedFilesystemLayout((*store)->world(), fleet, o_.placement);
  }

  RunCommandOptions o_;
  FleetSpec spec_;
  std::string dir_;
  bool made_dir_ = false;
  bool up_ = false;
  std::string manager_port_;
  std::string control_address_;
  int pdu_offset_ = -1;
  std::unique_ptr<ChildProcess> manager_, simulator_;
};

}  // namespace

Result<std::unique_ptr<WorldSource>> OpenWorldSource(const RunCommandOptions& o) {
  if (o.control_url.has_value() != o.manager_url.has_value()) {
    return Status::InvalidArgument("--control-url and --manager-url go together: the runner drives a daemon and judges its manager");
  }
  if (o.control_url) return std::unique_ptr<WorldSource>(new ExistingWorld(o));
  if (o.binary.empty()) return Status::InvalidArgument("no cluster-sim binary to run the world with");
  return std::unique_ptr<WorldSource>(new OwnWorld(o));
}

Result<Plan> MakePlanFor(const RunCommandOptions& o, const std::vector<ScenarioSpec>& specs, const FleetModel& fleet,
                         const Registry& registry) {
  PlanOptions p;
  p.seed = o.seed;
  p.parallel = o.parallel;
  if (!o.soak.empty()) {
    Result<Millis> d = ParseDuration(o.soak);
    if (!d.ok()) return d.status().Context("--soak");
    if (d->count() <= 0) return Status::InvalidArgument("--soak needs a duration above 0s");
    p.soak_runs = o.soak_plan_runs;
  }
  return MakePlan(specs, fleet, registry, p);
}

}  // namespace cs::scenarios
