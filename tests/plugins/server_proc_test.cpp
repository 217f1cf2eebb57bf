// ReadServerProc: conf params, defaults, and clear errors.
#include "fakes/server_proc.h"

#include "tests/plugins/plugin_test_util.h"

namespace cs {
namespace {

class ServerProcTest : public PluginTest {
 protected:
  void SetUp() override {
    SetupWorld(Fleet(4, 0, 4));
    AddTarget("FAKEDEVICE001", "testfs-MDT0000", "test000", "test001", "mgs@tcp0");
    AddTarget("FAKEDEVICE002", "testfs-OST0000", "test001", "test000", "mgs@tcp0");
    ASSERT_TRUE(ClusterOf("test000").Start("testfs-MDT0000_FAKEDEVICE001").ok());
    ASSERT_TRUE(ClusterOf("test000").Start("testfs-OST0000_FAKEDEVICE002").ok());
    world.mgts.Put("mgs@tcp0", Mgt{});
  }
  Result<std::string> Read(const std::string& node, const std::string& path) {
    return ReadServerProc(world, ServerNamed(node), path);
  }
  void Set(const std::string& key, const std::string& value) {
    world.mgts.Mutable("mgs@tcp0")->conf_params[key] = value;
  }
};

TEST_F(ServerProcTest, TargetsStartedOnFollowsTheCluster) {
  auto on0 = TargetsStartedOn(world, ServerNamed("test000"));
  ASSERT_EQ(on0.size(), 1u);
  EXPECT_EQ(on0[0].target->label, "testfs-MDT0000");
  EXPECT_EQ(on0[0].path, PresentationPath("FAKEDEVICE001"));
  ASSERT_TRUE(ClusterOf("test000").Failover("testfs-MDT0000_FAKEDEVICE001").ok());
  EXPECT_TRUE(TargetsStartedOn(world, ServerNamed("test000")).empty());
  EXPECT_EQ(TargetsStartedOn(world, ServerNamed("test001")).size(), 2u);
}

TEST_F(ServerProcTest, DefaultsWhenNothingIsSet) {
  EXPECT_EQ(*Read("test000", "/proc/fs/lustre/lov/testfs-MDT0000-mdtlov/stripesize"), "1");
  EXPECT_EQ(*Read("test000", "/proc/fs/lustre/mdt/testfs-MDT0000/hsm_control"), "disabled");
  EXPECT_EQ(*Read("test001", "/proc/fs/lustre/obdfilter/testfs-OST0000/writethrough_cache_enable"),
            "16");
  EXPECT_EQ(*Read("test001", "/proc/fs/lustre/obdfilter/testfs-OST0000/sync_journal"), "0");
}

TEST_F(ServerProcTest, ConfParamsWinOverDefaults) {
  Set("testfs-MDT0000.lov.stripesize", "2097152");
  Set("testfs-MDT0000.mdt.hsm_control", "enabled");
  Set("testfs-OST0000.ost.sync_journal", "1");
  EXPECT_EQ(*Read("test000", "/proc/fs/lustre/lov/testfs-MDT0000-mdtlov/stripesize"), "2097152");
  EXPECT_EQ(*Read("test000", "/proc/fs/lustre/mdt/testfs-MDT0000/hsm_control"), "enabled");
  EXPECT_EQ(*Read("test001", "/proc/fs/lustre/obdfilter/testfs-OST0000/sync_journal"), "1");
}

TEST_F(ServerProcTest, TargetNotStartedHereIsAnError) {
  Result<std::string> r = Read("test001", "/proc/fs/lustre/mdt/testfs-MDT0000/hsm_control");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("testfs-MDT0000 is not started here"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("[testfs-OST0000]"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(Read("test002", "/proc/fs/lustre/obdfilter/testfs-OST0000/sync_journal").ok());
}

TEST_F(ServerProcTest, UnknownPathsAndParamsAreErrors) {
  auto other = Read("test000", "/proc/fs/lustre/osc/testfs-OST0000-osc/max_dirty_mb");
  EXPECT_EQ(other.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Read("test000", "/proc/meminfo").status().code(), Status::Code::kInvalidArgument);
  auto unset = Read("test000", "/proc/fs/lustre/mdt/testfs-MDT0000/identity_upcall");
  EXPECT_EQ(unset.status().code(), Status::Code::kNotFound);
  Set("testfs-MDT0000.mdt.identity_upcall", "NONE");
  EXPECT_EQ(*Read("test000", "/proc/fs/lustre/mdt/testfs-MDT0000/identity_upcall"), "NONE");
}

}  // namespace
}  // namespace cs
