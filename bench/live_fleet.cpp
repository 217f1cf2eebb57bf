#include "bench/live_fleet.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "bench/child_process.h"
#include "crypto/files.h"
#include "fakes/json_helpers.h"
#include "manager/manager_client.h"
#include "net/https_client.h"
#include "net/io_pool.h"
#include "util/clock.h"

namespace cs::bench {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

// The simulator's control API (plain HTTP on 127.0.0.1), one call at a time.
class ControlClient {
 public:
  static Result<std::unique_ptr<ControlClient>> Connect(const std::string& address) {
    std::unique_ptr<ControlClient> c(new ControlClient());
    c->pool_.Start();
    net::ClientOptions options;
    options.default_timeout = seconds(60);
    auto client = net::HttpsClient::Create(c->pool_.context(), "http://" + address + "/api/v1/", options);
    if (!client.ok()) return client.status();
    c->client_ = std::move(*client);
    return c;
  }
  ~ControlClient() {
    client_.reset();
    pool_.Stop();
    pool_.Join();
  }
  Result<Json> Call(const std::string& operation) {
    net::ClientRequest request;
    request.method = "POST";
    request.target = operation;
    request.body = "{}";
    request.headers.Set("Content-Type", "application/json");
    auto promise = std::make_shared<std::promise<Result<net::Response>>>();
    auto future = promise->get_future();
    client_->Send(std::move(request), [promise](Result<net::Response> r) { promise->set_value(std::move(r)); });
    if (future.wait_for(seconds(90)) != std::future_status::ready) {
      return Status::Unavailable("the control API did not answer " + operation);
    }
    Result<net::Response> response = future.get();
    if (!response.ok()) return response.status();
    if (response->status != 200) {
      return Status::Unavailable(operation + ": " + std::to_string(response->status) + " " + response->body);
    }
    Json j = Json::parse(response->body, nullptr, false);
    if (j.is_discarded()) return Status::Corruption(operation + ": not JSON");
    return j.is_object() && j.contains("result") ? j["result"] : j;
  }

