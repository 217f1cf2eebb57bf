#include "fakes/stats/target_stats.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "fakes/stats/stat_templates.h"

namespace cs {

namespace {

int64_t Int(const Json& stats, const char* key) { return stats.at(key).get<int64_t>(); }

void Grow(Json& counter, const char* key, Random& random, int64_t most) {
  counter[key] = counter.at(key).get<int64_t>() + random.Uniform(0, most);
}

// A free count moved by up to a tenth of its total, within 0..total.
void Wander(Json& stats, const char* free_key, const char* total_key, Random& random) {
  const int64_t total = Int(stats, total_key);
  stats[free_key] = Perturb(random, Int(stats, free_key), total / 10, 0, total);
}

// ---- MDT ----

// The metadata operations the original drifted (it named rmdir twice in its
// list; once here: the bound per poll is the same for every operation).
constexpr const char* kDriftingMdOps[] = {"open", "close", "unlink", "mkdir", "rmdir", "getxattr"};
constexpr int64_t kMdOpGrowth = 10000;

void DriftMdt(Json& s, Random& random) {
  // The client count stays put and blips up or down now and then; a blip
  // starts from num_exports, so it never wanders further than one away.
  if (random.Uniform(0, 5) == 0) s["client_count"] = Perturb(random, Int(s, "num_exports"), 1, 0, 100);
  Wander(s, "filesfree", "filestotal", random);
  Wander(s, "kbytesfree", "kbytestotal", random);
  for (const char* op : kDriftingMdOps) Grow(s["stats"][op], "count", random, kMdOpGrowth);
}

// ---- OST ----

constexpr int64_t kBytesSumGrowth = 10000000000LL;  // 10^10
constexpr int64_t kBytesCountGrowth = 100000;       // 10^5
constexpr int64_t kJobBytesGrowth = 1000000000LL;   // 10^9
constexpr int64_t kJobSamplesGrowth = 100;

// KiB that kbytesfree has and kbytesavail lacks (blocks reserved for root),
// as the template's share of the total.
int64_t ReservedKbytes(int64_t kbytestotal) {
  const Json& t = StatTemplateReport(StatTemplate::kOst);
  const double share = static_cast<double>(Int(t, "kbytesfree") - Int(t, "kbytesavail")) /
                       static_cast<double>(Int(t, "kbytestotal"));
  return std::llround(share * static_cast<double>(kbytestotal));
}

int64_t Seconds(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void DriftOst(Json& s, Random& random, WallTime now) {
  for (const char* key : {"write_bytes", "read_bytes"}) {
    Grow(s["stats"][key], "sum", random, kBytesSumGrowth);
    Grow(s["stats"][key], "count", random, kBytesCountGrowth);
  }
  Wander(s, "kbytesfree", "kbytestotal", random);
  s["kbytesavail"] = std::max<int64_t>(0, Int(s, "kbytesfree") - ReservedKbytes(Int(s, "kbytestotal")));
  Wander(s, "filesfree", "filestotal", random);
  for (Json& job : s["job_stats"]) {
    for (const char* key : {"read", "write"}) Grow(job[key], "sum", random, kJobBytesGrowth);
    for (const char* key : {"read", "write", "setattr", "punch", "sync"}) {
      Grow(job[key], "samples", random, kJobSamplesGrowth);
    }
    job["snapshot_time"] = Seconds(now);
  }
}

// The template's sizes for a volume of `volume_bytes`: every size and file
// count multiplied by the same factor, so the shares free stay the template's.
void ScaleToVolume(Json& s, int64_t volume_bytes) {
  const int64_t kbytes = volume_bytes / 1024;
  if (kbytes <= 0) return;  // an unknown size: the template's own
  const double factor = static_cast<double>(kbytes) / static_cast<double>(Int(s, "kbytestotal"));
  for (const char* key : {"kbytesfree", "kbytesavail", "filestotal", "filesfree"}) {
    if (s.contains(key)) s[key] = std::llround(static_cast<double>(Int(s, key)) * factor);
  }
  s["kbytestotal"] = kbytes;
}

Json FromTemplate(StatTemplate which, int64_t volume_bytes) {
  Json s = StatTemplateReport(which);
  s.erase("brw_stats");
  ScaleToVolume(s, volume_bytes);
  return s;
}

}  // namespace

TargetKind TargetKindOf(const std::string& label) {
  if (label.find("MDT") != std::string::npos) return TargetKind::kMdt;
  if (label.find("OST") != std::string::npos) return TargetKind::kOst;
  if (label == "MGS") return TargetKind::kMgs;
  return TargetKind::kOther;
}

Json InitialTargetStats(TargetKind kind, int64_t volume_bytes) {
  switch (kind) {
    case TargetKind::kMdt: return FromTemplate(StatTemplate::kMdt, volume_bytes);
    case TargetKind::kOst: return FromTemplate(StatTemplate::kOst, volume_bytes);
    case TargetKind::kMgs:
    case TargetKind::kOther: break;
  }
  return Json::object();
}

void DriftTargetStats(TargetKind kind, Json& stats, Random& random, WallTime now) {
  switch (kind) {
    case TargetKind::kMdt: DriftMdt(stats, random); break;
    case TargetKind::kOst: DriftOst(stats, random, now); break;
    case TargetKind::kMgs:
    case TargetKind::kOther: break;
  }
}

Json ReportTargetStats(TargetKind kind, const Json& stats) {
  Json out = stats;
  if (kind == TargetKind::kOst) out["brw_stats"] = StatTemplateReport(StatTemplate::kOst).at("brw_stats");
  return out;
}

}  // namespace cs
