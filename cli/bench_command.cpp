// The bench command (see bench_command.h).
#include "cli/bench_command.h"

#include <CLI/CLI.hpp>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "benchmark/modes.h"
#include "benchmark/reports.h"
#include "benchmark/runner.h"
#include "benchmark/scratch_env.h"
#include "benchmark/target.h"
#include "cli/commands.h"
#include "cli/number_options.h"
#include "cli/run_reports.h"
#include "sim/control/remote_operations.h"

namespace cs::cli {

namespace {

std::atomic<bool> g_interrupted{false};

void OnSigint(int) { g_interrupted = true; }

std::string ModeList() {
  std::string out;
  for (const std::string& m : benchmark::ModeNames()) out += (out.empty() ? "" : ", ") + m;
  return out;
}

// A report file that cannot be written is bad input: found before the run.
Status CheckWritable(const std::string& path) {
  if (path.empty()) return Status::Ok();
  std::ofstream probe(path, std::ios::app);
  if (!probe) return Status::InvalidArgument("cannot write the report file " + path);
  return Status::Ok();
}

// The report's fleet figures: the simulator's own gauges (servers running,
// agents connected, faults), read through a client of their own with a
// short bound (the daemon answers late while it registers a large step,
// and a stopping run must not wait for it), or the servers the mode has in
// play when the simulator does not answer. Not one of the benchmark's
// requests: it is the report's.
metrics::Gauges FleetGauges(SimulatorRemoteOperations* simulator, int in_play) {
  metrics::Gauges g;
  g.servers_running = in_play;
  if (!simulator) return g;
  Result<Json> stats = simulator->Call("stats", Json::object());
  if (stats.ok() && stats->is_object() && (*stats)["gauges"].is_object()) {
    const Json& gauges = (*stats)["gauges"];
    g.servers_running = gauges.value("servers_running", int64_t{in_play});
    g.agents_connected = gauges.value("agents_connected", int64_t{0});
    g.faults_active = gauges.value("faults_active", int64_t{0});
  }
  return g;
}

}  // namespace

std::unique_ptr<BenchCli> AddBenchCommand(CLI::App& app) {
  auto c = std::make_unique<BenchCli>();
  CLI::App* b = c->bench = app.add_subcommand(
      "bench", "The original's benchmark modes: grow the load until the manager backs up or fails; print the limit and monitors");
  b->add_option("MODE", c->mode, "reset, log_ingest_rate, server_count_limit, concurrent_registration_limit or filesystem_size_limit")
      ->required();
  b->add_option("--servers", c->servers, "Server count: the step of the growing modes, log_ingest_rate's fleet")
      ->check(IntegerIn(1, 10000))->capture_default_str();
  b->add_option("--url", c->url, "A manager that speaks the IML REST API (default: start the built-in one)");
  b->add_option("--ca", c->ca, "With --url: the manager's CA certificate (default: do not verify, as the original)");
  b->add_option("--username", c->username, "REST API user")->capture_default_str();
  b->add_option("--password", c->password, "REST API password (default: the built-in default)");
  b->add_option("--control-url", c->control_url, "A running simulator daemon's control API (default: start one)");
  b->add_option("--max-steps", c->max_steps, "Most load steps before stopping")->check(IntegerIn(1, 10000))->capture_default_str();
  b->add_option("--timeout", c->timeout_s, "Seconds for the whole run")->check(RealIn(1, 7 * 86400.0))->capture_default_str();
  b->add_option("--command-timeout", c->command_timeout_s, "Seconds a step's commands may take (the original's 600)")
      ->check(RealIn(1, 86400.0))->capture_default_str();
  b->add_option("--settle", c->settle_s, "log_ingest_rate: seconds at each log rate (the original's 10)")
      ->check(RealIn(0.1, 3600.0))->capture_default_str();
  b->add_option("--max-log-rate", c->max_log_rate, "log_ingest_rate: the highest log rate (lines per poll per server)")
      ->check(IntegerIn(8, 100000))->capture_default_str();
  b->add_option("--poll-seconds", c->poll_seconds, "The started simulator's agent poll period (the real agent's 10)")
      ->check(RealIn(0.05, 3600.0))->capture_default_str();
  b->add_option("--throttle-rx", c->throttle_rx, "The started manager takes at most this many DATA messages/s per queue")
      ->check(RealIn(0, 1e6))->group("");
  b->add_option("--monitor-period", c->monitor_period_s, "Seconds between monitor samples")
      ->check(RealIn(0.05, 60.0))->group("");
  b->add_option("--work-dir", c->work_dir, "Scratch directory (default: a new one under /tmp, removed after)");
  b->add_flag("--keep", c->keep, "Keep the scratch directory (logs of the manager and simulator)");
  b->add_flag("--json", c->json, "Print the report as JSON");
  b->add_option("--report", c->json_out, "Also write the JSON report to this file");
  b->add_option("--csv", c->csv_prefix,
                "Write Locust's PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv of the benchmark's requests");
  b->add_option("--html", c->html, "Write the HTML load report of the benchmark's requests to FILE at the end");
  b->add_option("--control-timeout", c->control_timeout_s, "Seconds one registration call (register, register_many) may take; set-up and clean-up calls wait at least 120 s")
      ->check(RealIn(0.1, 3600.0))->group("");
  return c;
}

bool BenchCliParsed(const BenchCli& cli) { return cli.bench && cli.bench->parsed(); }

int RunBenchCli(BenchCli& c) {
  if (!benchmark::IsMode(c.mode)) return Fail("bench: unknown mode '" + c.mode + "' (modes: " + ModeList() + ")");
  if (Status s = CheckWritable(c.json_out); !s.ok()) return Fail("bench: " + s.message());
  if (Status s = CheckReportPaths(ReportOptions{c.csv_prefix, c.html}); !s.ok()) return Fail("bench: " + s.message());
  std::string url = c.url;
  if (!url.empty() && url.back() != '/') url += '/';
  std::string ca_pem;
  if (!c.ca.empty()) {
    std::ifstream in(c.ca);
    if (!in) return Fail("bench: cannot read the CA file " + c.ca);
    ca_pem.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  g_interrupted = false;
  struct sigaction action {};
  action.sa_handler = OnSigint;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  auto note = [](const std::string& text) { std::cerr << "\r\033[K[bench] " << text << std::endl; };
  const bool terminal = isatty(STDERR_FILENO) == 1;
  auto say = [&](const std::string& text) {
    if (terminal) {
      note(text);
    } else {
      std::cerr << "[bench] " << text << std::endl;
    }
  };

  // A manager given by URL is checked before anything is started.
  benchmark::ConnectProblem problem = benchmark::ConnectProblem::kNone;
  std::unique_ptr<benchmark::ScratchEnv> env;
  if (c.control_url.empty() || url.empty()) {
    if (!url.empty()) {
      benchmark::TargetOptions probe{url, ca_pem, c.username, c.password, ""};
      auto client = benchmark::Target::Connect(probe, &problem);
      if (problem == benchmark::ConnectProblem::kManagerSilent || problem == benchmark::ConnectProblem::kCredentialsRefused) {
        return Fail("bench: " + client.status().message());
      }
    }
    benchmark::ScratchOptions so;
    so.binary = benchmark::SelfExecutable();
    so.dir = c.work_dir;
    so.keep_dir = c.keep;
    so.throttle_rx = c.throttle_rx;
    so.poll_seconds = c.poll_seconds;
    so.external_url = url;
    so.insecure = ca_pem.empty();
    say(url.empty() ? "starting the built-in manager and a simulator" : "starting a simulator for " + url);
    auto started = benchmark::ScratchEnv::Start(so);
    if (!started.ok()) return Fail("bench: " + started.status().message());
    env = std::move(*started);
    if (url.empty()) {
      url = env->manager_url();
      ca_pem = env->ca_pem();
    }
  }
  benchmark::TargetOptions to{url, ca_pem, c.username, c.password, c.control_url.empty() ? env->control_url() : c.control_url};
  to.control_timeout = std::chrono::milliseconds(static_cast<int64_t>(c.control_timeout_s * 1000));
  auto target = benchmark::Target::Connect(to, &problem);
  if (!target.ok()) return Fail("bench: " + target.status().message());
  (*target)->SetInterruptFlag(&g_interrupted);

  benchmark::RunnerOptions ro;
  ro.mode.servers = c.servers;
  ro.mode.max_steps = c.max_steps;
  ro.mode.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(c.timeout_s * 1000));
  ro.mode.command_timeout = std::chrono::seconds(static_cast<int64_t>(c.command_timeout_s));
  ro.mode.settle = std::chrono::milliseconds(static_cast<int64_t>(c.settle_s * 1000));
  ro.mode.max_log_rate = c.max_log_rate;
  ro.mode.note = say;
  ro.monitor_period = std::chrono::milliseconds(static_cast<int64_t>(c.monitor_period_s * 1000));
  std::atomic<int> fleet{0};
  ro.mode.fleet_size = [&fleet](int n) { fleet = n; };
  std::unique_ptr<SimulatorRemoteOperations> gauge_reader;
  if (c.csv_prefix || c.html) {
    SimulatorRemoteOptions remote;
    remote.url = to.control_url;
    remote.timeout = std::chrono::seconds(3);
    auto reader = SimulatorRemoteOperations::Connect(remote);
    if (reader.ok()) gauge_reader = std::move(*reader);
  }
  benchmark::BenchReports reports(benchmark::ReportFiles{c.csv_prefix, c.html}, (*target)->recorder(),
                                  [&] { return FleetGauges(gauge_reader.get(), fleet.load()); });
  if (Status s = reports.Start(); !s.ok()) return Fail("bench: " + s.message());
  say("starting " + c.mode);
  const benchmark::BenchmarkReport report = benchmark::RunBenchmark(c.mode, **target, ro);
  const Status written = reports.Finish("bench " + c.mode + " against " + url);
  target->reset();
  if (env) env->Stop();

  const Json json = benchmark::ReportJson(report);
  if (c.json) {
    std::cout << json.dump(2) << std::endl;
  } else {
    std::cout << benchmark::FormatReport(report) << std::flush;
  }
  if (!c.json_out.empty()) {
    std::ofstream out(c.json_out, std::ios::trunc);
    out << json.dump(2) << "\n";
    if (!out) return Fail("bench: cannot write the report file " + c.json_out);
  }
  if (!written.ok()) {
    std::cerr << "cluster-sim: bench: " << written.message() << std::endl;
    if (!report.interrupted) return kExitViolations;
  }
  if (report.interrupted) return 130;  // as a shell reports SIGINT; the reports are written
  return report.mode.stop_reason == "error" ? kExitViolations : kExitOk;
}

}  // namespace cs::cli
