#include "sim/plugins/log_lines.h"

namespace cs {

Json MakeLogLine(const std::string& message, WallTime at) {
  return Json{{"source", "cluster_sim"},
              {"severity", 1},
              {"facility", 1},
              {"message", message},
              {"datetime", FormatAgentTime(at)}};
}

std::vector<Json> SyntheticLogLines(const std::string& fqdn, int count, WallTime at) {
  std::vector<Json> lines;
  const std::string prefix = fqdn + " " + FormatAgentTime(at) + " ";
  for (int n = 0; n < count; ++n) lines.push_back(MakeLogLine(prefix + std::to_string(n), at));
  return lines;
}

}  // namespace cs
