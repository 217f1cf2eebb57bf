#include "state/store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "fakes/cluster_env.h"
#include "fakes/controller_faults.h"
#include "fakes/fleet.h"
#include "fakes/invariants.h"
#include "state/schema.h"
#include "tests/fakes/world_dump.h"
#include "tests/state/open_store.h"
#include "tests/state/temp_dir.h"

namespace cs {
namespace {

using cs::testing::DumpWorld;
using cs::testing::OpenStoreOrFail;
using cs::testing::TempDir;

// How long a write waits for another connection's lock: short, so a test of
// a held lock fails fast.
constexpr int kLockWaitMs = 200;

Result<std::unique_ptr<Store>> TryOpen(const std::string& dir, Store::Mode mode) {
  Store::Options options;
  options.mode = mode;
  options.busy_timeout_ms = kLockWaitMs;
  return Store::Open(dir, options);
}

Status SetupServers(Store& store, int count) {
  FleetSpec spec;
  spec.server_count = count;
  ManualClock clock(WallTime(std::chrono::microseconds(1)));
  return store.Apply([&](World& w) { return SetupFleet(w, spec, clock); });
}

// A failed controller is saved with the targets it stopped, in one
// transaction, and loads as it was saved.
TEST(StoreTest, AFailedControllerAndWhatItStoppedSurviveReopening) {
  TempDir tmp;
  Json before;
  {
    auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs);
    ASSERT_NE(store, nullptr);
    FleetSpec spec;
    spec.server_count = 2;
    spec.cluster_size = 2;
    spec.su_size = 2;
    spec.volume_count = 2;
    ManualClock clock(WallTime(std::chrono::microseconds(1)));
    ASSERT_TRUE(store->Apply([&](World& w) { return SetupFleet(w, spec, clock); }).ok());
    ASSERT_TRUE(store->Apply([](World& w) {
      Cluster* c = w.MutableClusterOf(*w.servers.Find("test000.localdomain"));
      const std::string path = PresentationPath(VolumeSerial(0));
      CS_RETURN_IF_ERROR(c->Configure("test000", path, "fs-OST0000", "u0", true, "/mnt/o"));
      CS_RETURN_IF_ERROR(c->Configure("test001", path, "fs-OST0000", "u0", false, "/mnt/o"));
      return c->Start("fs-OST0000", WorldClusterEnv(w));
    }).ok());
    ASSERT_TRUE(store->Apply([](World& w) { return SetControllerFailed(w, 1, true).status(); }).ok());
    before = DumpWorld(store->world());
  }
  auto reopened = OpenStoreOrFail(tmp.path(), Store::Mode::kReadOnly, kLockWaitMs);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(DumpWorld(reopened->world()), before);
  EXPECT_TRUE(reopened->world().controllers.Find("1")->failed);
  EXPECT_FALSE(reopened->world().clusters.Find("0")->resources.at("fs-OST0000").started_on.has_value());
  EXPECT_TRUE(CheckInvariants(reopened->world()).empty());
}

TEST(StoreTest, MissingStateIsNotFoundUnlessCreating) {
  TempDir tmp;
  auto ro = TryOpen(tmp.Sub("nothing"), Store::Mode::kReadOnly);
  EXPECT_EQ(ro.status().code(), Status::Code::kNotFound);
  EXPECT_NE(ro.status().message().find("cluster-sim setup"), std::string::npos);
  auto rw = TryOpen(tmp.path(), Store::Mode::kOpenExisting);
  EXPECT_EQ(rw.status().code(), Status::Code::kNotFound);
  EXPECT_NE(OpenStoreOrFail(tmp.Sub("new"), Store::Mode::kCreate, kLockWaitMs), nullptr);
}

TEST(StoreTest, CommittedOperationsSurviveReopening) {
  TempDir tmp;
  Json before;
  {
    auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs);
    ASSERT_TRUE(SetupServers(*store, 8).ok());
    ASSERT_TRUE(store->Apply([](World& w) {
      return w.clusters.Mutable("1")->Leave("test005");
    }).ok());
    before = DumpWorld(store->world());
  }
  auto reopened = OpenStoreOrFail(tmp.path(), Store::Mode::kReadOnly, kLockWaitMs);
  EXPECT_EQ(DumpWorld(reopened->world()), before);
  EXPECT_FALSE(reopened->world().clusters.Find("1")->nodes.at("test005").online);
}

