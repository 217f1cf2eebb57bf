#include "manager/manager_store.h"

#include "manager/secure_ids.h"

namespace cs::manager {

namespace {

constexpr int kSchemaVersion = 1;

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS hosts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fqdn TEXT NOT NULL UNIQUE,
  nodename TEXT NOT NULL,
  address TEXT NOT NULL,
  cert_serial TEXT NOT NULL UNIQUE,
  profile TEXT NOT NULL,
  state TEXT NOT NULL,
  reachable INTEGER NOT NULL DEFAULT 1,
  boot_time TEXT NOT NULL DEFAULT '',
  last_contact TEXT NOT NULL DEFAULT '',
  reboots INTEGER NOT NULL DEFAULT 0,
  last_reboot TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  secret TEXT NOT NULL UNIQUE,
  credits INTEGER NOT NULL,
  profile TEXT NOT NULL,
  expiry_us INTEGER NOT NULL,
  cancelled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS records (
  kind TEXT NOT NULL,
  id INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (kind, id));
)sql";

const char* kHostColumns =
    "id, fqdn, nodename, address, cert_serial, profile, state, reachable, boot_time, "
    "last_contact, reboots, last_reboot";

HostRecord ReadHost(const SqliteStatement& s) {
  HostRecord h;
  h.id = s.ColumnInt(0);
  h.fqdn = s.ColumnText(1);
  h.nodename = s.ColumnText(2);
  h.address = s.ColumnText(3);
  h.cert_serial = s.ColumnText(4);
  h.profile = s.ColumnText(5);
  h.state = s.ColumnText(6);
  h.reachable = s.ColumnInt(7) != 0;
  h.boot_time = s.ColumnText(8);
  h.last_contact = s.ColumnText(9);
  h.reboots = s.ColumnInt(10);
  h.last_reboot = s.ColumnText(11);
  return h;
}

TokenRecord ReadToken(const SqliteStatement& s) {
  TokenRecord t;
  t.id = s.ColumnInt(0);
  t.secret = s.ColumnText(1);
  t.credits = s.ColumnInt(2);
  t.profile = s.ColumnText(3);
  t.expiry = WallTime(std::chrono::microseconds(s.ColumnInt(4)));
  t.cancelled = s.ColumnInt(5) != 0;
  return t;
}

Json NullIfEmpty(const std::string& s) { return s.empty() ? Json() : Json(s); }

}  // namespace

Json HostRecord::ToJson() const {
  return Json{{"id", id},
              {"fqdn", fqdn},
              {"nodename", nodename},
              {"address", address},
              {"state", state},
              {"reachable", reachable},
              {"boot_time", NullIfEmpty(boot_time)},
              {"last_contact", NullIfEmpty(last_contact)},
              {"reboots", reboots},
              {"last_reboot", NullIfEmpty(last_reboot)}};
}

Json TokenRecord::ToJson() const {
  return Json{{"id", id},
              {"secret", secret},
              {"credits", credits},
              {"expiry", FormatAgentTime(expiry)},
              {"cancelled", cancelled}};
}

Result<std::unique_ptr<ManagerStore>> ManagerStore::Open(const std::string& path) {
  auto db = SqliteDb::Open(path, SqliteDb::Mode::kCreate, 5000);
  if (!db.ok()) return db.status();
  CS_RETURN_IF_ERROR((*db)->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  auto version = (*db)->Prepare("PRAGMA user_version");
  if (!version.ok()) return version.status();
  Status s;
  if (!(*version)->Step(&s)) return s.ok() ? Status::Corruption(path + ": no user_version") : s;
  const int64_t v = (*version)->ColumnInt(0);
  version->reset();
  if (v > kSchemaVersion) {
    return Status::FailedPrecondition(path + ": made by a newer cluster-sim (schema " +
                                      std::to_string(v) + ")");
  }
  CS_RETURN_IF_ERROR((*db)->Exec(std::string("BEGIN;") + kSchema + "PRAGMA user_version=" +
                                 std::to_string(kSchemaVersion) + "; COMMIT;"));
  return std::unique_ptr<ManagerStore>(new ManagerStore(std::move(*db)));
}

Status ManagerStore::RunLocked(const std::string& sql, const std::vector<std::string>& args) {
  auto stmt = db_->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  for (size_t i = 0; i < args.size(); ++i) (*stmt)->BindText(static_cast<int>(i + 1), args[i]);
  return (*stmt)->Run();
}

std::vector<HostRecord> ManagerStore::QueryHosts(const std::string& where, const std::string& arg) {
  std::vector<HostRecord> out;
  auto stmt = db_->Prepare(std::string("SELECT ") + kHostColumns + " FROM hosts " + where +
                           " ORDER BY id");
  if (!stmt.ok()) return out;
  if (!arg.empty() || where.find('?') != std::string::npos) (*stmt)->BindText(1, arg);
  Status s;
  while ((*stmt)->Step(&s)) out.push_back(ReadHost(**stmt));
  return out;
}

Result<HostRecord> ManagerStore::AddHost(HostRecord host) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!QueryHosts("WHERE fqdn = ?", host.fqdn).empty()) {
    return Status::AlreadyExists("host " + host.fqdn + " is registered already");
  }
  Status s = RunLocked(
      "INSERT INTO hosts (fqdn, nodename, address, cert_serial, profile, state) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {host.fqdn, host.nodename, host.address, host.cert_serial, host.profile, host.state});
  if (!s.ok()) return s;
  host.id = sqlite3_last_insert_rowid(db_->raw());
  return host;
}

