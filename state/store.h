// Store: the crash-safe home of the simulated world. SQLite (WAL mode) in the
// config directory is the source of truth; the World in memory is its
// working copy. Every logical operation runs through Apply(): the operation
// changes the World, then exactly the objects it changed are written in one
// transaction. If the operation fails, or the write does, the World is
// put back as the last commit left it (only the objects it touched), so
// memory and disk never disagree and a process killed at any instant leaves
// the old state or the new, never a mix.
//
// Group commit: operations that finish together share one transaction and
// one fsync. ApplyAsync() runs the operation at once on the working world
// and writes its rows into the open group transaction; the group is
// COMMITted, made durable with one fsync of the WAL (no lock held), and
// only then is every operation of the group answered. So an answer (an
// ACTION_COMPLETE) never leaves before what it reports is on disk.
//
// Who commits a group (LevelDB's writer queue): when no group is being
// made durable and the last one was a lone operation, the thread whose
// operation opens the group commits it itself, so a lone operation costs
// one fsync and no thread hand-off.
// Operations that arrive while a group is being made durable fill the next
// group, which the store's commit thread takes as soon as the one before
// is answered; a leading thread waits for its own group's fsync only.
//
// Readers that must never wait for a writer (a poll rendering DATA while
// another server's action commits) take Snapshot(): the world as last made
// durable, immutable, published after every group with one atomic swap.
// One snapshot is built per group (at its COMMIT), not per operation, and
// it copies only what the group changed: the changed objects, and the map
// of each kind with a change; every other kind's map is shared with the
// snapshot before. An operation that fails is undone from the working
// world's undo log (World::KeepUndo), not from a snapshot.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fakes/world.h"
#include "state/sqlite.h"
#include "util/status.h"

namespace cs {

class Store {
 public:
  enum class Mode {
    kReadOnly,       // inspect an existing state (status, check, export)
    kOpenExisting,   // change an existing state (run, register)
    kCreate,         // create the directory and database when missing (setup)
  };
  struct Options {
    Mode mode = Mode::kOpenExisting;
    int busy_timeout_ms = 2000;
  };

  static constexpr const char* kDatabaseName = "state.db";

  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const Options& options);
  ~Store();

  // The working world: every applied operation, durable or not yet. Read
  // it under mutex() when other threads may Apply() at the same time.
  const World& world() const { return world_; }
  std::mutex& mutex() { return mu_; }
  // The world as last made durable, without waiting for a writer (only
  // for the leaf lock that guards the pointer's copy): it never changes,
  // and stays valid as long as the pointer is held.
  std::shared_ptr<const World> Snapshot() const;

  // Runs one logical operation and persists what it changed, atomically;
  // returns once that is durable. Blocks the caller for a group's fsync;
  // code on the io threads uses ApplyAsync. Never call it from a `done`.
  Status Apply(const std::function<Status(World&)>& operation);

  // Runs the operation now (under mutex()) and writes what it changed into
  // the open group; `done` gets its outcome once the group is durable (or
  // at once when nothing is waiting for the disk). When no group is being
  // made durable, the calling thread commits the group itself and calls
  // `done` before ApplyAsync returns (one fsync, no hand-off); otherwise
  // `done` runs later on the thread that commits the group (the store's
  // commit thread, or another caller's). Either way it must not block
  // (post the rest elsewhere) and must not call Apply(). An operation that
  // changed nothing still waits for the groups before it, since its answer
  // may rest on them. The operation's own failure undoes only what it did.
  using Done = std::function<void(Status)>;
  void ApplyAsync(const std::function<Status(World&)>& operation, Done done);

  // Replaces the whole stored state with `world`'s (state import), in one
  // transaction.
  Status ReplaceAll(const World& world);

  const std::string& dir() const { return dir_; }

  // Test hook: called after each object written inside a commit, with the
  // count written so far; lets crash tests kill the process mid-transaction.
  void SetWriteHookForTesting(std::function<void(int)> hook) { write_hook_ = std::move(hook); }
  // Test hook, on the commit thread: after a group's COMMIT (before its
  // fsync) and after its fsync (before its answers), with the group's size.
  enum class GroupPoint { kCommitted, kDurable };
  void SetGroupHookForTesting(std::function<void(GroupPoint, size_t)> hook) { group_hook_ = std::move(hook); }
  // Groups made durable so far, and the operations they answered.
  struct GroupStats {
    uint64_t groups = 0, operations = 0, fsyncs = 0, checkpoints = 0;
    // Checkpoints that copied every frame of the WAL into the database, and
    // COMMITs that found the WAL restarted (written again from its start).
    uint64_t complete_checkpoints = 0, wal_restarts = 0;
    // Groups whose BEGIN waited for a checkpoint (their rows were written
    // by the commit thread).
    uint64_t held_back_groups = 0;
    // Groups committed by the thread whose operation opened them (no
    // group was in flight), not handed to the commit thread.
    uint64_t led_groups = 0;
    // Snapshots built (one per group that wrote rows).
    uint64_t snapshots = 0;
  };
  GroupStats group_stats() const;

