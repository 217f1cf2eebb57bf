#include "fakes/fleet.h"

#include <gtest/gtest.h>

#include "fakes/invariants.h"

namespace cs {
namespace {

WallTime Epoch() { return WallTime(std::chrono::microseconds(1700000000000000LL)); }

class FleetTest : public ::testing::Test {
 protected:
  Status Setup(FleetSpec spec) { return SetupFleet(world, spec, clock); }
  void ExpectConsistent() {
    auto violations = CheckInvariants(world);
    EXPECT_TRUE(violations.empty()) << violations.front();
  }
  World world;
  ManualClock clock{Epoch()};
};

TEST_F(FleetTest, DefaultsMatchTheOriginal) {
  ASSERT_TRUE(Setup({}).ok());
  FleetCounts c = CountFleet(world);
  EXPECT_EQ(c.server_count, 8);
  EXPECT_EQ(c.worker_count, 1);
  EXPECT_EQ(c.volume_count, 16);
  EXPECT_EQ(c.nid_count, 1);
  EXPECT_EQ(c.cluster_size, 4);
  EXPECT_EQ(c.psu_count, 1);
  EXPECT_EQ(c.su_size, 0);
  const Server* s3 = world.servers.Find("test003.localdomain");
  ASSERT_NE(s3, nullptr);
  EXPECT_EQ(s3->nodename, "test003");
  EXPECT_EQ(s3->Nids(), std::vector<std::string>{"10.0.0.3@tcp0"});
  EXPECT_EQ(s3->outlet, "4");
  EXPECT_EQ(world.ClusterIdOf(*s3), 0);
  EXPECT_EQ(s3->boot_time, FormatAgentTime(Epoch()));
  EXPECT_TRUE(s3->packages.count("chroma-agent"));
  const Server* w = world.servers.Find("worker000.localdomain");
  ASSERT_NE(w, nullptr);
  EXPECT_TRUE(w->worker);
  EXPECT_EQ(w->outlet, std::nullopt);
  EXPECT_EQ(world.presentations.Find(w->fqdn), nullptr);
  const Volume* v = world.volumes.Find("FAKEDEVICE015");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->serial_83, "FAKEDEVICE015");
  EXPECT_EQ(v->size, 32LL << 40);
  const Presentations* p = world.presentations.Find("test007.localdomain");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->size(), 16u);
  EXPECT_EQ(p->at("/dev/disk/by-id/scsi-FAKEDEVICE000-scsi0-0-0"), "FAKEDEVICE000");
  ASSERT_EQ(world.pdus.size(), 1u);
  const Pdu* pdu = world.pdus.Find("pdu000");
  EXPECT_EQ(pdu->port, 2300);
  EXPECT_EQ(pdu->outlets.size(), 8u);
  EXPECT_EQ(world.clusters.size(), 2u);
  EXPECT_EQ(world.clusters.Find("1")->nodes.size(), 4u);
  EXPECT_EQ(world.settings().packages, DefaultPackageInventory());
  ExpectConsistent();
}

TEST_F(FleetTest, NidsAlternateTcpAndO2ib) {
  FleetSpec spec;
  spec.server_count = 300;
  spec.nid_count = 3;
  spec.volume_count = 2;
  ASSERT_TRUE(Setup(spec).ok());
  const Server* s = world.servers.Find("test257.localdomain");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->Nids(), (std::vector<std::string>{"10.0.1.1@tcp0", "10.1.1.1@o2ib1", "10.2.1.1@tcp2"}));
}

TEST_F(FleetTest, ScalableUnitsPresentVolumesOnlyInsideTheirUnit) {
  FleetSpec spec;
  spec.server_count = 16;
  spec.su_size = 4;
  ASSERT_TRUE(Setup(spec).ok());
  EXPECT_EQ(world.controllers.size(), 4u);
  EXPECT_EQ(world.volumes.size(), 32u);
  for (const auto& [id, c] : world.controllers.all()) {
    EXPECT_EQ(c.luns.size(), 8u);
    EXPECT_EQ(c.disks.size(), 80u);
  }
  // Servers 4..7 form SU 2 and see FAKEDEVICE008..015 only.
  for (int i = 4; i < 8; ++i) {
    const Presentations* p = world.presentations.Find(FqdnOf(ServerNodename(i)));
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(p->size(), 8u);
    for (const auto& [path, serial] : *p) {
      int k = std::stoi(serial.substr(10));
      EXPECT_GE(k, 8);
      EXPECT_LT(k, 16);
    }
  }
  EXPECT_EQ(CountFleet(world).su_size, 4);
  ExpectConsistent();
}

