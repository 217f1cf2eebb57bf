// ManagerStore: the built-in manager's persistent state in <dir>/manager.db
// (SQLite, WAL, schema version in user_version). Hosts and registration
// tokens have tables of their own because the agent protocol looks them up
// on every request; filesystems, targets, commands and power control
// objects are JSON documents in one `records` table, keyed by kind and id,
// because only the REST API and the job runner read them whole.
//
// Agent sessions are NOT stored: like the real manager, a restart forgets
// them and every agent gets SESSION_TERMINATE_ALL on its next GET.
//
// Every host and every record is also held in memory (commands packed as
// MessagePack: manager/cached_record.h), so that reads (the
// agent protocol authenticates each request; DATA reports read facts and
// targets; the REST API lists) never touch SQLite. Writes go to SQLite
// first, then to memory, through statements prepared once. One exception:
// an agent's last contact time (every GET) is kept in memory and written
// in one transaction by FlushContacts(), which the manager calls every few
// seconds and when it stops. A crash loses at most the contact times since
// the last flush; never a host, a token, a command or a record.
//
// Checkpoints: not in the writers' COMMITs (SQLite's automatic checkpoint
// fsyncs the WAL and the database, and a writer holds db_mu_, which every
// agent message that writes waits for) but on a thread of their own with a
// connection of their own (manager/wal_checkpointer.h), which bounds the WAL.
//
// Thread-safe. Lock order: db_mu_ (the connection, held by writers across
// their statements) before cache_mu_ (memory, held only for lookups and
// copies) and before the checkpointer's lock (its WAL hook runs in a
// COMMIT); readers take cache_mu_ alone, so they never wait for a write to
// reach the disk.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "fakes/json_helpers.h"
#include "manager/cached_record.h"
#include "manager/wal_checkpointer.h"
#include "state/sqlite.h"
#include "util/clock.h"
#include "util/status.h"

namespace cs::manager {

struct HostRecord {
  int64_t id = 0;
  std::string fqdn;
  std::string nodename;
  std::string address;
  std::string cert_serial;  // upper-case hex of the client certificate
  std::string profile;      // server profile name, "base_managed_rh7"
  std::string state;        // setup lifecycle: registered, configuring, managed, setup_failed
  bool reachable = true;    // false after 60 s without contact
  std::string boot_time;    // the agent's server_boot_time text, "" until known
  std::string last_contact; // agent time text, "" until the first request
  int64_t reboots = 0;
  std::string last_reboot;  // agent time text of the last reboot seen
  Json ToJson() const;      // the REST view, without resource_uri
};

struct TokenRecord {
  int64_t id = 0;
  std::string secret;
  int64_t credits = 0;
  std::string profile;
  WallTime expiry;
  bool cancelled = false;
  Json ToJson() const;
};

// Why a token could not pay for a registration.
enum class TokenProblem { kNone, kUnknown, kExhausted, kExpired, kCancelled };

class ManagerStore {
 public:
  static Result<std::unique_ptr<ManagerStore>> Open(const std::string& path,
                                                     WalCheckpointer::Limits wal = {});
  // What the checkpoint thread has done (tests, figures).
  WalCheckpointer::Stats wal_stats() { return checkpointer_->stats(); }

  // Hosts.
  Result<HostRecord> AddHost(HostRecord host);  // id assigned; AlreadyExists on fqdn
  // Forgets a host (IML's ForceRemoveHostJob): its row and its host_facts
  // record, in one transaction. NotFound when there is no such host.
  Status RemoveHost(int64_t id);
  std::optional<HostRecord> HostByFqdn(const std::string& fqdn);
  std::optional<HostRecord> HostBySerial(const std::string& serial_hex);
  std::optional<HostRecord> HostById(int64_t id);
  std::optional<int64_t> HostIdByFqdn(const std::string& fqdn);
  std::vector<HostRecord> Hosts();
  Status SetHostState(const std::string& fqdn, const std::string& state);
  Status SetHostReachable(const std::string& fqdn, bool reachable);
  // Records the boot time; when `reboot`, counts a reboot seen at `seen_at`.
  Status SetBootTime(const std::string& fqdn, const std::string& boot_time, bool reboot,
                     const std::string& seen_at);
  // In memory only; FlushContacts() makes it durable.
  Status SetLastContact(const std::string& fqdn, const std::string& when);
  // Writes the contact times changed since the last flush, in one
  // transaction. Returns how many hosts it wrote.
  Result<size_t> FlushContacts();
  size_t host_count();

