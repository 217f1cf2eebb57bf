#include "tests/benchmark/bench_test_util.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/child_process.h"
#include "util/json_parse.h"

namespace cs::benchmark::testing {

std::string MakeDir() {
  char pattern[] = "/tmp/cs-bench-test-XXXXXX";
  return mkdtemp(pattern) ? std::string(pattern) : std::string("/tmp");
}

void RemoveDir(const std::string& dir) {
  std::error_code ec;
  if (dir.rfind("/tmp/cs-bench-test-", 0) == 0) std::filesystem::remove_all(dir, ec);
}

BenchRun RunBench(const std::vector<std::string>& args, const std::string& dir, int timeout_s) {
  std::vector<std::string> argv = {CS_BINARY, "bench"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--report", dir + "/report.json"});
  bench::ChildProcess p(argv, dir + "/bench.log");
  BenchRun run;
  run.status = p.Wait(std::chrono::seconds(timeout_s));
  if (run.status == -1) p.Stop();
  run.output = p.Output();
  std::ifstream in(dir + "/report.json");
  std::stringstream text;
  text << in.rdbuf();
  run.report = ParseUntrustedJsonOrDiscarded(text.str());
  if (run.report.is_discarded()) run.report = nullptr;
  return run;
}

std::vector<std::string> FastOptions(double throttle) {
  std::ostringstream rate;
  rate << throttle;
  return {"--poll-seconds", "1", "--throttle-rx", rate.str(), "--monitor-period", "0.5", "--timeout", "200"};
}

}  // namespace cs::benchmark::testing
