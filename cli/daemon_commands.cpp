#include "cli/daemon_commands.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <iostream>

#include "cli/run_reports.h"
#include "net/io_pool.h"
#include "net/tls_context.h"
#include "sim/control/control_api.h"
#include "sim/control/control_server.h"
#include "sim/manager_api.h"
#include "sim/power_service.h"
#include "util/fd_limit.h"
#include "sim/simulator.h"

namespace cs::cli {

namespace {

// Blocks SIGINT/SIGTERM in every thread (threads made later inherit the
// mask), so the main thread can wait for them with sigwait.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Waits for SIGINT or SIGTERM, calling `each_second` about once a second
// meanwhile (the live line).
void WaitForStopSignal(const sigset_t& set, Log& log, const std::function<void()>& each_second) {
  const timespec second{1, 0};
  int sig = -1;
  while (sig < 0) {
    sig = sigtimedwait(&set, nullptr, &second);
    if (sig < 0 && errno != EAGAIN && errno != EINTR) break;
    if (sig < 0) each_second();
  }
  log.Info("", std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
}

ReportOptions ReportsOf(const DaemonOptions& daemon) { return ReportOptions{daemon.csv_prefix, daemon.html}; }

// One daemon per state directory: a second one would run every agent twice.
// The lock is released when the process exits, however it exits.
Status LockStateDirectory(const std::string& dir) {
  const std::string path = dir + "/daemon.lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot open " + path);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return Status::Unavailable("another cluster-sim daemon is running on " + dir + "/");
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) == 0 && write(fd, pid.data(), pid.size()) < 0) {
    // The pid is only informative.
  }
  return Status::Ok();  // fd deliberately kept open for the process's life
}

Result<std::unique_ptr<Simulator>> OpenSimulator(const GlobalOptions& global, const DaemonOptions& daemon,
                                                 Log& log) {
  LogLevel level;
  if (!ParseLogLevel(daemon.log_level, &level)) {
    return Status::InvalidArgument("--log-level must be debug, info, warning or error");
  }
  log.SetLevel(level);
  CS_RETURN_IF_ERROR(LockStateDirectory(global.config));
  log.OpenFile(global.config + "/cluster-sim.log");
  log.Debug("", "open file limit " + std::to_string(RaiseOpenFileLimit()));
  SimulatorOptions options;
  options.config_dir = global.config;
  options.url = global.url;
  options.ca_file = daemon.ca_file;
  options.insecure = daemon.insecure;
  options.threads = daemon.threads;
  options.pdu_port_offset = daemon.pdu_port_offset;
  options.log = &log;
  if (daemon.key_type == "rsa") {
    options.key_type = crypto::KeyType::kRsa2048;
  } else if (daemon.key_type != "ecdsa") {
    return Status::InvalidArgument("--key-type must be ecdsa or rsa");
  }
  auto seconds = [](double s) {
    return std::chrono::milliseconds(static_cast<int64_t>(s * 1000));
  };
  if (daemon.poll_seconds) {
    options.timing.poll_period = seconds(*daemon.poll_seconds);
    options.timing.min_session_backoff = seconds(*daemon.poll_seconds);
    options.timing.max_session_backoff = seconds(6 * *daemon.poll_seconds);
    options.get_retry = seconds(*daemon.poll_seconds);
  }
  if (daemon.boot_seconds) {
    options.boot_delay = seconds(*daemon.boot_seconds);
    options.shutdown_delay = seconds(*daemon.boot_seconds);
  }
  if (daemon.start_spread_seconds) options.start_spread = seconds(*daemon.start_spread_seconds);
  if (daemon.registrations_in_flight) {
    options.max_registrations_in_flight = static_cast<size_t>(*daemon.registrations_in_flight);
  }
  if (daemon.hsm_bandwidth) options.hsm_bandwidth = *daemon.hsm_bandwidth;
  return Simulator::Open(std::move(options));
}

net::TlsClientConfig ApiTls(const DaemonOptions& daemon) {
  net::TlsClientConfig tls;
  tls.insecure = daemon.insecure;
  if (daemon.ca_file) {
    auto pem = net::ReadPemFile(*daemon.ca_file);
    if (pem.ok()) tls.ca_pem = *pem;
  }
  return tls;
}

struct Secrets {
  std::string server;
  std::string worker;
};