  // Registration tokens.
  Result<TokenRecord> CreateToken(int64_t credits, const std::string& profile, WallTime expiry);
  // Spends one credit first (as the original did), then checks expiry and
  // cancellation; `*problem` says why the token is refused.
  Result<TokenRecord> SpendToken(const std::string& secret, WallTime now, TokenProblem* problem);
  Status CancelToken(int64_t id);
  std::vector<TokenRecord> Tokens();
  std::optional<TokenRecord> TokenById(int64_t id);

  // JSON documents by kind ("filesystem", "target", "command", ...). The
  // stored document always carries its "id".
  Result<int64_t> InsertRecord(const std::string& kind, Json doc);
  Status PutRecord(const std::string& kind, int64_t id, const Json& doc);
  // Several documents of one kind, by id, in one transaction.
  Status PutRecords(const std::string& kind, const std::map<int64_t, Json>& docs);
  std::optional<Json> GetRecord(const std::string& kind, int64_t id);
  // Read-modify-write of one record under the store's lock, so that two
  // writers (an agent report and a job step) cannot lose each other's
  // change. `change` must not call the store. When the record is absent:
  // NotFound, or with `create` it starts from an empty object.
  Status UpdateRecord(const std::string& kind, int64_t id, const std::function<void(Json&)>& change,
                      bool create = false);
  // The same for the commonest change, top-level fields set to values:
  // compared with the record in memory in place, so that a report that
  // repeats the last one (most polls) copies nothing. `create` as above.
  struct Field {
    const char* key = nullptr;
    const Json* value = nullptr;
  };
  Status SetFields(const std::string& kind, int64_t id, std::span<const Field> fields, bool create = false);
  std::vector<Json> ListRecords(const std::string& kind);
  // NotFound when there is no such record.
  Status DeleteRecord(const std::string& kind, int64_t id);
  // One page of a kind's records in id order, and how many there are.
  std::vector<Json> ListRecords(const std::string& kind, size_t offset, size_t limit, size_t* total);
  // The id of the "target" record whose ha_label is `label` (an index kept
  // with the records, so a lustre report costs one lookup per resource).
  std::optional<int64_t> TargetIdByLabel(const std::string& label);
  // The fqdn of the host whose nodename is `nodename`.
  std::optional<std::string> FqdnByNodename(const std::string& nodename);
  // One page of the hosts in id order; `*total` gets how many there are.
  std::vector<HostRecord> Hosts(size_t offset, size_t limit, size_t* total);

 private:
  explicit ManagerStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  Status Load();
  // A statement prepared once and reset for reuse; caller holds db_mu_.
  Result<SqliteStatement*> Statement(const char* sql);
  Status RunLocked(const char* sql, const std::vector<std::string>& args);
  Status WriteRecordLocked(const std::string& kind, int64_t id, const Json& doc);
  // Caller holds cache_mu_.
  HostRecord* HostLocked(const std::string& fqdn);
  void CacheRecordLocked(const std::string& kind, int64_t id, Json doc);
  const CachedRecord* FindRecordLocked(const std::string& kind, int64_t id) const;
  // UpdateRecord's write: under db_mu_, from what memory holds then.
  Status ChangeRecord(const std::string& kind, int64_t id, const std::function<void(Json&)>& change,
                      bool create);

  std::mutex db_mu_;
  std::unique_ptr<SqliteDb> db_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> statements_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // stopped before db_ closes

  std::mutex cache_mu_;
  std::map<int64_t, HostRecord> hosts_;  // by id
  std::unordered_map<std::string, int64_t> host_by_fqdn_, host_by_serial_, host_by_nodename_;
  std::set<int64_t> dirty_contacts_;
  std::map<std::string, std::map<int64_t, CachedRecord>> records_;  // kind -> id -> document
  std::unordered_map<std::string, int64_t> target_by_label_;
};

}  // namespace cs::manager
