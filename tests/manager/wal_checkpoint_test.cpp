// The manager store's checkpoints run on a thread of their own: a writer
// (an io thread answering an agent, under the store's lock) never waits for
// a checkpoint's fsync, and the WAL still restarts. A VFS wrapped around
// SQLite's own makes every fsync of a main database file slow; in WAL mode
// only a checkpoint fsyncs the database, so a write that waited for one
// takes at least that long. With SQLite's automatic checkpoint (which runs
// inside the COMMIT that makes it due) one write in each 1,000 frames did.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "manager/manager_store.h"
#include "tests/manager/manager_test_util.h"

namespace cs::manager::testing {
namespace {

using Clock = std::chrono::steady_clock;

// SQLite's default VFS with a delay in xSync of main database files.
class SlowSyncVfs {
 public:
  explicit SlowSyncVfs(std::chrono::milliseconds delay) {
    real_ = sqlite3_vfs_find(nullptr);
    delay_ms_ = static_cast<int>(delay.count());
    syncs_ = 0;
    vfs_ = *real_;
    vfs_.zName = "cs-slow-sync";
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
    vfs_.pAppData = nullptr;
    vfs_.xOpen = &Open;
    vfs_.xDelete = [](sqlite3_vfs*, const char* name, int dir) { return real_->xDelete(real_, name, dir); };
    vfs_.xAccess = [](sqlite3_vfs*, const char* name, int flags, int* out) {
      return real_->xAccess(real_, name, flags, out);
    };
    vfs_.xFullPathname = [](sqlite3_vfs*, const char* name, int n, char* out) {
      return real_->xFullPathname(real_, name, n, out);
    };
    sqlite3_vfs_register(&vfs_, /*makeDflt=*/1);
  }
  ~SlowSyncVfs() {
    sqlite3_vfs_register(real_, 1);
    sqlite3_vfs_unregister(&vfs_);
  }
  static int syncs() { return syncs_.load(); }

 private:
  struct File {
    sqlite3_file base;
    sqlite3_file* real;
    bool main_db;
  };
  static sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

  static int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    File* f = reinterpret_cast<File*>(file);
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    f->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    const int rc = real_->xOpen(real_, name, f->real, flags, out_flags);
    f->base.pMethods = f->real->pMethods ? &kMethods : nullptr;
    return rc;
  }
  static int Sync(sqlite3_file* file, int flags) {
    const File* f = reinterpret_cast<File*>(file);
    if (f->main_db) {
      ++syncs_;
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));
    }
    return f->real->pMethods->xSync(f->real, flags);
  }

  static constexpr sqlite3_io_methods kMethods = {
      3,
      [](sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); },
      [](sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return Real(f)->pMethods->xRead(Real(f), b, n, o); },
      [](sqlite3_file* f, const void* b, int n, sqlite3_int64 o) { return Real(f)->pMethods->xWrite(Real(f), b, n, o); },
      [](sqlite3_file* f, sqlite3_int64 size) { return Real(f)->pMethods->xTruncate(Real(f), size); },
      &Sync,
      [](sqlite3_file* f, sqlite3_int64* size) { return Real(f)->pMethods->xFileSize(Real(f), size); },
      [](sqlite3_file* f, int lock) { return Real(f)->pMethods->xLock(Real(f), lock); },
      [](sqlite3_file* f, int lock) { return Real(f)->pMethods->xUnlock(Real(f), lock); },
      [](sqlite3_file* f, int* out) { return Real(f)->pMethods->xCheckReservedLock(Real(f), out); },
      [](sqlite3_file* f, int op, void* arg) { return Real(f)->pMethods->xFileControl(Real(f), op, arg); },
      [](sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); },
      [](sqlite3_file* f) { return Real(f)->pMethods->xDeviceCharacteristics(Real(f)); },
      [](sqlite3_file* f, int region, int size, int extend, void volatile** out) {
        return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
      },
      [](sqlite3_file* f, int offset, int n, int flags) { return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags); },
      [](sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); },
      [](sqlite3_file* f, int remove) { return Real(f)->pMethods->xShmUnmap(Real(f), remove); },
      [](sqlite3_file* f, sqlite3_int64 o, int n, void** p) { return Real(f)->pMethods->xFetch(Real(f), o, n, p); },
      [](sqlite3_file* f, sqlite3_int64 o, void* p) { return Real(f)->pMethods->xUnfetch(Real(f), o, p); },
  };

  static inline sqlite3_vfs* real_ = nullptr;
  static inline std::atomic<int> delay_ms_{0};
  static inline std::atomic<int> syncs_{0};
  sqlite3_vfs vfs_{};
};

