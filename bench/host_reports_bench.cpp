// host_reports_bench: what the built-in manager's HostReports costs per
// agent report, in CPU time of the thread that consumes it. The bodies are
// the simulator's own (its device plugins' first poll of every server of a
// fleet); the manager store holds one host per server. After a first round
// (which writes every host's facts), each round sends every server's
// reports again, unchanged, as most polls are. Also prints what one deep
// copy of each plugin's body costs (what a consumer that copies a report
// pays on top). Prints one `name value unit` line per figure. Not a test.
// Usage: host_reports_bench [--servers N=1000] [--rounds R=5]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bench/bench_fleet.h"
#include "manager/host_reports.h"
#include "manager/manager_store.h"
#include "sim/plugins/device_plugin.h"
#include "util/random.h"

namespace {

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Report {
  std::string fqdn;
  std::string plugin;
  cs::Json body;
};

const char* const kPlugins[] = {"linux", "linux_network", "corosync", "lustre"};

}  // namespace

int main(int argc, char** argv) {
  int servers = 1000;
  int rounds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--servers")) servers = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
    else servers = -1;
  }
  if (argc % 2 == 0 || servers <= 0 || servers % 4 != 0 || servers > 20000 || rounds <= 0 || rounds > 100) {
    std::fprintf(stderr, "usage: host_reports_bench [--servers N (a multiple of 4, <= 20000)] [--rounds R <= 100]\n");
    return 2;
  }
  std::string dir = (std::filesystem::temp_directory_path() / "cs-host-reports-bench-XXXXXX").string();
  if (!mkdtemp(dir.data())) return 1;
  auto fleet = cs::bench::CreateBenchFleet(dir + "/sim", servers, 4);
  if (!fleet.ok()) {
    std::fprintf(stderr, "%s\n", fleet.status().ToString().c_str());
    return 1;
  }
  auto store = cs::manager::ManagerStore::Open(dir + "/manager.db");
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  // Every server's first poll, plugin by plugin, from the simulator's plugins.
  std::vector<Report> reports;
  cs::SystemClock wall;
  cs::StatsBook stats(1);
  const cs::World& world = (*fleet)->world();
  int serial = 0;
  for (const auto& [fqdn, server] : world.servers.all()) {
    cs::manager::HostRecord host;
    host.fqdn = fqdn;
    host.nodename = server.nodename;
    host.address = "127.0.0.1";
    host.cert_serial = std::to_string(++serial);
    host.profile = "base_managed_rh7";
    host.state = "managed";
    if (auto added = (*store)->AddHost(host); !added.ok()) {
      std::fprintf(stderr, "%s\n", added.status().ToString().c_str());
      return 1;
    }
    cs::Random random = cs::Random::ForStream(1, fqdn);
    for (auto& plugin : cs::MakeDevicePlugins()) {
      const std::string name(plugin->name());
      if (std::find(std::begin(kPlugins), std::end(kPlugins), name) == std::end(kPlugins)) continue;
      cs::PluginContext ctx{world, server, wall.Now(), random, stats, nullptr};
      for (cs::Json& body : plugin->StartSession(ctx)) reports.push_back({fqdn, name, std::move(body)});
    }
  }
  cs::manager::HostReports host_reports(**store);
  for (const Report& r : reports) host_reports.OnData(r.fqdn, r.plugin, r.body);  // first facts: written

  // Timed plugin by plugin, a round at a time (a clock read per report
  // would cost as much as some reports).
  std::map<std::string, std::vector<const Report*>> by_plugin;
  for (const Report& r : reports) by_plugin[r.plugin].push_back(&r);
  std::map<std::string, double> cpu, copy_cpu, bytes;
  std::map<std::string, int> count;
  size_t sink = 0;
  for (const auto& [plugin, list] : by_plugin) {
    for (const Report* r : list) bytes[plugin] += static_cast<double>(r->body.dump().size());
    for (int round = 0; round < rounds; ++round) {
      const double t0 = ThreadCpuSeconds();
      for (const Report* r : list) host_reports.OnData(r->fqdn, r->plugin, r->body);
      const double t1 = ThreadCpuSeconds();
      for (const Report* r : list) {
        cs::Json copy = r->body;
        sink += copy.size();
      }
      const double t2 = ThreadCpuSeconds();
      cpu[plugin] += t1 - t0;
      copy_cpu[plugin] += t2 - t1;
      count[plugin] += static_cast<int>(list.size());
    }
  }
  double all = 0;
  int all_count = 0;
  std::printf("servers %d count\n", servers);
  for (const auto& [plugin, n] : count) {
    std::printf("%s_report_cpu %.2f us\n", plugin.c_str(), cpu[plugin] / n * 1e6);
    std::printf("%s_body_copy_cpu %.2f us\n", plugin.c_str(), copy_cpu[plugin] / n * 1e6);
    std::printf("%s_body_bytes %.0f B\n", plugin.c_str(), bytes[plugin] / (n / rounds));
    all += cpu[plugin];
    all_count += n;
  }
  std::printf("report_cpu %.2f us\n", all / all_count * 1e6);
  if (sink == 0) std::printf("no_bodies 0 count\n");
  std::filesystem::remove_all(dir);
  return 0;
}