 private:
  ControlClient() : pool_(1) {}
  net::IoPool pool_;
  std::unique_ptr<net::HttpsClient> client_;
};

// One session_stats snapshot: (fqdn, plugin) -> (data messages, last DATA).
struct SessionSnapshot {
  int64_t taken_us = 0;
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> sessions;
  std::map<std::string, int64_t> times_unreachable;
  std::map<std::string, size_t> session_count;
};

Result<SessionSnapshot> TakeSessions(manager::ManagerClient& client) {
  SessionSnapshot snap;
  snap.taken_us = NowMicros();
  Result<Json> stats = client.Call("GET", "api/session_stats/?limit=0");
  if (!stats.ok()) return stats.status();
  for (const Json& h : stats->value("objects", Json::array())) {
    const std::string fqdn = h.value("fqdn", "");
    snap.times_unreachable[fqdn] = h.value("times_unreachable", int64_t{0});
    const Json sessions = h.value("sessions", Json::object());
    snap.session_count[fqdn] = sessions.size();
    for (const auto& [plugin, s] : sessions.items()) {
      const Json last = s.value("last_data_us", Json());
      snap.sessions[{fqdn, plugin}] = {s.value("data_messages", int64_t{0}),
                                       last.is_number() ? last.get<int64_t>() : 0};
    }
  }
  return snap;
}

// Poll updates the manager should have had between two snapshots and did
// not: per session that sends on every poll, the polls its last-DATA times
// span minus the DATA that came, plus polls overdue by more than half a
// period at the end. Phase and small timer slips cancel out.
int64_t MissedUpdates(const SessionSnapshot& a, const SessionSnapshot& b, double poll_seconds,
                      const std::set<std::string>& hosts, std::string* notes) {
  const double period_us = poll_seconds * 1e6;
  int64_t missed = 0;
  int restarted = 0;
  for (const std::string& fqdn : hosts) {
    for (const std::string& plugin : EveryPollPlugins()) {
      auto before = a.sessions.find({fqdn, plugin});
      auto after = b.sessions.find({fqdn, plugin});
      const double window = static_cast<double>(b.taken_us - a.taken_us);
      if (before == a.sessions.end() || after == b.sessions.end() ||
          after->second.first < before->second.first) {
        // No session at one end, or a new one: every poll of the window
        // counts as missed unless it came on the new session.
        const int64_t got = after == b.sessions.end() ? 0 : after->second.first;
        missed += std::max<int64_t>(0, static_cast<int64_t>(window / period_us) - got);
        ++restarted;
        continue;
      }
      const int64_t got = after->second.first - before->second.first;
      const double span = static_cast<double>(after->second.second - before->second.second);
      const int64_t spanned = static_cast<int64_t>(std::llround(span / period_us));
      const double tail = static_cast<double>(b.taken_us - after->second.second);
      const int64_t overdue = static_cast<int64_t>(std::floor(tail / period_us - 0.5));
      missed += std::max<int64_t>(0, spanned - got) + std::max<int64_t>(0, overdue);
    }
  }
  if (restarted && notes) *notes += std::to_string(restarted) + " sessions absent or restarted in the steady phase; ";
  return missed;
}

struct Fleet {
  std::string dir;
  std::unique_ptr<ChildProcess> manager, simulator;
  std::string manager_url, control_address;
  std::unique_ptr<manager::ManagerClient> rest;
  std::unique_ptr<ControlClient> control;
};

Status StartManager(const LiveFleetOptions& o, Fleet& f) {
  std::vector<std::string> args = {o.binary, "manager", "--listen", "127.0.0.1:0", "--dir", f.dir + "/mgr"};
  if (!o.set_up_hosts) args.push_back("--no-host-setup");
  f.manager = std::make_unique<ChildProcess>(args, f.dir + "/manager.log");
  const std::string port = f.manager->WaitForOutput("listening on https://127\\.0\\.0\\.1:(\\d+)/", seconds(60));
  if (port.empty()) return Status::Unavailable("the manager did not start: " + f.manager->Output());
  f.manager_url = "https://localhost:" + port + "/";
  Result<std::string> ca = crypto::ReadSmallFile(f.dir + "/mgr/ca.crt");
  if (!ca.ok()) return ca.status();
  auto rest = manager::ManagerClient::Create(f.manager_url, *ca);
  if (!rest.ok()) return rest.status();
  f.rest = std::move(*rest);
  return f.rest->Login("admin", "lustre");
}

Status SetUpFleet(const LiveFleetOptions& o, Fleet& f) {
  ChildProcess setup({o.binary, "--config", f.dir + "/fleet", "setup", "--server_count", std::to_string(o.servers),
                      "--su_size", std::to_string(o.su_size), "--worker_count", "0"},
                     f.dir + "/setup.log");
  const int status = setup.Wait(seconds(300));
  if (status != 0) {
    setup.Stop();
    return Status::Internal("setup failed (" + std::to_string(status) + "): " + setup.Output());
  }
  return Status::Ok();
}

Status StartRegister(const LiveFleetOptions& o, Fleet& f) {
  char poll[32];
  snprintf(poll, sizeof poll, "%g", o.poll_seconds);
  // PDU ports below the ephemeral range, distinct per process.
  const int pdu_offset = 5000 + static_cast<int>(getpid() % 20000);
  std::vector<std::string> argv = {o.binary, "--config", f.dir + "/fleet", "--url", f.manager_url, "--ca",
                                   f.dir + "/mgr/ca.crt", "register", "--username", "admin", "--password", "lustre",
                                   "--poll-seconds", poll, "--control-listen", "127.0.0.1:0", "--pdu-port-offset",
                                   std::to_string(pdu_offset)};
  if (o.registrations_in_flight > 0) {
    argv.insert(argv.end(), {"--registrations-in-flight", std::to_string(o.registrations_in_flight)});
  }
  f.simulator = std::make_unique<ChildProcess>(argv, f.dir + "/simulator.log");
  f.control_address = f.simulator->WaitForOutput("control: listening on (127\\.0\\.0\\.1:\\d+)", seconds(120));
  if (f.control_address.empty()) return Status::Unavailable("the simulator did not start: " + f.simulator->Output());
  auto control = ControlClient::Connect(f.control_address);
  if (!control.ok()) return control.status();
  f.control = std::move(*control);
  return Status::Ok();
}

struct HostCounts {
  int total = 0, managed = 0, setup_failed = 0;
  double latency_ms = 0;
};

Result<HostCounts> CountHosts(manager::ManagerClient& rest) {
  const auto t = Clock::now();
  Result<Json> hosts = rest.Call("GET", "api/host/?limit=0");
  HostCounts c;
  c.latency_ms = Since(t) * 1000;
  if (!hosts.ok()) return hosts.status();
  for (const Json& h : hosts->value("objects", Json::array())) {
    ++c.total;
    c.managed += h.value("state", "") == "managed";
    c.setup_failed += h.value("state", "") == "setup_failed";
  }
  return c;
}

int WithEverySession(const SessionSnapshot& s) {
  int n = 0;
  for (const auto& [fqdn, count] : s.session_count) n += count >= ExpectedPlugins().size();
  return n;
}

// The action storm: `rate` POST host/<id>/action/ start_lnet per second for
// `seconds_long`, from a few threads with a client each. Returns the ids of
// the commands it started; `*failed` counts refused or failed requests.
std::vector<int64_t> Storm(const LiveFleetOptions& o, Fleet& f, const std::vector<int64_t>& host_ids,
                           int64_t* failed, double* achieved_rate) {
  const int64_t total = static_cast<int64_t>(o.actions_per_second * o.storm_seconds);
  const int threads = static_cast<int>(std::clamp<int64_t>(total / 50, 1, 16));
  std::atomic<int64_t> next{0}, failures{0};
  std::mutex mu;
  std::vector<int64_t> commands;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(o.storm_seconds * 3 + 30));
  std::vector<std::thread> workers;
  Result<std::string> ca = crypto::ReadSmallFile(f.dir + "/mgr/ca.crt");
  for (int t = 0; t < threads && ca.ok(); ++t) {
    workers.emplace_back([&] {
      auto client = manager::ManagerClient::Create(f.manager_url, *ca);
      if (!client.ok() || !(*client)->Login("admin", "lustre").ok()) {
        failures += 1;
        return;
      }
      for (int64_t i = next++; i < total && Clock::now() < deadline; i = next++) {
        const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(static_cast<double>(i) / o.actions_per_second));
        std::this_thread::sleep_until(due);
        const int64_t host = host_ids[static_cast<size_t>(i) % host_ids.size()];
        Result<Json> r = (*client)->Call("POST", "api/host/" + std::to_string(host) + "/action/",
                                         Json{{"action", "start_lnet"}, {"args", Json::object()}});
        if (!r.ok() || !r->value("command_id", Json()).is_number()) {
          failures += 1;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        commands.push_back((*r)["command_id"].get<int64_t>());
      }
    });
  }
  for (auto& w : workers) w.join();
  *failed = failures.load();
  *achieved_rate = static_cast<double>(commands.size()) / std::max(Since(start), 1e-3);
  std::sort(commands.begin(), commands.end());
  return commands;
}