TEST_F(FleetTest, SetupIsIdempotent) {
  ASSERT_TRUE(Setup({}).ok());
  world.TakeChanges();
  ASSERT_TRUE(Setup({}).ok());
  for (const ObjectRef& ref : world.TakeChanges()) {
    EXPECT_EQ(ref.kind, Kind::kSettings) << KindName(ref.kind) << " " << ref.key << " changed";
  }
  EXPECT_EQ(CountFleet(world).server_count, 8);
}

TEST_F(FleetTest, SetupExtendsSanFleet) {
  ASSERT_TRUE(Setup({}).ok());
  FleetSpec more;
  more.server_count = 12;
  ASSERT_TRUE(Setup(more).ok());
  EXPECT_EQ(CountFleet(world).server_count, 12);
  EXPECT_EQ(CountFleet(world).volume_count, 24);
  EXPECT_EQ(world.presentations.Find("test000.localdomain")->size(), 24u);
  EXPECT_EQ(world.presentations.Find("test011.localdomain")->size(), 24u);
  EXPECT_EQ(world.servers.Find("test011.localdomain")->outlet, "12");
  EXPECT_EQ(world.clusters.size(), 3u);
  ExpectConsistent();
}

TEST_F(FleetTest, SetupExtendsSuFleetKeepingSuSize) {
  FleetSpec spec;
  spec.server_count = 8;
  spec.su_size = 4;
  ASSERT_TRUE(Setup(spec).ok());
  FleetSpec more;
  more.server_count = 12;
  ASSERT_TRUE(Setup(more).ok());
  EXPECT_EQ(world.controllers.size(), 3u);
  EXPECT_EQ(CountFleet(world).volume_count, 24);
  ExpectConsistent();
}

TEST_F(FleetTest, AddingPdusGivesEveryServerAnOutlet) {
  ASSERT_TRUE(Setup({}).ok());
  FleetSpec more;
  more.psu_count = 2;
  ASSERT_TRUE(Setup(more).ok());
  ASSERT_EQ(world.pdus.size(), 2u);
  EXPECT_EQ(world.pdus.Find("pdu001")->port, 2301);
  EXPECT_EQ(world.pdus.Find("pdu001")->outlets.size(), 8u);
  ExpectConsistent();
}

struct BadSpec {
  const char* name;
  FleetSpec spec;
  const char* message_part;
};

TEST_F(FleetTest, BadSpecsAreRefusedBeforeAnyChange) {
  std::vector<BadSpec> cases;
  {
    FleetSpec s;
    s.server_count = 10;
    s.su_size = 4;
    cases.push_back({"su_size not dividing", s, "not a multiple of su_size"});
  }
  {
    FleetSpec s;
    s.server_count = 8;
    s.su_size = 4;
    s.volume_count = 7;
    cases.push_back({"volumes not a multiple of SUs", s, "not a multiple of the 2 scalable units"});
  }
  {
    FleetSpec s;
    s.server_count = -1;
    cases.push_back({"negative", s, "server_count must be between"});
  }
  {
    FleetSpec s;
    s.nid_count = 0;
    cases.push_back({"no nids", s, "nid_count must be between"});
  }
  for (const auto& c : cases) {
    World fresh;
    Status s = SetupFleet(fresh, c.spec, clock);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.name;
    EXPECT_NE(s.message().find(c.message_part), std::string::npos) << c.name << ": " << s.message();
    EXPECT_FALSE(fresh.HasChanges()) << c.name;
  }
}

TEST_F(FleetTest, ShrinkingAndChangingShapeAreRefused) {
  ASSERT_TRUE(Setup({}).ok());
  world.TakeChanges();
  FleetSpec fewer;
  fewer.server_count = 4;
  EXPECT_EQ(Setup(fewer).code(), Status::Code::kFailedPrecondition);
  FleetSpec other_size;
  other_size.cluster_size = 2;
  EXPECT_EQ(Setup(other_size).code(), Status::Code::kFailedPrecondition);
  FleetSpec other_su;
  other_su.su_size = 4;
  EXPECT_EQ(Setup(other_su).code(), Status::Code::kFailedPrecondition);
  FleetSpec other_nids;
  other_nids.nid_count = 2;
  EXPECT_EQ(Setup(other_nids).code(), Status::Code::kFailedPrecondition);
  EXPECT_FALSE(world.HasChanges());
}

