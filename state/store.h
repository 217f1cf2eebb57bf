// Store: the crash-safe home of the simulated world. SQLite (WAL mode) in the
// config directory is the source of truth; the World in memory is its
// working copy. Every logical operation runs through Apply(): the operation
// changes the World, then exactly the objects it changed are written in one
// transaction. If the operation fails, or the write does, the World is
// put back as the last commit left it (only the objects it touched), so
// memory and disk never disagree and a process killed at any instant leaves
// the old state or the new, never a mix.
//
// Readers that must never wait for a writer (a poll rendering DATA while
// another server's action commits) take Snapshot(): the world as last
// committed, immutable, published after every commit with one atomic swap.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

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

  // The world as last committed. Read it under lock() when other threads
  // may Apply() at the same time.
  const World& world() const { return world_; }
  std::mutex& mutex() { return mu_; }
  // The world as last committed, without any lock: it never changes, and
  // stays valid as long as the pointer is held.
  std::shared_ptr<const World> Snapshot() const { return snapshot_.load(); }

  // Runs one logical operation and persists what it changed, atomically.
  Status Apply(const std::function<Status(World&)>& operation);

  // Replaces the whole stored state with `world`'s (state import), in one
  // transaction.
  Status ReplaceAll(const World& world);

  const std::string& dir() const { return dir_; }

  // Test hook: called after each object written inside a commit, with the
  // count written so far; lets crash tests kill the process mid-transaction.
  void SetWriteHookForTesting(std::function<void(int)> hook) { write_hook_ = std::move(hook); }

 private:
  Store(std::string dir, std::unique_ptr<SqliteDb> db);
  Status Load();
  // Publishes the working world after a commit of `changed` (all: after Load).
  void Publish(const std::set<ObjectRef>* changed);
  Status Commit(World& world, const std::set<ObjectRef>& changes);
  Status WriteObject(const World& world, const ObjectRef& ref);

  std::string dir_;
  std::unique_ptr<SqliteDb> db_;
  World world_;
  std::mutex mu_;
  std::atomic<std::shared_ptr<const World>> snapshot_;
  std::function<void(int)> write_hook_;
};

}  // namespace cs