TEST(StoreTest, FailedOperationLeavesMemoryAndDiskUnchanged) {
  TempDir tmp;
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs);
  ASSERT_TRUE(SetupServers(*store, 4).ok());
  const Json before = DumpWorld(store->world());
  Status s = store->Apply([](World& w) {
    w.servers.Mutable("test000.localdomain")->lnet_up = true;
    w.volumes.Erase("FAKEDEVICE000");
    return Status::FailedPrecondition("changed my mind");
  });
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(DumpWorld(store->world()), before);
  EXPECT_EQ(DumpWorld(OpenStoreOrFail(tmp.path(), Store::Mode::kReadOnly, kLockWaitMs)->world()), before);
}

// A writer killed in the middle of a commit (after some of its rows were
// written) must leave the previous state, consistent.
TEST(StoreTest, TransactionKilledMidwayLeavesTheOldState) {
  TempDir tmp;
  Json before;
  {
    auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs);
    ASSERT_TRUE(SetupServers(*store, 8).ok());
    before = DumpWorld(store->world());
  }
  for (int kill_after : {1, 5, 20}) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      Store::Options options;
      auto store = Store::Open(tmp.path(), options);
      if (!store.ok()) _exit(3);
      (*store)->SetWriteHookForTesting([kill_after](int written) {
        if (written == kill_after) raise(SIGKILL);
      });
      Status never_returns = SetupServers(**store, 12);  // the hook kills the process inside
      _exit(never_returns.ok() ? 4 : 5);                  // not reached
    }
    int wstatus = 0;
    ASSERT_EQ(waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "child exited with " << WEXITSTATUS(wstatus);
    ASSERT_EQ(WTERMSIG(wstatus), SIGKILL);
    auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting, kLockWaitMs);
    EXPECT_EQ(DumpWorld(store->world()), before) << "killed after " << kill_after << " writes";
    EXPECT_TRUE(CheckInvariants(store->world()).empty());
  }
  // And the state is still usable: the same operation now completes.
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting, kLockWaitMs);
  ASSERT_TRUE(SetupServers(*store, 12).ok());
  EXPECT_EQ(CountFleet(store->world()).server_count, 12);
}

