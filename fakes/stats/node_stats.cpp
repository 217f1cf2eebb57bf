#include "fakes/stats/node_stats.h"

#include <cstdint>

#include "fakes/stats/stat_templates.h"

namespace cs {

namespace {
constexpr int64_t kMemFreeStep = 5000;  // kB
constexpr int64_t kCpuLeast = 50, kCpuMost = 100;  // jiffies per poll, user and idle each
}  // namespace

Json InitialNodeStats(const std::string& fqdn) {
  Json stats = StatTemplateReport(StatTemplate::kNode);
  stats["hostname"] = fqdn;
  return stats;
}

void DriftNodeStats(Json& stats, Random& random) {
  Json& mem = stats["meminfo"];
  mem["MemFree"] = Perturb(random, mem.at("MemFree").get<int64_t>(), kMemFreeStep, 0,
                           mem.at("MemTotal").get<int64_t>());

  Json& cpu = stats["cpustats"];
  const int64_t user = random.Uniform(kCpuLeast, kCpuMost);
  const int64_t idle = random.Uniform(kCpuLeast, kCpuMost);
  cpu["user"] = cpu.at("user").get<int64_t>() + user;
  cpu["idle"] = cpu.at("idle").get<int64_t>() + idle;
  cpu["total"] = cpu.at("total").get<int64_t>() + user + idle;
}

}  // namespace cs