 private:
  // The operations waiting for one transaction and its fsync.
  struct Group {
    std::vector<std::pair<Done, Status>> answers;  // each operation's own outcome
    std::set<ObjectRef> changed;
    bool transaction_open = false;
    // Rows not yet written: the group's BEGIN was held back for a
    // checkpoint (see CommitLoop); written, from the working world, when
    // the commit thread begins the group's transaction.
    std::set<ObjectRef> deferred;
  };

  Store(std::string dir, std::unique_ptr<SqliteDb> db, bool writable);
  Status Load();
  // Writes one operation's changes into the open group's transaction, as
  // one savepoint (undone alone if a write fails). Under mu_.
  Status WriteIntoGroup(const std::set<ObjectRef>& changes);
  // Whether a new operation's rows must wait for the commit thread to
  // begin the group (a checkpoint is due or running). Under mu_.
  bool BeginHeldBack() const { return checkpoint_due_ || (open_ && !open_->deferred.empty()); }
  // The commit thread, under mu_: begins a held-back group's transaction
  // and writes its rows.
  Status WriteHeldBackGroup(Group& group);
  // Under mu_, after a COMMIT: whether the WAL is large enough for a
  // checkpoint (and whether that COMMIT found it restarted).
  bool CheckpointDue();
  Status WriteObject(const World& world, const ObjectRef& ref);
  // Whether the thread that just queued an answer in open_ commits the
  // group itself: nothing is being made durable or checkpointed, so no one
  // would commit it sooner, and the last group was a lone operation, so
  // none is likely to join it. After a larger group (operations arriving
  // together: a burst, or writers answered together that come back
  // together) the commit thread takes it: the time it takes to wake is
  // what lets the rest of the burst into the same group, where a leader
  // would commit the first alone and the others one fsync later (16
  // writers in bench/commit_bench: 2 fsyncs per round, 20 % fewer
  // operations per second). Under mu_.
  bool CanLead() const {
    return !syncing_ && !checkpoint_due_ && !stopping_ && last_group_operations_ <= 1;
  }
  // COMMITs `group` (taken from open_) under `lock`, makes it durable and
  // answers it without the lock, and returns with the lock held again.
  // Called by the commit thread and by a leading thread; never two at once
  // (syncing_), so groups become durable and are published in order.
  void CommitGroup(std::unique_lock<std::mutex>& lock, std::unique_ptr<Group> group);
  // The commit thread: takes the groups that filled while another was
  // being made durable, and runs the due checkpoints.
  void CommitLoop();
  Status SyncWal();
  void Checkpoint();

  std::string dir_;
  std::unique_ptr<SqliteDb> db_;
  // The commit thread's own connection, for WAL checkpoints (whose fsyncs
  // must not happen under mu_, so the writer's automatic ones are off).
  std::unique_ptr<SqliteDb> checkpointer_;
  World world_;
  std::mutex mu_;
  // Under mu_: the group being filled, whether one is being made durable,
  // the world as of the last COMMIT.
  std::unique_ptr<Group> open_;
  bool syncing_ = false;
  bool stopping_ = false;
  // A checkpoint is due or running on the commit thread: no operation
  // BEGINs a transaction meanwhile. SQLite restarts the WAL (writes it
  // again from its start) only in a transaction whose snapshot began after
  // a complete checkpoint; a BEGIN before the checkpoint would let the WAL
  // grow for as long as operations keep coming.
  bool checkpoint_due_ = false;
  size_t last_group_operations_ = 0;  // under mu_: the last group's answers
  std::shared_ptr<const World> committed_;
  // With mu_: !syncing_ and (open_, checkpoint_due_ or stopping_).
  std::condition_variable group_ready_;
  std::condition_variable idle_;         // with mu_: !open_ && !syncing_ && !checkpoint_due_
  GroupStats stats_;                     // under mu_
  // The snapshot's pointer under its own leaf lock, held only to copy or
  // swap it. Not std::atomic<std::shared_ptr>: GCC 12's load() releases
  // that type's internal lock with a relaxed operation, so a reader's read
  // of the pointer is not ordered before the next store's write (a data
  // race; ThreadSanitizer reported it in the daemons, docs/testing.md "TSan").
  void PublishSnapshot(std::shared_ptr<const World> world);
  mutable std::mutex snapshot_mu_;
  std::shared_ptr<const World> snapshot_;  // under snapshot_mu_
  std::atomic<int> wal_frames_{0};  // frames in the WAL after the last COMMIT
  int checkpoint_at_ = 1000;          // under mu_: frames that call for a checkpoint
  int last_frames_ = 0;               // under mu_: wal_frames_ after the COMMIT before
  std::function<void(int)> write_hook_;
  std::function<void(GroupPoint, size_t)> group_hook_;
  std::thread commit_thread_;
};

}  // namespace cs
