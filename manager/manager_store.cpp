#include "manager/manager_store.h"

#include "manager/json_fields.h"
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

Result<std::unique_ptr<ManagerStore>> ManagerStore::Open(const std::string& path,
                                                         WalCheckpointer::Limits wal) {
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
  std::unique_ptr<ManagerStore> store(new ManagerStore(std::move(*db)));
  CS_RETURN_IF_ERROR(store->Load());
  auto checkpointer = WalCheckpointer::Start(path, store->db_->raw(), store->db_mu_, wal);
  if (!checkpointer.ok()) return checkpointer.status();
  store->checkpointer_ = std::move(*checkpointer);
  return store;
}

Status ManagerStore::Load() {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  std::lock_guard<std::mutex> lock(cache_mu_);
  Result<SqliteStatement*> hosts =
      Statement("SELECT id, fqdn, nodename, address, cert_serial, profile, state, reachable, "
                "boot_time, last_contact, reboots, last_reboot FROM hosts");
  if (!hosts.ok()) return hosts.status();
  Status s;
  while ((*hosts)->Step(&s)) {
    HostRecord h = ReadHost(**hosts);
    host_by_fqdn_[h.fqdn] = h.id;
    host_by_serial_[h.cert_serial] = h.id;
    host_by_nodename_[h.nodename] = h.id;
    hosts_[h.id] = std::move(h);
  }
  CS_RETURN_IF_ERROR(s);
  Result<SqliteStatement*> records = Statement("SELECT kind, id, body FROM records");
  if (!records.ok()) return records.status();
  while ((*records)->Step(&s)) {
    Json doc = Json::parse((*records)->ColumnText(2), nullptr, false);
    if (doc.is_discarded()) continue;  // unreadable: as if absent, as before
    CacheRecordLocked((*records)->ColumnText(0), (*records)->ColumnInt(1), std::move(doc));
  }
  return s;
}

Result<SqliteStatement*> ManagerStore::Statement(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    auto stmt = db_->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    it = statements_.emplace(sql, std::move(*stmt)).first;
  }
  it->second->Reset();
  return it->second.get();
}

Status ManagerStore::RunLocked(const char* sql, const std::vector<std::string>& args) {
  Result<SqliteStatement*> stmt = Statement(sql);
  if (!stmt.ok()) return stmt.status();
  for (size_t i = 0; i < args.size(); ++i) (*stmt)->BindText(static_cast<int>(i + 1), args[i]);
  return (*stmt)->Run();
}

HostRecord* ManagerStore::HostLocked(const std::string& fqdn) {
  auto it = host_by_fqdn_.find(fqdn);
  if (it == host_by_fqdn_.end()) return nullptr;
  auto h = hosts_.find(it->second);
  return h == hosts_.end() ? nullptr : &h->second;
}

Result<HostRecord> ManagerStore::AddHost(HostRecord host) {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (host_by_fqdn_.count(host.fqdn)) {
      return Status::AlreadyExists("host " + host.fqdn + " is registered already");
    }
  }
  Status s = RunLocked(
      "INSERT INTO hosts (fqdn, nodename, address, cert_serial, profile, state) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {host.fqdn, host.nodename, host.address, host.cert_serial, host.profile, host.state});
  if (!s.ok()) return s;
  host.id = sqlite3_last_insert_rowid(db_->raw());
  std::lock_guard<std::mutex> lock(cache_mu_);
  host_by_fqdn_[host.fqdn] = host.id;
  host_by_serial_[host.cert_serial] = host.id;
  host_by_nodename_[host.nodename] = host.id;
  hosts_[host.id] = host;
  return host;
}

Status ManagerStore::RemoveHost(int64_t id) {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  HostRecord host;
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = hosts_.find(id);
    if (it == hosts_.end()) return Status::NotFound("no host " + std::to_string(id));
    host = it->second;
  }
  CS_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  Status s = RunLocked("DELETE FROM hosts WHERE id = ?", {std::to_string(id)});
  if (s.ok()) s = RunLocked("DELETE FROM records WHERE kind = 'host_facts' AND id = ?", {std::to_string(id)});
  if (!s.ok()) {
    (void)db_->Exec("ROLLBACK");
    return s;
  }
  CS_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  std::lock_guard<std::mutex> lock(cache_mu_);
  host_by_fqdn_.erase(host.fqdn);
  host_by_serial_.erase(host.cert_serial);
  if (auto n = host_by_nodename_.find(host.nodename); n != host_by_nodename_.end() && n->second == id) {
    host_by_nodename_.erase(n);
  }
  hosts_.erase(id);
  dirty_contacts_.erase(id);
  if (auto k = records_.find("host_facts"); k != records_.end()) k->second.erase(id);
  return Status::Ok();
}

