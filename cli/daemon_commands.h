// The long-running commands: `register` (register every unregistered server
// with the manager, then keep answering it) and `run` (restart the
// registered fleet from the saved state). Both run until SIGINT or SIGTERM,
// then stop every agent and exit 0. With --csv / --html they write their
// load reports as they stop (cli/run_reports.h).
#pragma once

#include <optional>
#include <string>

#include "cli/commands.h"

namespace cs::cli {

struct DaemonOptions {
  std::optional<std::string> ca_file;
  bool insecure = false;
  std::string log_level = "info";
  int threads = 2;
  std::string key_type = "ecdsa";  // ecdsa | rsa
  // Test and demo knobs: the real agent's periods shortened.
  std::optional<double> poll_seconds;
  std::optional<double> boot_seconds;
  std::optional<double> start_spread_seconds;
  // Registrations under way at once (register; hidden: for benchmarks).
  std::optional<int> registrations_in_flight;
  // Added to every PDU's port (2300, 2301, ...), so several fleets can run
  // side by side.
  int pdu_port_offset = 0;
  std::optional<double> pdu_reboot_seconds;
  // Bytes/s each HSM copytool shares (default: the original's 96 Gb/s).
  std::optional<int64_t> hsm_bandwidth;
  // The control API (sim/control/control_server.h).
  std::string control_listen = "127.0.0.1:8743";
  std::optional<std::string> control_token_file;
  // Load reports (cli/run_reports.h): Locust's CSV files and the HTML report.
  std::optional<std::string> csv_prefix;
  std::optional<std::string> html;
};

struct RegisterOptions {
  std::optional<std::string> secret;
  std::optional<std::string> username;
  std::optional<std::string> password;
  bool create_pdu_entries = false;
};

int RunRegister(const GlobalOptions& global, const DaemonOptions& daemon, const RegisterOptions& reg);
int RunRun(const GlobalOptions& global, const DaemonOptions& daemon);

}  // namespace cs::cli
