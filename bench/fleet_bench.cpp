// fleet_bench: how long building and saving a large fleet takes, and how
// much memory it holds. Prints numbers; not a test (targets are checked by
// reading them). Usage: fleet_bench [servers=10000] [su_size=4]
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "fakes/fleet.h"
#include "fakes/invariants.h"
#include "state/store.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

long MaxRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  const int servers = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int su_size = argc > 2 ? std::atoi(argv[2]) : 4;
  if (servers <= 0 || su_size <= 0 || servers % su_size != 0 || servers > 100000) {
    std::fprintf(stderr, "usage: fleet_bench [servers (a multiple of su_size, <= 100000)] [su_size]\n");
    return 2;
  }
  std::string dir = (std::filesystem::temp_directory_path() / "cs-bench-XXXXXX").string();
  if (!mkdtemp(dir.data())) return 1;

  cs::Store::Options options;
  options.mode = cs::Store::Mode::kCreate;
  auto store = cs::Store::Open(dir, options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  cs::SystemClock clock;
  cs::FleetSpec spec;
  spec.server_count = servers;
  spec.su_size = su_size;
  spec.worker_count = 0;
  auto t0 = std::chrono::steady_clock::now();
  cs::Status s = (*store)->Apply([&](cs::World& w) { return cs::SetupFleet(w, spec, clock); });
  const double setup_seconds = Seconds(t0);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  t0 = std::chrono::steady_clock::now();
  auto reopened = cs::Store::Open(dir, options);
  const double load_seconds = Seconds(t0);
  t0 = std::chrono::steady_clock::now();
  const size_t violations = cs::CheckInvariants((*reopened)->world()).size();
  const double check_seconds = Seconds(t0);
  const auto db_bytes = std::filesystem::file_size(dir + "/" + cs::Store::kDatabaseName);

  std::printf("servers %d su_size %d\n", servers, su_size);
  std::printf("setup+commit_seconds %.3f\n", setup_seconds);
  std::printf("load_seconds %.3f\n", load_seconds);
  std::printf("check_seconds %.3f violations %zu\n", check_seconds, violations);
  std::printf("database_mib %.1f\n", static_cast<double>(db_bytes) / (1024 * 1024));
  std::printf("max_rss_mib %ld\n", MaxRssMiB());
  std::filesystem::remove_all(dir);
  return violations == 0 ? 0 : 1;
}
