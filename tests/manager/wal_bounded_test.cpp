// The manager's SQLite stores under sustained writes: the WAL restarts
// after each checkpoint instead of growing for as long as the load lasts.
// state/ once had that trap (a checkpoint connection that had never read
// the database checkpointed nothing, and a next BEGIN that always came
// before the checkpoint kept the WAL from restarting:
// GroupCommitTest.UnderSustainedLoadTheWalRestartsAfterEachCheckpoint).
// ManagerStore checkpoints on a thread of its own (manager/wal_checkpointer.h):
// a writer that never pauses, as here, overtakes every checkpoint, and the
// WAL is bounded by the writer's own checkpoint from 2,000 frames on. LogStore
// checkpoints from its writing connection, inside its COMMIT (SQLite's
// automatic checkpoint), so its next transaction always begins after a
// complete checkpoint. These tests keep both so, with readers at work in
// between as the REST API's are.
#include <gtest/gtest.h>

#include "manager/log_store.h"
#include "manager/manager_store.h"
#include "tests/manager/manager_test_util.h"

namespace cs::manager::testing {
namespace {

// About 1,000 frames (4 KiB pages) make a checkpoint due; twice that and a
// margin is what a restarting WAL can reach; for the manager store, whose
// bound under writes that never pause is the writer's own checkpoint from
// 2,000 frames (8 MiB) on, that and what the writer adds while a checkpoint
// of the thread's still runs (28 MiB seen once at load 15, with 4,000). The writes below make a WAL that never
// restarts end at 141 MiB (records) and 49 MiB (journal lines), measured
// with the same writes and wal_autocheckpoint=0.
constexpr int64_t kBoundedWal = 8 << 20;
constexpr int64_t kBoundedManagerWal = 32 << 20;

TEST(WalBoundedTest, TheManagerStoresWalRestartsUnderSustainedWrites) {
  const std::string path = MakeTempDir() + ".db";
  auto store = ManagerStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::string pad(3000, 'x');  // a command record's size
  int64_t largest = 0;
  for (int i = 0; i < 6000; ++i) {
    ASSERT_TRUE((*store)->PutRecord("command", 1 + i % 64, Json{{"n", i}, {"pad", pad}}).ok());
    if (i % 100 == 0) {
      size_t total = 0;
      (void)(*store)->ListRecords("command", 0, 0, &total);  // the REST API's read
      largest = std::max(largest, WalBytes(path));
    }
  }
  largest = std::max(largest, WalBytes(path));
  EXPECT_LT(largest, kBoundedManagerWal) << "the WAL grew to " << largest << " bytes";
  EXPECT_GE((*store)->wal_stats().restarts, 1);
  constexpr int kLast = 6000 - 1;
  EXPECT_EQ((*(*store)->GetRecord("command", 1 + kLast % 64))["n"], kLast);
}

TEST(WalBoundedTest, TheLogStoresWalRestartsWhileApiLogReads) {
  const std::string path = MakeTempDir() + ".db";
  auto store = LogStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Json lines = Json::array();
  for (int n = 0; n < 64; ++n) {
    lines.push_back({{"datetime", "2026-12-01T00:00:00Z"}, {"severity", 6}, {"facility", 3},
                     {"source", "cluster-sim"}, {"message", "a journal line of some length, number " + std::to_string(n)}});
  }
  const Json body = {{"log_lines", lines}};
  int64_t largest = 0;
  for (int i = 0; i < 1200; ++i) {  // about 49 MiB of WAL if it never restarted
    ASSERT_TRUE((*store)->Append("test" + std::to_string(i % 50) + ".localdomain", body).ok());
    if (i % 50 == 0) {
      LogQuery query;  // api/log/'s first page, on the reader connection
      ASSERT_TRUE((*store)->List(query).ok());
      largest = std::max(largest, WalBytes(path));
    }
  }
  largest = std::max(largest, WalBytes(path));
  EXPECT_LT(largest, kBoundedWal) << "the WAL grew to " << largest << " bytes";
}

}  // namespace
}  // namespace cs::manager::testing
