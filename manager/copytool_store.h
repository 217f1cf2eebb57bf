// CopytoolStore: what the built-in manager knows of HSM copytools, from the
// events their monitors POST to agent/copytool_event/ (the original
// manager's CopytoolEventView and its Copytool/CopytoolOperation models):
// REGISTER starts a copytool under its coordinator uuid, UNREGISTER stops
// it, <ACTION>_START opens an operation, _RUNNING updates its bytes,
// _FINISH/_ERROR closes it; the answer maps the FIDs still running to their
// operation ids ({"active_operations": {fid: id}}) for the monitor to send
// back. The real manager only took events for copytools it had configured;
// this one has no copytool configuration, so it learns a copytool from its
// first event (host + copytool id). Kept in <dir>/copytools.db (SQLite),
// one transaction per POST: all of it is stored or none.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
#include "state/sqlite.h"
#include "util/status.h"

namespace cs::manager {

struct CopytoolOperationRecord {
  int64_t id = 0;
  int64_t copytool = 0;  // CopytoolRecord::id
  std::string type;      // ARCHIVE, RESTORE, REMOVE
  std::string state;     // started, running, finished, errored
  std::string path;
  std::string fid;
  int64_t total_bytes = 0;
  int64_t processed_bytes = 0;
  std::string started_at, updated_at, finished_at;
  std::string info;

  Json ToJson() const;
};

struct CopytoolRecord {
  int64_t id = 0;
  std::string host;      // fqdn of the worker
  std::string copytool;  // the agent's copytool id
  std::string uuid;      // given by the coordinator; the unknown uuid when REGISTER was missed
  std::string state;     // started, stopped
  int64_t events = 0;
  std::map<std::string, int64_t> event_types;  // how many of each event_type arrived
  std::string first_event_at, last_event_at;
};

// The uuid the original used for a copytool whose REGISTER it missed.
inline constexpr const char* kUnknownCopytoolUuid = "00000000-0000-0000-0000-000000000000";

class CopytoolStore {
 public:
  static Result<std::unique_ptr<CopytoolStore>> Open(const std::string& path);

  // One POST's body from the host with this certificate. InvalidArgument
  // (nothing stored) for a body that is not {copytool, events: [...]} or an
  // event without event_type/event_time or of an unknown type. Answers
  // {"active_operations": {fid: operation id}}.
  Result<Json> Accept(const std::string& fqdn, const Json& body);

  // Every copytool with its activity, by id: {id, host, copytool, uuid,
  // state, events, event_types: {REGISTER: n, ARCHIVE_START: n, ...},
  // first_event_at, last_event_at, operations: {started,
  // running, finished, errored}, active_operations: [...]}.
  std::vector<Json> List() const;
  std::vector<CopytoolOperationRecord> Operations(int64_t copytool) const;

 private:
  explicit CopytoolStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  Status Load();
  Status Write(const CopytoolRecord& copytool, const std::vector<CopytoolOperationRecord>& ops);

  mutable std::mutex mu_;  // a leaf; held across this store's own SQLite writes only
  std::unique_ptr<SqliteDb> db_;
  std::map<int64_t, CopytoolRecord> copytools_;
  std::map<int64_t, CopytoolOperationRecord> operations_;
  int64_t next_copytool_id_ = 1;
  int64_t next_operation_id_ = 1;
};

}  // namespace cs::manager