// Round trips of the storm's actions as the manager saw them: from its
// ACTION_START leaving (step started_at) to the ACTION_COMPLETE arriving
// (finished_at). Waits (bounded) until every command has ended.
std::vector<double> RoundTrips(Fleet& f, const std::vector<int64_t>& ids, double wait_seconds, int64_t* unfinished) {
  std::vector<double> out;
  *unfinished = static_cast<int64_t>(ids.size());
  if (ids.empty()) return out;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait_seconds));
  for (;;) {
    Result<Json> list = f.rest->Call("GET", "api/command/?limit=0&offset=" + std::to_string(ids.front() - 1));
    if (list.ok()) {
      out.clear();
      int64_t pending = 0;
      std::set<int64_t> wanted(ids.begin(), ids.end());
      for (const Json& c : list->value("objects", Json::array())) {
        if (!wanted.count(c.value("id", int64_t{0}))) continue;
        const std::string state = c.value("state", "");
        if (state == "pending" || state == "running") {
          ++pending;
          continue;
        }
        const Json step = c["steps"].empty() ? Json() : c["steps"][0];
        WallTime a, b;
        if (step.is_object() && step.value("started_at", Json()).is_string() &&
            step.value("finished_at", Json()).is_string() &&
            ParseAgentTime(step["started_at"].get<std::string>(), &a) &&
            ParseAgentTime(step["finished_at"].get<std::string>(), &b) && state == "succeeded") {
          out.push_back(static_cast<double>((b - a).count()) / 1000.0);
        }
      }
      // Failed or still running: no round trip.
      *unfinished = static_cast<int64_t>(ids.size() - out.size());
      if (pending == 0) return out;
    }
    if (Clock::now() >= deadline) return out;
    std::this_thread::sleep_for(seconds(1));
  }
}

