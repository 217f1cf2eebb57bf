// The mapper's building blocks: the hash, the fixed-point logarithm and the
// rule interpreter's bounds, independent of crushtool.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "crush/hash.h"
#include "crush/ln.h"
#include "crush/mapper.h"
#include "crush/synthetic_map.h"
#include "crush/text_map.h"

namespace cs::crush {
namespace {

TEST(CrushHash, OnlyRjenkinsHashes) {
  EXPECT_NE(Hash32(kHashRjenkins1, 1, 2, 3), Hash32(kHashRjenkins1, 1, 2, 4));
  EXPECT_EQ(Hash32(kHashRjenkins1, 1, 2, 3), Hash32(kHashRjenkins1, 1, 2, 3));
  EXPECT_EQ(Hash32(5, 1, 2, 3), 0u);
}

TEST(CrushLn, IsAboutTwoToThe44TimesLog2) {
  // u = 0xffff is log2(65536) = 16 in 2^44 units, less Ceph's table quirk.
  EXPECT_EQ(CrushLn(0xffff), (uint64_t{16} << 44) - (uint64_t{1} << 28));
  EXPECT_EQ(CrushLn(0), 0u);
  for (uint32_t u : {1u, 100u, 4095u, 30000u, 65534u}) {
    const double exact = std::log2(u + 1.0) * 17592186044416.0;
    EXPECT_NEAR(static_cast<double>(CrushLn(u)) / exact, 1.0, 1e-3) << u;
  }
}

TEST(CrushLn, TablesFollowTheirDefinitions) {
  const LnTables& t = GetLnTables();
  EXPECT_EQ(t.reciprocal[0], uint64_t{1} << 48);
  EXPECT_EQ(t.reciprocal[128], uint64_t{1} << 47);
  EXPECT_EQ(t.coarse_log[0], 0u);
  EXPECT_NEAR(static_cast<double>(t.coarse_log[64]), std::log2(1.5) * 281474976710656.0, 1.0);
  EXPECT_EQ(t.fine_log[1], static_cast<uint64_t>(std::log2(1 + 1 / 32768.0) * 281474976710656.0));
}

TEST(CrushMapper, ReplicasLandOnDistinctHostsAndStayInBounds) {
  SyntheticSpec spec;
  spec.hosts = 12;
  spec.osds_per_host = 2;
  Result<Map> map = CompileText(SyntheticMapText(spec), "synthetic");
  ASSERT_TRUE(map.ok()) << map.status().message();
  Mapper mapper(*map);
  std::vector<uint32_t> weights(map->max_devices, kWeightOne);
  for (int x = 0; x < 200; ++x) {
    const std::vector<int> out = mapper.DoRule(0, x, 3, weights);
    ASSERT_EQ(out.size(), 3u);
    std::set<int> hosts;
    for (int osd : out) hosts.insert(osd / 2);
    EXPECT_EQ(hosts.size(), 3u) << x;
  }
  EXPECT_TRUE(mapper.DoRule(99, 1, 3, weights).empty());
  EXPECT_TRUE(mapper.DoRule(0, 1, 0, weights).empty());
  // An out device is never chosen.
  weights[0] = 0;
  for (int x = 0; x < 200; ++x) {
    for (int osd : mapper.DoRule(0, x, 3, weights)) EXPECT_NE(osd, 0);
  }
}

}  // namespace
}  // namespace cs::crush
