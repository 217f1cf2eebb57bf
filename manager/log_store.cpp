// The manager's journal lines and their api/log/ view (see log_store.h).
#include "manager/log_store.h"

#include "manager/json_fields.h"

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
  auto writer = SqliteDb::Open(path, SqliteDb::Mode::kCreate, 5000);
  if (!writer.ok()) return writer.status();
  CS_RETURN_IF_ERROR((*writer)->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  CS_RETURN_IF_ERROR((*writer)->Exec(kLogSchema));
  auto reader = SqliteDb::Open(path, SqliteDb::Mode::kReadOnly, 5000);
  if (!reader.ok()) return reader.status();
  std::unique_ptr<LogStore> store(new LogStore(std::move(*writer), std::move(*reader), max_lines));
  auto insert = store->writer_->Prepare(
      "INSERT INTO log_lines (fqdn, datetime, severity, facility, source, message) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  store->insert_ = std::move(*insert);
  return store;
}

Status LogStore::Append(const std::string& fqdn, const Json& body) {
  CS_RETURN_IF_ERROR(Stage(fqdn, body));
  return Flush();
}

Status LogStore::Stage(const std::string& fqdn, const Json& body) {
  const Json* lines = nullptr;
  if (body.is_object()) {
    const auto it = body.find("log_lines");
    if (it != body.end() && it->is_array()) lines = &*it;
  }
  if (!lines) return Status::InvalidArgument("a systemd_journal body has a log_lines list");
  std::vector<Line> parsed;
  parsed.reserve(lines->size());
  for (const Json& line : *lines) {
    if (!line.is_object()) continue;
    parsed.push_back(Line{fqdn, FieldText(line, "datetime"), FieldText(line, "source"), FieldText(line, "message"),
                          FieldInt(line, "severity"), FieldInt(line, "facility")});
  }
  std::lock_guard<std::mutex> lock(staged_mu_);
  if (staged_.empty()) {
    staged_ = std::move(parsed);
  } else {
    staged_.insert(staged_.end(), std::make_move_iterator(parsed.begin()), std::make_move_iterator(parsed.end()));
  }
  return Status::Ok();
}

Status LogStore::Flush() {
  std::lock_guard<std::mutex> write(write_mu_);
  std::vector<Line> lines;
  {
    std::lock_guard<std::mutex> lock(staged_mu_);
    lines.swap(staged_);
  }
  if (lines.empty()) return Status::Ok();
  return WriteLines(lines);
}

int64_t LogStore::transactions() const {
  std::lock_guard<std::mutex> lock(write_mu_);
  return transactions_;
}

// Under write_mu_: one transaction for every line.
Status LogStore::WriteLines(const std::vector<Line>& lines) {
  CS_RETURN_IF_ERROR(writer_->Exec("BEGIN"));
  for (const Line& line : lines) {
    insert_->Reset();
    insert_->BindText(1, line.fqdn);
    insert_->BindText(2, line.datetime);
    insert_->BindInt(3, line.severity);
    insert_->BindInt(4, line.facility);
    insert_->BindText(5, line.source);
    insert_->BindText(6, line.message);
    Status s = insert_->Run();
    if (!s.ok()) {
      writer_->Rollback();
      return s;
    }
  }
  appended_ += static_cast<int64_t>(lines.size());
  if (appended_ >= 1000) {  // trim now and then, not on every batch
    appended_ = 0;
    Status s = writer_->Exec("DELETE FROM log_lines WHERE id <= (SELECT MAX(id) FROM log_lines) - " +
                             std::to_string(max_lines_));
    if (!s.ok()) {
      writer_->Rollback();
      return s;
    }
  }
  CS_RETURN_IF_ERROR(writer_->Exec("COMMIT"));
  ++transactions_;
  return Status::Ok();
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
  std::lock_guard<std::mutex> lock(read_mu_);
  auto count = reader_->Prepare("SELECT COUNT(*) FROM log_lines" + where);
  if (!count.ok()) return count.status();
  for (size_t i = 0; i < args.size(); ++i) (*count)->BindText(static_cast<int>(i + 1), args[i]);
  Status s;
  const int64_t total = (*count)->Step(&s) ? (*count)->ColumnInt(0) : 0;
  if (!s.ok()) return s;
  auto rows = reader_->Prepare("SELECT id, fqdn, datetime, severity, facility, source, message FROM log_lines" + where +
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