Result<Secrets> AcquireSecrets(const GlobalOptions& global, const DaemonOptions& daemon,
                               const RegisterOptions& reg, const World& world) {
  if (reg.secret) return Secrets{*reg.secret, *reg.secret};
  if (!reg.username || !reg.password) {
    return Status::InvalidArgument("register needs --secret, or --username and --password");
  }
  net::IoPool pool(1);
  pool.Start();
  auto api = ManagerApi::Connect(pool.context(), global.url.value_or(world.settings().url), ApiTls(daemon));
  if (!api.ok()) return api.status();
  CS_RETURN_IF_ERROR((*api)->Login(*reg.username, *reg.password));
  const int credits = std::max<int>(1, static_cast<int>(world.servers.size()));
  auto server = (*api)->CreateRegistrationToken("base_managed_rh7", credits);
  if (!server.ok()) return server.status();
  auto worker = (*api)->CreateRegistrationToken("posix_copytool_worker", credits);
  if (!worker.ok()) return worker.status();
  api->reset();
  return Secrets{*server, *worker};
}

Status CreatePduEntries(const GlobalOptions& global, const DaemonOptions& daemon, const RegisterOptions& reg,
                        Simulator& sim) {
  if (!reg.username || !reg.password) {
    return Status::InvalidArgument("--create_pdu_entries needs --username and --password");
  }
  net::IoPool pool(1);
  pool.Start();
  auto api = ManagerApi::Connect(pool.context(), global.url.value_or(sim.store().world().settings().url),
                                 ApiTls(daemon));
  if (!api.ok()) return api.status();
  CS_RETURN_IF_ERROR((*api)->Login(*reg.username, *reg.password));
  std::lock_guard<std::mutex> lock(sim.store().mutex());
  return (*api)->CreatePduEntries(sim.store().world(), daemon.pdu_port_offset);
}

// The fleet's PDUs on the network, for fence_apc and the power commands.
Result<std::unique_ptr<PowerService>> StartPower(Simulator& sim, const DaemonOptions& daemon) {
  PowerServiceOptions options;
  options.port_offset = daemon.pdu_port_offset;
  if (daemon.pdu_reboot_seconds) {
    options.reboot_pause = std::chrono::milliseconds(static_cast<int64_t>(*daemon.pdu_reboot_seconds * 1000));
  }
  auto power = std::make_unique<PowerService>(&sim, sim.io(), options);
  CS_RETURN_IF_ERROR(power->Start());
  // PDUs the control API's setup adds listen at once, not after a restart.
  sim.SetPduStarter([p = power.get()] { return p->Start(); });
  return power;
}


// The control API of a running daemon. Stop() it before the simulator: its
// server lives on the simulator's io_context.
struct ControlPlane {
  std::unique_ptr<ControlApi> api;
  std::unique_ptr<ControlServer> server;

  void Stop() {
    if (server) server->Stop();
    server.reset();
  }
};

Result<ControlPlane> StartControl(const DaemonOptions& daemon, Simulator& sim, Log& log) {
  ControlServerOptions options;
  CS_RETURN_IF_ERROR(ParseListenAddress(daemon.control_listen, &options));
  if (daemon.control_token_file) {
    auto token = ReadTokenFile(*daemon.control_token_file);
    if (!token.ok()) return token.status();
    options.token = *token;
  }
  ControlPlane plane;
  plane.api = std::make_unique<ControlApi>(sim);
  auto server = ControlServer::Start(sim.io(), *plane.api, log, options);
  if (!server.ok()) return server.status();
  plane.server = std::move(*server);
  return plane;
}

// A running daemon: the simulator, its PDUs and its control API.
struct Daemon {
  std::unique_ptr<Simulator> sim;
  std::unique_ptr<PowerService> power;
  ControlPlane control;

  // Stops the servers first (control API, PDU consoles), then every agent
  // and the pool. They are destroyed later, while the io_context still
  // exists (the Simulator, declared first, goes last).
  void Stop() {
    control.Stop();
    sim->SetPduStarter(nullptr);
    if (power) power->Stop();
    sim->Stop();
  }
};

