// pacemaker_bench: the two ways to make the simulator's decisions agree with
// pacemaker, timed on the same event in many clusters: the placement model
// (pacemaker/placement.h, in process) against asking crm_simulate (one
// process per event, the CIB written and read back). Every cluster has 4
// nodes and 8 started targets (the default fleet's shape); the event is a
// node lost uncleanly. crm_simulate runs on a sample and is extrapolated
// unless the sample is the whole set. Prints numbers; not a test.
// Usage: pacemaker_bench [clusters=2500] [crm_simulate sample=50]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "pacemaker/cib_writer.h"
#include "pacemaker/crm_tools.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::string Node(int i) { return "test" + std::to_string(1000 + i).substr(1); }

cs::Cluster MakeCluster(int id) {
  cs::Cluster c;
  c.id = id;
  for (int n = 0; n < 4; ++n) c.Join(Node(4 * id + n), Node(4 * id + n) + ".localdomain");
  for (int t = 0; t < 8; ++t) {
    const std::string label = "fs-OST" + std::to_string(10000 + 8 * id + t).substr(1);
    (void)c.Configure(Node(4 * id + t % 4), "/dev/" + label, label, "u" + label, true, "/mnt/" + label);
    (void)c.Configure(Node(4 * id + (t + 1) % 4), "/dev/" + label, label, "u" + label, false, "/mnt/" + label);
    (void)c.Start(label);
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const int clusters = argc > 1 ? std::atoi(argv[1]) : 2500;
  const int sample = std::min(clusters, argc > 2 ? std::atoi(argv[2]) : 50);
  if (clusters <= 0 || clusters > 100000 || sample <= 0) {
    std::fprintf(stderr, "usage: pacemaker_bench [clusters (1..100000)] [crm_simulate sample (>0)]\n");
    return 2;
  }
  std::vector<cs::Cluster> fleet;
  for (int i = 0; i < clusters; ++i) fleet.push_back(MakeCluster(i));
  std::vector<std::string> cibs;
  for (int i = 0; i < sample; ++i) cibs.push_back(cs::pacemaker::WriteCib(fleet[static_cast<size_t>(i)], 1764579600));

  auto start = std::chrono::steady_clock::now();
  size_t moved = 0;
  for (int i = 0; i < clusters; ++i) {
    cs::Cluster& c = fleet[static_cast<size_t>(i)];
    (void)c.Leave(Node(4 * i), /*clean=*/false);
    for (const auto& [label, r] : c.resources) moved += r.started_on && *r.started_on != Node(4 * i) ? 1 : 0;
  }
  const double model = Seconds(start);

  char dir[] = "/tmp/cs-pacemaker-bench-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  const std::string in = std::string(dir) + "/cib.xml", out = std::string(dir) + "/out.xml";
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < sample; ++i) {
    std::ofstream(in) << cibs[static_cast<size_t>(i)];
    auto r = cs::pacemaker::CrmSimulate(in, out, {"--node-fail", Node(4 * i), "--quorum=1"});
    auto view = cs::pacemaker::CrmMon(out);
    if (!r.ok() || !view.ok()) {
      std::fprintf(stderr, "crm_simulate failed: %s\n", (r.ok() ? view.status() : r.status()).message().c_str());
      return 1;
    }
  }
  const double oracle = Seconds(start);
  std::remove(in.c_str());
  std::remove(out.c_str());
  std::remove(dir);
  const double per_event = oracle / sample;
  std::printf("clusters: %d (4 nodes, 8 targets each); event: one node lost uncleanly in each\n", clusters);
  std::printf("placement model: %.4f s for all %d clusters (%.1f us per cluster), %zu targets placed\n", model,
              clusters, 1e6 * model / clusters, moved);
  std::printf("crm_simulate + crm_mon: %.3f s for %d clusters (%.1f ms per cluster) -> %.1f s for %d clusters%s\n",
              oracle, sample, 1e3 * per_event, per_event * clusters, clusters,
              sample < clusters ? " (extrapolated)" : "");
  std::printf("ratio: crm_simulate is %.0fx slower\n", per_event * clusters / (model > 0 ? model : 1e-9));
  return 0;
}
