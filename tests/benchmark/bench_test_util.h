// Helpers of the benchmark tests: running `cluster-sim bench` as a process
// in a scratch directory, and reading its JSON report.
#pragma once

#include <string>
#include <vector>

#include "fakes/json_helpers.h"

namespace cs::benchmark::testing {

struct BenchRun {
  int status = -1;
  std::string output;  // stdout and stderr
  Json report;         // the --report file, null when absent
};

// A fresh directory under /tmp, removed by the caller (RemoveDir).
std::string MakeDir();
void RemoveDir(const std::string& dir);

// Runs `cluster-sim bench ARGS --report DIR/report.json` (bounded).
BenchRun RunBench(const std::vector<std::string>& args, const std::string& dir, int timeout_s = 300);

// Runs `cluster-sim bench ARGS` with a pseudo-terminal as its stdin,
// stdout and stderr (forkpty), as a person at a terminal would; its exit
// status and everything it wrote to the terminal. Bounded: killed after
// timeout_s (status -1).
BenchRun RunBenchOnTerminal(const std::vector<std::string>& args, int timeout_s = 300);

// Options that make a mode's limit come early: fast polls, a throttled
// manager, short bounds, frequent monitor samples.
std::vector<std::string> FastOptions(double throttle);

// --csv PREFIX and --html FILE of a run: the CSV headers equal those
// Locust writes itself, every line has their fields, the benchmark's own
// requests are the rows (the monitors' paths, the control operations),
// the history has rows, and headless Chromium draws the report's charts.
void ExpectLocustCsvAndHtml(const std::string& prefix, const std::string& html, const std::string& dir);

}  // namespace cs::benchmark::testing