Status ManagerStore::DeleteRecord(const std::string& kind, int64_t id) {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto k = records_.find(kind);
    if (k == records_.end() || !k->second.count(id)) return Status::NotFound("no " + kind + " " + std::to_string(id));
  }
  CS_RETURN_IF_ERROR(RunLocked("DELETE FROM records WHERE kind = ? AND id = ?", {kind, std::to_string(id)}));
  std::lock_guard<std::mutex> lock(cache_mu_);
  records_[kind].erase(id);
  return Status::Ok();
}

std::optional<HostRecord> ManagerStore::HostByFqdn(const std::string& fqdn) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  const HostRecord* h = HostLocked(fqdn);
  if (!h) return std::nullopt;
  return *h;
}

std::optional<HostRecord> ManagerStore::HostBySerial(const std::string& serial_hex) {
  if (serial_hex.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = host_by_serial_.find(serial_hex);
  if (it == host_by_serial_.end()) return std::nullopt;
  return hosts_.at(it->second);
}

std::optional<HostRecord> ManagerStore::HostById(int64_t id) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = hosts_.find(id);
  if (it == hosts_.end()) return std::nullopt;
  return it->second;
}

std::optional<int64_t> ManagerStore::HostIdByFqdn(const std::string& fqdn) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = host_by_fqdn_.find(fqdn);
  if (it == host_by_fqdn_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> ManagerStore::FqdnByNodename(const std::string& nodename) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = host_by_nodename_.find(nodename);
  if (it == host_by_nodename_.end()) return std::nullopt;
  return hosts_.at(it->second).fqdn;
}

std::vector<HostRecord> ManagerStore::Hosts() {
  size_t total = 0;
  return Hosts(0, 0, &total);
}

std::vector<HostRecord> ManagerStore::Hosts(size_t offset, size_t limit, size_t* total) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  *total = hosts_.size();
  std::vector<HostRecord> out;
  if (offset >= hosts_.size()) return out;
  const size_t n = limit == 0 ? hosts_.size() - offset : std::min(limit, hosts_.size() - offset);
  out.reserve(n);
  auto it = hosts_.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(offset));
  for (; it != hosts_.end() && out.size() < n; ++it) out.push_back(it->second);
  return out;
}

size_t ManagerStore::host_count() {
  std::lock_guard<std::mutex> lock(cache_mu_);
  return hosts_.size();
}

Status ManagerStore::SetHostState(const std::string& fqdn, const std::string& state) {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  CS_RETURN_IF_ERROR(RunLocked("UPDATE hosts SET state = ? WHERE fqdn = ?", {state, fqdn}));
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (HostRecord* h = HostLocked(fqdn)) h->state = state;
  return Status::Ok();
}

Status ManagerStore::SetHostReachable(const std::string& fqdn, bool reachable) {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  CS_RETURN_IF_ERROR(
      RunLocked("UPDATE hosts SET reachable = ? WHERE fqdn = ?", {reachable ? "1" : "0", fqdn}));
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (HostRecord* h = HostLocked(fqdn)) h->reachable = reachable;
  return Status::Ok();
}

Status ManagerStore::SetBootTime(const std::string& fqdn, const std::string& boot_time,
                                 bool reboot, const std::string& seen_at) {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  if (!reboot) {
    CS_RETURN_IF_ERROR(RunLocked("UPDATE hosts SET boot_time = ? WHERE fqdn = ?", {boot_time, fqdn}));
  } else {
    CS_RETURN_IF_ERROR(RunLocked(
        "UPDATE hosts SET boot_time = ?, reboots = reboots + 1, last_reboot = ? WHERE fqdn = ?",
        {boot_time, seen_at, fqdn}));
  }
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (HostRecord* h = HostLocked(fqdn)) {
    h->boot_time = boot_time;
    if (reboot) {
      ++h->reboots;
      h->last_reboot = seen_at;
    }
  }
  return Status::Ok();
}

Status ManagerStore::SetLastContact(const std::string& fqdn, const std::string& when) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  HostRecord* h = HostLocked(fqdn);
  if (!h) return Status::NotFound("no host " + fqdn);
  h->last_contact = when;
  dirty_contacts_.insert(h->id);
  return Status::Ok();
}

