// Node and target statistics (fakes/stats/): the shipped templates hold the
// original simulator's values, reports keep the templates' fields, every
// poll's drift stays inside the original's bounds (and uses them: a drift
// much smaller than the original's fails too), counters only grow, and a
// series replays from its seed and identity whatever else is polled.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "fakes/stats/node_stats.h"
#include "fakes/stats/stat_templates.h"
#include "fakes/stats/stats_book.h"
#include "fakes/stats/target_stats.h"

namespace cs {
namespace {

// The time of the first statistics poll (2027-01-15).
const WallTime kFirstPoll = WallTime(std::chrono::seconds(1800000000));
constexpr int64_t kVolume = int64_t{32} << 40;  // the fleet's volumes: 32 TiB
constexpr int kPolls = 600;

int64_t I(const Json& j) { return j.get<int64_t>(); }

// Every path to a leaf ("stats/open/count"), so two documents can be
// compared field by field.
void Leaves(const Json& j, const std::string& at, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) Leaves(v, at + "/" + k, out);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) Leaves(j[i], at + "/" + std::to_string(i), out);
  } else {
    out.insert(at);
  }
}
std::set<std::string> Leaves(const Json& j) {
  std::set<std::string> out;
  Leaves(j, "", out);
  return out;
}

// The leaves whose values differ between two documents of the same shape.
std::set<std::string> Changed(const Json& a, const Json& b) {
  std::set<std::string> out;
  for (const std::string& leaf : Leaves(a)) {
    const Json::json_pointer p(leaf);
    if (a.at(p) != b.at(p)) out.insert(leaf);
  }
  return out;
}

// Tracks one integer field across polls: its largest rise and fall.
struct Steps {
  int64_t most_up = 0, most_down = 0;
  void Add(int64_t before, int64_t after) {
    most_up = std::max(most_up, after - before);
    most_down = std::max(most_down, before - after);
  }
};

