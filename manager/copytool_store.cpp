// The manager's copytools and their operations (see copytool_store.h).
#include "manager/copytool_store.h"

#include <algorithm>

#include "manager/json_fields.h"
#include "util/clock.h"

namespace cs::manager {

namespace {

const char* kCopytoolSchema = R"sql(
CREATE TABLE IF NOT EXISTS copytools (
  id INTEGER PRIMARY KEY,
  host TEXT NOT NULL,
  copytool TEXT NOT NULL,
  body TEXT NOT NULL CHECK (json_valid(body)),
  UNIQUE (host, copytool));
CREATE TABLE IF NOT EXISTS copytool_operations (
  id INTEGER PRIMARY KEY,
  copytool INTEGER NOT NULL,
  body TEXT NOT NULL CHECK (json_valid(body)));
CREATE INDEX IF NOT EXISTS copytool_operations_by_copytool ON copytool_operations (copytool, id);
)sql";

struct ParsedEvent {
  Json raw;
  WallTime at;
  std::string time_text;
  std::string type;   // ARCHIVE, RESTORE, REMOVE, REGISTER, UNREGISTER, LOG
  std::string state;  // START, RUNNING, FINISH, ERROR; empty for the others
};

// The monitor sends "2026-12-01 13:04:05+00:00"; ISO-8601 with a T is fine too.
bool ParseEventTime(std::string text, WallTime* out) {
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  return ParseAgentTime(text, out);
}

Status ParseType(const std::string& event_type, ParsedEvent* e) {
  for (const char* action : {"ARCHIVE", "RESTORE", "REMOVE"}) {
    const std::string prefix = std::string(action) + "_";
    if (event_type.rfind(prefix, 0) == 0) {
      e->type = action;
      e->state = event_type.substr(prefix.size());
      if (e->state == "START" || e->state == "RUNNING" || e->state == "FINISH" || e->state == "ERROR") {
        return Status::Ok();
      }
    }
  }
  if (event_type == "LOGGED_MESSAGE") {
    e->type = "LOG";
    return Status::Ok();
  }
  if (event_type == "REGISTER" || event_type == "UNREGISTER") {
    e->type = event_type;
    return Status::Ok();
  }
  return Status::InvalidArgument("Unknown event type: '" + event_type + "'");
}

Result<std::vector<ParsedEvent>> ParseEvents(const Json& events) {
  std::vector<ParsedEvent> out;
  for (const Json& raw : events) {
    if (!raw.is_object()) return Status::InvalidArgument("every event must be a JSON object");
    for (const char* key : {"event_type", "event_time"}) {
      if (!raw.contains(key) || !raw[key].is_string()) {
        return Status::InvalidArgument(std::string("Missing attribute '") + key + "'");
      }
    }
    ParsedEvent e;
    e.raw = raw;
    e.time_text = raw["event_time"].get<std::string>();
    if (!ParseEventTime(e.time_text, &e.at)) {
      return Status::InvalidArgument("bad event_time '" + e.time_text + "' (expected YYYY-MM-DD HH:MM:SS+00:00)");
    }
    CS_RETURN_IF_ERROR(ParseType(raw["event_type"].get<std::string>(), &e));
    if (!e.state.empty()) {
      for (const char* key : {"data_fid", "source_fid"}) {
        if (!raw.contains(key) || !raw[key].is_string()) {
          return Status::InvalidArgument(std::string("Missing attribute '") + key + "'");
        }
      }
    }
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const ParsedEvent& a, const ParsedEvent& b) { return a.at < b.at; });
  return out;
}

Json CopytoolBody(const CopytoolRecord& c) {
  return Json{{"uuid", c.uuid}, {"state", c.state}, {"events", c.events}, {"event_types", c.event_types},
              {"first_event_at", c.first_event_at}, {"last_event_at", c.last_event_at}};
}

Json OperationBody(const CopytoolOperationRecord& o) {
  return Json{{"type", o.type}, {"state", o.state}, {"path", o.path}, {"fid", o.fid},
              {"total_bytes", o.total_bytes}, {"processed_bytes", o.processed_bytes},
              {"started_at", o.started_at}, {"updated_at", o.updated_at},
              {"finished_at", o.finished_at}, {"info", o.info}};
}

}  // namespace

Json CopytoolOperationRecord::ToJson() const {
  return Json{{"id", id},
              {"type", type},
              {"state", state},
              {"path", path},
              {"fid", fid},
              {"total_bytes", total_bytes},
              {"processed_bytes", processed_bytes},
              {"started_at", NullIfEmpty(started_at)},
              {"updated_at", NullIfEmpty(updated_at)},
              {"finished_at", NullIfEmpty(finished_at)},
              {"info", NullIfEmpty(info)}};
}

