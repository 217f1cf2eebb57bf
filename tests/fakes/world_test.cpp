#include "fakes/world.h"

#include <gtest/gtest.h>

namespace cs {
namespace {

TEST(WorldTest, MutableAccessRecordsChangesAndConstAccessDoesNot) {
  World w;
  w.servers.Put("a", MakeServer(0, 1, false));
  auto changes = w.TakeChanges();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes.begin()->kind, Kind::kServer);
  EXPECT_EQ(changes.begin()->key, "a");
  ASSERT_NE(w.servers.Find("a"), nullptr);
  EXPECT_FALSE(w.HasChanges());
  w.servers.Mutable("a")->lnet_up = true;
  EXPECT_TRUE(w.HasChanges());
  w.TakeChanges();
  EXPECT_EQ(w.servers.Mutable("missing"), nullptr);
  EXPECT_FALSE(w.HasChanges());
  w.servers.Erase("a");
  EXPECT_TRUE(w.Serialize(*w.TakeChanges().begin()).is_null()) << "an erased object serialises as null";
}

TEST(WorldTest, SerializeDeserializeEveryKind) {
  World w;
  w.mutable_settings().cluster_size = 7;
  w.servers.Put("s", MakeServer(1, 1, false));
  w.clusters.Put("0", Cluster{});
  w.volumes.Put("V", Volume{"V", "V", "0:0", 1, std::nullopt, std::nullopt, "ext4"});
  w.presentations.Put("s", Presentations{{"/p", "V"}});
  w.targets.Put("V", LustreTarget{});
  w.mgts.Put("m", Mgt{});
  w.pdus.Put("p", Pdu{});
  w.controllers.Put("1", Controller{});
  w.clients.Put("c", LustreClient{"c", {}});
  World copy;
  for (const ObjectRef& ref : w.TakeChanges()) {
    ASSERT_TRUE(copy.Deserialize(ref.kind, ref.key, w.Serialize(ref)).ok()) << KindName(ref.kind);
  }
  EXPECT_FALSE(copy.HasChanges()) << "loading records no change";
  EXPECT_EQ(copy.settings().cluster_size, 7);
  EXPECT_EQ(copy.volumes.Find("V")->local_filesystem, "ext4");
  EXPECT_EQ(copy.presentations.Find("s")->at("/p"), "V");
  EXPECT_EQ(copy.clients.size(), 1u);
}

TEST(WorldTest, BadJsonIsCorruptionNamingTheObject) {
  World w;
  Status s = w.Deserialize(Kind::kServer, "test000", Json{{"id", "not a number"}});
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("servers 'test000'"), std::string::npos);
}

TEST(WorldTest, HasPowerNeedsOneOutletOn) {
  World w;
  Server s = MakeServer(0, 1, false);
  s.outlet = "1";
  w.pdus.Put("a", Pdu{"a", kPduAddress, 2300, "x", {{"1", false}}, std::nullopt});
  w.pdus.Put("b", Pdu{"b", kPduAddress, 2301, "x", {{"1", true}}, std::nullopt});
  EXPECT_TRUE(w.HasPower(s));
  w.pdus.Mutable("b")->outlets["1"] = false;
  EXPECT_FALSE(w.HasPower(s));
  Server worker = MakeServer(0, 1, true);
  EXPECT_TRUE(w.HasPower(worker)) << "workers have no PSUs on our PDUs";
}

}  // namespace
}  // namespace cs