TEST(StoreTest, NewerSchemaIsRefused) {
  TempDir tmp;
  { OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(tmp.Sub(Store::kDatabaseName).c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  for (Store::Mode mode : {Store::Mode::kReadOnly, Store::Mode::kOpenExisting, Store::Mode::kCreate}) {
    auto store = TryOpen(tmp.path(), mode);
    EXPECT_EQ(store.status().code(), Status::Code::kFailedPrecondition);
    EXPECT_NE(store.status().message().find("newer cluster-sim"), std::string::npos);
  }
}

// A state made before HSM coordinators were kept (schema version 1): a
// read-only look refuses it; the first writer (the daemon, a changing
// command) migrates it, keeping every object and adding the table.
TEST(StoreTest, AVersion1StateMigratesAndKeepsItsObjects) {
  TempDir tmp;
  {
    auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs);
    ASSERT_TRUE(SetupServers(*store, 3).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(tmp.Sub(Store::kDatabaseName).c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE hsm_coordinators; PRAGMA user_version = 1", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(TryOpen(tmp.path(), Store::Mode::kReadOnly).status().code(), Status::Code::kFailedPrecondition);
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting, kLockWaitMs);
  EXPECT_EQ(CountFleet(store->world()).server_count, 3);
  ASSERT_TRUE(store->Apply([](World& w) {
    HsmCoordinatorRecord r;
    r.filesystem = "testfs";
    r.enabled = r.running = true;
    w.hsm_coordinators.Put("testfs", r);
    return Status::Ok();
  }).ok());
  auto reopened = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting, kLockWaitMs);
  ASSERT_TRUE(reopened->world().hsm_coordinators.contains("testfs"));
  EXPECT_TRUE(reopened->world().hsm_coordinators.Find("testfs")->running);
}

TEST(StoreTest, CorruptDatabaseIsRefused) {
  TempDir tmp;
  {
    std::ofstream garbage(tmp.Sub(Store::kDatabaseName));
    garbage << std::string(4096, 'x');
  }
  auto store = TryOpen(tmp.path(), Store::Mode::kOpenExisting);
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption);
  EXPECT_NE(store.status().message().find("not a valid cluster-sim database"), std::string::npos);
}

TEST(StoreTest, InvalidJsonInARowIsCorruptionNamingTheRow) {
  TempDir tmp;
  {
    auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs);
    ASSERT_TRUE(SetupServers(*store, 2).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(tmp.Sub(Store::kDatabaseName).c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE servers SET body = json_set(body, '$.id', 'x') WHERE key = 'test001.localdomain'",
                         nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = TryOpen(tmp.path(), Store::Mode::kReadOnly);
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption);
  EXPECT_NE(store.status().message().find("test001.localdomain"), std::string::npos);
}

TEST(StoreTest, LockedDatabaseIsUnavailableAndNothingIsLost) {
  TempDir tmp;
  Json before;
  {
    auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs);
    ASSERT_TRUE(SetupServers(*store, 4).ok());
    before = DumpWorld(store->world());
  }
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kOpenExisting, kLockWaitMs);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(tmp.Sub(Store::kDatabaseName).c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  Status s = SetupServers(*store, 8);
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  EXPECT_NE(s.message().find("locked by another process"), std::string::npos);
  EXPECT_EQ(DumpWorld(store->world()), before) << "memory rolled back";
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ASSERT_TRUE(SetupServers(*store, 8).ok());
}

TEST(StoreTest, OnlyChangedObjectsAreWritten) {
  TempDir tmp;
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs);
  ASSERT_TRUE(SetupServers(*store, 8).ok());
  int writes = 0;
  store->SetWriteHookForTesting([&](int) { ++writes; });
  ASSERT_TRUE(store->Apply([](World& w) {
    w.servers.Mutable("test001.localdomain")->lnet_loaded = true;
    return Status::Ok();
  }).ok());
  EXPECT_EQ(writes, 1);
}

TEST(StoreTest, ReplaceAllSwapsTheWholeState) {
  TempDir tmp;
  auto store = OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs);
  ASSERT_TRUE(SetupServers(*store, 8).ok());
  World small;
  ManualClock clock(WallTime(std::chrono::microseconds(1)));
  FleetSpec spec;
  spec.server_count = 2;
  ASSERT_TRUE(SetupFleet(small, spec, clock).ok());
  ASSERT_TRUE(store->ReplaceAll(small).ok());
  EXPECT_EQ(DumpWorld(store->world()), DumpWorld(small));
  EXPECT_EQ(DumpWorld(OpenStoreOrFail(tmp.path(), Store::Mode::kReadOnly, kLockWaitMs)->world()), DumpWorld(small));
}

TEST(StoreTest, SchemaVersionIsRecorded) {
  TempDir tmp;
  { OpenStoreOrFail(tmp.path(), Store::Mode::kCreate, kLockWaitMs); }
  auto db = SqliteDb::Open(tmp.Sub(Store::kDatabaseName), SqliteDb::Mode::kReadOnly, 100);
  ASSERT_TRUE(db.ok());
  auto version = ReadSchemaVersion(**db);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, CurrentSchemaVersion());
  EXPECT_GE(CurrentSchemaVersion(), 1);
}

}  // namespace
}  // namespace cs
