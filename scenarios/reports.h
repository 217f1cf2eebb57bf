// Reports of a scenario run: JUnit XML (a testsuite per scenario, a
// testcase per repetition; a failed check or step is a <failure> with its
// message, the seed and the replay command), a JSON report (summary and
// per-step timings) and the human summary printed at the end.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "scenarios/plan.h"
#include "scenarios/runner.h"

namespace cs::scenarios {

struct RunSummary {
  uint64_t seed = 0;
  std::string replay;
  double duration_s = 0;
  size_t executed = 0;
  size_t passed = 0;
  size_t failed = 0;
  size_t not_reached = 0;
  std::vector<std::string> notes;  // e.g. the live plan differed from the prediction
};

RunSummary Summarize(const Plan& plan, const std::vector<RunResult>& results, double duration_s,
                     const std::string& replay);

std::string JunitXml(const Plan& plan, const std::vector<RunResult>& results, const RunSummary& summary);
Json JsonReport(const Plan& plan, const std::vector<RunResult>& results, const RunSummary& summary);
void PrintSummary(std::ostream& out, const std::vector<RunResult>& results, const RunSummary& summary);

}  // namespace cs::scenarios
