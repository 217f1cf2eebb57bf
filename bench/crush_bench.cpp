// crush_bench: how fast the CRUSH mapper maps inputs on large maps. Prints,
// for a 10,000-host map deep (root -> 50 rows -> 500 racks -> hosts) and
// flat (one straw2 bucket of 10,000 hosts), the time to compile the text map
// and to map 10,000 inputs through a 3-replica chooseleaf rule.
//   build/bench/crush_bench [hosts] [inputs]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "crush/mapper.h"
#include "crush/synthetic_map.h"
#include "crush/text_map.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int Run(const char* shape, bool deep, int hosts, int inputs) {
  cs::crush::SyntheticSpec spec;
  spec.hosts = hosts;
  spec.osds_per_host = 4;
  spec.deep = deep;
  spec.hosts_per_rack = 20;
  spec.racks_per_row = 10;
  spec.uneven = true;
  const std::string text = cs::crush::SyntheticMapText(spec);
  auto start = std::chrono::steady_clock::now();
  auto map = cs::crush::CompileText(text, "synthetic");
  if (!map.ok()) {
    std::fprintf(stderr, "crush_bench: %s\n", map.status().message().c_str());
    return 2;
  }
  const double compile = Seconds(start);
  cs::crush::Mapper mapper(*map);
  std::vector<uint32_t> weights(map->max_devices, cs::crush::kWeightOne);
  long placed = 0;
  start = std::chrono::steady_clock::now();
  for (int x = 0; x < inputs; ++x) placed += static_cast<long>(mapper.DoRule(0, x, 3, weights).size());
  const double mapping = Seconds(start);
  std::printf("crush_bench %-4s hosts=%d devices=%d compile=%.3fs map %d inputs x 3 replicas=%.3fs (%.1f us/input, %ld placed)\n",
              shape, hosts, map->max_devices, compile, inputs, mapping, mapping * 1e6 / inputs, placed);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int hosts = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int inputs = argc > 2 ? std::atoi(argv[2]) : 10000;
  if (hosts < 1 || hosts > 1000000 || inputs < 1 || inputs > 10000000) {
    std::fprintf(stderr, "usage: crush_bench [hosts 1..1000000] [inputs 1..10000000]\n");
    return 2;
  }
  if (int rc = Run("deep", true, hosts, inputs)) return rc;
  return Run("flat", false, hosts, inputs);
}
