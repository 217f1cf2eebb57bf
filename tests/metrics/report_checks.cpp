#include "tests/metrics/report_checks.h"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>

namespace cs::testing {

int RunCommand(const std::string& command, std::string* output) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) output->append(buf.data(), n);
  const int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> FileLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

size_t Fields(const std::string& line) { return static_cast<size_t>(std::count(line.begin(), line.end(), ',')) + 1; }

bool WriteLocustReference(const std::string& prefix, std::string* output) {
  return RunCommand("/usr/bin/python3 " CS_SOURCE_DIR "/tests/metrics/locust_reference.py " + prefix, output) == 0;
}

bool ChromiumDom(const std::string& html_path, const std::string& scratch_dir, std::string* dom) {
  return RunCommand("timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
                    "--user-data-dir=" + scratch_dir + "/chromium-profile --virtual-time-budget=5000 --dump-dom file://" +
                        html_path,
                    dom) == 0;
}

}  // namespace cs::testing