int64_t FailedAgentRequests(ControlClient& control, std::string* notes) {
  Result<Json> agents = control.Call("agents");
  if (!agents.ok()) {
    *notes += "agents: " + agents.status().message() + "; ";
    return -1;
  }
  int64_t failed = 0;
  for (const auto& [fqdn, a] : agents->items()) {
    failed += a.value("gets_failed", int64_t{0}) + a.value("posts_failed", int64_t{0});
  }
  return failed;
}

// How many hosts `cluster-sim manager hosts --json` lists (-1: it failed):
// the CLI reads every page of the list, whatever the fleet's size.
int CliHostCount(const LiveFleetOptions& o, Fleet& f, std::string* notes) {
  const std::string out = f.dir + "/cli_hosts.json";
  ChildProcess cli({o.binary, "manager", "hosts", "--json", "--manager-url", f.manager_url, "--dir", f.dir + "/mgr"}, out);
  const int status = cli.Wait(seconds(120));
  if (status != 0) {
    cli.Stop();
    *notes += "manager hosts --json failed (" + std::to_string(status) + "); ";
    return -1;
  }
  Json hosts = Json::parse(cli.Output(), nullptr, false);
  return hosts.is_array() ? static_cast<int>(hosts.size()) : -1;
}

void Progress(const LiveFleetOptions& o, const std::string& text) {
  if (o.progress) o.progress(text);
}

}  // namespace

const std::vector<std::string>& ExpectedPlugins() {
  static const std::vector<std::string> plugins = {"action_runner", "corosync", "linux", "linux_network",
                                                   "lustre", "simulator_controller", "systemd_journal"};
  return plugins;
}

const std::vector<std::string>& EveryPollPlugins() {
  static const std::vector<std::string> plugins = {"corosync", "linux_network", "lustre", "simulator_controller"};
  return plugins;
}