constexpr auto kSlowSync = std::chrono::milliseconds(500);

TEST(WalCheckpointTest, AWriterNeverWaitsForACheckpointsFsync) {
  const std::string path = MakeTempDir() + ".db";
  SlowSyncVfs vfs(kSlowSync);
  // A checkpoint due every 100 frames (about 50 writes), never forced here.
  auto store = ManagerStore::Open(path, WalCheckpointer::Limits{100, 1 << 20});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::string pad(3000, 'x');
  auto write = [&, n = 0]() mutable {
    const auto begin = Clock::now();
    EXPECT_TRUE((*store)->PutRecord("command", 1 + n % 64, Json{{"n", n}, {"pad", pad}}).ok());
    ++n;
    return Clock::now() - begin;
  };
  // Writes at an agent's pace, one every 2 ms, for at least 200 writes and
  // until a checkpoint has completed (bounded: 2,000 writes), so that many
  // of them come while a checkpoint fsyncs. On a quiet machine 200 writes
  // end before the first checkpoint's 500 ms fsync does.
  Clock::duration slowest{};
  for (int i = 0; i < 2000 && (i < 200 || (*store)->wal_stats().checkpoints == 0); ++i) {
    slowest = std::max(slowest, write());
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  WalCheckpointer::Stats stats = (*store)->wal_stats();
  EXPECT_GE(stats.checkpoints, 1);
  EXPECT_EQ(stats.forced, 0);
  // A writer that waited for a checkpoint took 500 ms; on a loaded machine
  // a write alone can take tens.
  EXPECT_LT(slowest, kSlowSync / 2)
      << "slowest write: " << std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count() << " ms";
  // Once the writer pauses, a checkpoint completes, and the next write
  // begins the WAL again from its start.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!(stats = (*store)->wal_stats()).caught_up && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(stats.caught_up) << stats.checkpoints << " checkpoints, " << stats.frames << " frames";
  EXPECT_GE(SlowSyncVfs::syncs(), 1);  // the checkpoints did fsync the database
  write();
  stats = (*store)->wal_stats();
  EXPECT_EQ(stats.restarts, 1);
  EXPECT_LT(stats.frames, 10);
}

// A writer that never pauses for as long as a checkpoint takes overtakes
// every checkpoint; the WAL would never restart. At `forced_frames` one
// the writer checkpoints in its own COMMIT, so the WAL stays bounded.
TEST(WalCheckpointTest, AWriterThatNeverPausesStillGetsABoundedWal) {
  const std::string path = MakeTempDir() + ".db";
  SlowSyncVfs vfs(std::chrono::milliseconds(20));
  auto store = ManagerStore::Open(path, WalCheckpointer::Limits{100, 400});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::string pad(3000, 'x');
  int64_t largest = 0;
  for (int i = 0; i < 2000; ++i) {
    ASSERT_TRUE((*store)->PutRecord("command", 1 + i % 64, Json{{"n", i}, {"pad", pad}}).ok());
    if (i % 50 == 0) largest = std::max(largest, WalBytes(path));
  }
  const WalCheckpointer::Stats stats = (*store)->wal_stats();
  EXPECT_GE(stats.forced, 1);
  EXPECT_GE(stats.restarts, 1);
  // 400 frames of 4 KiB and what piles up while a checkpoint of the
  // thread's (20 ms of fsync here) keeps the writer's from running; a WAL
  // that never restarts reaches about 40 MiB with these writes.
  EXPECT_LT(largest, int64_t{16} << 20) << "the WAL grew to " << largest << " bytes";
}

}  // namespace
}  // namespace cs::manager::testing