Result<size_t> ManagerStore::FlushContacts() {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  std::vector<std::pair<int64_t, std::string>> batch;
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    for (int64_t id : dirty_contacts_) batch.emplace_back(id, hosts_.at(id).last_contact);
    dirty_contacts_.clear();
  }
  if (batch.empty()) return size_t{0};
  Status s = RunLocked("BEGIN", {});
  for (size_t i = 0; s.ok() && i < batch.size(); ++i) {
    s = RunLocked("UPDATE hosts SET last_contact = ? WHERE id = ?",
                  {batch[i].second, std::to_string(batch[i].first)});
  }
  if (s.ok()) s = RunLocked("COMMIT", {});
  if (!s.ok()) {
    (void)RunLocked("ROLLBACK", {});
    std::lock_guard<std::mutex> lock(cache_mu_);  // try again next time
    for (const auto& [id, when] : batch) dirty_contacts_.insert(id);
    return s;
  }
  return batch.size();
}

Result<TokenRecord> ManagerStore::CreateToken(int64_t credits, const std::string& profile,
                                              WallTime expiry) {
  std::lock_guard<std::mutex> lock(db_mu_);
  TokenRecord t;
  // 32 hex digits: a word as the agent URL needs ([A-Za-z0-9_]+).
  t.secret = RandomHex(16);
  t.credits = credits;
  t.profile = profile;
  t.expiry = expiry;
  Result<SqliteStatement*> stmt =
      Statement("INSERT INTO tokens (secret, credits, profile, expiry_us) VALUES (?, ?, ?, ?)");
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
  std::lock_guard<std::mutex> lock(db_mu_);
  *problem = TokenProblem::kUnknown;
  Result<SqliteStatement*> stmt = Statement(
      "SELECT id, secret, credits, profile, expiry_us, cancelled FROM tokens WHERE secret = ?");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, secret);
  Status s;
  if (!(*stmt)->Step(&s)) return s.ok() ? Status::NotFound("no such token") : s;
  TokenRecord t = ReadToken(**stmt);
  (*stmt)->Reset();
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
  std::lock_guard<std::mutex> lock(db_mu_);
  return RunLocked("UPDATE tokens SET cancelled = 1 WHERE id = ?", {std::to_string(id)});
}

std::vector<TokenRecord> ManagerStore::Tokens() {
  std::lock_guard<std::mutex> lock(db_mu_);
  std::vector<TokenRecord> out;
  Result<SqliteStatement*> stmt =
      Statement("SELECT id, secret, credits, profile, expiry_us, cancelled FROM tokens ORDER BY id");
  if (!stmt.ok()) return out;
  Status s;
  while ((*stmt)->Step(&s)) out.push_back(ReadToken(**stmt));
  (*stmt)->Reset();
  return out;
}

std::optional<TokenRecord> ManagerStore::TokenById(int64_t id) {
  for (TokenRecord& t : Tokens()) {
    if (t.id == id) return t;
  }
  return std::nullopt;
}

void ManagerStore::CacheRecordLocked(const std::string& kind, int64_t id, Json doc) {
  CachedRecord& slot = records_[kind][id];
  if (kind == "target") {
    const Json old = slot.Get();
    const Json old_label = old.is_object() ? old.value("ha_label", Json()) : Json();
    if (old_label.is_string()) {
      auto it = target_by_label_.find(old_label.get<std::string>());
      if (it != target_by_label_.end() && it->second == id) target_by_label_.erase(it);
    }
    const Json label = doc.value("ha_label", Json());
    if (label.is_string()) target_by_label_[label.get<std::string>()] = id;
  }
  slot = CachedRecord(std::move(doc), CachedRecord::PackedKind(kind));
}

Status ManagerStore::WriteRecordLocked(const std::string& kind, int64_t id, const Json& doc) {
  CS_RETURN_IF_ERROR(RunLocked("INSERT OR REPLACE INTO records (kind, id, body) VALUES (?, ?, ?)",
                               {kind, std::to_string(id), doc.dump()}));
  std::lock_guard<std::mutex> lock(cache_mu_);
  CacheRecordLocked(kind, id, doc);
  return Status::Ok();
}

Result<int64_t> ManagerStore::InsertRecord(const std::string& kind, Json doc) {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  int64_t id = 1;
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = records_.find(kind);
    if (it != records_.end() && !it->second.empty()) id = it->second.rbegin()->first + 1;
  }
  doc["id"] = id;
  CS_RETURN_IF_ERROR(WriteRecordLocked(kind, id, doc));
  return id;
}

Status ManagerStore::PutRecord(const std::string& kind, int64_t id, const Json& doc) {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  Json copy = doc;
  copy["id"] = id;
  return WriteRecordLocked(kind, id, copy);
}

