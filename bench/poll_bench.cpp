// poll_bench: what one poll costs while actions commit, with the poll path
// as it is (renders from the store's committed snapshot, no lock) and as it
// was (under the store's mutex, which every commit holds across its fsync).
// One writer thread commits small operations back to back (each its own
// fsync'd transaction, like an action); one poller renders every device
// plugin of every server in turn, as the agents' polls do. Prints one
// `name value unit` line per figure. Not a test.
// Usage: poll_bench [--servers N=2000] [--seconds S=10] [--mode snapshot|locked|both]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_fleet.h"
#include "fakes/fleet.h"
#include "sim/plugins/device_plugin.h"
#include "state/store.h"
#include "util/clock.h"
#include "util/random.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Agent {
  std::string fqdn;
  std::vector<std::unique_ptr<cs::DevicePlugin>> plugins;
  cs::Random random{0};
  bool first = true;
};

struct Figures {
  std::vector<double> poll_us;
  uint64_t commits = 0;
  double seconds = 0;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Renders every plugin of one server from `world`.
size_t PollOnce(Agent& agent, const cs::World& world, cs::WallTime now, cs::StatsBook& stats) {
  const cs::Server* server = world.servers.Find(agent.fqdn);
  if (!server) return 0;
  size_t bodies = 0;
  for (auto& plugin : agent.plugins) {
    cs::PluginContext ctx{world, *server, now, agent.random, stats, nullptr};
    bodies += (agent.first ? plugin->StartSession(ctx) : plugin->UpdateSession(ctx)).size();
  }
  agent.first = false;
  return bodies;
}

Figures Run(cs::Store& store, std::vector<Agent>& agents, bool locked, double seconds) {
  std::atomic<bool> stop{false};
  Figures f;
  std::thread writer([&] {
    uint64_t i = 0;
    while (!stop) {
      const std::string& fqdn = agents[i++ % agents.size()].fqdn;
      cs::Status s = store.Apply([&](cs::World& w) {
        w.servers.Mutable(fqdn)->log_rate = static_cast<int>(i % 3);
        return cs::Status::Ok();
      });
      if (!s.ok()) {
        std::fprintf(stderr, "commit failed: %s\n", s.ToString().c_str());
        return;
      }
      ++f.commits;
    }
  });
  cs::SystemClock wall;
  cs::StatsBook stats(1);  // the fleet's statistics, as the Simulator keeps them
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  size_t next = 0;
  while (Clock::now() < deadline) {
    Agent& agent = agents[next++ % agents.size()];
    const auto t0 = Clock::now();
    if (locked) {
      std::lock_guard<std::mutex> lock(store.mutex());
      PollOnce(agent, store.world(), wall.Now(), stats);
    } else {
      std::shared_ptr<const cs::World> world = store.Snapshot();
      PollOnce(agent, *world, wall.Now(), stats);
    }
    f.poll_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  stop = true;
  writer.join();
  f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return f;
}

void Print(const char* mode, const Figures& f) {
  std::printf("%s_polls_per_second %.0f 1/s\n", mode, static_cast<double>(f.poll_us.size()) / f.seconds);
  std::printf("%s_poll_p50 %.1f us\n", mode, Percentile(f.poll_us, 0.50));
  std::printf("%s_poll_p99 %.1f us\n", mode, Percentile(f.poll_us, 0.99));
  std::printf("%s_poll_max %.1f us\n", mode, Percentile(f.poll_us, 1.0));
  std::printf("%s_commits_per_second %.0f 1/s\n", mode, static_cast<double>(f.commits) / f.seconds);
}

}  // namespace

int main(int argc, char** argv) {
  int servers = 2000;
  double seconds = 10;
  std::string mode = "both";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--servers")) servers = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--mode")) mode = argv[i + 1];
    else servers = -1;
  }
  if (argc % 2 == 0 || servers <= 0 || servers % 4 != 0 || servers > 100000 || seconds <= 0 || seconds > 600 ||
      (mode != "both" && mode != "snapshot" && mode != "locked")) {
    std::fprintf(stderr, "usage: poll_bench [--servers N (a multiple of 4)] [--seconds S <= 600] "
                         "[--mode snapshot|locked|both]\n");
    return 2;
  }
  std::string dir = (std::filesystem::temp_directory_path() / "cs-poll-bench-XXXXXX").string();
  if (!mkdtemp(dir.data())) return 1;
  auto store = cs::bench::CreateBenchFleet(dir, servers, 4);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  std::vector<Agent> agents;
  for (const auto& [fqdn, server] : (*store)->world().servers.all()) {
    Agent a;
    a.fqdn = fqdn;
    a.plugins = cs::MakeDevicePlugins();
    a.random = cs::Random::ForStream(1, fqdn);
    agents.push_back(std::move(a));
  }
  std::printf("servers %d count\n", servers);
  for (const char* m : {"locked", "snapshot"}) {
    if (mode != "both" && mode != m) continue;
    for (auto& a : agents) a.first = true;
    Print(m, Run(**store, agents, std::string(m) == "locked", seconds));
  }
  std::filesystem::remove_all(dir);
  return 0;
}