Result<Daemon> StartDaemon(const GlobalOptions& global, const DaemonOptions& options, Log& log) {
  Daemon d;
  auto sim = OpenSimulator(global, options, log);
  if (!sim.ok()) return sim.status();
  d.sim = std::move(*sim);
  auto power = StartPower(*d.sim, options);
  if (!power.ok()) {
    d.Stop();
    return power.status();
  }
  d.power = std::move(*power);
  auto control = StartControl(options, *d.sim, log);
  if (!control.ok()) {
    d.Stop();
    return control.status();
  }
  d.control = std::move(*control);
  return d;
}


}  // namespace

int RunRegister(const GlobalOptions& global, const DaemonOptions& daemon, const RegisterOptions& reg) {
  if (!reg.secret && !(reg.username && reg.password)) {
    return Fail("register needs --secret, or --username and --password");
  }
  if (Status paths = CheckReportPaths(ReportsOf(daemon)); !paths.ok()) return Fail(paths.message());
  const sigset_t signals = BlockStopSignals();
  Log log;
  auto running = StartDaemon(global, daemon, log);
  if (!running.ok()) return Fail(running.status().message());
  Daemon& d = *running;
  RunReports reports(*d.sim, ReportsOf(daemon), "cluster-sim register");
  if (Status s = reports.Start(); !s.ok()) {
    d.Stop();
    return Fail(s.message());
  }
  Result<Secrets> secrets = Status::Internal("unset");
  {
    std::lock_guard<std::mutex> lock(d.sim->store().mutex());
    secrets = AcquireSecrets(global, daemon, reg, d.sim->store().world());
  }
  if (!secrets.ok()) {
    d.Stop();
    return Fail("register: " + secrets.status().message());
  }
  const bool tty = isatty(STDERR_FILENO);
  const auto started = std::chrono::steady_clock::now();
  size_t failed = 0;
  auto results = d.sim->RegisterAll(secrets->server, secrets->worker,
                                     [&](const RegistrationResult& r, size_t done, size_t total) {
    failed += !r.status.ok();
    if (!tty) return;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << "\rregistered " << (done - failed) << "/" << total << ", " << failed << " failed, "
              << static_cast<int>(secs > 0 ? static_cast<double>(done) / secs : 0.0) << "/s   " << std::flush;
    if (done == total) std::cerr << "\n";
  });
  for (const auto& r : results) {
    if (!r.status.ok()) std::cerr << "cluster-sim: " << r.fqdn << ": " << r.status.message() << "\n";
  }
  // One write: the agents already run and log to std::cerr, which is tied to
  // std::cout, so a log line between two pieces of this one flushed the first
  // piece and split the line (a test waiting for it saw "Registered <log
  // line> 3 of 3 servers").
  const std::string summary = "Registered " + std::to_string(results.size() - failed) + " of " +
                              std::to_string(results.size()) + " servers" +
                              (failed ? " (" + std::to_string(failed) + " failed)" : "") + "\n";
  std::cout << summary << std::flush;
  if (reg.create_pdu_entries && results.size() > failed) {
    Status pdu = CreatePduEntries(global, daemon, reg, *d.sim);
    if (!pdu.ok()) {
      log.Error("", "creating PDU entries: " + pdu.message());
    } else {
      log.Info("", "PDU entries created on the manager");
    }
  }
  WaitForStopSignal(signals, log, [&] { reports.ShowLiveLine(); });
  const bool reported = reports.Finish();
  d.Stop();
  return failed || !reported ? kExitError : kExitOk;
}

int RunRun(const GlobalOptions& global, const DaemonOptions& daemon) {
  if (Status paths = CheckReportPaths(ReportsOf(daemon)); !paths.ok()) return Fail(paths.message());
  const sigset_t signals = BlockStopSignals();
  Log log;
  auto running = StartDaemon(global, daemon, log);
  if (!running.ok()) return Fail(running.status().message());
  Daemon& d = *running;
  RunReports reports(*d.sim, ReportsOf(daemon), "cluster-sim run");
  if (Status s = reports.Start(); !s.ok()) {
    d.Stop();
    return Fail(s.message());
  }
  size_t n = d.sim->StartAll();
  log.Info("", "running " + std::to_string(n) + " registered servers from " + global.config + "/");
  WaitForStopSignal(signals, log, [&] { reports.ShowLiveLine(); });
  const bool reported = reports.Finish();
  d.Stop();
  return reported ? kExitOk : kExitError;
}

}  // namespace cs::cli