LustreTarget Target(const std::string& label, const std::string& uuid = "") {
  LustreTarget t;
  t.label = label;
  t.uuid = uuid.empty() ? "uuid-" + label : uuid;
  return t;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(StatTemplateTest, TheShippedFilesAreCompiledInAndHoldTheOriginalsValues) {
  const char* files[] = {"mdt", "ost", "node"};
  const StatTemplate kinds[] = {StatTemplate::kMdt, StatTemplate::kOst, StatTemplate::kNode};
  for (int i = 0; i < 3; ++i) {
    const std::string path = std::string(CS_SOURCE_DIR) + "/fakes/stats/templates/" + files[i] + ".json";
    EXPECT_EQ(StatTemplateText(kinds[i]), ReadFile(path)) << path;
    ASSERT_TRUE(ParseStatTemplate(StatTemplateText(kinds[i])).ok()) << path;
  }
  // Spot values of the original's MDT_STAT_TEMPLATE.json, OST_STAT_TEMPLATE.json
  // and get_node_stats.
  const Json& mdt = StatTemplateReport(StatTemplate::kMdt);
  EXPECT_EQ(mdt["filestotal"], 512000);
  EXPECT_EQ(mdt["kbytestotal"], 767824);
  EXPECT_EQ(mdt["num_exports"], 2);
  EXPECT_EQ(mdt["stats"]["unlink"]["count"], 50254);
  EXPECT_EQ(mdt["stats"]["mds_sync"]["sumsquare"], 117311300019);
  const Json& ost = StatTemplateReport(StatTemplate::kOst);
  EXPECT_EQ(ost["kbytestotal"], 2015824);
  EXPECT_EQ(ost["kbytesavail"], 1877156);
  EXPECT_EQ(ost["stats"]["write_bytes"]["sum"], 15311790080);
  EXPECT_EQ(ost["brw_stats"]["rpc_hist"]["buckets"].size(), 31u);
  EXPECT_EQ(ost["brw_stats"]["pages"]["buckets"]["256"]["write"]["count"], 14398);
  ASSERT_EQ(ost["job_stats"].size(), 2u);
  EXPECT_EQ(ost["job_stats"][1]["job_id"], "dd.0");
  const Json& node = StatTemplateReport(StatTemplate::kNode);
  EXPECT_EQ(node["meminfo"]["MemTotal"], 509856);
  EXPECT_EQ(node["meminfo"]["MemFree"], 66196);
  EXPECT_EQ(node["meminfo"].size(), 30u);
  EXPECT_EQ(node["cpustats"], (Json{{"iowait", 58994}, {"idle", 17632363}, {"total", 17820617},
                                    {"user", 6160}, {"system", 100260}}));
}

TEST(StatTemplateTest, ATemplateThatIsNotADocumentWithAReportIsRefused) {
  EXPECT_FALSE(ParseStatTemplate("{\"report\": {").ok());
  EXPECT_FALSE(ParseStatTemplate("[1, 2]").ok());
  EXPECT_FALSE(ParseStatTemplate("{\"about\": \"x\"}").ok());
  Result<Json> r = ParseStatTemplate("{\"report\": 3}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("report"), std::string::npos) << r.status().message();
  EXPECT_TRUE(ParseStatTemplate("{\"report\": {}}").ok());
}

TEST(TargetStatsTest, ReportsHaveTheTemplatesFieldsSizedToTheVolume) {
  for (TargetKind kind : {TargetKind::kMdt, TargetKind::kOst}) {
    const Json& tpl = StatTemplateReport(kind == TargetKind::kMdt ? StatTemplate::kMdt : StatTemplate::kOst);
    Json stats = InitialTargetStats(kind, kVolume);
    Random random(3);
    DriftTargetStats(kind, stats, random, kFirstPoll);
    const Json report = ReportTargetStats(kind, stats);
    EXPECT_EQ(Leaves(report), Leaves(tpl)) << "same fields as the template";
    EXPECT_EQ(report["kbytestotal"], kVolume / 1024);
    const double scale = static_cast<double>(kVolume / 1024) / I(tpl["kbytestotal"]);
    EXPECT_NEAR(I(report["filestotal"]), I(tpl["filestotal"]) * scale, 1);
    const Json start = InitialTargetStats(kind, kVolume);
    EXPECT_NEAR(I(start["kbytesfree"]), I(tpl["kbytesfree"]) * scale, 1) << "the template's share free";
    EXPECT_NEAR(I(start["filesfree"]), I(tpl["filesfree"]) * scale, 1);
  }
  const Json ost = ReportTargetStats(TargetKind::kOst, InitialTargetStats(TargetKind::kOst, kVolume));
  EXPECT_EQ(ost["brw_stats"], StatTemplateReport(StatTemplate::kOst)["brw_stats"]);
  EXPECT_EQ(ReportTargetStats(TargetKind::kMgs, InitialTargetStats(TargetKind::kMgs, kVolume)), Json::object());
  EXPECT_EQ(TargetKindOf("testfs-MDT0000"), TargetKind::kMdt);
  EXPECT_EQ(TargetKindOf("testfs-OST0003"), TargetKind::kOst);
  EXPECT_EQ(TargetKindOf("MGS"), TargetKind::kMgs);
}

TEST(TargetStatsTest, MdtDriftsAsTheOriginalDid) {
  Json s = InitialTargetStats(TargetKind::kMdt, kVolume);
  const int64_t files = I(s["filestotal"]), kbytes = I(s["kbytestotal"]);
  const int64_t exports = I(s["num_exports"]);
  const std::vector<std::string> ops = {"open", "close", "unlink", "mkdir", "rmdir", "getxattr"};
  std::set<std::string> drifting = {"/client_count", "/filesfree", "/kbytesfree"};
  for (const auto& op : ops) drifting.insert("/stats/" + op + "/count");
  Random random(11);
  Steps files_free, kbytes_free, op_growth;
  int64_t least_op_growth = 10000;
  int client_count_changes = 0;
  std::set<int64_t> client_counts;
  for (int poll = 0; poll < kPolls; ++poll) {
    const Json before = s;
    DriftTargetStats(TargetKind::kMdt, s, random, kFirstPoll);
    for (const std::string& leaf : Changed(before, s)) EXPECT_EQ(drifting.count(leaf), 1u) << leaf << " drifted";
    files_free.Add(I(before["filesfree"]), I(s["filesfree"]));
    kbytes_free.Add(I(before["kbytesfree"]), I(s["kbytesfree"]));
    EXPECT_GE(I(s["filesfree"]), 0);
    EXPECT_LE(I(s["filesfree"]), files);
    EXPECT_GE(I(s["kbytesfree"]), 0);
    EXPECT_LE(I(s["kbytesfree"]), kbytes);
    for (const auto& op : ops) {
      const int64_t grew = I(s["stats"][op]["count"]) - I(before["stats"][op]["count"]);
      EXPECT_GE(grew, 0) << op << " is a counter";
      op_growth.Add(0, grew);
      least_op_growth = std::min(least_op_growth, grew);
    }
    client_counts.insert(I(s["client_count"]));
    client_count_changes += before["client_count"] != s["client_count"];
  }
  EXPECT_LE(files_free.most_up, files / 10);
  EXPECT_LE(files_free.most_down, files / 10);
  EXPECT_LE(kbytes_free.most_up, kbytes / 10);
  EXPECT_GT(kbytes_free.most_up, kbytes / 20) << "moves by up to a tenth, not less";
  EXPECT_GT(files_free.most_down, files / 20);
  EXPECT_LE(op_growth.most_up, 10000);
  EXPECT_GT(op_growth.most_up, 9000);
  EXPECT_LT(least_op_growth, 1000);
  // Blips one poll in six, two in three of which change the count: about 67
  // changes in 600 polls.
  EXPECT_GT(client_count_changes, 30);
  EXPECT_LT(client_count_changes, 120);
  EXPECT_EQ(client_counts, (std::set<int64_t>{exports - 1, exports, exports + 1}));
}

TEST(TargetStatsTest, OstDriftsAsTheOriginalDid) {
  Json s = InitialTargetStats(TargetKind::kOst, kVolume);
  const int64_t files = I(s["filestotal"]), kbytes = I(s["kbytestotal"]);
  const int64_t reserve = I(s["kbytesfree"]) - I(s["kbytesavail"]);
  ASSERT_GT(reserve, 0);
  std::set<std::string> drifting = {"/filesfree", "/kbytesfree", "/kbytesavail"};
  for (const char* key : {"read_bytes", "write_bytes"}) {
    drifting.insert(std::string("/stats/") + key + "/sum");
    drifting.insert(std::string("/stats/") + key + "/count");
  }
  for (int job = 0; job < 2; ++job) {
    const std::string at = "/job_stats/" + std::to_string(job) + "/";
    drifting.insert(at + "snapshot_time");
    for (const char* key : {"read", "write"}) drifting.insert(at + key + "/sum");
    for (const char* key : {"read", "write", "setattr", "punch", "sync"}) drifting.insert(at + key + "/samples");
  }
  Random random(12);
  Steps sums, counts, job_sums, job_samples, kbytes_free, files_free;
  WallTime now = kFirstPoll;
  for (int poll = 0; poll < kPolls; ++poll) {
    const Json before = s;
    now += std::chrono::seconds(10);
    DriftTargetStats(TargetKind::kOst, s, random, now);
    for (const std::string& leaf : Changed(before, s)) EXPECT_EQ(drifting.count(leaf), 1u) << leaf << " drifted";
    for (const char* key : {"read_bytes", "write_bytes"}) {
      sums.Add(I(before["stats"][key]["sum"]), I(s["stats"][key]["sum"]));
      counts.Add(I(before["stats"][key]["count"]), I(s["stats"][key]["count"]));
    }
    for (size_t j = 0; j < s["job_stats"].size(); ++j) {
      const Json &was = before["job_stats"][j], &is = s["job_stats"][j];
      for (const char* key : {"read", "write"}) job_sums.Add(I(was[key]["sum"]), I(is[key]["sum"]));
      for (const char* key : {"read", "write", "setattr", "punch", "sync"}) {
        job_samples.Add(I(was[key]["samples"]), I(is[key]["samples"]));
      }
      EXPECT_EQ(I(is["snapshot_time"]), std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
    }
    kbytes_free.Add(I(before["kbytesfree"]), I(s["kbytesfree"]));
    files_free.Add(I(before["filesfree"]), I(s["filesfree"]));
    EXPECT_GE(I(s["kbytesfree"]), 0);
    EXPECT_LE(I(s["kbytesfree"]), kbytes);
    EXPECT_GE(I(s["filesfree"]), 0);
    EXPECT_LE(I(s["filesfree"]), files);
    EXPECT_EQ(I(s["kbytesavail"]), std::max<int64_t>(0, I(s["kbytesfree"]) - reserve));
  }
  EXPECT_EQ(sums.most_down, 0) << "counters only grow";
  EXPECT_EQ(counts.most_down, 0);
  EXPECT_EQ(job_sums.most_down, 0);
  EXPECT_EQ(job_samples.most_down, 0);
  EXPECT_LE(sums.most_up, 10000000000LL);
  EXPECT_GT(sums.most_up, 9000000000LL);
  EXPECT_LE(counts.most_up, 100000);
  EXPECT_GT(counts.most_up, 90000);
  EXPECT_LE(job_sums.most_up, 1000000000LL);
  EXPECT_GT(job_sums.most_up, 900000000LL);
  EXPECT_LE(job_samples.most_up, 100);
  EXPECT_GT(job_samples.most_up, 90);
  EXPECT_LE(kbytes_free.most_up, kbytes / 10);
  EXPECT_LE(kbytes_free.most_down, kbytes / 10);
  EXPECT_GT(kbytes_free.most_down, kbytes / 20);
  EXPECT_LE(files_free.most_up, files / 10);
  EXPECT_GT(files_free.most_up, files / 20);
}

TEST(NodeStatsTest, NodeStatsHaveTheTemplatesFieldsAndDriftAsTheOriginalDid) {
  Json s = InitialNodeStats("test000.localdomain");
  EXPECT_EQ(s["hostname"], "test000.localdomain");
  Json without_host = s;
  without_host.erase("hostname");
  EXPECT_EQ(without_host, StatTemplateReport(StatTemplate::kNode));
  const int64_t total = I(s["meminfo"]["MemTotal"]);
  const std::set<std::string> drifting = {"/meminfo/MemFree", "/cpustats/user", "/cpustats/idle", "/cpustats/total"};
  Random random(13);
  Steps mem_free;
  int64_t least_cpu = 1000, most_cpu = 0;
  for (int poll = 0; poll < kPolls; ++poll) {
    const Json before = s;
    DriftNodeStats(s, random);
    for (const std::string& leaf : Changed(before, s)) EXPECT_EQ(drifting.count(leaf), 1u) << leaf << " drifted";
    mem_free.Add(I(before["meminfo"]["MemFree"]), I(s["meminfo"]["MemFree"]));
    EXPECT_GE(I(s["meminfo"]["MemFree"]), 0);
    EXPECT_LE(I(s["meminfo"]["MemFree"]), total);
    const int64_t user = I(s["cpustats"]["user"]) - I(before["cpustats"]["user"]);
    const int64_t idle = I(s["cpustats"]["idle"]) - I(before["cpustats"]["idle"]);
    EXPECT_EQ(I(s["cpustats"]["total"]) - I(before["cpustats"]["total"]), user + idle);
    least_cpu = std::min({least_cpu, user, idle});
    most_cpu = std::max({most_cpu, user, idle});
  }
  EXPECT_LE(mem_free.most_up, 5000);
  EXPECT_LE(mem_free.most_down, 5000);
  EXPECT_GT(mem_free.most_up, 4500);
  EXPECT_EQ(least_cpu, 50);
  EXPECT_EQ(most_cpu, 100);
}

// The series one target or node reports over `polls` polls, with
// `between` called before each.
std::vector<Json> Series(const std::function<Json()>& read, int polls,
                         const std::function<void()>& between = [] {}) {
  std::vector<Json> out;
  for (int i = 0; i < polls; ++i) {
    between();
    out.push_back(read());
  }
  return out;
}

TEST(StatsBookTest, TheSameSeedAndIdentityGiveTheSameSeriesWhateverElseIsPolled) {
  const LustreTarget ost = Target("testfs-OST0000"), other = Target("testfs-OST0001");
  StatsBook alone(5), busy(5), reseeded(6);
  const std::vector<Json> mine = Series([&] { return alone.Target(ost, kVolume, kFirstPoll); }, 20);
  const std::vector<Json> interleaved = Series(
      [&] { return busy.Target(ost, kVolume, kFirstPoll); }, 20, [&] {
        busy.Target(other, kVolume, kFirstPoll);
        busy.Node("test000.localdomain");
      });
  EXPECT_EQ(mine, interleaved) << "another target's and a node's polls do not shift it";
  EXPECT_NE(mine, Series([&] { return reseeded.Target(ost, kVolume, kFirstPoll); }, 20));
  StatsBook again(5);
  EXPECT_NE(mine, Series([&] { return again.Target(other, kVolume, kFirstPoll); }, 20)) << "another label";
  EXPECT_NE(mine, Series([&] { return again.Target(Target("testfs-OST0000", "reformatted"), kVolume, kFirstPoll); }, 20))
      << "a reformatted target (new uuid) starts a new series";

  StatsBook nodes_a(5), nodes_b(5);
  EXPECT_EQ(Series([&] { return nodes_a.Node("test001.localdomain"); }, 20),
            Series([&] { return nodes_b.Node("test001.localdomain"); }, 20,
                   [&] { nodes_b.Node("test002.localdomain"); }));
}

TEST(StatsBookTest, APeekReportsTheLastReadingAndLeavesTheSeriesAlone) {
  const LustreTarget mdt = Target("testfs-MDT0000");
  StatsBook peeked(9), plain(9);
  EXPECT_EQ(peeked.Target(mdt, kVolume, kFirstPoll, StatsBook::Read::kPeek), InitialTargetStats(TargetKind::kMdt, kVolume))
      << "never polled: the template";
  const std::vector<Json> with_peeks = Series([&] { return peeked.Target(mdt, kVolume, kFirstPoll); }, 10, [&] {
    const Json a = peeked.Target(mdt, kVolume, kFirstPoll, StatsBook::Read::kPeek);
    EXPECT_EQ(a, peeked.Target(mdt, kVolume, kFirstPoll, StatsBook::Read::kPeek));
    peeked.Node("test000.localdomain", StatsBook::Read::kPeek);
  });
  EXPECT_EQ(with_peeks, Series([&] { return plain.Target(mdt, kVolume, kFirstPoll); }, 10));
  EXPECT_EQ(peeked.Target(mdt, kVolume, kFirstPoll, StatsBook::Read::kPeek), with_peeks.back());
  EXPECT_EQ(peeked.Node("test000.localdomain", StatsBook::Read::kPeek), InitialNodeStats("test000.localdomain"));
}

}  // namespace
}  // namespace cs
