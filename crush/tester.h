// crush/tester: `crushtool --test` — maps a range of inputs through one or
// every rule and prints, line for line, what Debian's crushtool prints for
// the same map and options: the mappings, the bad mappings (fewer devices
// than asked, or empty indep positions), the result-size statistics and the
// per-device utilization with its expected value.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "crush/map.h"

namespace cs::crush {

struct TestOptions {
  std::optional<int> rule;     // every rule when unset
  std::optional<int> num_rep;  // the rule's min_size..max_size when unset
  int min_x = -1, max_x = -1;  // 0..1023 unless both are set
  bool show_mappings = false;
  bool show_bad_mappings = false;
  bool show_statistics = false;
  bool show_utilization = false;
  bool show_utilization_all = false;
};

struct TestSummary {
  long mappings = 0;
  long bad_mappings = 0;
};

// Writes crushtool's standard output to `out`. The device weights line of
// --show-utilization-all goes to `err`, as crushtool writes it to stderr.
TestSummary RunTest(const Map& map, const TestOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cs::crush
