// Schema: the layout of the state database and its migrations. The version
// lives in SQLite's user_version; migration i takes a database from version
// i to i+1 inside one transaction. A database newer than this binary knows
// is refused rather than guessed at.
#pragma once

#include "state/sqlite.h"
#include "util/status.h"

namespace cs {

// The schema version this binary writes.
int CurrentSchemaVersion();
// Reads the version; 0 for a new, empty database.
Result<int> ReadSchemaVersion(SqliteDb& db);
// Brings the database to CurrentSchemaVersion(), or fails without change.
Status MigrateSchema(SqliteDb& db);

}  // namespace cs