std::optional<HostRecord> ManagerStore::HostByFqdn(const std::string& fqdn) {
  std::lock_guard<std::mutex> lock(mu_);
  auto hosts = QueryHosts("WHERE fqdn = ?", fqdn);
  if (hosts.empty()) return std::nullopt;
  return hosts.front();
}

std::optional<HostRecord> ManagerStore::HostBySerial(const std::string& serial_hex) {
  if (serial_hex.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto hosts = QueryHosts("WHERE cert_serial = ?", serial_hex);
  if (hosts.empty()) return std::nullopt;
  return hosts.front();
}

std::optional<HostRecord> ManagerStore::HostById(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto hosts = QueryHosts("WHERE id = ?", std::to_string(id));
  if (hosts.empty()) return std::nullopt;
  return hosts.front();
}

std::vector<HostRecord> ManagerStore::Hosts() {
  std::lock_guard<std::mutex> lock(mu_);
  return QueryHosts("", "");
}

Status ManagerStore::SetHostState(const std::string& fqdn, const std::string& state) {
  std::lock_guard<std::mutex> lock(mu_);
  return RunLocked("UPDATE hosts SET state = ? WHERE fqdn = ?", {state, fqdn});
}

Status ManagerStore::SetHostReachable(const std::string& fqdn, bool reachable) {
  std::lock_guard<std::mutex> lock(mu_);
  return RunLocked("UPDATE hosts SET reachable = ? WHERE fqdn = ?", {reachable ? "1" : "0", fqdn});
}

Status ManagerStore::SetBootTime(const std::string& fqdn, const std::string& boot_time,
                                 bool reboot, const std::string& seen_at) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!reboot) return RunLocked("UPDATE hosts SET boot_time = ? WHERE fqdn = ?", {boot_time, fqdn});
  return RunLocked(
      "UPDATE hosts SET boot_time = ?, reboots = reboots + 1, last_reboot = ? WHERE fqdn = ?",
      {boot_time, seen_at, fqdn});
}

Status ManagerStore::SetLastContact(const std::string& fqdn, const std::string& when) {
  std::lock_guard<std::mutex> lock(mu_);
  return RunLocked("UPDATE hosts SET last_contact = ? WHERE fqdn = ?", {when, fqdn});
}

Result<TokenRecord> ManagerStore::CreateToken(int64_t credits, const std::string& profile,
                                              WallTime expiry) {
  std::lock_guard<std::mutex> lock(mu_);
  TokenRecord t;
  // 32 hex digits: a word as the agent URL needs ([A-Za-z0-9_]+).
  t.secret = RandomHex(16);
  t.credits = credits;
  t.profile = profile;
  t.expiry = expiry;
  auto stmt = db_->Prepare(
      "INSERT INTO tokens (secret, credits, profile, expiry_us) VALUES (?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, t.secret);
  (*stmt)->BindInt(2, credits);
  (*stmt)->BindText(3, profile);
  (*stmt)->BindInt(4, expiry.time_since_epoch().count());
  CS_RETURN_IF_ERROR((*stmt)->Run());
  t.id = sqlite3_last_insert_rowid(db_->raw());
  return t;
}

Result<TokenRecord> ManagerStore::SpendToken(const std::string& secret, WallTime now,
                                             TokenProblem* problem) {
  std::lock_guard<std::mutex> lock(mu_);
  *problem = TokenProblem::kUnknown;
  auto stmt = db_->Prepare(
      "SELECT id, secret, credits, profile, expiry_us, cancelled FROM tokens WHERE secret = ?");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, secret);
  Status s;
  if (!(*stmt)->Step(&s)) return s.ok() ? Status::NotFound("no such token") : s;
  TokenRecord t = ReadToken(**stmt);
  if (t.credits <= 0) {
    *problem = TokenProblem::kExhausted;
    return t;
  }
  CS_RETURN_IF_ERROR(RunLocked("UPDATE tokens SET credits = credits - 1 WHERE id = ?",
                               {std::to_string(t.id)}));
  t.credits -= 1;
  if (t.expiry < now) {
    *problem = TokenProblem::kExpired;
  } else if (t.cancelled) {
    *problem = TokenProblem::kCancelled;
  } else {
    *problem = TokenProblem::kNone;
  }
  return t;
}

