// The manager's journal lines and their api/log/ view (see log_store.h).
#include "manager/log_store.h"

namespace cs::manager {

namespace {

const char* kLogSchema = R"sql(
CREATE TABLE IF NOT EXISTS log_lines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fqdn TEXT NOT NULL,
  datetime TEXT NOT NULL,
  severity INTEGER NOT NULL,
  facility INTEGER NOT NULL,
  source TEXT NOT NULL,
  message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS log_lines_fqdn ON log_lines (fqdn, id);
)sql";

std::string Text(const Json& j, const char* key) {
  const Json v = j.value(key, Json());
  if (v.is_string()) return v.get<std::string>();
  return v.is_null() ? "" : v.dump();
}

int64_t Int(const Json& j, const char* key) {
  const Json v = j.value(key, Json());
  return v.is_number_integer() ? v.get<int64_t>() : 0;
}

// "abc%_" -> "abc\%\_" for LIKE ... ESCAPE '\'.
std::string LikeEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<LogStore>> LogStore::Open(const std::string& path, int64_t max_lines) {
  auto db = SqliteDb::Open(path, SqliteDb::Mode::kCreate, 5000);
  if (!db.ok()) return db.status();
  CS_RETURN_IF_ERROR((*db)->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  CS_RETURN_IF_ERROR((*db)->Exec(kLogSchema));
  return std::unique_ptr<LogStore>(new LogStore(std::move(*db), max_lines));
}

Status LogStore::Append(const std::string& fqdn, const Json& body) {
  const Json lines = body.is_object() ? body.value("log_lines", Json()) : Json();
  if (!lines.is_array()) return Status::InvalidArgument("a systemd_journal body has a log_lines list");
  std::lock_guard<std::mutex> lock(mu_);
  CS_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  auto insert = db_->Prepare(
      "INSERT INTO log_lines (fqdn, datetime, severity, facility, source, message) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) {
    (void)db_->Exec("ROLLBACK");
    return insert.status();
  }
  for (const Json& line : lines) {
    if (!line.is_object()) continue;
    (*insert)->Reset();
    (*insert)->BindText(1, fqdn);
    (*insert)->BindText(2, Text(line, "datetime"));
    (*insert)->BindInt(3, Int(line, "severity"));
    (*insert)->BindInt(4, Int(line, "facility"));
    (*insert)->BindText(5, Text(line, "source"));
    (*insert)->BindText(6, Text(line, "message"));
    Status s = (*insert)->Run();
    if (!s.ok()) {
      insert->reset();
      (void)db_->Exec("ROLLBACK");
      return s;
    }
  }
  insert->reset();
  appended_ += static_cast<int64_t>(lines.size());
  if (appended_ >= 1000) {  // trim now and then, not on every body
    appended_ = 0;
    CS_RETURN_IF_ERROR(db_->Exec("DELETE FROM log_lines WHERE id <= (SELECT MAX(id) FROM log_lines) - " +
                                 std::to_string(max_lines_)));
  }
  return db_->Exec("COMMIT");
}

Result<Json> LogStore::List(const LogQuery& q) {
  const int64_t limit = q.limit == 0 || q.limit > kMaxPage ? kMaxPage : q.limit;
  std::string where = " WHERE 1=1";
  std::vector<std::string> args;
  if (q.fqdn) {
    where += " AND fqdn = ?";
    args.push_back(*q.fqdn);
  }
  if (q.message_contains) {
    where += " AND message LIKE ? ESCAPE '\\'";
    args.push_back("%" + LikeEscape(*q.message_contains) + "%");
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto count = db_->Prepare("SELECT COUNT(*) FROM log_lines" + where);
  if (!count.ok()) return count.status();
  for (size_t i = 0; i < args.size(); ++i) (*count)->BindText(static_cast<int>(i + 1), args[i]);
  Status s;
  const int64_t total = (*count)->Step(&s) ? (*count)->ColumnInt(0) : 0;
  if (!s.ok()) return s;
  auto rows = db_->Prepare("SELECT id, fqdn, datetime, severity, facility, source, message FROM log_lines" + where +
                           " ORDER BY id LIMIT ? OFFSET ?");
  if (!rows.ok()) return rows.status();
  for (size_t i = 0; i < args.size(); ++i) (*rows)->BindText(static_cast<int>(i + 1), args[i]);
  (*rows)->BindInt(static_cast<int>(args.size() + 1), limit);
  (*rows)->BindInt(static_cast<int>(args.size() + 2), q.offset);
  Json objects = Json::array();
  while ((*rows)->Step(&s)) {
    const int64_t id = (*rows)->ColumnInt(0);
    objects.push_back({{"id", id},
                       {"fqdn", (*rows)->ColumnText(1)},
                       {"datetime", (*rows)->ColumnText(2)},
                       {"severity", (*rows)->ColumnInt(3)},
                       {"facility", (*rows)->ColumnInt(4)},
                       {"tag", (*rows)->ColumnText(5)},
                       {"message", (*rows)->ColumnText(6)},
                       {"resource_uri", "/api/log/" + std::to_string(id) + "/"}});
  }
  if (!s.ok()) return s;
  return Json{{"meta", {{"limit", limit}, {"offset", q.offset}, {"total_count", total}}},
              {"objects", std::move(objects)}};
}

}  // namespace cs::manager
