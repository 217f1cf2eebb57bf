#include "fakes/hsm/request.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace cs {

namespace {
constexpr std::array<const char*, 15> kPathComponents = {
    "project", "plan",         "datasets", "databases", "catalogs", "research", "investigator", "data",
    "files",   "library",      "libs",     "spool",     "scratch",  "backup",   "notbackedup"};
constexpr std::array<const char*, 7> kFileNames = {"index", "file", "db", "database",
                                                   "catalog", "data", "cabinet"};
constexpr std::array<const char*, 7> kSuffixes = {"", ".tar", ".tar.gz", ".tar.bz2",
                                                  ".idx", ".cab", ".db"};
constexpr std::array<const char*, 3> kActions = {"ARCHIVE", "RESTORE", "REMOVE"};

template <size_t N>
const char* Choice(Random& random, const std::array<const char*, N>& items) {
  return items[static_cast<size_t>(random.Uniform(0, static_cast<int64_t>(N) - 1))];
}
}  // namespace

double UniformUnit(Random& random) {
  return static_cast<double>(random.Next() >> 11) * (1.0 / 9007199254740992.0);  // 2^-53
}

double Triangular(Random& random, double low, double high, double mode) {
  double u = UniformUnit(random);
  double c = (mode - low) / (high - low);
  if (u > c) {
    u = 1.0 - u;
    c = 1.0 - c;
    std::swap(low, high);
  }
  return low + (high - low) * std::sqrt(u * c);
}

// One component first, then each of the list (in order) on a coin flip:
// "scratch/plan/data/files/db.tar.gz".
std::string RandomHsmPath(Random& random) {
  std::string path = Choice(random, kPathComponents);
  for (const char* component : kPathComponents) {
    if (random.Uniform(0, 1) == 1) path += std::string("/") + component;
  }
  return path + "/" + Choice(random, kFileNames) + Choice(random, kSuffixes);
}

int64_t RandomHsmFileSize(Random& random) {
  constexpr double kMin = 1024;
  constexpr double kMax = 2199023255552.0;  // 2 TiB
  return static_cast<int64_t>(Triangular(random, kMin, kMax, kMax * 0.025));
}

std::string RandomHsmFid(Random& random) {
  const int64_t seq = random.Uniform(1, int64_t{1} << 33);
  const int64_t oid = random.Uniform(1, 2);
  char text[64];
  std::snprintf(text, sizeof text, "0x%09llx:0x%llx:0x0", static_cast<unsigned long long>(seq),
                static_cast<unsigned long long>(oid));
  return text;
}

HsmRequest RandomHsmRequest(Random& random) {
  HsmRequest r;
  r.action = Choice(random, kActions);
  r.path = RandomHsmPath(random);
  r.total_bytes = RandomHsmFileSize(random);
  r.fid = RandomHsmFid(random);
  return r;
}

}  // namespace cs
