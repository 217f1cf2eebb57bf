// LogStore: the journal lines the built-in manager receives from the
// agents' systemd_journal plugin, kept in <dir>/log.db (SQLite, its own
// file: a log storm never contends with the manager's state) and served
// under api/log/ as IML's API did: paginated with limit/offset and
// meta.total_count, filtered by fqdn and message__contains. One transaction
// per DATA body; the oldest lines go once more than max_lines are kept.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "fakes/json_helpers.h"
#include "manager/log_query.h"
#include "state/sqlite.h"
#include "util/status.h"

namespace cs::manager {


class LogStore {
 public:
  static Result<std::unique_ptr<LogStore>> Open(const std::string& path, int64_t max_lines = 200000);

  // A systemd_journal DATA body: {"log_lines": [{message, datetime, severity, facility, source}]}.
  Status Append(const std::string& fqdn, const Json& body);
  // {"meta": {limit, offset, total_count}, "objects": [...]} oldest first.
  Result<Json> List(const LogQuery& query);

  static constexpr int64_t kMaxPage = 1000;

 private:
  LogStore(std::unique_ptr<SqliteDb> db, int64_t max_lines) : db_(std::move(db)), max_lines_(max_lines) {}
  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;
  int64_t max_lines_;
  int64_t appended_ = 0;
};


}  // namespace cs::manager
