// ManagerStore: what memory holds and what reaches the database. Contact
// times reach it only when flushed (a crash loses at most those); hosts,
// records and the target label index are written at once and survive a
// reopen.
#include <gtest/gtest.h>

#include <malloc.h>

#include <iostream>

#include "manager/cached_record.h"
#include "manager/manager_store.h"
#include "tests/manager/manager_test_util.h"

namespace cs::manager::testing {
namespace {

HostRecord Host(const std::string& name, const std::string& serial) {
  HostRecord h;
  h.fqdn = name + ".localdomain";
  h.nodename = name;
  h.address = h.fqdn;
  h.cert_serial = serial;
  h.profile = "base_managed_rh7";
  h.state = "registered";
  return h;
}

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<ManagerStore> Open() {
    auto store = ManagerStore::Open(path_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::string path_ = MakeTempDir() + ".db";  // <tmp>/state.db
};

TEST_F(StoreTest, ContactTimesReachTheDatabaseOnlyWhenFlushed) {
  auto store = Open();
  ASSERT_TRUE(store->AddHost(Host("test000", "0A")).ok());
  ASSERT_TRUE(store->AddHost(Host("test001", "0B")).ok());
  ASSERT_TRUE(store->SetLastContact("test000.localdomain", "2026-01-01T00:00:01Z").ok());
  EXPECT_EQ(store->HostBySerial("0A")->last_contact, "2026-01-01T00:00:01Z");
  EXPECT_FALSE(store->SetLastContact("nobody.localdomain", "x").ok());

  // What a crash now would leave: the hosts, without the contact time.
  {
    auto crashed = Open();
    EXPECT_EQ(crashed->Hosts().size(), 2u);
    EXPECT_EQ(crashed->HostByFqdn("test000.localdomain")->last_contact, "");
  }
  ASSERT_TRUE(store->SetLastContact("test000.localdomain", "2026-01-01T00:00:02Z").ok());
  ASSERT_TRUE(store->SetLastContact("test001.localdomain", "2026-01-01T00:00:03Z").ok());
  auto flushed = store->FlushContacts();
  ASSERT_TRUE(flushed.ok());
  EXPECT_EQ(*flushed, 2u);
  EXPECT_EQ(*store->FlushContacts(), 0u);  // nothing new
  auto reopened = Open();
  EXPECT_EQ(reopened->HostByFqdn("test000.localdomain")->last_contact, "2026-01-01T00:00:02Z");
  EXPECT_EQ(reopened->HostById(2)->last_contact, "2026-01-01T00:00:03Z");
}

TEST_F(StoreTest, HostChangesAreWrittenAtOnce) {
  auto store = Open();
  ASSERT_TRUE(store->AddHost(Host("test000", "0A")).ok());
  EXPECT_EQ(store->AddHost(Host("test000", "0C")).status().code(), Status::Code::kAlreadyExists);
  ASSERT_TRUE(store->SetHostState("test000.localdomain", "managed").ok());
  ASSERT_TRUE(store->SetHostReachable("test000.localdomain", false).ok());
  ASSERT_TRUE(store->SetBootTime("test000.localdomain", "b1", false, "").ok());
  ASSERT_TRUE(store->SetBootTime("test000.localdomain", "b2", true, "t2").ok());
  auto reopened = Open();
  const HostRecord h = *reopened->HostBySerial("0A");
  EXPECT_EQ(h.state, "managed");
  EXPECT_FALSE(h.reachable);
  EXPECT_EQ(h.boot_time, "b2");
  EXPECT_EQ(h.reboots, 1);
  EXPECT_EQ(h.last_reboot, "t2");
  EXPECT_EQ(reopened->FqdnByNodename("test000"), "test000.localdomain");
  EXPECT_FALSE(reopened->FqdnByNodename("test001").has_value());
}

TEST_F(StoreTest, TargetsAreFoundByTheirLabelAfterEveryChange) {
  auto store = Open();
  auto mgt = store->InsertRecord("target", Json{{"name", "MGS"}, {"ha_label", "MGS_1"}});
  auto ost = store->InsertRecord("target", Json{{"name", "OST0000"}});
  ASSERT_TRUE(mgt.ok() && ost.ok());
  EXPECT_EQ(store->TargetIdByLabel("MGS_1"), *mgt);
  EXPECT_FALSE(store->TargetIdByLabel("OST0000_2").has_value());
  ASSERT_TRUE(store->UpdateRecord("target", *ost, [](Json& t) { t["ha_label"] = "OST0000_2"; }).ok());
  EXPECT_EQ(store->TargetIdByLabel("OST0000_2"), *ost);
  ASSERT_TRUE(store->PutRecord("target", *ost, Json{{"name", "OST0000"}, {"ha_label", "OST0000_3"}}).ok());
  EXPECT_FALSE(store->TargetIdByLabel("OST0000_2").has_value());
  EXPECT_EQ(store->TargetIdByLabel("OST0000_3"), *ost);
  auto reopened = Open();
  EXPECT_EQ(reopened->TargetIdByLabel("OST0000_3"), *ost);
  EXPECT_EQ(reopened->TargetIdByLabel("MGS_1"), *mgt);
  EXPECT_EQ(reopened->GetRecord("target", *ost)->value("ha_label", ""), "OST0000_3");
}

TEST_F(StoreTest, PagesOfHostsAndRecords) {
  auto store = Open();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store->AddHost(Host("test00" + std::to_string(i), "S" + std::to_string(i))).ok());
    ASSERT_TRUE(store->InsertRecord("command", Json{{"n", i}}).ok());
  }
  size_t total = 0;
  auto hosts = store->Hosts(1, 2, &total);
  EXPECT_EQ(total, 5u);
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[0].nodename, "test001");
  EXPECT_EQ(store->Hosts(0, 0, &total).size(), 5u);
  EXPECT_TRUE(store->Hosts(9, 2, &total).empty());
  auto commands = store->ListRecords("command", 3, 10, &total);
  EXPECT_EQ(total, 5u);
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0]["id"], 4);
  EXPECT_TRUE(store->ListRecords("nothing", 0, 0, &total).empty());
  EXPECT_EQ(total, 0u);
}

