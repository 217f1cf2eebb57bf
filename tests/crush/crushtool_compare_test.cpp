// The mapper against the real thing: generated maps of 1 to 10,000 hosts,
// flat and deep, even and uneven weights, every bucket algorithm, legacy and
// optimal tunables, compiled by crushtool -c and tested by crushtool --test;
// our output for the same text map must be identical, line for line.
#include <gtest/gtest.h>

#include <sstream>

#include "crush/synthetic_map.h"
#include "crush/tester.h"
#include "crush/text_map.h"
#include "tests/crush/crushtool.h"

namespace cs::crush {
namespace {

using testing::CountMismatches;
using testing::RunCommand;

// Compiles `text` with crushtool and compares --test output for every rule of
// the spec with ours, plus one statistics/utilization run over every rule.
void CompareWithCrushtool(const std::string& name, const std::string& text, const std::vector<SyntheticRule>& rules,
                          int max_x = 1023) {
  ASSERT_TRUE(testing::HaveCrushtool()) << "crushtool is missing: run scripts/setup-deps (package ceph-base)";
  const auto dir = testing::ScratchDir(name);
  testing::WriteFile(dir / "map.txt", text);
  const auto compiled = RunCommand("crushtool -c " + (dir / "map.txt").string() + " -o " + (dir / "map.bin").string() + " 2>&1");
  ASSERT_EQ(compiled.status, 0) << compiled.out;
  Result<Map> map = CompileText(text, name);
  ASSERT_TRUE(map.ok()) << map.status().message();

  auto compare = [&](const std::string& flags, TestOptions options, bool expect_output) {
    const auto theirs = RunCommand("crushtool -i " + (dir / "map.bin").string() + " --test --min-x 0 --max-x " +
                                   std::to_string(max_x) + " " + flags + " 2>/dev/null");
    ASSERT_EQ(theirs.status, 0);
    options.min_x = 0;
    options.max_x = max_x;
    std::ostringstream ours, err;
    RunTest(*map, options, ours, err);
    std::string first;
    EXPECT_EQ(CountMismatches(ours.str(), theirs.out, &first), 0)
        << name << " " << flags << ": first difference: " << first;
    EXPECT_EQ(!theirs.out.empty(), expect_output) << flags;
  };
  for (size_t r = 0; r < rules.size(); ++r) {
    TestOptions o;
    o.rule = static_cast<int>(r);
    o.num_rep = rules[r].num_rep;
    o.show_mappings = o.show_bad_mappings = true;
    compare("--rule " + std::to_string(r) + " --num-rep " + std::to_string(rules[r].num_rep) +
                " --show-mappings --show-bad-mappings",
            o, rules[r].name != "absent");
  }
  TestOptions stats;
  stats.num_rep = 3;
  stats.show_statistics = stats.show_utilization = true;
  compare("--num-rep 3 --show-statistics --show-utilization", stats, true);
  std::filesystem::remove_all(dir);
}

void CompareSpec(const std::string& name, const SyntheticSpec& spec, int max_x = 1023) {
  CompareWithCrushtool(name, SyntheticMapText(spec), SyntheticRules(spec), max_x);
}

TEST(CrushtoolCompare, OneHost) {
  SyntheticSpec s;
  s.hosts = 1;
  s.osds_per_host = 3;
  CompareSpec("one-host", s);
}

TEST(CrushtoolCompare, FlatMixedAlgorithmsUneven) {
  SyntheticSpec s;
  s.hosts = 15;
  s.osds_per_host = 3;
  s.host_alg = "mixed";
  s.uneven = true;
  s.seed = 7;
  CompareSpec("flat-mixed", s);
}

TEST(CrushtoolCompare, LegacyTunablesDeepMixed) {
  SyntheticSpec s;
  s.hosts = 48;
  s.osds_per_host = 2;
  s.deep = true;
  s.host_alg = "mixed";
  s.uneven = true;
  s.legacy_tunables = true;
  s.seed = 11;
  CompareSpec("legacy-deep", s);
}

TEST(CrushtoolCompare, FlatHundredHostsUneven) {
  SyntheticSpec s;
  s.hosts = 100;
  s.uneven = true;
  s.seed = 3;
  CompareSpec("flat-100", s);
}

TEST(CrushtoolCompare, DeepThousandHosts) {
  SyntheticSpec s;
  s.hosts = 1000;
  s.osds_per_host = 2;
  s.deep = true;
  s.hosts_per_rack = 10;
  s.racks_per_row = 10;
  s.uneven = true;
  s.seed = 5;
  CompareSpec("deep-1000", s);
}

TEST(CrushtoolCompare, FlatTenThousandHosts) {
  SyntheticSpec s;
  s.hosts = 10000;
  s.osds_per_host = 1;
  s.uneven = true;
  s.seed = 9;
  CompareSpec("flat-10000", s);
}

TEST(CrushtoolCompare, DeepTenThousandHosts) {
  SyntheticSpec s;
  s.hosts = 10000;
  s.osds_per_host = 1;
  s.deep = true;
  s.hosts_per_rack = 20;
  s.racks_per_row = 10;
  s.seed = 13;
  CompareSpec("deep-10000", s);
}

// A hand-written map in the shape crushtool -d prints, with positions,
// default weights, a forward reference and an unsatisfiable rule.
TEST(CrushtoolCompare, HandWrittenMapWithBadMappings) {
  const std::string text = R"(# hand written
tunable choose_total_tries 50
device 0 osd.0
device 1 osd.1
device 2 osd.2
device 3 osd.3
device 5 osd.5
type 0 osd
type 1 host
type 2 root
host h1 {
	alg straw
	hash rjenkins1
	item osd.2 weight 1.5
	item osd.3 weight 1.0
}
root default {
	alg straw2
	item h1 weight 2.5
	item h0
}
host h0 {
	id -7
	alg list
	item osd.1 pos 1
	item osd.0 pos 0
}
rule wide {
	ruleset 0
	type replicated
	min_size 1
	max_size 5
	step take default
	step chooseleaf firstn 0 type host
	step emit
}
rule leaf_indep {
	id 2
	type erasure
	min_size 3
	max_size 4
	step take default
	step choose indep 0 type osd
	step emit
}
)";
  CompareWithCrushtool("hand", text, {{"wide", 4}, {"absent", 2}, {"leaf_indep", 4}});
}

}  // namespace
}  // namespace cs::crush
