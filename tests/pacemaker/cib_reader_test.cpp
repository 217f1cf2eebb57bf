// Reading a CIB back: what WriteCib wrote comes back as the same
// configuration; what is not a CIB of this cluster is refused with a reason.
#include "pacemaker/cib_reader.h"

#include <gtest/gtest.h>

#include "pacemaker/cib_writer.h"
#include "tests/pacemaker/cluster_builder.h"

namespace cs::pacemaker {
namespace {

using cs::testing::AddTarget;
using cs::testing::ClusterOfNodes;
using cs::testing::NodeName;

Cluster Sample() {
  Cluster c = ClusterOfNodes(3);
  AddTarget(c, "fs-MDT0000", 0, 1);
  AddTarget(c, "fs-OST0000", 1, 2);
  AddTarget(c, "fs-OST0001", 2, -1);
  (void)c.Start("fs-MDT0000");
  (void)c.Start("fs-OST0001");
  (void)c.SetStandby(NodeName(2), true);
  c.nodes.at(NodeName(1)).fence_agents = {{{"agent", "fence_apc"}, {"ipaddr", "127.0.0.1"}, {"ipport", 2300},
                                           {"login", "apc"}, {"password", "apc"}, {"plug", "2"}}};
  return c;
}

TEST(CibReaderTest, WhatWasWrittenReadsBack) {
  const Cluster c = Sample();
  auto config = ReadCibConfig(WriteCib(c, 1764579600));
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_TRUE(CheckSameCluster(*config, c).ok());
  Cluster emptied = c;
  emptied.resources.clear();
  Cluster restored = WithConfiguration(c, *config);
  restored.Settle();
  for (const auto& [label, r] : c.resources) {
    const HaResource& back = restored.resources.at(label);
    EXPECT_EQ(back.uuid, r.uuid) << label;
    EXPECT_EQ(back.enabled, r.enabled) << label;
    EXPECT_EQ(back.primary_node, r.primary_node) << label;
    EXPECT_EQ(back.secondary_node, r.secondary_node) << label;
    EXPECT_EQ(back.device_path, r.device_path) << label;
    EXPECT_EQ(back.started_on, r.started_on) << label;
  }
  EXPECT_TRUE(restored.nodes.at(NodeName(2)).standby);
  EXPECT_EQ(restored.nodes.at(NodeName(1)).fence_agents, c.nodes.at(NodeName(1)).fence_agents);
  EXPECT_EQ(restored.InCibOrder().front()->ha_label, "fs-MDT0000") << "CIB order kept";
}

TEST(CibReaderTest, RefusesWhatIsNotACibOfThisCluster) {
  const Cluster c = Sample();
  const std::string cib = WriteCib(c, 1764579600);
  EXPECT_FALSE(ReadCibConfig("").ok());
  EXPECT_FALSE(ReadCibConfig("<cib/>").ok()) << "no feature set, no configuration";
  EXPECT_FALSE(ReadCibConfig(cib.substr(0, 300)).ok());
  std::string newer = cib;
  newer.replace(newer.find("3.16.1"), 6, "3.17.0");
  auto r = ReadCibConfig(newer);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("newer"), std::string::npos) << r.status().message();
  std::string older = cib;
  older.replace(older.find("3.16.1"), 6, "3.0.14");
  EXPECT_TRUE(ReadCibConfig(older).ok()) << "an older pacemaker's CIB is fine";

  Cluster other = ClusterOfNodes(4);
  auto config = ReadCibConfig(cib);
  ASSERT_TRUE(config.ok());
  Status foreign = CheckSameCluster(*config, other);
  EXPECT_EQ(foreign.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(foreign.message().find("foreign"), std::string::npos);
}

// Numbers too long for an int (fence attribute indexes, ports) are refused
// or kept as text, never thrown out of the reader (std::stoi overflowed).
TEST(CibReaderTest, OversizedNumbersInFenceAttributesAreRefusedNotThrown) {
  const std::string cib = WriteCib(Sample(), 1764579600);
  std::string long_index = cib;
  long_index.replace(long_index.find("\"0_fence_"), 9, "\"99999999999_fence_");
  auto r = ReadCibConfig(long_index);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("fence attribute 99999999999_fence_"), std::string::npos) << r.status().message();

  std::string long_port = cib;
  const size_t port = long_port.find("value=\"2300\"");
  ASSERT_NE(port, std::string::npos) << cib;
  long_port.replace(port, 12, "value=\"99999999999999999999\"");
  auto read = ReadCibConfig(long_port);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->nodes[1].fence_agents[0]["ipport"], "99999999999999999999") << "kept as text";
}

// Found by the cib_reader fuzz target: an epoch at the top of an int
// overflowed when a restore added one.
TEST(CibReaderTest, AnEpochThatCannotGrowIsRefused) {
  const std::string cib = WriteCib(Sample(), 1764579600);
  const size_t at = cib.find(" epoch=\"");
  ASSERT_NE(at, std::string::npos) << cib;
  const size_t end = cib.find('"', at + 8);
  for (const char* epoch : {"2147483647", "-1", "99999999999"}) {
    std::string bad = cib;
    bad.replace(at + 8, end - at - 8, epoch);
    auto r = ReadCibConfig(bad);
    ASSERT_FALSE(r.ok()) << epoch;
    EXPECT_NE(r.status().message().find(std::string("epoch ") + epoch), std::string::npos) << r.status().message();
  }
  std::string top = cib;
  top.replace(at + 8, end - at - 8, "2147483646");
  EXPECT_TRUE(ReadCibConfig(top).ok());
}

}  // namespace
}  // namespace cs::pacemaker