// A command like a host's set-up: steps with arguments and results.
Json SetUpCommand(int host) {
  Json steps = Json::array();
  for (int i = 0; i < 12; ++i) {
    steps.push_back(Json{{"action", "configure_step_" + std::to_string(i)},
                         {"args", {{"fqdn", "test" + std::to_string(host) + ".localdomain"}, {"ratio", 0.5}, {"n", -i}}},
                         {"state", "complete"},
                         {"result", {{"wrapper_version", 1}, {"result", nullptr}}}});
  }
  return Json{{"message", "Setting up host"}, {"complete", true}, {"errored", false}, {"jobs", steps}};
}

// Commands are kept packed: every read gives back what was written (ints,
// negative ints, floats, nulls, nesting), an unchanged update writes
// nothing, and they survive a reopen.
TEST_F(StoreTest, PackedCommandsReadBackAsWrittenAndSurviveReopening) {
  ASSERT_TRUE(CachedRecord::PackedKind("command"));
  ASSERT_FALSE(CachedRecord::PackedKind("host_facts"));  // compared on every agent report
  auto store = Open();
  Result<int64_t> id = store->InsertRecord("command", SetUpCommand(1));
  ASSERT_TRUE(id.ok());
  Json expected = SetUpCommand(1);
  expected["id"] = *id;
  EXPECT_EQ(store->GetRecord("command", *id), expected);
  EXPECT_EQ(store->GetRecord("command", *id)->dump(), expected.dump());
  ASSERT_TRUE(store->UpdateRecord("command", *id, [](Json& c) { c["jobs"][0]["state"] = "complete"; }).ok());
  ASSERT_TRUE(store->UpdateRecord("command", *id, [](Json& c) { c["cancelled"] = true; }).ok());
  expected["cancelled"] = true;
  ASSERT_TRUE(store->PutRecords("command", {{*id + 1, SetUpCommand(2)}}).ok());
  size_t total = 0;
  EXPECT_EQ(store->ListRecords("command", 0, 1, &total).front(), expected);
  EXPECT_EQ(total, 2u);
  store.reset();
  store = Open();
  EXPECT_EQ(store->GetRecord("command", *id), expected);
  EXPECT_EQ(store->GetRecord("command", *id + 1)->value("jobs", Json())[11]["args"]["n"], -11);
}

size_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

// A packed command holds about its text's size; parsed, it held five times
// that (about 17 KiB for a host's set-up command of 3.4 KB).
TEST_F(StoreTest, APackedCommandHoldsAboutItsTextsSize) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the sanitizers' allocators do not report through mallinfo2";
#endif
  constexpr int kCommands = 200;
  const size_t text = SetUpCommand(1).dump().size();
  const size_t before = HeapInUse();
  std::vector<CachedRecord> packed;
  for (int i = 0; i < kCommands; ++i) packed.emplace_back(SetUpCommand(i), true);
  const size_t packed_each = (HeapInUse() - before) / kCommands;
  const size_t middle = HeapInUse();
  std::vector<CachedRecord> parsed;
  for (int i = 0; i < kCommands; ++i) parsed.emplace_back(SetUpCommand(i), false);
  const size_t parsed_each = (HeapInUse() - middle) / kCommands;
  std::cout << "command of " << text << " bytes of text: " << packed_each << " bytes packed, " << parsed_each
            << " parsed\n";
  EXPECT_LT(packed_each, text + text / 4);
  EXPECT_LT(packed_each * 3, parsed_each);
}

}  // namespace
}  // namespace cs::manager::testing
