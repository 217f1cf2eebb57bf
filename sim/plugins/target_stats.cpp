#include "sim/plugins/target_stats.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace cs {

namespace {

int64_t Seconds(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void Add(Json& counter, const char* key, int64_t by) {
  counter[key] = counter[key].get<int64_t>() + by;
}

// A counter Lustre shows as "name count samples [units]".
Json Counter(int64_t count, const char* units) { return Json{{"count", count}, {"units", units}}; }

// A counter with "min max sum sumsquare" too; sumsquare is made consistent
// with a mean halfway between min and max.
Json Timed(int64_t count, const char* units, int64_t min, int64_t max) {
  const int64_t mean = (min + max) / 2;
  return Json{{"count", count}, {"units", units},      {"min", min},
              {"max", max},     {"sum", count * mean}, {"sumsquare", count * mean * mean}};
}

// ---- MDT ----

// Metadata operations and how many each poll adds at most.
struct MdOp {
  const char* name;
  int64_t start;
  int64_t max_step;
};
const MdOp kMdOps[] = {
    {"open", 61234, 10000},   {"close", 61230, 10000},  {"mknod", 12, 10},
    {"link", 40, 20},         {"unlink", 48211, 10000}, {"mkdir", 913, 10000},
    {"rmdir", 870, 10000},    {"rename", 255, 100},     {"getattr", 20480, 1000},
    {"setattr", 4100, 500},   {"getxattr", 377, 10000}, {"setxattr", 9, 10},
    {"statfs", 1530, 100},    {"sync", 64, 10},         {"samedir_rename", 240, 100},
    {"crossdir_rename", 15, 10}};

Json MdtStats(int64_t volume_bytes) {
  Json ops = {
      {"req_waittime", Timed(182003, "usec", 6, 9120)},
      {"req_qdepth", Timed(182003, "reqs", 0, 2)},
      {"req_active", Timed(182003, "reqs", 1, 3)},
      {"req_timeout", Timed(182003, "sec", 1, 10)},
      {"reqbuf_avail", Timed(364010, "bufs", 120, 128)},
      {"ldlm_ibits_enqueue", Timed(120440, "reqs", 1, 1)},
      {"mds_connect", Timed(24, "usec", 65, 4100)},
      {"mds_getattr", Timed(3, "usec", 35, 48)},
      {"mds_getstatus", Timed(2, "usec", 17, 23)},
      {"mds_statfs", Timed(18, "usec", 20, 64)},
      {"mds_sync", Timed(3310, "usec", 170, 70100)},
      {"mds_getxattr", Timed(377, "usec", 18, 75)},
      {"obd_ping", Timed(301, "usec", 37, 70)},
  };
  for (const MdOp& op : kMdOps) ops[op.name] = Counter(op.start, "reqs");
  const int64_t kbytes = volume_bytes / 1024;
  const int64_t files = kbytes / 2;  // ldiskfs MDT: one inode per 2 KiB
  return Json{{"stats", ops},
              {"kbytestotal", kbytes},
              {"kbytesfree", kbytes - kbytes / 20},
              {"filestotal", files},
              {"filesfree", files - 50213},
              {"num_exports", 4},
              {"client_count", 4}};
}

void DriftMdt(Json& s, Random& random) {
  // The client count stays put and blips up or down now and then.
  if (random.Uniform(0, 5) == 0) {
    s["client_count"] = Perturb(random, s["num_exports"].get<int64_t>(), 1, 0, 100);
  }
  const int64_t files = s["filestotal"].get<int64_t>();
  const int64_t kbytes = s["kbytestotal"].get<int64_t>();
  s["filesfree"] = Perturb(random, s["filesfree"].get<int64_t>(), files / 1000, 0, files);
  s["kbytesfree"] = Perturb(random, s["kbytesfree"].get<int64_t>(), kbytes / 1000, 0, kbytes);
  for (const MdOp& op : kMdOps) Add(s["stats"][op.name], "count", random.Uniform(0, op.max_step));
}

// ---- OST ----

struct Bucket {
  const char* key;
  int64_t read;
  int64_t write;
};

// A brw_stats histogram with pct and cum_pct computed from the counts (as
// Lustre does: integer percentages, rounded down).
Json Histogram(const char* units, const std::vector<Bucket>& buckets) {
  int64_t read_total = 0, write_total = 0;
  for (const Bucket& b : buckets) {
    read_total += b.read;
    write_total += b.write;
  }
  auto pct = [](int64_t part, int64_t whole) { return whole == 0 ? 0 : part * 100 / whole; };
  Json out = Json::object();
  int64_t read_cum = 0, write_cum = 0;
  for (const Bucket& b : buckets) {
    read_cum += b.read;
    write_cum += b.write;
    out[b.key] = {
        {"read", {{"count", b.read}, {"pct", pct(b.read, read_total)}, {"cum_pct", pct(read_cum, read_total)}}},
        {"write",
         {{"count", b.write}, {"pct", pct(b.write, write_total)}, {"cum_pct", pct(write_cum, write_total)}}}};
  }
  return Json{{"units", units}, {"buckets", out}};
}

// One bucket per key, with counts falling off geometrically
// from `peak` at `mode`.
std::vector<Bucket> Falloff(const std::vector<const char*>& keys, size_t mode, int64_t read_peak,
                            int64_t write_peak) {
  std::vector<Bucket> out;
  for (size_t i = 0; i < keys.size(); ++i) {
    const int distance = static_cast<int>(i > mode ? i - mode : mode - i);
    const double f = std::pow(0.5, distance);
    out.push_back(Bucket{keys[i], static_cast<int64_t>(static_cast<double>(read_peak) * f),
                         static_cast<int64_t>(static_cast<double>(write_peak) * f)});
  }
  return out;
}

const std::vector<const char*> kZeroTo31 = {
    "0",  "1",  "2",  "3",  "4",  "5",  "6",  "7",  "8",  "9",  "10", "11", "12", "13", "14", "15",
    "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31"};

Json BrwStats() {
  const std::vector<const char*> one_to_31(kZeroTo31.begin() + 1, kZeroTo31.end());
  return Json{
      {"pages", Histogram("rpcs", Falloff({"1", "2", "4", "8", "16", "32", "64", "128", "256"}, 8,
                                          180, 15200))},
      {"discont_pages", Histogram("rpcs", Falloff(kZeroTo31, 0, 190, 14100))},
      {"discont_blocks", Histogram("rpcs", Falloff(kZeroTo31, 0, 185, 14050))},
      {"dio_frags", Histogram("ios", Falloff(one_to_31, 0, 210, 15020))},
      {"rpc_hist", Histogram("ios", Falloff(one_to_31, 0, 340, 110000))},
      {"io_time", Histogram("ios", Falloff({"1", "2", "4", "8", "16", "32", "64", "128", "256",
                                            "512", "1K", "2K", "4K", "8K", "16K"},
                                           2, 70, 8200))},
      {"disk_iosize",
       Histogram("ios", Falloff({"4K", "8K", "16K", "32K", "64K", "128K", "256K", "512K", "1M"}, 8,
                                800, 115000))}};
}

Json Job(const char* id, int64_t reads, int64_t writes, WallTime now) {
  auto bytes = [](int64_t samples) {
    return Json{{"samples", samples},
                {"unit", "bytes"},
                {"min", samples ? 4096 : 0},
                {"max", samples ? 1048576 : 0},
                {"sum", samples * 524288}};
  };
  auto reqs = [](int64_t samples) { return Json{{"samples", samples}, {"unit", "reqs"}}; };
  return Json{{"job_id", id},          {"snapshot_time", Seconds(now)},
              {"read", bytes(reads)},  {"write", bytes(writes)},
              {"setattr", reqs(1200)}, {"punch", reqs(3)},
              {"sync", reqs(0)}};
}

// Plain request counters of an OST and how many each poll adds at most.
struct OstOp {
  const char* name;
  int64_t start;
  int64_t max_step;
};
const OstOp kOstOps[] = {{"create", 610, 10},      {"destroy", 48211, 100}, {"setattr", 4100, 50},
                         {"punch", 140, 10},       {"sync", 250, 10},       {"statfs", 15020, 30},
                         {"get_info", 51230, 100}, {"set_info_async", 5, 0}, {"connect", 4, 0},
                         {"reconnect", 2, 0},      {"disconnect", 1, 0},     {"ping", 612, 20},
                         {"preprw", 18210, 2000},  {"commitrw", 18210, 2000}};

Json OstStats(int64_t volume_bytes, WallTime now) {
  Json ops = {{"read_bytes", Timed(2010, "bytes", 4096, 1048576)},
              {"write_bytes", Timed(16120, "bytes", 4096, 1048576)},
              {"cache_access", Timed(130400, "pages", 1, 1)},
              {"cache_hit", Timed(103300, "pages", 1, 1)},
              {"cache_miss", Timed(27100, "pages", 1, 1)},
              {"get_page", Timed(18210, "usec", 1, 94000)}};
  for (const OstOp& op : kOstOps) ops[op.name] = Counter(op.start, "reqs");
  // Byte counters have no sumsquare in Lustre's output.
  ops["read_bytes"].erase("sumsquare");
  ops["write_bytes"].erase("sumsquare");
  const int64_t kbytes = volume_bytes / 1024;
  const int64_t kbytes_free = kbytes - kbytes / 10;
  const int64_t files = kbytes / 1024;  // one inode per MiB
  return Json{{"stats", ops},
              {"brw_stats", BrwStats()},
              {"job_stats", Json::array({Job("cp.0", 0, 3100, now), Job("dd.0", 660, 640, now)})},
              {"kbytestotal", kbytes},
              {"kbytesfree", kbytes_free},
              {"kbytesavail", kbytes_free - kbytes / 20},
              {"filestotal", files},
              {"filesfree", files - 48300},
              {"tot_granted", 50331648},
              {"tot_dirty", 0},
              {"tot_pending", 0},
              {"num_exports", 4}};
}

void DriftOst(Json& s, Random& random, WallTime now) {
  for (const char* key : {"read_bytes", "write_bytes"}) {
    // Sums stay consistent with counts: every RPC moves 4 KiB..1 MiB.
    const int64_t rpcs = random.Uniform(0, 2000);
    Add(s["stats"][key], "count", rpcs);
    Add(s["stats"][key], "sum", rpcs * random.Uniform(4096, 1048576));
  }
  for (const OstOp& op : kOstOps) Add(s["stats"][op.name], "count", random.Uniform(0, op.max_step));
  const int64_t kbytes = s["kbytestotal"].get<int64_t>();
  const int64_t files = s["filestotal"].get<int64_t>();
  const int64_t free = Perturb(random, s["kbytesfree"].get<int64_t>(), kbytes / 1000, 0, kbytes);
  s["kbytesfree"] = free;
  s["kbytesavail"] = std::max<int64_t>(0, free - kbytes / 20);
  s["filesfree"] = Perturb(random, s["filesfree"].get<int64_t>(), files / 1000, 0, files);
  for (Json& job : s["job_stats"]) {
    for (const char* key : {"read", "write"}) Add(job[key], "sum", random.Uniform(0, 1000000000));
    for (const char* key : {"read", "write", "setattr", "punch", "sync"}) {
      Add(job[key], "samples", random.Uniform(0, 100));
    }
    job["snapshot_time"] = Seconds(now);
  }
}

}  // namespace

TargetKind TargetKindOf(const std::string& label) {
  if (label.find("MDT") != std::string::npos) return TargetKind::kMdt;
  if (label.find("OST") != std::string::npos) return TargetKind::kOst;
  if (label == "MGS") return TargetKind::kMgs;
  return TargetKind::kOther;
}

Json InitialTargetStats(const std::string& label, int64_t volume_bytes, WallTime now) {
  switch (TargetKindOf(label)) {
    case TargetKind::kMdt: return MdtStats(volume_bytes);
    case TargetKind::kOst: return OstStats(volume_bytes, now);
    case TargetKind::kMgs:
    case TargetKind::kOther: break;
  }
  return Json::object();
}

void DriftTargetStats(const std::string& label, Json& stats, Random& random, WallTime now) {
  switch (TargetKindOf(label)) {
    case TargetKind::kMdt: DriftMdt(stats, random); break;
    case TargetKind::kOst: DriftOst(stats, random, now); break;
    case TargetKind::kMgs:
    case TargetKind::kOther: break;
  }
}

}  // namespace cs
