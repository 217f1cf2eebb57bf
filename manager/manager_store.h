// ManagerStore: the built-in manager's persistent state in <dir>/manager.db
// (SQLite, WAL, schema version in user_version). Hosts and registration
// tokens have tables of their own because the agent protocol looks them up
// on every request; filesystems, targets, commands and power control
// objects are JSON documents in one `records` table, keyed by kind and id,
// because only the REST API and the job runner read them whole.
//
// Agent sessions are NOT stored: like the real manager, a restart forgets
// them and every agent gets SESSION_TERMINATE_ALL on its next GET.
// Thread-safe: one connection behind a mutex (the manager's load is a few
// small statements per agent request).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fakes/json_helpers.h"
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
  static Result<std::unique_ptr<ManagerStore>> Open(const std::string& path);

  // Hosts.
  Result<HostRecord> AddHost(HostRecord host);  // id assigned; AlreadyExists on fqdn
  std::optional<HostRecord> HostByFqdn(const std::string& fqdn);
  std::optional<HostRecord> HostBySerial(const std::string& serial_hex);
  std::optional<HostRecord> HostById(int64_t id);
  std::vector<HostRecord> Hosts();
  Status SetHostState(const std::string& fqdn, const std::string& state);
  Status SetHostReachable(const std::string& fqdn, bool reachable);
  // Records the boot time; when `reboot`, counts a reboot seen at `seen_at`.
  Status SetBootTime(const std::string& fqdn, const std::string& boot_time, bool reboot,
                     const std::string& seen_at);
  Status SetLastContact(const std::string& fqdn, const std::string& when);

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
  std::optional<Json> GetRecord(const std::string& kind, int64_t id);
  // Read-modify-write of one record under the store's lock, so that two
  // writers (an agent report and a job step) cannot lose each other's
  // change. `change` must not call the store. When the record is absent:
  // NotFound, or with `create` it starts from an empty object.
  Status UpdateRecord(const std::string& kind, int64_t id, const std::function<void(Json&)>& change,
                      bool create = false);
  std::vector<Json> ListRecords(const std::string& kind);

 private:
  explicit ManagerStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  std::vector<HostRecord> QueryHosts(const std::string& where, const std::string& arg);
  Status RunLocked(const std::string& sql, const std::vector<std::string>& args);
  std::optional<Json> GetRecordLocked(const std::string& kind, int64_t id);

  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace cs::manager