TEST_F(FleetTest, AddServerAddSuAndRemoveServer) {
  ASSERT_TRUE(Setup({}).ok());
  Result<std::string> added = AddServer(world, 1, clock);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, "test008.localdomain");
  EXPECT_EQ(world.presentations.Find(*added)->size(), 16u);
  ASSERT_TRUE(RemoveServer(world, "test003.localdomain").ok());
  EXPECT_FALSE(world.servers.contains("test003.localdomain"));
  EXPECT_FALSE(world.clusters.Find("0")->nodes.count("test003"));
  Result<std::string> again = AddServer(world, 1, clock);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(world.servers.Find(*again)->outlet, "4") << "the freed outlet is reused";
  EXPECT_EQ(RemoveServer(world, "nope").code(), Status::Code::kNotFound);
  ExpectConsistent();

  World su_world;
  Result<SuInfo> su = AddSu(su_world, 2, 4, 1, clock);
  ASSERT_TRUE(su.ok());
  EXPECT_EQ(su->controller_id, 1);
  EXPECT_EQ(su->fqdns.size(), 2u);
  EXPECT_EQ(su->serials.size(), 4u);
  Result<SuInfo> su2 = AddSu(su_world, 2, 4, 1, clock);
  ASSERT_TRUE(su2.ok());
  EXPECT_EQ(su2->controller_id, 2);
  EXPECT_EQ(su2->serials.front(), "FAKEDEVICE004");
}

TEST_F(FleetTest, ControllerWwidsAreRepeatableFromTheSeed) {
  FleetSpec spec;
  spec.server_count = 4;
  spec.su_size = 2;
  spec.seed = 99;
  World a, b;
  ASSERT_TRUE(SetupFleet(a, spec, clock).ok());
  ASSERT_TRUE(SetupFleet(b, spec, clock).ok());
  EXPECT_EQ(a.controllers.all(), b.controllers.all());
  spec.seed = 100;
  World c;
  ASSERT_TRUE(SetupFleet(c, spec, clock).ok());
  EXPECT_NE(a.controllers.all(), c.controllers.all());
}

// Shards behind one manager: every name that reaches the manager (fqdn,
// nodename, NIDs, PDU, volume serial) differs between two shards.
TEST_F(FleetTest, NamePrefixAndOffsetMakeShardNamesUnique) {
  FleetSpec spec;
  spec.server_count = 4;
  spec.name_prefix = "w1-";
  spec.name_offset = 1000;
  ASSERT_TRUE(Setup(spec).ok());
  const Server* s = world.servers.Find("w1-test1001.localdomain");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->nodename, "w1-test1001");
  EXPECT_EQ(s->Nids(), std::vector<std::string>{"10.0.3.233@tcp0"});
  EXPECT_EQ(s->outlet, "2");  // outlets are per PDU, and the PDU is the shard's own
  EXPECT_NE(world.servers.Find("w1-worker1000.localdomain"), nullptr);
  ASSERT_NE(world.pdus.Find("w1-pdu000"), nullptr);
  EXPECT_EQ(world.pdus.Find("w1-pdu000")->port, 2300);
  EXPECT_TRUE(world.volumes.contains("w1-FAKEDEVICE000"));
  ExpectConsistent();

  // Servers added later (the control API's add_server) continue the scheme.
  auto added = AddServer(world, 1, clock);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, "w1-test1004.localdomain");

  // Extending keeps the names; changing them is refused and changes nothing.
  FleetSpec more;
  more.server_count = 8;
  ASSERT_TRUE(Setup(more).ok());
  EXPECT_NE(world.servers.Find("w1-test1007.localdomain"), nullptr);
  FleetSpec rename;
  rename.name_prefix = "w2-";
  EXPECT_EQ(Setup(rename).code(), Status::Code::kFailedPrecondition);
  FleetSpec renumber;
  renumber.name_offset = 0;
  EXPECT_EQ(Setup(renumber).code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(world.settings().name_prefix, "w1-");
}

TEST_F(FleetTest, BadNamePrefixOrOffsetIsRefused) {
  for (const char* prefix : {"-a", "UPPER", "a.b", "a_b", "0123456789012345678901234567890123"}) {
    FleetSpec spec;
    spec.name_prefix = prefix;
    EXPECT_EQ(Setup(spec).code(), Status::Code::kInvalidArgument) << prefix;
  }
  FleetSpec negative;
  negative.name_offset = -1;
  EXPECT_EQ(Setup(negative).code(), Status::Code::kInvalidArgument);
  FleetSpec overflow;  // addresses would repeat past 65535
  overflow.name_offset = 65530;
  overflow.server_count = 8;
  EXPECT_EQ(Setup(overflow).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(world.servers.size(), 0u);
}

}  // namespace
}  // namespace cs
