#include "sim/plugins/node_stats.h"

#include <cstdint>

namespace cs {

Json InitialNodeStats(const std::string& fqdn) {
  // A 16 GiB server, lightly loaded, up for a day or so.
  const int64_t total = 16LL * 1024 * 1024;
  Json meminfo = {
      {"MemTotal", total},        {"MemFree", total / 4},       {"Buffers", 262144},
      {"Cached", 4194304},        {"SwapCached", 0},            {"Active", 3145728},
      {"Inactive", 2097152},      {"HighTotal", 0},             {"HighFree", 0},
      {"LowTotal", total},        {"LowFree", total / 4},       {"SwapTotal", 2097148},
      {"SwapFree", 2097148},      {"Dirty", 512},               {"Writeback", 0},
      {"AnonPages", 524288},      {"Mapped", 65536},            {"Slab", 1048576},
      {"PageTables", 8192},       {"NFS_Unstable", 0},          {"Bounce", 0},
      {"CommitLimit", 10485756},  {"Committed_AS", 1048576},    {"VmallocTotal", 34359738367},
      {"VmallocUsed", 16384},     {"VmallocChunk", 34359720000}, {"HugePages_Total", 0},
      {"HugePages_Free", 0},      {"HugePages_Rsvd", 0},        {"Hugepagesize", 2048}};
  const int64_t user = 120000, system = 250000, idle = 8500000, iowait = 30000;
  Json cpustats = {{"user", user},
                   {"system", system},
                   {"idle", idle},
                   {"iowait", iowait},
                   {"total", user + system + idle + iowait}};
  return Json{{"hostname", fqdn}, {"meminfo", meminfo}, {"cpustats", cpustats}};
}

void DriftNodeStats(Json& stats, Random& random) {
  Json& mem = stats["meminfo"];
  const int64_t total = mem["MemTotal"].get<int64_t>();
  const int64_t free = Perturb(random, mem["MemFree"].get<int64_t>(), 5000, 0, total);
  mem["MemFree"] = free;
  mem["LowFree"] = free;

  Json& cpu = stats["cpustats"];
  const int64_t user = random.Uniform(50, 100);
  const int64_t system = random.Uniform(10, 50);
  const int64_t idle = random.Uniform(50, 100);
  const int64_t iowait = random.Uniform(0, 10);
  cpu["user"] = cpu["user"].get<int64_t>() + user;
  cpu["system"] = cpu["system"].get<int64_t>() + system;
  cpu["idle"] = cpu["idle"].get<int64_t>() + idle;
  cpu["iowait"] = cpu["iowait"].get<int64_t>() + iowait;
  cpu["total"] = cpu["total"].get<int64_t>() + user + system + idle + iowait;
}

}  // namespace cs
