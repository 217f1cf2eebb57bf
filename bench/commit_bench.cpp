// commit_bench: durable operations under sustained load, the store alone.
// K writer threads each run a chain of small operations through
// Store::Apply (the next starts once the last is durable, as a host's
// set-up command runs its actions one after another), for S seconds, on a
// fleet of N servers. Every few seconds it prints the window's rate and the
// WAL's size, so a WAL that never restarts shows as a size that only grows;
// at the end one `name value unit` line per figure. It uses only
// Store::Apply, so the same file measures any version of the store. Not a
// test.
// Usage: commit_bench [--servers N=500] [--writers K=16] [--seconds S=60]
//                     [--window W=5]
#include <sys/stat.h>

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
#include "state/store.h"
#include "util/clock.h"

namespace {

using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

int64_t FileSize(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

struct Shared {
  std::mutex mu;
  std::vector<double> latency_ms;  // every operation's, from Apply call to return
  uint64_t window_ops = 0;
  bool failed = false;
};

// One writer: operations on its own servers, one after another.
void Writer(cs::Store& store, const std::vector<std::string>& fqdns, size_t first, size_t stride,
            const std::atomic<bool>& stop, Shared& shared) {
  std::vector<double> mine;
  uint64_t i = 0;
  while (!stop) {
    const size_t index = first + stride * (i % std::max<size_t>(1, fqdns.size() / stride));
    const std::string& fqdn = fqdns[index % fqdns.size()];
    const int value = static_cast<int>(++i % 3);
    const auto t0 = Clock::now();
    cs::Status s = store.Apply([&](cs::World& w) {
      w.servers.Mutable(fqdn)->log_rate = value;
      return cs::Status::Ok();
    });
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    std::lock_guard<std::mutex> lock(shared.mu);
    if (!s.ok()) {
      std::fprintf(stderr, "commit failed: %s\n", s.ToString().c_str());
      shared.failed = true;
      return;
    }
    shared.latency_ms.push_back(ms);
    ++shared.window_ops;
  }
}

}  // namespace

int main(int argc, char** argv) {
  int servers = 500, writers = 16;
  double seconds = 60, window = 5;
  bool bad = argc % 2 == 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--servers")) servers = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--writers")) writers = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--window")) window = std::atof(argv[i + 1]);
    else bad = true;
  }
  if (bad || servers <= 0 || servers % 4 != 0 || servers > 100000 || writers < 1 || writers > 256 ||
      seconds <= 0 || seconds > 3600 || window <= 0 || window > seconds) {
    std::fprintf(stderr, "usage: commit_bench [--servers N (a multiple of 4)] [--writers K <= 256] "
                         "[--seconds S <= 3600] [--window W <= S]\n");
    return 2;
  }
  std::string dir = (std::filesystem::temp_directory_path() / "cs-commit-bench-XXXXXX").string();
  if (!mkdtemp(dir.data())) return 1;
  int rc = 0;
  {
    auto store = cs::bench::CreateBenchFleet(dir, servers, 4);
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      return 1;
    }
    std::vector<std::string> fqdns;
    for (const auto& [fqdn, server] : (*store)->world().servers.all()) fqdns.push_back(fqdn);

    const std::string wal = dir + "/" + cs::Store::kDatabaseName + "-wal";
    Shared shared;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int k = 0; k < writers; ++k) {
      threads.emplace_back(Writer, std::ref(**store), std::cref(fqdns), static_cast<size_t>(k),
                           static_cast<size_t>(writers), std::cref(stop), std::ref(shared));
    }
    int64_t wal_max = 0;
    double first_rate = -1, last_rate = 0;
    const auto deadline = start + std::chrono::duration<double>(seconds);
    auto window_start = start;
    while (Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::duration<double>(window));
      const auto now = Clock::now();
      uint64_t ops;
      {
        std::lock_guard<std::mutex> lock(shared.mu);
        ops = shared.window_ops;
        shared.window_ops = 0;
        if (shared.failed) break;
      }
      const double rate = static_cast<double>(ops) / std::chrono::duration<double>(now - window_start).count();
      window_start = now;
      if (first_rate < 0) first_rate = rate;
      last_rate = rate;
      const int64_t wal_bytes = FileSize(wal);
      wal_max = std::max(wal_max, wal_bytes);
      std::fprintf(stderr, "t=%5.0fs %8.0f ops/s  wal %8.1f MiB\n",
                   std::chrono::duration<double>(now - start).count(), rate,
                   static_cast<double>(wal_bytes) / (1 << 20));
    }
    stop = true;
    for (std::thread& t : threads) t.join();
    const double took = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("servers %d count\nwriters %d count\n", servers, writers);
    std::printf("operations_per_second %.1f 1/s\n", static_cast<double>(shared.latency_ms.size()) / took);
    std::printf("operations_per_second_first_window %.1f 1/s\n", first_rate);
    std::printf("operations_per_second_last_window %.1f 1/s\n", last_rate);
    std::printf("operation_latency_p50 %.2f ms\n", Percentile(shared.latency_ms, 0.50));
    std::printf("operation_latency_p99 %.2f ms\n", Percentile(shared.latency_ms, 0.99));
    std::printf("wal_size_max %.2f MiB\n", static_cast<double>(wal_max) / (1 << 20));
    std::printf("wal_size_end %.2f MiB\n", static_cast<double>(FileSize(wal)) / (1 << 20));
    rc = shared.failed ? 1 : 0;
  }
  std::filesystem::remove_all(dir);
  return rc;
}
