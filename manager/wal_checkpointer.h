// WalCheckpointer: checkpoints one SQLite database in WAL mode from a
// thread and a connection of its own, so that the writer never waits for a
// checkpoint's fsyncs. SQLite's automatic checkpoint runs at the end of the
// writing connection's COMMIT; the manager commits on its io threads under
// the store's lock, so every message waiting for that lock waited for two
// fsyncs (the WAL's and the database's) whenever a checkpoint came due
// (docs/performance.md: 3 % of the io threads' off-CPU time at 2,000 hosts).
//
// How (the design state/ found the traps of: docs/performance.md, "Group
// commit"): the writer's automatic checkpoint is off; a WAL hook on the
// writer (it runs inside its COMMIT) notes the WAL's size and wakes the
// thread once `checkpoint_frames` are there. The thread runs a PASSIVE
// checkpoint, taking no lock of the writer's: it never waits for the
// writer, and the writer never waits for it. A WAL restarts (writes from
// its beginning again) only in a write transaction begun after a complete
// checkpoint, so a checkpoint that a commit overtook is run again at the
// next commit (it copies only the frames added since, and chases the
// writer until one completes between two transactions). The bound: when
// the writer never pauses for as long as a checkpoint takes and the WAL
// reaches `forced_frames`, the writer checkpoints in its own COMMIT, as
// SQLite's automatic checkpoint did (that writer waits for the fsyncs;
// counted in `forced`).
//
// The checkpoint connection reads the database once when it opens: until a
// connection has, SQLite does not know the file is in WAL mode and its
// checkpoints do nothing (state/'s "checkpoint trap").
//
// Lock order: the writer's lock (held by whoever commits, so by the WAL
// hook) before mu_; the thread never takes the writer's lock.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "state/sqlite.h"
#include "util/status.h"

namespace cs::manager {

class WalCheckpointer {
 public:
  struct Limits {
    int checkpoint_frames = 1000;  // SQLite's automatic threshold (4 MiB of 4 KiB pages)
    // The writer checkpoints itself from here on (8 MiB). A tight writer can
    // add to that what it writes during one checkpoint of the thread's.
    int forced_frames = 2000;
  };
  struct Stats {
    int64_t checkpoints = 0;  // checkpoints that ran (forced included)
    int64_t complete = 0;     // of those, how many copied every frame
    int64_t forced = 0;       // run by the writer in its COMMIT (the bound)
    int64_t restarts = 0;     // commits that began the WAL again from its start
    int frames = 0;           // frames in the WAL after the last commit
    bool caught_up = false;   // every frame copied, no commit since: the next one restarts the WAL
  };

  // Turns the automatic checkpoint of `writer` (a connection to `path`, in
  // WAL mode, which commits only under `writer_mu`) off and starts the
  // thread. `writer` and `writer_mu` must outlive the checkpointer.
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::string& path, sqlite3* writer,
                                                        std::mutex& writer_mu, Limits limits);
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::string& path, sqlite3* writer,
                                                        std::mutex& writer_mu) {
    return Start(path, writer, writer_mu, Limits());
  }
  // Stops the thread (after the checkpoint it is running, if any) and
  // gives the writer its hook back (none: closing it checkpoints).
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  Stats stats();

 private:
  WalCheckpointer(std::unique_ptr<SqliteDb> db, sqlite3* writer, std::mutex& writer_mu, Limits limits)
      : db_(std::move(db)), writer_(writer), writer_mu_(writer_mu), limits_(limits) {}
  // The writer's WAL hook: inside its COMMIT, under writer_mu_.
  void OnCommit(int frames);
  void Loop();

  std::unique_ptr<SqliteDb> db_;  // the thread's own connection
  sqlite3* writer_;
  std::mutex& writer_mu_;
  const Limits limits_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  int last_frames_ = 0;
  int last_done_ = 0;  // frames the last checkpoint had copied in all
  // The WAL sizes at which the next checkpoint is due, and forced. After a
  // checkpoint a commit overtook, the next is due at the next commit; after
  // one that copied nothing (a reader of another process holds the WAL),
  // or a forced one that could not complete, not before the WAL has grown
  // by as much again.
  int due_at_;
  int forced_at_;
  Stats stats_;
  std::thread thread_;
};

}  // namespace cs::manager
