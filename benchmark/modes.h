// Modes: the original benchmark.py's benchmark routines, each growing the
// load on the manager step by step until it fails or backs up, and
// reporting the limit it found (docs/bench.md gives each criterion):
//   reset                          every server and simulated controller gone
//   concurrent_registration_limit  N, 2N, ... servers registering at once
//                                  until a setup command fails
//   server_count_limit             groups of 4 servers (4 volumes each,
//                                  log rate 10) until a queue backs up
//   log_ingest_rate                --servers servers, log rate 8, 16, ...
//                                  until the journal's receive queue stays
//                                  backed up for 3 steps; then the drain rate
//   filesystem_size_limit          N, 2N, ... servers in SUs of 4 and a
//                                  filesystem over all their volumes, until
//                                  registration or the filesystem fails
// Every loop is bounded: max_steps, the run's deadline, and SIGINT (the
// target's interrupt flag), after which the mode reports what it reached.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "benchmark/target.h"
#include "fakes/json_helpers.h"

namespace cs::benchmark {

struct ModeOptions {
  int servers = 8;          // --servers: the step (and log_ingest_rate's fleet)
  int max_steps = 20;
  Deadline deadline;        // the whole run's
  std::chrono::seconds command_timeout{600};  // a step's commands (the original's 600 s)
  std::chrono::milliseconds settle{10000};    // log_ingest_rate: wait per rate (the original's 10 s)
  int max_log_rate = 100000;                  // log_ingest_rate's last rate (the simulator's cap)
  std::function<void(const std::string&)> note;  // a progress line (may be empty)
  std::function<void(int)> fleet_size;            // servers in play now (may be empty)
};

struct ModeReport {
  std::string mode;
  // The limit: found (the manager failed or backed up) or not (a bound
  // ended the run first; `value` is then the largest load that passed).
  bool limit_found = false;
  double value = 0;
  std::string unit;
  std::string summary;      // one sentence
  std::string stop_reason;  // "failed", "backed up", "max steps", "timeout", "interrupted", "error", "done"
  std::string error;        // what went wrong, when the stop reason is failed or error
  Json steps = Json::array();  // one object per step
  Json extra = Json::object();
};

const std::vector<std::string>& ModeNames();
bool IsMode(const std::string& name);
// Runs the mode's routine (not the reset and monitors around it).
ModeReport RunMode(const std::string& name, Target& target, const ModeOptions& options);

}  // namespace cs::benchmark
