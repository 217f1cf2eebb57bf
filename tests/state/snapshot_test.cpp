// The store's snapshots: readers that must never wait for a writer (a poll
// rendering DATA) see the world as last committed, with no wait, even while
// another operation runs or sits inside its fsync'd commit; a published
// snapshot never changes; objects a commit did not touch are shared with
// the snapshot before it; and a failed operation is undone object by
// object, with no reload of the whole world.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "fakes/fleet.h"
#include "state/store.h"
#include "tests/fakes/world_dump.h"
#include "tests/state/open_store.h"
#include "tests/time_scale.h"
#include "tests/state/temp_dir.h"

namespace cs {
namespace {

using cs::testing::DumpWorld;
using cs::testing::TempDir;
constexpr const char* kA = "test000.localdomain";
constexpr const char* kB = "test001.localdomain";

std::unique_ptr<Store> MakeStore(const TempDir& tmp) {
  Store::Options options;
  options.mode = Store::Mode::kCreate;
  auto store = Store::Open(tmp.path(), options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return nullptr;
  FleetSpec spec;
  spec.server_count = 4;
  ManualClock clock(WallTime(std::chrono::microseconds(1)));
  Status s = (*store)->Apply([&](World& w) { return SetupFleet(w, spec, clock); });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(*store);
}

TEST(SnapshotTest, IsTheCommittedWorldAndNeverChangesAfterwards) {
  TempDir tmp;
  auto store = MakeStore(tmp);
  ASSERT_NE(store, nullptr);
  std::shared_ptr<const World> before = store->Snapshot();
  const Json dumped = DumpWorld(*before);
  EXPECT_EQ(dumped, DumpWorld(store->world()));

  ASSERT_TRUE(store->Apply([](World& w) {
    w.servers.Mutable(kA)->lnet_up = true;
    return Status::Ok();
  }).ok());
  EXPECT_EQ(DumpWorld(*before), dumped);  // the old snapshot is untouched
  std::shared_ptr<const World> after = store->Snapshot();
  EXPECT_TRUE(after->servers.Find(kA)->lnet_up);
  EXPECT_EQ(DumpWorld(*after), DumpWorld(store->world()));
  // Publishing copied what changed and shared the rest.
  EXPECT_NE(after->servers.Find(kA), before->servers.Find(kA));
  EXPECT_EQ(after->servers.Find(kB), before->servers.Find(kB));
  // The working world never shares an object with a snapshot.
  EXPECT_NE(store->world().servers.Find(kB), after->servers.Find(kB));
  // A kind the commit did not change is not even copied: its whole map is
  // the one of the snapshot before (a commit costs what it changed, not the
  // size of the world).
  EXPECT_FALSE(after->servers.SharesMapWith(before->servers));
  EXPECT_TRUE(after->volumes.SharesMapWith(before->volumes));
  EXPECT_TRUE(after->presentations.SharesMapWith(before->presentations));
  EXPECT_TRUE(after->clusters.SharesMapWith(before->clusters));
  EXPECT_FALSE(store->world().volumes.SharesMapWith(after->volumes));
  ASSERT_GT(after->volumes.size(), 0u);

  // A later change to a shared kind copies that map alone; the snapshot
  // that shared it keeps its objects.
  ASSERT_TRUE(store->Apply([](World& w) {
    w.volumes.Erase("FAKEDEVICE000");
    return Status::Ok();
  }).ok());
  std::shared_ptr<const World> third = store->Snapshot();
  EXPECT_FALSE(third->volumes.SharesMapWith(after->volumes));
  EXPECT_TRUE(third->servers.SharesMapWith(after->servers));
  EXPECT_EQ(third->volumes.Find("FAKEDEVICE000"), nullptr);
  EXPECT_NE(after->volumes.Find("FAKEDEVICE000"), nullptr);
  EXPECT_NE(before->volumes.Find("FAKEDEVICE000"), nullptr);
  EXPECT_EQ(DumpWorld(*third), DumpWorld(store->world()));
}

TEST(SnapshotTest, ReadersDoNotWaitForACommitInProgress) {
  TempDir tmp;
  auto store = MakeStore(tmp);
  ASSERT_NE(store, nullptr);
  std::promise<void> inside_commit, release;
  std::shared_future<void> released = release.get_future().share();
  store->SetWriteHookForTesting([&, released](int written) {
    if (written != 1) return;
    inside_commit.set_value();
    released.wait_for(cs::testing::Scaled(std::chrono::seconds(60)));  // bounded, should the test fail
  });
  auto writer = std::async(std::launch::async, [&] {
    return store->Apply([](World& w) {
      w.servers.Mutable(kA)->lnet_up = true;
      return Status::Ok();
    });
  });
  ASSERT_EQ(inside_commit.get_future().wait_for(cs::testing::Scaled(std::chrono::seconds(60))), std::future_status::ready);
  // The writer holds the store's mutex inside its transaction; a reader
  // on another thread still gets the committed world at once.
  auto reader = std::async(std::launch::async, [&] { return store->Snapshot()->servers.Find(kA)->lnet_up; });
  // Half the hook's bound: a reader that waited for the commit is still waiting here.
  const bool reader_done = reader.wait_for(cs::testing::Scaled(std::chrono::seconds(30))) == std::future_status::ready;
  release.set_value();
  ASSERT_TRUE(reader_done) << "a snapshot reader waited for a commit";
  EXPECT_FALSE(reader.get());  // not committed yet: the old state
  EXPECT_TRUE(writer.get().ok());
  EXPECT_TRUE(store->Snapshot()->servers.Find(kA)->lnet_up);
}

// Readers on other threads take snapshots while commits publish new ones:
// each snapshot is whole (every commit moves two servers' counters
// together) and none is older than one its reader took before. Under
// ThreadSanitizer this is also the check that taking and publishing a
// snapshot do not race (GCC 12's std::atomic<std::shared_ptr>::load did;
// docs/testing.md, "TSan").
TEST(SnapshotTest, ReadersOnOtherThreadsSeeWholeSnapshotsInOrderWhileCommitsPublish) {
  TempDir tmp;
  auto store = MakeStore(tmp);
  ASSERT_NE(store, nullptr);
  constexpr uint64_t kCommits = 40;
  std::atomic<bool> done{false};
  auto read = [&] {
    uint64_t last = 0;
    for (int taken = 0; taken < 1'000'000 && !done.load(); ++taken) {
      const std::shared_ptr<const World> s = store->Snapshot();
      const uint64_t a = s->servers.Find(kA)->random_actions;
      if (a != s->servers.Find(kB)->random_actions || a < last) return false;
      last = a;
    }
    return true;
  };
  auto reader1 = std::async(std::launch::async, read);
  auto reader2 = std::async(std::launch::async, read);
  for (uint64_t i = 0; i < kCommits; ++i) {
    ASSERT_TRUE(store->Apply([](World& w) {
      ++w.servers.Mutable(kA)->random_actions;
      ++w.servers.Mutable(kB)->random_actions;
      return Status::Ok();
    }).ok());
  }
  done = true;
  EXPECT_TRUE(reader1.get()) << "a reader saw half a commit, or an older snapshot after a newer one";
  EXPECT_TRUE(reader2.get()) << "a reader saw half a commit, or an older snapshot after a newer one";
  EXPECT_EQ(store->Snapshot()->servers.Find(kA)->random_actions, kCommits);
}

TEST(SnapshotTest, FailedOperationIsUndoneWithoutReloadingTheWorld) {
  TempDir tmp;
  auto store = MakeStore(tmp);
  ASSERT_NE(store, nullptr);
  const Json dumped = DumpWorld(store->world());
  // A reload would rebuild every object; an undo leaves untouched ones where they are.
  const Server* untouched = store->world().servers.Find(kB);
  const Server* touched = store->world().servers.Find(kA);
  std::shared_ptr<const World> published = store->Snapshot();
  Status s = store->Apply([](World& w) {
    w.servers.Mutable(kA)->lnet_up = true;
    w.volumes.Erase("FAKEDEVICE000");
    return Status::FailedPrecondition("changed my mind");
  });
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(DumpWorld(store->world()), dumped);
  EXPECT_EQ(store->world().servers.Find(kB), untouched);
  EXPECT_NE(store->world().servers.Find(kA), touched);  // copied back from the last commit
  EXPECT_EQ(store->Snapshot(), published);               // nothing new was published

  // One that changed nothing restores nothing.
  const Server* before = store->world().servers.Find(kA);
  Status nothing = store->Apply([](World&) { return Status::FailedPrecondition("no"); });
  EXPECT_FALSE(nothing.ok());
  EXPECT_EQ(store->world().servers.Find(kA), before);
  EXPECT_EQ(store->Snapshot(), published);
}

// Operations that fill one group share one snapshot, built at its COMMIT;
// one that fails inside the group is undone alone, back to what the
// operations before it in the same group left (the working world's undo
// log, since no snapshot per operation exists to restore from).
TEST(SnapshotTest, OneSnapshotPerGroupAndAFailedOperationInItIsUndoneAlone) {
  TempDir tmp;
  auto store = MakeStore(tmp);
  ASSERT_NE(store, nullptr);
  // The first group's fsync waits (bounded) until the next group is full.
  std::atomic<bool> in_fsync{false}, issued{false};
  store->SetGroupHookForTesting([&](Store::GroupPoint at, size_t) {
    if (at != Store::GroupPoint::kCommitted || issued) return;
    in_fsync = true;
    const auto until = std::chrono::steady_clock::now() + cs::testing::Scaled(std::chrono::seconds(10));
    while (!issued && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  const Store::GroupStats before = store->group_stats();
  std::thread first([&] {
    EXPECT_TRUE(store->Apply([](World& w) {
      w.servers.Mutable(kB)->lnet_up = true;
      return Status::Ok();
    }).ok());
  });
  for (int i = 0; i < 1000 && !in_fsync; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(in_fsync.load());
  std::vector<Status> outcomes(3);
  std::atomic<int> answered{0};
  auto answer = [&](int i) { return [&, i](Status s) { outcomes[i] = s; ++answered; }; };
  store->ApplyAsync([](World& w) {
    w.servers.Mutable(kA)->random_actions = 1;
    return Status::Ok();
  }, answer(0));
  store->ApplyAsync([](World& w) {
    w.servers.Mutable(kA)->random_actions = 2;
    w.volumes.Erase("FAKEDEVICE000");
    w.mutable_settings().startup_seconds = 77;
    return Status::FailedPrecondition("changed my mind");
  }, answer(1));
  store->ApplyAsync([](World& w) {
    w.servers.Mutable(kA)->lnet_up = true;
    return Status::Ok();
  }, answer(2));
  issued = true;
  first.join();
  // Waits for every group before it (it changed nothing: no snapshot).
  ASSERT_TRUE(store->Apply([](World&) { return Status::Ok(); }).ok());
  ASSERT_EQ(answered.load(), 3);
  EXPECT_TRUE(outcomes[0].ok());
  EXPECT_EQ(outcomes[1].code(), Status::Code::kFailedPrecondition);
  EXPECT_TRUE(outcomes[2].ok());
  const Store::GroupStats after = store->group_stats();
  // Two groups wrote rows: the first, and the three issued during its
  // fsync (the last Apply, which changed nothing, may make a third group
  // with no rows). One snapshot each, not one per operation (4).
  EXPECT_EQ(after.snapshots - before.snapshots, 2u);

  std::shared_ptr<const World> snap = store->Snapshot();
  EXPECT_EQ(snap->servers.Find(kA)->random_actions, 1u);
  EXPECT_TRUE(snap->servers.Find(kA)->lnet_up);
  EXPECT_TRUE(snap->servers.Find(kB)->lnet_up);
  EXPECT_NE(snap->volumes.Find("FAKEDEVICE000"), nullptr);
  EXPECT_NE(snap->settings().startup_seconds, 77);
  EXPECT_EQ(DumpWorld(*snap), DumpWorld(store->world()));
  const Json published = DumpWorld(*snap);
  store.reset();
  auto reopened = cs::testing::OpenStoreOrFail(tmp.path(), Store::Mode::kReadOnly);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(DumpWorld(reopened->world()), published);
}

}  // namespace
}  // namespace cs
