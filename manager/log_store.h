// LogStore: the journal lines the built-in manager receives from the
// agents' systemd_journal plugin, kept in <dir>/log.db (SQLite, its own
// file: a log storm never contends with the manager's state) and served
// under api/log/ as IML's API did: paginated with limit/offset and
// meta.total_count, filtered by fqdn and message__contains. The oldest
// lines go once more than max_lines are kept.
//
// Writing in batches: Stage() takes a DATA body's lines into memory (cheap,
// a short lock) and Flush() writes everything staged in one transaction.
// The receive queue stages each message of a run it consumes and flushes
// once per run (RxQueues::SetFlush), so a backlog of journal messages
// costs one transaction per batch, not one per 64-line message (perf
// showed BEGIN, COMMIT and the WAL checkpoints at about 15 % of the
// manager's CPU under a log storm: docs/performance.md). Nothing waits on
// the write but the queue's acknowledgement: an agent's DATA POST is
// answered once its message is queued, as before, so batching changes no
// promise made to the agent. Reads (List) use a connection of their own
// under their own lock (WAL: a reader sees the last commit), so no lock a
// reader needs is held across a write. Lock order: staged_mu_ alone;
// write_mu_ then staged_mu_; read_mu_ alone.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "manager/log_query.h"
#include "state/sqlite.h"
#include "util/status.h"

namespace cs::manager {


class LogStore {
 public:
  static Result<std::unique_ptr<LogStore>> Open(const std::string& path, int64_t max_lines = 200000);

  // A systemd_journal DATA body: {"log_lines": [{message, datetime, severity, facility, source}]}.
  // Stage and Flush: written when it returns.
  Status Append(const std::string& fqdn, const Json& body);
  // Takes a body's lines to be written by the next Flush.
  Status Stage(const std::string& fqdn, const Json& body);
  // Writes every staged line in one transaction (none staged: nothing).
  Status Flush();
  // Transactions Flush has committed (for tests and benchmarks).
  int64_t transactions() const;
  // {"meta": {limit, offset, total_count}, "objects": [...]} oldest first.
  Result<Json> List(const LogQuery& query);

  static constexpr int64_t kMaxPage = 1000;

 private:
  struct Line {
    std::string fqdn, datetime, source, message;
    int64_t severity = 0, facility = 0;
  };
  LogStore(std::unique_ptr<SqliteDb> writer, std::unique_ptr<SqliteDb> reader, int64_t max_lines)
      : writer_(std::move(writer)), reader_(std::move(reader)), max_lines_(max_lines) {}
  Status WriteLines(const std::vector<Line>& lines);

  mutable std::mutex staged_mu_;
  std::vector<Line> staged_;
  mutable std::mutex write_mu_;
  std::unique_ptr<SqliteDb> writer_;
  std::unique_ptr<SqliteStatement> insert_;  // prepared once, on the writer
  int64_t appended_ = 0;
  int64_t transactions_ = 0;
  std::mutex read_mu_;
  std::unique_ptr<SqliteDb> reader_;
  int64_t max_lines_;
};


}  // namespace cs::manager
