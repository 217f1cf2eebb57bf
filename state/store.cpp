#include "state/store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

Store::Store(std::string dir, std::unique_ptr<SqliteDb> db) : dir_(std::move(dir)), db_(std::move(db)) {}
Store::~Store() = default;

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
    // WAL: readers never block the writer; synchronous=FULL: a commit that
    // returned survives power loss.
    CS_RETURN_IF_ERROR(sql.Exec("PRAGMA journal_mode=WAL"));
    CS_RETURN_IF_ERROR(sql.Exec("PRAGMA synchronous=FULL"));
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
  std::unique_ptr<Store> store(new Store(dir, std::move(*db)));
  CS_RETURN_IF_ERROR(store->Load());
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
  Publish(nullptr);
  return Status::Ok();
}

void Store::Publish(const std::set<ObjectRef>* changed) {
  std::shared_ptr<const World> previous = changed ? snapshot_.load() : nullptr;
  snapshot_.store(World::Snapshot(previous.get(), world_, changed ? *changed : std::set<ObjectRef>{}));
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

Status Store::Commit(World& world, const std::set<ObjectRef>& changes) {
  CS_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  int written = 0;
  for (const ObjectRef& ref : changes) {
    Status s = WriteObject(world, ref);
    if (!s.ok()) {
      db_->Rollback();
      return s;
    }
    if (write_hook_) write_hook_(++written);
  }
  Status s = db_->Exec("COMMIT");
  if (!s.ok()) db_->Rollback();
  return s;
}

Status Store::Apply(const std::function<Status(World&)>& operation) {
  std::lock_guard<std::mutex> lock(mu_);
  world_.TakeChanges();  // nothing should be pending; be safe
  Status s = operation(world_);
  std::set<ObjectRef> changes = world_.TakeChanges();
  if (changes.empty()) return s;  // nothing to write, nothing to undo
  if (s.ok()) s = Commit(world_, changes);
  if (s.ok()) {
    Publish(&changes);
  } else {
    // Undo in memory what the operation did: the objects it touched become
    // what the last commit left, which the snapshot holds.
    world_.RestoreFrom(*snapshot_.load(), changes);
  }
  return s;
}

Status Store::ReplaceAll(const World& world) {
  std::lock_guard<std::mutex> lock(mu_);
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
  return Load();
}

}  // namespace cs