Status ManagerStore::PutRecords(const std::string& kind, const std::map<int64_t, Json>& docs) {
  std::lock_guard<std::mutex> db_lock(db_mu_);
  CS_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  Status s;
  std::vector<std::pair<int64_t, Json>> stored;
  stored.reserve(docs.size());
  for (const auto& [id, doc] : docs) {
    Json copy = doc;
    copy["id"] = id;
    s = RunLocked("INSERT OR REPLACE INTO records (kind, id, body) VALUES (?, ?, ?)",
                  {kind, std::to_string(id), copy.dump()});
    if (!s.ok()) break;
    stored.emplace_back(id, std::move(copy));
  }
  if (s.ok()) s = db_->Exec("COMMIT");
  if (!s.ok()) {
    (void)db_->Exec("ROLLBACK");
    return s;
  }
  // Cached only once stored, so memory never shows what the disk lost.
  std::lock_guard<std::mutex> lock(cache_mu_);
  for (auto& [id, doc] : stored) CacheRecordLocked(kind, id, std::move(doc));
  return Status::Ok();
}

std::optional<Json> ManagerStore::GetRecord(const std::string& kind, int64_t id) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto k = records_.find(kind);
  if (k == records_.end()) return std::nullopt;
  auto it = k->second.find(id);
  if (it == k->second.end()) return std::nullopt;
  return it->second.Get();
}

const CachedRecord* ManagerStore::FindRecordLocked(const std::string& kind, int64_t id) const {
  auto k = records_.find(kind);
  if (k == records_.end()) return nullptr;
  auto it = k->second.find(id);
  return it == k->second.end() ? nullptr : &it->second;
}

Status ManagerStore::UpdateRecord(const std::string& kind, int64_t id,
                                  const std::function<void(Json&)>& change, bool create) {
  // Most agent reports repeat the last one: find that out from memory,
  // without waiting for writers.
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (const CachedRecord* record = FindRecordLocked(kind, id)) {
      Json changed = record->Get();  // `change` never calls the store
      change(changed);
      changed["id"] = id;
      if (record->SameAs(changed)) return Status::Ok();
    }
  }
  return ChangeRecord(kind, id, change, create);
}

Status ManagerStore::SetFields(const std::string& kind, int64_t id, std::span<const Field> fields, bool create) {
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (const CachedRecord* record = FindRecordLocked(kind, id)) {
      std::optional<Json> unpacked;
      const Json* doc = record->Parsed();
      if (!doc) doc = &unpacked.emplace(record->Get());
      bool same = doc->is_object();
      for (size_t i = 0; same && i < fields.size(); ++i) {
        auto it = doc->find(fields[i].key);
        same = it != doc->end() && *it == *fields[i].value;
      }
      if (same) return Status::Ok();
    }
  }
  return ChangeRecord(kind, id, [fields](Json& doc) {
    for (const Field& f : fields) doc[f.key] = *f.value;
  }, create);
}

Status ManagerStore::ChangeRecord(const std::string& kind, int64_t id,
                                  const std::function<void(Json&)>& change, bool create) {
  // db_mu_ serialises writers, so nobody changes the record between the
  // read and the write.
  std::lock_guard<std::mutex> db_lock(db_mu_);
  std::optional<Json> doc = GetRecord(kind, id);
  if (!doc && !create) return Status::NotFound("no " + kind + " " + std::to_string(id));
  if (!doc) doc = Json::object();
  const Json before = *doc;
  change(*doc);
  (*doc)["id"] = id;
  if (*doc == before) return Status::Ok();  // unchanged: no write
  return WriteRecordLocked(kind, id, *doc);
}

std::vector<Json> ManagerStore::ListRecords(const std::string& kind) {
  size_t total = 0;
  return ListRecords(kind, 0, 0, &total);
}

std::vector<Json> ManagerStore::ListRecords(const std::string& kind, size_t offset, size_t limit,
                                            size_t* total) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  std::vector<Json> out;
  *total = 0;
  auto k = records_.find(kind);
  if (k == records_.end()) return out;
  const auto& all = k->second;
  *total = all.size();
  if (offset >= all.size()) return out;
  const size_t n = limit == 0 ? all.size() - offset : std::min(limit, all.size() - offset);
  out.reserve(n);
  auto it = all.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(offset));
  for (; it != all.end() && out.size() < n; ++it) out.push_back(it->second.Get());
  return out;
}

std::optional<int64_t> ManagerStore::TargetIdByLabel(const std::string& label) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = target_by_label_.find(label);
  if (it == target_by_label_.end()) return std::nullopt;
  return it->second;
}

}  // namespace cs::manager