Result<std::unique_ptr<CopytoolStore>> CopytoolStore::Open(const std::string& path) {
  auto db = SqliteDb::Open(path, SqliteDb::Mode::kCreate, 5000);
  if (!db.ok()) return db.status();
  CS_RETURN_IF_ERROR((*db)->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  CS_RETURN_IF_ERROR((*db)->Exec(kCopytoolSchema));
  std::unique_ptr<CopytoolStore> store(new CopytoolStore(std::move(*db)));
  CS_RETURN_IF_ERROR(store->Load());
  return store;
}

Status CopytoolStore::Load() {
  std::lock_guard<std::mutex> lock(mu_);
  Status s;
  {
    auto stmt = db_->Prepare("SELECT id, host, copytool, body FROM copytools");
    if (!stmt.ok()) return stmt.status();
    while ((*stmt)->Step(&s)) {
      const Json body = Json::parse((*stmt)->ColumnText(3), nullptr, false);
      CopytoolRecord c;
      c.id = (*stmt)->ColumnInt(0);
      c.host = (*stmt)->ColumnText(1);
      c.copytool = (*stmt)->ColumnText(2);
      c.uuid = FieldText(body, "uuid");
      c.state = FieldText(body, "state");
      c.events = FieldInt(body, "events");
      if (auto types = body.find("event_types"); types != body.end() && types->is_object()) {
        for (const auto& [type, n] : types->items()) {
          if (n.is_number_integer()) c.event_types[type] = n.get<int64_t>();
        }
      }
      c.first_event_at = FieldText(body, "first_event_at");
      c.last_event_at = FieldText(body, "last_event_at");
      next_copytool_id_ = std::max(next_copytool_id_, c.id + 1);
      copytools_[c.id] = std::move(c);
    }
    CS_RETURN_IF_ERROR(s);
  }
  auto stmt = db_->Prepare("SELECT id, copytool, body FROM copytool_operations");
  if (!stmt.ok()) return stmt.status();
  while ((*stmt)->Step(&s)) {
    const Json body = Json::parse((*stmt)->ColumnText(2), nullptr, false);
    CopytoolOperationRecord o;
    o.id = (*stmt)->ColumnInt(0);
    o.copytool = (*stmt)->ColumnInt(1);
    o.type = FieldText(body, "type");
    o.state = FieldText(body, "state");
    o.path = FieldText(body, "path");
    o.fid = FieldText(body, "fid");
    o.total_bytes = FieldInt(body, "total_bytes");
    o.processed_bytes = FieldInt(body, "processed_bytes");
    o.started_at = FieldText(body, "started_at");
    o.updated_at = FieldText(body, "updated_at");
    o.finished_at = FieldText(body, "finished_at");
    o.info = FieldText(body, "info");
    next_operation_id_ = std::max(next_operation_id_, o.id + 1);
    operations_[o.id] = std::move(o);
  }
  return s;
}

Status CopytoolStore::Write(const CopytoolRecord& c, const std::vector<CopytoolOperationRecord>& ops) {
  CS_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  auto fail = [&](Status s) {
    db_->Rollback();
    return s;
  };
  auto copytool = db_->Prepare("INSERT OR REPLACE INTO copytools (id, host, copytool, body) VALUES (?, ?, ?, ?)");
  if (!copytool.ok()) return fail(copytool.status());
  (*copytool)->BindInt(1, c.id);
  (*copytool)->BindText(2, c.host);
  (*copytool)->BindText(3, c.copytool);
  (*copytool)->BindText(4, CopytoolBody(c).dump());
  if (Status s = (*copytool)->Run(); !s.ok()) return fail(s);
  auto op = db_->Prepare("INSERT OR REPLACE INTO copytool_operations (id, copytool, body) VALUES (?, ?, ?)");
  if (!op.ok()) return fail(op.status());
  for (const CopytoolOperationRecord& o : ops) {
    (*op)->Reset();
    (*op)->BindInt(1, o.id);
    (*op)->BindInt(2, o.copytool);
    (*op)->BindText(3, OperationBody(o).dump());
    if (Status s = (*op)->Run(); !s.ok()) return fail(s);
  }
  if (Status s = db_->Exec("COMMIT"); !s.ok()) return fail(s);
  return Status::Ok();
}

Result<Json> CopytoolStore::Accept(const std::string& fqdn, const Json& body) {
  if (!body.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  for (const char* key : {"copytool", "events"}) {
    if (!body.contains(key)) return Status::InvalidArgument(std::string("Missing attribute '") + key + "'");
  }
  const Json& id_json = body["copytool"];
  if (!(id_json.is_string() || id_json.is_number_integer()) || FieldText(body, "copytool").empty()) {
    return Status::InvalidArgument("'copytool' must be the copytool's id");
  }
  if (!body["events"].is_array()) return Status::InvalidArgument("'events' must be a list");
  Result<std::vector<ParsedEvent>> events = ParseEvents(body["events"]);
  if (!events.ok()) return events.status();
  const std::string copytool_id = FieldText(body, "copytool");

  std::lock_guard<std::mutex> lock(mu_);
  // Work on copies; memory changes only once the transaction is committed.
  CopytoolRecord c;
  for (const auto& [id, existing] : copytools_) {
    if (existing.host == fqdn && existing.copytool == copytool_id) c = existing;
  }
  if (c.id == 0) {
    c.id = next_copytool_id_;
    c.host = fqdn;
    c.copytool = copytool_id;
    c.state = "stopped";
  }
  std::map<int64_t, CopytoolOperationRecord> changed;
  int64_t next_op = next_operation_id_;
  auto operation = [&](int64_t id) -> CopytoolOperationRecord* {
    if (auto it = changed.find(id); it != changed.end()) return &it->second;
    auto it = operations_.find(id);
    if (it == operations_.end() || it->second.copytool != c.id) return nullptr;
    return &(changed[id] = it->second);
  };
  std::map<std::string, int64_t> active;  // data fid -> operation id, this POST's
  for (const ParsedEvent& e : *events) {
    ++c.events;
    ++c.event_types[e.raw["event_type"].get<std::string>()];
    if (c.first_event_at.empty()) c.first_event_at = e.time_text;
    c.last_event_at = e.time_text;
    if (e.type == "UNREGISTER") {
      c.state = "stopped";
      continue;
    }
    if (e.type == "REGISTER") {
      c.state = "started";
      c.uuid = FieldText(e.raw, "uuid");
      continue;
    }
    if (e.type == "LOG") continue;
    if (c.state != "started") {  // the REGISTER was missed
      c.state = "started";
      c.uuid = kUnknownCopytoolUuid;
    }
    const std::string data_fid = FieldText(e.raw, "data_fid");
    const std::string source_fid = FieldText(e.raw, "source_fid");
    CopytoolOperationRecord* op = nullptr;
    if (e.raw.contains("active_operation") && e.raw["active_operation"].is_number_integer()) {
      op = operation(e.raw["active_operation"].get<int64_t>());
      if (op == nullptr) continue;  // an operation this copytool never had
      active[data_fid] = op->id;
    } else if (e.state == "START") {
      CopytoolOperationRecord fresh;
      fresh.id = next_op++;
      fresh.copytool = c.id;
      fresh.type = e.type;
      fresh.state = "started";
      fresh.path = FieldText(e.raw, "lustre_path");
      fresh.fid = data_fid;
      fresh.total_bytes = FieldInt(e.raw, "total_bytes");
      fresh.started_at = e.time_text;
      active[data_fid] = fresh.id;
      changed[fresh.id] = std::move(fresh);
      continue;
    } else if (auto it = active.find(source_fid); it != active.end()) {
      const int64_t id = it->second;
      active.erase(it);
      active[data_fid] = id;
      op = operation(id);
    }
    if (op == nullptr) continue;  // a non-START event for an operation never started
    if (e.state == "FINISH" || e.state == "ERROR") {
      op->finished_at = e.time_text;
      op->state = e.state == "FINISH" ? "finished" : "errored";
      if (e.state == "FINISH") op->processed_bytes = FieldInt(e.raw, "current_bytes");
      if (e.state == "ERROR") op->info = FieldText(e.raw, "error");
      active.erase(data_fid);
    } else if (e.state == "RUNNING") {
      op->state = "running";
      op->updated_at = e.time_text;
      op->total_bytes = FieldInt(e.raw, "total_bytes");
      op->processed_bytes = FieldInt(e.raw, "current_bytes");
    }
  }
  std::vector<CopytoolOperationRecord> ops;
  for (const auto& [id, o] : changed) ops.push_back(o);
  CS_RETURN_IF_ERROR(Write(c, ops));
  next_copytool_id_ = std::max(next_copytool_id_, c.id + 1);
  next_operation_id_ = next_op;
  copytools_[c.id] = c;
  for (CopytoolOperationRecord& o : ops) operations_[o.id] = std::move(o);
  Json answer = Json::object();
  for (const auto& [fid, id] : active) answer[fid] = id;
  return Json{{"active_operations", answer}};
}

std::vector<CopytoolOperationRecord> CopytoolStore::Operations(int64_t copytool) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<CopytoolOperationRecord> out;
  for (const auto& [id, o] : operations_) {
    if (o.copytool == copytool) out.push_back(o);
  }
  return out;
}

std::vector<Json> CopytoolStore::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<int64_t, Json> counts;
  std::map<int64_t, Json> running;
  for (const auto& [id, c] : copytools_) {
    counts[id] = Json{{"started", 0}, {"running", 0}, {"finished", 0}, {"errored", 0}};
    running[id] = Json::array();
  }
  for (const auto& [id, o] : operations_) {
    auto it = counts.find(o.copytool);
    if (it == counts.end()) continue;
    it->second[o.state] = it->second.value(o.state, 0) + 1;
    if (o.state == "started" || o.state == "running") running[o.copytool].push_back(o.ToJson());
  }
  std::vector<Json> out;
  for (const auto& [id, c] : copytools_) {
    out.push_back(Json{{"id", c.id},
                       {"host", c.host},
                       {"copytool", c.copytool},
                       {"uuid", NullIfEmpty(c.uuid)},
                       {"state", c.state},
                       {"events", c.events},
                       {"event_types", c.event_types},
                       {"first_event_at", NullIfEmpty(c.first_event_at)},
                       {"last_event_at", NullIfEmpty(c.last_event_at)},
                       {"operations", counts[id]},
                       {"active_operations", running[id]}});
  }
  return out;
}

}  // namespace cs::manager
