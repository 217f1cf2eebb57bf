// A thin RAII layer over the SQLite C API that reports errors as Status.
// Only what the store needs: open, execute, prepared statements with text and
// integer bindings, and transactions.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace cs {

class SqliteStatement;

class SqliteDb {
 public:
  enum class Mode { kReadOnly, kReadWrite, kCreate };

  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, Mode mode,
                                                int busy_timeout_ms);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Status Exec(const std::string& sql);
  // Undoes the open transaction on a path that has already failed, whose
  // first error is the one the caller reports. A failing ROLLBACK is not
  // reported on top: SQLite has then rolled back by itself (or does when
  // the connection closes), and the next BEGIN says if it is still open.
  void Rollback();
  Result<std::unique_ptr<SqliteStatement>> Prepare(const std::string& sql);
  // The Status for the connection's last error, worded for a person.
  Status LastError(const std::string& doing) const;
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

class SqliteStatement {
 public:
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void BindText(int index, std::string_view text);
  void BindInt(int index, int64_t value);
  // Steps once: true when a row is ready, false when done; errors in *status.
  bool Step(Status* status);
  // Runs a statement that returns no rows.
  Status Run();
  std::string ColumnText(int index) const;
  int64_t ColumnInt(int index) const;
  void Reset();

 private:
  friend class SqliteDb;
  SqliteStatement(SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteDb* db_;
  sqlite3_stmt* stmt_;
};

// Maps an SQLite result code to a Status with a message a user understands.
Status SqliteStatus(int rc, const std::string& doing, const std::string& path,
                    const char* detail);

}  // namespace cs