const Figure* LiveFleetReport::Find(const std::string& name) const {
  for (const Figure& f : figures) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<LiveFleetReport> RunLiveFleet(const LiveFleetOptions& o) {
  Fleet f;
  bool remove_dir = false;
  if (o.work_dir.empty()) {
    std::string tmpl = "/tmp/live_fleet_XXXXXX";
    if (!mkdtemp(tmpl.data())) return Status::Internal("cannot make a scratch directory");
    f.dir = tmpl;
    remove_dir = true;
  } else {
    f.dir = o.work_dir;
    std::filesystem::create_directories(f.dir);
  }
  LiveFleetReport report;
  auto add = [&report](std::string name, double value, std::string unit) {
    report.figures.push_back({std::move(name), value, std::move(unit)});
  };
  Status status = [&]() -> Status {
    CS_RETURN_IF_ERROR(StartManager(o, f));
    Progress(o, "manager up at " + f.manager_url + "; setting up " + std::to_string(o.servers) + " servers");
    CS_RETURN_IF_ERROR(SetUpFleet(o, f));

    // Registration: until every server has every session, and every host
    // is managed.
    const auto register_start = Clock::now();
    const double mgr_cpu_registering0 = f.manager->CpuSeconds();
    double sim_cpu_registering = -1, mgr_cpu_registering = -1;
    CS_RETURN_IF_ERROR(StartRegister(o, f));
    double all_sessions = -1, all_managed = -1;
    int with_every_session = 0, setups_failed = 0;
    double max_latency_registering = 0;
    const auto register_deadline = register_start + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(o.register_timeout_seconds));
    // A host whose set-up failed is never managed: stop waiting once every
    // host is managed or failed.
    while (Clock::now() < register_deadline &&
           (all_sessions < 0 || (all_managed < 0 && report.hosts_managed + setups_failed < o.servers))) {
      std::this_thread::sleep_for(milliseconds(500));
      if (!f.simulator->Running()) return Status::Internal("the simulator exited: " + f.simulator->Output());
      Result<SessionSnapshot> snap = TakeSessions(*f.rest);
      if (snap.ok()) with_every_session = WithEverySession(*snap);
      if (snap.ok() && all_sessions < 0 && static_cast<int>(snap->session_count.size()) == o.servers &&
          with_every_session == o.servers) {
        all_sessions = Since(register_start);
        // The CPU both processes spent registering (the simulator's process
        // began with `register`).
        sim_cpu_registering = f.simulator->CpuSeconds();
        mgr_cpu_registering = f.manager->CpuSeconds() - mgr_cpu_registering0;
      }
      Result<HostCounts> hosts = CountHosts(*f.rest);
      if (hosts.ok()) {
        max_latency_registering = std::max(max_latency_registering, hosts->latency_ms);
        report.hosts_registered = hosts->total;
        report.hosts_managed = hosts->managed;
        setups_failed = hosts->setup_failed;
        if (all_managed < 0 && (hosts->managed == o.servers || (!o.set_up_hosts && hosts->total == o.servers))) {
          all_managed = Since(register_start);
        }
        Progress(o, "registered " + std::to_string(hosts->total) + ", managed " + std::to_string(hosts->managed) +
                        ", with every session " + std::to_string(snap.ok() ? WithEverySession(*snap) : -1));
      }
    }
    report.registration_seconds = all_sessions;
    add("registrations_per_second", all_sessions > 0 ? o.servers / all_sessions : 0, "1/s");
    if (sim_cpu_registering >= 0) {
      add("simulator_cpu_per_registration", sim_cpu_registering * 1000 / o.servers, "ms");
      add("manager_cpu_per_registration", mgr_cpu_registering * 1000 / o.servers, "ms");
    }
    add(o.set_up_hosts ? "seconds_until_all_managed" : "seconds_until_all_registered", all_managed, "s");
    if (o.set_up_hosts) add("host_setups_failed", setups_failed, "count");
    if (all_sessions < 0 || all_managed < 0) {
      report.hosts_with_every_session = with_every_session;
      report.notes += (setups_failed > 0 && Clock::now() < register_deadline
                           ? std::string("host set-up failed (see the manager's commands)")
                           : "registration did not finish within " + std::to_string(o.register_timeout_seconds) +
                                 " s") +
                      " (registered " + std::to_string(report.hosts_registered) + ", managed " +
                      std::to_string(report.hosts_managed) + ", set-up failed " + std::to_string(setups_failed) +
                      ", with every session " +
                      std::to_string(with_every_session) + "); ";
      return Status::Ok();
    }

    // Steady phase: CPU, RSS, missed updates, host list latency.
    Progress(o, "steady phase, " + std::to_string(o.steady_seconds) + " s");
    Result<SessionSnapshot> first = TakeSessions(*f.rest);
    if (!first.ok()) return first.status();
    const double sim_cpu0 = f.simulator->CpuSeconds(), mgr_cpu0 = f.manager->CpuSeconds();
    const auto steady_start = Clock::now();
    std::vector<double> latencies;
    while (Since(steady_start) < o.steady_seconds) {
      std::this_thread::sleep_for(milliseconds(std::min<int64_t>(2000, static_cast<int64_t>(o.steady_seconds * 1000 / 4))));
      Result<HostCounts> hosts = CountHosts(*f.rest);
      if (hosts.ok()) latencies.push_back(hosts->latency_ms);
    }
    const double steady = Since(steady_start);
    const double sim_cpu = (f.simulator->CpuSeconds() - sim_cpu0) / steady * 100;
    const double mgr_cpu = (f.manager->CpuSeconds() - mgr_cpu0) / steady * 100;
    Result<SessionSnapshot> last = TakeSessions(*f.rest);
    if (!last.ok()) return last.status();
    std::set<std::string> fqdns;
    for (const auto& [fqdn, n] : last->session_count) fqdns.insert(fqdn);
    report.hosts_with_every_session = WithEverySession(*last);
    report.missed_poll_updates = MissedUpdates(*first, *last, o.poll_seconds, fqdns, &report.notes);
    add("simulator_cpu_steady", sim_cpu, "%");
    add("manager_cpu_steady", mgr_cpu, "%");
    add("simulator_rss_per_server", static_cast<double>(f.simulator->RssKib()) / o.servers, "KiB");
    add("manager_rss_per_host", static_cast<double>(f.manager->RssKib()) / o.servers, "KiB");
    add("missed_poll_updates", static_cast<double>(report.missed_poll_updates), "count");
    add("host_list_latency_steady_max", latencies.empty() ? -1 : *std::max_element(latencies.begin(), latencies.end()), "ms");
    add("host_list_latency_registering_max", max_latency_registering, "ms");

    report.cli_hosts_listed = CliHostCount(o, f, &report.notes);
    add("cli_hosts_listed", report.cli_hosts_listed, "count");

    // Action storm.
    int64_t storm_failed = 0;
    if (o.actions_per_second > 0) {
      Progress(o, "action storm, " + std::to_string(o.actions_per_second) + "/s for " + std::to_string(o.storm_seconds) + " s");
      std::vector<int64_t> host_ids;
      Result<Json> hosts = f.rest->Call("GET", "api/host/?limit=0");
      if (!hosts.ok()) return hosts.status();
      for (const Json& h : (*hosts)["objects"]) host_ids.push_back(h["id"].get<int64_t>());
      double achieved = 0;
      std::vector<double> storm_latency;
      std::atomic<bool> storming{true};
      std::thread sampler([&] {
        auto client = manager::ManagerClient::Create(f.manager_url, *crypto::ReadSmallFile(f.dir + "/mgr/ca.crt"));
        if (!client.ok() || !(*client)->Login("admin", "lustre").ok()) return;
        for (int i = 0; storming && i < 1000; ++i) {
          Result<HostCounts> c = CountHosts(**client);
          if (c.ok()) storm_latency.push_back(c->latency_ms);
          std::this_thread::sleep_for(milliseconds(1000));
        }
      });
      std::vector<int64_t> commands = Storm(o, f, host_ids, &storm_failed, &achieved);
      storming = false;
      sampler.join();
      int64_t unfinished = 0;
      std::vector<double> trips = RoundTrips(f, commands, 60 + o.storm_seconds, &unfinished);
      add("actions_per_second_achieved", achieved, "1/s");
      add("action_round_trip_p50", Percentile(trips, 0.50), "ms");
      add("action_round_trip_p99", Percentile(trips, 0.99), "ms");
      add("actions_not_completed", static_cast<double>(unfinished), "count");
      add("host_list_latency_storm_max",
          storm_latency.empty() ? -1 : *std::max_element(storm_latency.begin(), storm_latency.end()), "ms");
    }

    Result<SessionSnapshot> end = TakeSessions(*f.rest);
    if (end.ok()) {
      for (const auto& [fqdn, n] : end->times_unreachable) report.hosts_ever_unreachable += n > 0;
    }
    const int64_t agent_failures = FailedAgentRequests(*f.control, &report.notes);
    report.failed_requests = agent_failures < 0 ? -1 : agent_failures + storm_failed;
    add("failed_requests", static_cast<double>(report.failed_requests), "count");
    add("hosts_ever_unreachable", report.hosts_ever_unreachable, "count");
    return Status::Ok();
  }();

  // Both processes end by PID, simulator first; bounded.
  f.rest.reset();
  f.control.reset();
  if (f.simulator) f.simulator->Stop(seconds(60));
  if (f.manager) f.manager->Stop(seconds(60));
  if (!status.ok()) {
    status = status.Context("logs in " + f.dir);
  } else if (remove_dir) {
    std::error_code ec;
    std::filesystem::remove_all(f.dir, ec);
  }
  if (!status.ok()) return status;
  return report;
}

}  // namespace cs::bench
