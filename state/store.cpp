#include "state/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>

#include "state/schema.h"

namespace cs {

namespace {

Status EnsureDirectory(const std::string& dir, bool create) {
  struct stat st {};
  if (stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Status::InvalidArgument(dir + " is not a directory");
    return Status::Ok();
  }
  if (!create) {
    return Status::NotFound("no simulator state in " + dir + " (run 'cluster-sim setup' first)");
  }
  if (mkdir(dir.c_str(), 0755) != 0) {
    return Status::IoError("cannot create state directory " + dir + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status CheckWritable(const std::string& dir) {
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    return Status::IoError("state directory " + dir + " is not writable: " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

// WAL frames after which the commit thread checkpoints (SQLite's own
// automatic threshold).
constexpr int kCheckpointFrames = 1000;

Store::Store(std::string dir, std::unique_ptr<SqliteDb> db, bool writable)
    : dir_(std::move(dir)), db_(std::move(db)) {
  world_.KeepUndo();  // a failed operation is undone from it
  if (writable) commit_thread_ = std::thread([this] { CommitLoop(); });
}

Store::~Store() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  group_ready_.notify_all();
  if (commit_thread_.joinable()) commit_thread_.join();  // answers what is left first
}

std::shared_ptr<const World> Store::Snapshot() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_;
}

void Store::PublishSnapshot(std::shared_ptr<const World> world) {
  {
    std::lock_guard<std::mutex> lock(snapshot_mu_);
    snapshot_.swap(world);
  }
  // `world` holds the snapshot before, freed here (if this was its last
  // holder) outside the lock.
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const Options& options) {
  CS_RETURN_IF_ERROR(EnsureDirectory(dir, options.mode == Mode::kCreate));
  const std::string path = dir + "/" + kDatabaseName;
  const bool exists = access(path.c_str(), F_OK) == 0;
  if (options.mode != Mode::kReadOnly) CS_RETURN_IF_ERROR(CheckWritable(dir));
  if (!exists && options.mode != Mode::kCreate) {
    return Status::NotFound("no simulator state in " + dir + " (run 'cluster-sim setup' first)");
  }
  SqliteDb::Mode db_mode = options.mode == Mode::kReadOnly ? SqliteDb::Mode::kReadOnly
                           : options.mode == Mode::kCreate ? SqliteDb::Mode::kCreate
                                                           : SqliteDb::Mode::kReadWrite;
  auto db = SqliteDb::Open(path, db_mode, options.busy_timeout_ms);
  if (!db.ok()) return db.status();
  SqliteDb& sql = **db;
  if (options.mode != Mode::kReadOnly) {
    // WAL: readers never block the writer. synchronous=NORMAL: a COMMIT
    // only writes the WAL; the commit thread fsyncs it once per group, with
    // no lock held, before any operation of the group is answered (see
    // CommitLoop), and checkpoints itself (the writer's automatic
    // checkpoint would fsync under the store's lock).
    CS_RETURN_IF_ERROR(sql.Exec("PRAGMA journal_mode=WAL"));
    CS_RETURN_IF_ERROR(sql.Exec("PRAGMA synchronous=NORMAL"));
    CS_RETURN_IF_ERROR(sql.Exec("PRAGMA wal_autocheckpoint=0"));
    CS_RETURN_IF_ERROR(MigrateSchema(sql));
  } else {
    Result<int> version = ReadSchemaVersion(sql);
    // A rollback journal (which a read-only connection cannot roll back)
    // exists only when a first setup was killed before it switched the new
    // database to WAL; like version 0 (killed before migrating), that
    // database holds no state yet.
    if (!version.ok() && sqlite3_extended_errcode(sql.raw()) != SQLITE_READONLY_ROLLBACK) {
      return version.status();
    }
    if (!version.ok() || *version == 0) {
      return Status::NotFound("no simulator state in " + dir + " (run 'cluster-sim setup' first)");
    }
    if (*version > CurrentSchemaVersion()) {
      return Status::FailedPrecondition(path + " was written by a newer cluster-sim (schema version " +
                                        std::to_string(*version) + ")");
    }
    if (*version < CurrentSchemaVersion()) {
      return Status::FailedPrecondition(path + " has an older schema; run any changing command "
                                        "(e.g. 'cluster-sim setup') to migrate it");
    }
  }
  if (options.mode != Mode::kCreate) {
    // No settings row: no setup ever committed (it was refused or killed
    // before its transaction), so there is no fleet to work on.
    auto stmt = sql.Prepare(std::string("SELECT 1 FROM ") + KindName(Kind::kSettings) + " LIMIT 1");
    if (!stmt.ok()) return stmt.status();
    Status s;
    if (!(*stmt)->Step(&s)) {
      if (!s.ok()) return s;
      return Status::NotFound("no simulator state in " + dir + " (run 'cluster-sim setup' first)");
    }
  }
  const bool writable = options.mode != Mode::kReadOnly;
  std::unique_ptr<SqliteDb> checkpointer;
  if (writable) {
    auto second = SqliteDb::Open(path, SqliteDb::Mode::kReadWrite, options.busy_timeout_ms);
    if (!second.ok()) return second.status();
    checkpointer = std::move(*second);
    sqlite3_wal_autocheckpoint(checkpointer->raw(), 0);
    // A connection learns that the database is in WAL mode only when it
    // first reads it; until then its checkpoints do nothing (and report
    // -1 frames, which looked like success: the WAL never shrank).
    CS_RETURN_IF_ERROR(checkpointer->Exec("SELECT count(*) FROM sqlite_schema"));
  }
  std::unique_ptr<Store> store(new Store(dir, std::move(*db), writable));
  store->checkpointer_ = std::move(checkpointer);
  if (writable) {
    sqlite3_wal_hook(store->db_->raw(), [](void* self, sqlite3*, const char*, int frames) {
      static_cast<Store*>(self)->wal_frames_.store(frames);
      return SQLITE_OK;
    }, store.get());
    // What a killed writer committed but never made durable (and so never
    // answered) is made durable before anyone reads it.
    CS_RETURN_IF_ERROR(store->SyncWal());
  }
  CS_RETURN_IF_ERROR(store->Load());
  store->PublishSnapshot(store->committed_);
  return store;
}

Status Store::Load() {
  world_.Clear();
  // One read transaction: a consistent snapshot even while a writer commits.
  CS_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  for (Kind kind : AllKinds()) {
    auto stmt = db_->Prepare(std::string("SELECT key, body FROM ") + KindName(kind));
    if (!stmt.ok()) {
      db_->Rollback();
      return stmt.status();
    }
    Status s;
    while ((*stmt)->Step(&s)) {
      Json body = Json::parse((*stmt)->ColumnText(1), nullptr, /*allow_exceptions=*/false);
      if (body.is_discarded()) {
        s = Status::Corruption(std::string(KindName(kind)) + " '" + (*stmt)->ColumnText(0) +
                               "' holds invalid JSON");
        break;
      }
      s = world_.Deserialize(kind, (*stmt)->ColumnText(0), body);
      if (!s.ok()) break;
    }
    if (!s.ok()) {
      db_->Rollback();
      world_.Clear();
      return s.Context("loading " + db_->path());
    }
  }
  CS_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  committed_ = World::Snapshot(nullptr, world_, {});
  return Status::Ok();
}

Status Store::WriteObject(const World& world, const ObjectRef& ref) {
  const Json body = world.Serialize(ref);
  const std::string table = KindName(ref.kind);
  auto stmt = body.is_null()
                  ? db_->Prepare("DELETE FROM " + table + " WHERE key = ?1")
                  : db_->Prepare("INSERT INTO " + table +
                                 " (key, body) VALUES (?1, ?2) "
                                 "ON CONFLICT(key) DO UPDATE SET body = excluded.body");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, ref.key);
  if (!body.is_null()) (*stmt)->BindText(2, body.dump());
  return (*stmt)->Run();
}

Status Store::WriteIntoGroup(const std::set<ObjectRef>& changes) {
  if (!open_ || !open_->transaction_open) {
    CS_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
    if (!open_) open_ = std::make_unique<Group>();
    open_->transaction_open = true;
  }
  CS_RETURN_IF_ERROR(db_->Exec("SAVEPOINT operation"));
  int written = 0;
  Status s;
  for (const ObjectRef& ref : changes) {
    s = WriteObject(world_, ref);
    if (!s.ok()) break;
    if (write_hook_) write_hook_(++written);
  }
  if (!s.ok()) {
    Status ignored = db_->Exec("ROLLBACK TO operation");  // the first error is the one reported
    (void)ignored;
  }
  Status released = db_->Exec("RELEASE operation");
  return s.ok() ? released : s;
}

void Store::ApplyAsync(const std::function<Status(World&)>& operation, Done done) {
  std::unique_lock<std::mutex> lock(mu_);
  world_.TakeChanges();  // nothing should be pending; be safe
  world_.ForgetUndo();
  Status s = operation(world_);
  std::set<ObjectRef> changes = world_.TakeChanges();
  if (!changes.empty()) {
    if (s.ok() && BeginHeldBack()) {
      if (!open_) open_ = std::make_unique<Group>();
      open_->deferred.insert(changes.begin(), changes.end());
    } else if (s.ok()) {
      s = WriteIntoGroup(changes);
    }
    if (s.ok()) {
      open_->changed.insert(changes.begin(), changes.end());
    } else {
      // Undo in memory what this operation did (only it): its objects
      // become what the operations before it left (the undo log's copies).
      world_.UndoOperation();
    }
  }
  world_.ForgetUndo();
  if (!open_ && !syncing_) {  // nothing it could rest on is waiting for the disk
    lock.unlock();
    done(s);
    return;
  }
  if (!open_) open_ = std::make_unique<Group>();
  open_->answers.emplace_back(std::move(done), s);
  if (CanLead()) {
    // No group in flight: waking the commit thread would only add a thread
    // hand-off (and, on a loaded machine, a wait for a core) to the fsync.
    ++stats_.led_groups;
    CommitGroup(lock, std::move(open_));
    // What arrived during this fsync is the commit thread's (and so is a
    // checkpoint this group made due): this thread waited for its own
    // group only.
    const bool more = open_ || checkpoint_due_ || stopping_;
    lock.unlock();
    if (more) group_ready_.notify_one();
    return;
  }
  // A group is being made durable (or checkpointed): whoever does it ends
  // by waking the commit thread, which takes this group next.
  const bool wake = !syncing_;
  lock.unlock();
  if (wake) group_ready_.notify_one();
}

namespace {
// Set while a thread calls the operations' answers: an Apply() there would
// wait for a group that this thread itself has to finish first.
thread_local bool answering_operations = false;
}  // namespace

Status Store::Apply(const std::function<Status(World&)>& operation) {
  if (answering_operations || std::this_thread::get_id() == commit_thread_.get_id()) {
    return Status::Internal("Store::Apply called from an ApplyAsync answer (it would wait for itself)");
  }
  std::promise<Status> outcome;
  std::future<Status> result = outcome.get_future();
  ApplyAsync(operation, [&outcome](Status s) { outcome.set_value(std::move(s)); });
  return result.get();
}

void Store::CommitGroup(std::unique_lock<std::mutex>& lock, std::unique_ptr<Group> group) {
  Status s;
  std::shared_ptr<const World> durable;
  const bool has_rows = group->transaction_open || !group->deferred.empty();
  if (!group->deferred.empty()) s = WriteHeldBackGroup(*group);
  if (has_rows) {
    if (s.ok()) s = db_->Exec("COMMIT");
    if (s.ok()) {
      // One snapshot per group, not per operation: the working world is
      // exactly this group's result (every operation of it ran under mu_,
      // none after it yet).
      committed_ = World::Snapshot(committed_.get(), world_, group->changed);
      ++stats_.snapshots;
      durable = committed_;
      checkpoint_due_ = CheckpointDue();  // holds back the next group's BEGIN
    } else {
      // The whole group is lost: undo it in memory too.
      db_->Rollback();
      world_.RestoreFrom(*committed_, group->changed);
    }
  }
  syncing_ = true;
  lock.unlock();
  if (durable) {
    if (group_hook_) group_hook_(GroupPoint::kCommitted, group->answers.size());
    s = SyncWal();
    // Published even if the fsync failed: memory and the database agree
    // (it is committed); only its survival of a power loss is in doubt,
    // which the answers below say.
    PublishSnapshot(durable);
    if (group_hook_) group_hook_(GroupPoint::kDurable, group->answers.size());
  }
  {
    // Counted before the answers, not after: an operation that has its
    // answer must find its group in group_stats() (counting after let a
    // caller read the stats between its answer and the count).
    std::lock_guard<std::mutex> count(mu_);
    ++stats_.groups;
    stats_.operations += group->answers.size();
    last_group_operations_ = group->answers.size();
    if (durable) ++stats_.fsyncs;
  }
  answering_operations = true;
  for (auto& [done, own] : group->answers) {
    done(own.ok() ? s : own);
  }
  answering_operations = false;
  lock.lock();
  syncing_ = false;
  if (!open_ && !checkpoint_due_) idle_.notify_all();
}

void Store::CommitLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    group_ready_.wait(lock, [this] { return !syncing_ && (open_ || checkpoint_due_ || stopping_); });
    if (checkpoint_due_) {
      // After the answers of the group that made it due, which do not wait
      // for it. Operations that come meanwhile queue their rows in memory
      // (BeginHeldBack) and lead no group (CanLead), so the next group's
      // transaction begins after the checkpoint and restarts the WAL.
      lock.unlock();
      Checkpoint();
      lock.lock();
      checkpoint_due_ = false;
      if (!open_ && !syncing_) idle_.notify_all();
      continue;
    }
    if (!open_) break;  // stopping, and every operation answered
    CommitGroup(lock, std::move(open_));
  }
}

Status Store::WriteHeldBackGroup(Group& group) {
  ++stats_.held_back_groups;
  CS_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  group.transaction_open = true;
  int written = 0;
  for (const ObjectRef& ref : group.deferred) {
    CS_RETURN_IF_ERROR(WriteObject(world_, ref));  // the COMMIT path rolls back
    if (write_hook_) write_hook_(++written);
  }
  group.deferred.clear();
  return Status::Ok();
}

Status Store::SyncWal() {
  const std::string wal = db_->path() + "-wal";
  int fd = open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::Ok();  // nothing written since the last checkpoint
    return Status::IoError("opening " + wal + " to make the commit durable: " + std::strerror(errno));
  }
  Status s;
  if (fdatasync(fd) != 0) s = Status::IoError("fsync of " + wal + ": " + std::strerror(errno));
  close(fd);
  return s;
}

bool Store::CheckpointDue() {
  const int frames = wal_frames_.load();
  // A WAL that restarted from its beginning (after a complete checkpoint)
  // holds fewer frames than after the COMMIT before; its count, and the
  // threshold, start again.
  if (frames < last_frames_) ++stats_.wal_restarts;
  last_frames_ = frames;
  if (frames < checkpoint_at_ - kCheckpointFrames) checkpoint_at_ = kCheckpointFrames;
  if (!checkpointer_ || frames < checkpoint_at_) return false;
  // A WAL that a reader of another process kept from restarting holds
  // `frames` until a later checkpoint completes: the next one is due
  // kCheckpointFrames later, not after every group.
  checkpoint_at_ = frames + kCheckpointFrames;
  return true;
}

void Store::Checkpoint() {
  // PASSIVE: never waits for a reader of another process (`status`,
  // `check`). No transaction of ours is open (checkpoint_due_), so it
  // copies every frame; the checkpoint fsyncs the WAL and the database.
  int log_frames = 0, done_frames = 0;
  int rc = sqlite3_wal_checkpoint_v2(checkpointer_->raw(), "main", SQLITE_CHECKPOINT_PASSIVE,
                                     &log_frames, &done_frames);
  std::lock_guard<std::mutex> lock(mu_);
  if (rc != SQLITE_OK || log_frames < 0) return;  // -1: it did not run
  ++stats_.checkpoints;
  if (done_frames == log_frames) ++stats_.complete_checkpoints;
}

Store::GroupStats Store::group_stats() const {
  std::lock_guard<std::mutex> lock(const_cast<std::mutex&>(mu_));
  return stats_;
}

Status Store::ReplaceAll(const World& world) {
  std::unique_lock<std::mutex> lock(mu_);
  // Alone: after every group before it is durable, none open meanwhile.
  idle_.wait(lock, [this] { return !open_ && !syncing_ && !checkpoint_due_; });
  CS_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  Status s;
  for (Kind kind : AllKinds()) {
    s = db_->Exec(std::string("DELETE FROM ") + KindName(kind));
    if (!s.ok()) break;
  }
  auto write_all = [&](Kind kind, const auto& table) {
    for (const auto& [key, value] : table.all()) {
      if (!s.ok()) return;
      s = WriteObject(world, ObjectRef{kind, key});
    }
  };
  if (s.ok()) s = WriteObject(world, ObjectRef{Kind::kSettings, kSettingsKey});
  write_all(Kind::kServer, world.servers);
  write_all(Kind::kCluster, world.clusters);
  write_all(Kind::kVolume, world.volumes);
  write_all(Kind::kPresentations, world.presentations);
  write_all(Kind::kTarget, world.targets);
  write_all(Kind::kMgt, world.mgts);
  write_all(Kind::kPdu, world.pdus);
  write_all(Kind::kController, world.controllers);
  write_all(Kind::kClient, world.clients);
  write_all(Kind::kCopytool, world.copytools);
  write_all(Kind::kHsmCoordinator, world.hsm_coordinators);
  if (s.ok()) s = db_->Exec("COMMIT");
  if (!s.ok()) {
    db_->Rollback();
    return s;
  }
  s = Load();
  if (!s.ok()) return s;
  // Made durable, then published, like a group (and, like a group, with
  // no lock held across the fsync: later operations wait behind syncing_).
  syncing_ = true;
  lock.unlock();
  s = SyncWal();
  PublishSnapshot(committed_);
  lock.lock();
  syncing_ = false;
  if (!open_) idle_.notify_all();
  const bool queued = open_ != nullptr;  // operations that came during the fsync
  lock.unlock();
  if (queued) group_ready_.notify_one();
  return s;
}

}  // namespace cs
