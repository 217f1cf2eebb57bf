// `cluster-sim bench MODE`: the front end of benchmark/ (docs/bench.md).
// Against the built-in manager, started with an empty simulator daemon in
// a scratch directory, unless --url names a manager (then only the
// simulator is started, or none with --control-url). Exit status 0 when
// the mode ran (a limit found or a bound reached), 1 when it ended by an
// error mid-run, 2 on bad input: an unknown mode, a manager that does not
// answer, refused credentials, a report path that cannot be written; 130
// after SIGINT (the report of what was measured is printed and written).
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace cs::cli {

struct BenchCli {
  CLI::App* bench = nullptr;
  std::string mode;
  std::string url;           // "": the built-in manager
  std::string ca;            // the manager's CA file (with --url); default: do not verify
  std::string username = "admin";
  std::string password = "lustre";
  std::string control_url;   // a running simulator daemon (the original's --remote_simulator)
  int servers = 8;
  int max_steps = 20;
  double timeout_s = 1800;
  double command_timeout_s = 600;
  double settle_s = 10;
  int max_log_rate = 100000;
  double poll_seconds = 10;
  double throttle_rx = 0;    // hidden: the built-in manager's --throttle-rx
  double monitor_period_s = 1;
  std::string work_dir;
  bool keep = false;
  bool json = false;
  std::string json_out;      // --report FILE: the JSON report written there
  std::optional<std::string> csv_prefix;  // --csv PREFIX: Locust's three CSV files
  std::optional<std::string> html;        // --html FILE: the HTML load report
  double control_timeout_s = 120;         // hidden: one control API operation's bound
};

std::unique_ptr<BenchCli> AddBenchCommand(CLI::App& app);
bool BenchCliParsed(const BenchCli& cli);
int RunBenchCli(BenchCli& cli);

}  // namespace cs::cli
