// Device classes and choose_args against the real crushtool: maps whose
// devices carry classes (shadow trees, some with stated ids, some numbered
// by Ceph's rule, empty classes), rules that take a class, and choose_args
// weight sets (one or several positions) and ids, compiled by `crushtool -c`
// and tested with `crushtool -i --test`; `cluster-sim crush test --map` must
// print the same lines for x in 0..1023 (0 mismatched lines).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <random>
#include <sstream>

#include "crush/tester.h"
#include "crush/text_map.h"
#include "tests/crush/crushtool.h"

namespace cs::crush {
namespace {

using testing::CountMismatches;
using testing::RunCommand;

struct ClassMapSpec {
  int racks = 3;
  int hosts_per_rack = 4;
  int osds_per_host = 4;
  std::string host_alg = "straw2";
  bool state_some_shadow_ids = true;  // "id N class C" on some buckets, as a decompiled map has
  bool empty_class = false;           // a class no device has (stated on the root only)
  int choose_args_positions = 0;      // 0: no choose_args
  bool choose_args_ids = false;
  bool choose_args_other_index = false;  // also a set 3, which crushtool --test does not use
  uint32_t seed = 1;
};

std::string Weight(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", w);
  return buf;
}

// Buckets are written leaves first, ids stated on hosts only for even hosts,
// racks and root unnumbered: Ceph's numbering of plain and shadow buckets
// both get exercised.
std::string ClassMap(const ClassMapSpec& s) {
  std::mt19937 rng(s.seed);
  std::ostringstream m;
  m << "tunable choose_local_tries 0\ntunable choose_local_fallback_tries 0\ntunable choose_total_tries 50\n"
       "tunable chooseleaf_descend_once 1\ntunable chooseleaf_vary_r 1\ntunable chooseleaf_stable 1\n"
       "tunable straw_calc_version 1\ntunable allowed_bucket_algs 54\n";
  const int hosts = s.racks * s.hosts_per_rack;
  const int osds = hosts * s.osds_per_host;
  std::vector<std::string> cls(osds);
  for (int d = 0; d < osds; ++d) {
    cls[d] = (rng() % 3 == 0) ? "ssd" : "hdd";
    m << "device " << d << " osd." << d << " class " << cls[d] << "\n";
  }
  m << "type 0 osd\ntype 1 host\ntype 2 rack\ntype 3 root\n";
  std::vector<double> host_weight(hosts, 0);
  std::vector<std::vector<double>> osd_weight(hosts);
  int next_stated = -200;
  for (int h = 0; h < hosts; ++h) {
    m << "host h" << h << " {\n";
    if (h % 2 == 0) {
      m << "\tid " << -100 - h << "\n";
      if (s.state_some_shadow_ids) m << "\tid " << next_stated-- << " class ssd\n";
    }
    m << "\talg " << s.host_alg << "\n\thash 0\n";
    for (int k = 0; k < s.osds_per_host; ++k) {
      const int d = h * s.osds_per_host + k;
      // Uniform buckets need one weight for every item.
      const double w = s.host_alg == "uniform" ? 1.0 : 0.5 + (rng() % 8) * 0.25;
      osd_weight[h].push_back(w);
      host_weight[h] += w;
      m << "\titem osd." << d << " weight " << Weight(w) << "\n";
    }
    m << "}\n";
  }
  for (int r = 0; r < s.racks; ++r) {
    m << "rack r" << r << " {\n";
    if (r == 1 && s.state_some_shadow_ids) m << "\tid -50\n\tid " << next_stated-- << " class hdd\n";
    m << "\talg straw2\n\thash 0\n";
    for (int k = 0; k < s.hosts_per_rack; ++k) {
      const int h = r * s.hosts_per_rack + k;
      m << "\titem h" << h << " weight " << Weight(host_weight[h]) << "\n";
    }
    m << "}\n";
  }
  m << "root default {\n\tid -1\n";
  if (s.empty_class) m << "\tid -300 class nvme\n";
  m << "\talg straw2\n\thash 0\n";
  for (int r = 0; r < s.racks; ++r) {
    double w = 0;
    for (int k = 0; k < s.hosts_per_rack; ++k) w += host_weight[r * s.hosts_per_rack + k];
    m << "\titem r" << r << " weight " << Weight(w) << "\n";
  }
  m << "}\n";
  auto rule = [&](int id, const std::string& name, const std::string& type, const std::string& steps) {
    m << "rule " << name << " {\n\tid " << id << "\n\ttype " << type << "\n\tmin_size 1\n\tmax_size 10\n"
      << steps << "}\n";
  };
  rule(0, "ssd_by_host", "replicated", "\tstep take default class ssd\n\tstep chooseleaf firstn 0 type host\n\tstep emit\n");
  rule(1, "hdd_ec_by_host", "erasure",
       "\tstep set_chooseleaf_tries 5\n\tstep take default class hdd\n\tstep chooseleaf indep 0 type host\n\tstep emit\n");
  rule(2, "all_by_rack", "replicated", "\tstep take default\n\tstep chooseleaf firstn 0 type rack\n\tstep emit\n");
  rule(3, "ssd_rack_then_host", "replicated",
       "\tstep take default class ssd\n\tstep choose firstn 0 type rack\n\tstep chooseleaf firstn 1 type host\n"
       "\tstep emit\n");
  rule(4, "hdd_in_one_rack", "replicated",
       "\tstep take r" + std::to_string(s.racks > 1 ? 1 : 0) + " class hdd\n\tstep choose indep 0 type osd\n\tstep emit\n");
  if (s.empty_class) rule(5, "nvme", "replicated", "\tstep take default class nvme\n\tstep chooseleaf firstn 0 type host\n\tstep emit\n");
  if (s.choose_args_positions > 0) {
    // Weight sets for the root, every rack and the even hosts, plus ids on
    // the racks: the buckets' plain ids, numbered as Ceph numbered them.
    auto weight_set = [&](const std::vector<double>& base) {
      std::string out = "\t\tweight_set [\n";
      for (int p = 0; p < s.choose_args_positions; ++p) {
        out += "\t\t\t[";
        for (double w : base) out += " " + Weight(w * (0.25 + (rng() % 12) * 0.25));
        out += " ]\n";
      }
      return out + "\t\t]\n";
    };
    auto write_set = [&](int index) {
      m << "choose_args " << index << " {\n";
      std::vector<double> racks;
      for (int r = 0; r < s.racks; ++r) {
        double w = 0;
        for (int k = 0; k < s.hosts_per_rack; ++k) w += host_weight[r * s.hosts_per_rack + k];
        racks.push_back(w);
      }
      m << "\t{\n\t\tbucket_id -1\n" << weight_set(racks);
      if (s.choose_args_ids) {
        m << "\t\tids [";
        for (int r = 0; r < s.racks; ++r) m << " " << -1000 - r;
        m << " ]\n";
      }
      m << "\t}\n";
      for (int h = 0; h < hosts; h += 2) {
        m << "\t{\n\t\tbucket_id " << -100 - h << "\n" << weight_set(osd_weight[h]);
        if (s.choose_args_ids && h % 4 == 0) {
          m << "\t\tids [";
          for (int k = 0; k < s.osds_per_host; ++k) m << " " << 5000 + h * s.osds_per_host + k;
          m << " ]\n";
        }
        m << "\t}\n";
      }
      m << "}\n";
    };
    write_set(0);
    if (s.choose_args_other_index) write_set(3);
  }
  return m.str();
}

// Every rule at num-rep 3 (mappings and bad mappings), then statistics and
// utilization over every rule, through the binary and through crushtool.
void CompareWithCrushtool(const std::string& name, const std::string& text) {
  ASSERT_TRUE(testing::HaveCrushtool()) << "crushtool is missing: run scripts/setup-deps (package ceph-base)";
  const auto dir = testing::ScratchDir(name);
  testing::WriteFile(dir / "map.txt", text);
  const auto compiled =
      RunCommand("crushtool -c " + (dir / "map.txt").string() + " -o " + (dir / "map.bin").string() + " 2>&1");
  ASSERT_EQ(compiled.status, 0) << compiled.out << text;
  Result<Map> map = CompileText(text, name);
  ASSERT_TRUE(map.ok()) << map.status().message();
  const std::string cli = std::string(CS_BINARY_DIR) + "/cluster-sim crush test --map " + (dir / "map.txt").string();
  std::vector<std::string> runs;
  for (size_t r = 0; r < map->rules.size(); ++r) {
    if (map->rules[r]) runs.push_back("--rule " + std::to_string(r) + " --num-rep 3 --show-mappings --show-bad-mappings");
  }
  runs.push_back("--num-rep 3 --show-statistics --show-utilization");
  for (const std::string& flags : runs) {
    const std::string range = " --min-x 0 --max-x 1023 " + flags;
    const auto theirs = RunCommand("crushtool -i " + (dir / "map.bin").string() + " --test" + range + " 2>/dev/null");
    const auto ours = RunCommand(cli + range + " 2>/dev/null");
    ASSERT_EQ(theirs.status, 0);
    ASSERT_EQ(ours.status, 0) << ours.out;
    std::string first;
    EXPECT_EQ(CountMismatches(ours.out, theirs.out, &first), 0) << name << " " << flags << ": first difference: " << first;
    EXPECT_FALSE(theirs.out.empty()) << flags;
  }
  std::filesystem::remove_all(dir);
}

TEST(ClassesCompare, ShadowTreesWithStatedAndNumberedIds) { CompareWithCrushtool("classes", ClassMap({})); }

TEST(ClassesCompare, NoStatedShadowIdsAndAnEmptyClass) {
  ClassMapSpec s;
  s.state_some_shadow_ids = false;
  s.empty_class = true;
  s.seed = 2;
  CompareWithCrushtool("classes-empty", ClassMap(s));
}

// Not tree hosts: Ceph grows a tree shadow bucket item by item and reads
// node weights it never initialised, so crushtool itself maps such a map
// to devices outside the bucket (docs/crush.md).
TEST(ClassesCompare, ShadowTreesOverListAndStrawHosts) {
  for (const char* alg : {"list", "straw"}) {
    ClassMapSpec s;
    s.host_alg = alg;
    s.seed = 3;
    CompareWithCrushtool(std::string("classes-") + alg, ClassMap(s));
  }
}

// Ceph cannot make a uniform shadow bucket of weighted devices (it grows
// from an empty bucket of item weight 0 and refuses other weights), so it
// has no shadow tree and refuses the rule that takes a class; so do we.
TEST(ClassesCompare, UniformHostsWithClassDevicesAreRefusedAsCrushtoolRefusesThem) {
  ClassMapSpec s;
  s.host_alg = "uniform";
  s.seed = 4;
  const auto dir = testing::ScratchDir("classes-uniform");
  testing::WriteFile(dir / "map.txt", ClassMap(s));
  const auto theirs = RunCommand("crushtool -c " + (dir / "map.txt").string() + " -o " + (dir / "m") .string() + " 2>&1");
  EXPECT_NE(theirs.status, 0);
  EXPECT_NE(theirs.out.find("in rule 'ssd_by_host' step take default has no class information"), std::string::npos)
      << theirs.out;
  const auto ours = RunCommand(std::string(CS_BINARY_DIR) + "/cluster-sim crush test --map " + (dir / "map.txt").string() +
                               " --show-mappings 2>&1");
  EXPECT_EQ(WEXITSTATUS(ours.status), 2);
  EXPECT_NE(ours.out.find("in rule 'ssd_by_host' step take default has no class information"), std::string::npos)
      << ours.out;
  std::filesystem::remove_all(dir);
}

TEST(ChooseArgsCompare, OneWeightSetPosition) {
  ClassMapSpec s;
  s.choose_args_positions = 1;
  s.seed = 5;
  CompareWithCrushtool("choose-args-1", ClassMap(s));
}

TEST(ChooseArgsCompare, ThreePositionsWithIdsAndAnUnusedSet) {
  ClassMapSpec s;
  s.choose_args_positions = 3;
  s.choose_args_ids = true;
  s.choose_args_other_index = true;
  s.racks = 4;
  s.hosts_per_rack = 5;
  s.seed = 6;
  CompareWithCrushtool("choose-args-3", ClassMap(s));
}

TEST(ChooseArgsCompare, TwoPositionsOnAFlatMapReplicatedAndErasure) {
  ClassMapSpec s;
  s.racks = 1;
  s.hosts_per_rack = 12;
  s.osds_per_host = 2;
  s.choose_args_positions = 2;
  s.choose_args_ids = true;
  s.seed = 7;
  CompareWithCrushtool("choose-args-flat", ClassMap(s));
}

// Mistakes a Ceph user can make, with the line and column.
TEST(ClassesCompile, ErrorsNameTheLineAndColumn) {
  const std::string head =
      "device 0 osd.0 class hdd\ndevice 1 osd.1 class ssd\ntype 0 osd\ntype 1 root\n"
      "root default {\n\tid -1\n\tid -2 class hdd\n\talg straw2\n\thash 0\n\titem osd.0 weight 1.000\n"
      "\titem osd.1 weight 1.000\n}\n";
  auto error = [](const std::string& text) {
    Result<Map> m = CompileText(text, "m.txt");
    return m.ok() ? std::string() : m.status().message();
  };
  const std::string rule = "rule r {\n\tid 0\n\ttype replicated\n\tmin_size 1\n\tmax_size 10\n";
  EXPECT_EQ(error(head + rule + "\tstep take default class nvme\n\tstep emit\n}\n"),
            "m.txt:18:26: in rule 'r' device class 'nvme' is not defined");
  EXPECT_EQ(error(head + rule + "\tstep take osd.0 class hdd\n\tstep emit\n}\n"),
            "m.txt:18:12: in rule 'r' step take osd.0 has no class information");
  EXPECT_EQ(error("device 0 osd.0 class hdd\ntype 0 osd\ntype 1 root\nroot a {\n\tid -1 class hdd\n\tid -2 class hdd\n"
                  "\talg straw2\n\titem osd.0\n}\n"),
            "m.txt:6:14: duplicate device class hdd for bucket a");
  const std::string ok = head + rule + "\tstep take default class ssd\n\tstep emit\n}\n";
  EXPECT_EQ(error(ok), "");
  EXPECT_EQ(error(ok + "choose_args 0 {\n  { bucket_id -1 weight_set [ [ 1.0 ] ] }\n}\n"),
            "m.txt:22:31: -1 needs exactly 2 weights but got 1");
  EXPECT_EQ(error(ok + "choose_args 0 {\n  { bucket_id -1 ids [ 5 ] }\n}\n"),
            "m.txt:22:18: -1 needs exactly 2 ids but got 1");
  EXPECT_EQ(error(ok + "choose_args 0 {\n  { bucket_id -9 ids [ 5 ] }\n}\n"), "m.txt:22:15: -9 is out of range");
  EXPECT_EQ(error(ok + "choose_args 0 {\n  { bucket_id -4 ids [ 5 ] }\n}\n"), "m.txt:22:15: -4 does not exist");
  EXPECT_EQ(error(ok + "choose_args 0 {\n}\nchoose_args 0 {\n}\n"), "m.txt:23:13: choose_args 0 duplicated");
  EXPECT_EQ(error(ok + "choose_args 0 {\n}\nrule s {\n"),
            "m.txt:23:1: parse error: expected 'choose_args' (they come after every bucket and rule), found 'rule'");
  Result<Map> m = CompileText(ok, "m.txt");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->item_names.at(-2), "default~hdd") << "the stated shadow id";
  EXPECT_EQ(m->item_names.at(-3), "default~ssd") << "the first free id";
  EXPECT_EQ(m->rules[0]->steps[0].arg1, -3);
}

}  // namespace
}  // namespace cs::crush
