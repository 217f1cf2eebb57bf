#include "state/schema.h"

#include <string>
#include <vector>

#include "fakes/world.h"

namespace cs {

namespace {

std::string ObjectTable(Kind kind) {
  return std::string("CREATE TABLE ") + KindName(kind) +
         " (key TEXT PRIMARY KEY NOT NULL, body TEXT NOT NULL CHECK (json_valid(body)));\n";
}

// Version 1: one table per kind of world object, each row an object's JSON
// (the kinds there were then: a kind added later gets its own migration).
std::string SchemaV1() {
  std::string sql;
  for (Kind kind : {Kind::kSettings, Kind::kServer, Kind::kCluster, Kind::kVolume, Kind::kPresentations,
                    Kind::kTarget, Kind::kMgt, Kind::kPdu, Kind::kController, Kind::kClient,
                    Kind::kCopytool}) {
    sql += ObjectTable(kind);
  }
  sql += "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);\n";
  return sql;
}

// Version 2: HSM coordinators (fakes/hsm/coordinator_record.h).
std::string SchemaV2() { return ObjectTable(Kind::kHsmCoordinator); }

const std::vector<std::string>& Migrations() {
  static const std::vector<std::string> migrations = {SchemaV1(), SchemaV2()};
  return migrations;
}

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<int> ReadSchemaVersion(SqliteDb& db) {
  auto stmt = db.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  Status s;
  if (!(*stmt)->Step(&s)) return s.ok() ? Status::Corruption("no user_version") : s;
  return static_cast<int>((*stmt)->ColumnInt(0));
}

Status MigrateSchema(SqliteDb& db) {
  Result<int> version = ReadSchemaVersion(db);
  if (!version.ok()) return version.status();
  const int target = CurrentSchemaVersion();
  if (*version > target) {
    return Status::FailedPrecondition(
        db.path() + " was written by a newer cluster-sim (schema version " +
        std::to_string(*version) + "; this one knows up to " + std::to_string(target) + ")");
  }
  for (int v = *version; v < target; ++v) {
    CS_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    Status s = db.Exec(Migrations()[static_cast<size_t>(v)]);
    if (s.ok()) s = db.Exec("PRAGMA user_version = " + std::to_string(v + 1));
    if (!s.ok()) {
      db.Rollback();
      return s.Context("migrating to schema version " + std::to_string(v + 1));
    }
    CS_RETURN_IF_ERROR(db.Exec("COMMIT"));
  }
  return Status::Ok();
}

}  // namespace cs