Status ManagerStore::CancelToken(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  return RunLocked("UPDATE tokens SET cancelled = 1 WHERE id = ?", {std::to_string(id)});
}

std::vector<TokenRecord> ManagerStore::Tokens() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<TokenRecord> out;
  auto stmt = db_->Prepare(
      "SELECT id, secret, credits, profile, expiry_us, cancelled FROM tokens ORDER BY id");
  if (!stmt.ok()) return out;
  Status s;
  while ((*stmt)->Step(&s)) out.push_back(ReadToken(**stmt));
  return out;
}

std::optional<TokenRecord> ManagerStore::TokenById(int64_t id) {
  for (TokenRecord& t : Tokens()) {
    if (t.id == id) return t;
  }
  return std::nullopt;
}

Result<int64_t> ManagerStore::InsertRecord(const std::string& kind, Json doc) {
  std::lock_guard<std::mutex> lock(mu_);
  auto max = db_->Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM records WHERE kind = ?");
  if (!max.ok()) return max.status();
  (*max)->BindText(1, kind);
  Status s;
  if (!(*max)->Step(&s)) return s.ok() ? Status::Internal("no next id") : s;
  const int64_t id = (*max)->ColumnInt(0);
  doc["id"] = id;
  CS_RETURN_IF_ERROR(RunLocked("INSERT INTO records (kind, id, body) VALUES (?, ?, ?)",
                               {kind, std::to_string(id), doc.dump()}));
  return id;
}

Status ManagerStore::PutRecord(const std::string& kind, int64_t id, const Json& doc) {
  std::lock_guard<std::mutex> lock(mu_);
  Json copy = doc;
  copy["id"] = id;
  return RunLocked("INSERT OR REPLACE INTO records (kind, id, body) VALUES (?, ?, ?)",
                   {kind, std::to_string(id), copy.dump()});
}

std::optional<Json> ManagerStore::GetRecord(const std::string& kind, int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  return GetRecordLocked(kind, id);
}

Status ManagerStore::UpdateRecord(const std::string& kind, int64_t id,
                                  const std::function<void(Json&)>& change, bool create) {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<Json> doc = GetRecordLocked(kind, id);
  if (!doc && !create) return Status::NotFound("no " + kind + " " + std::to_string(id));
  if (!doc) doc = Json::object();
  const Json before = *doc;
  change(*doc);
  (*doc)["id"] = id;
  if (*doc == before) return Status::Ok();  // unchanged: no write
  return RunLocked("INSERT OR REPLACE INTO records (kind, id, body) VALUES (?, ?, ?)",
                   {kind, std::to_string(id), doc->dump()});
}

std::optional<Json> ManagerStore::GetRecordLocked(const std::string& kind, int64_t id) {
  auto stmt = db_->Prepare("SELECT body FROM records WHERE kind = ? AND id = ?");
  if (!stmt.ok()) return std::nullopt;
  (*stmt)->BindText(1, kind);
  (*stmt)->BindInt(2, id);
  Status s;
  if (!(*stmt)->Step(&s)) return std::nullopt;
  Json doc = Json::parse((*stmt)->ColumnText(0), nullptr, false);
  if (doc.is_discarded()) return std::nullopt;
  return doc;
}

std::vector<Json> ManagerStore::ListRecords(const std::string& kind) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Json> out;
  auto stmt = db_->Prepare("SELECT body FROM records WHERE kind = ? ORDER BY id");
  if (!stmt.ok()) return out;
  (*stmt)->BindText(1, kind);
  Status s;
  while ((*stmt)->Step(&s)) {
    Json doc = Json::parse((*stmt)->ColumnText(0), nullptr, false);
    if (!doc.is_discarded()) out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace cs::manager
