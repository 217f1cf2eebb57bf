// AgentSessions: the manager's memory of each registered host's agent, as
// the real manager's http_agent service kept it: one session id per
// (host, plugin), the raw client_start_time and server_boot_time texts the
// agent last sent, and when it was last heard from. Pure logic (no I/O, no
// timers): the caller passes the time and acts on what the calls return.
// Never persisted: after a manager restart every agent starts over.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/clock.h"

namespace cs::manager {

// Why a host's session ended, for those who had work on it (JobRunner):
//  - kReplaced: the agent asked for the plugin's session again (its request
//    went unanswered for its backoff, or it dropped the old one after a
//    failed POST or a SESSION_TERMINATE); the new session exists already.
//  - kAgentRestarted: a new agent instance (client_start_time) began; it
//    opens sessions of its own.
//  - kEnded: the host went silent or is being forgotten; nothing follows.
enum class SessionEnd { kReplaced, kAgentRestarted, kEnded };

// What one contact (a GET or POST) told us about a host.
struct ContactResult {
  bool terminate_all = false;  // new (or first) client_start_time: DropAll()
  bool rebooted = false;       // boot time changed from a known one
  bool boot_time_changed = false;
  bool became_reachable = false;
};

// What the manager has heard from one host's agent since it started (for
// `GET api/session_stats/` and the benchmarks: missed poll updates, hosts
// that went unreachable).
struct HostSessionStats {
  std::string fqdn;
  struct Plugin {
    std::string plugin;
    int64_t data_messages = 0;           // DATA on the current session
    std::optional<WallTime> last_data;   // when the last one arrived
  };
  std::vector<Plugin> sessions;  // current sessions only, by plugin name
  int64_t times_unreachable = 0;
  bool reachable = true;
};

class AgentSessions {
 public:
  // Seeds a host's last known boot time (from the store) so that a manager
  // restart does not look like a reboot of every server.
  void KnowHost(const std::string& fqdn, const std::string& boot_time);

  // A GET carries both times; POSTs carry them too but, as in the
  // original, only a GET may ask for a reset (pass nullopt from a POST).
  // Compares the raw strings, as the real manager's TX_BARRIER did.
  ContactResult Contact(const std::string& fqdn, const std::optional<std::string>& boot_time,
                        const std::optional<std::string>& client_start_time, WallTime now);

  // A new session for (fqdn, plugin), replacing any old one. Returns the
  // new id; `*replaced` gets the old id when there was one.
  std::string Create(const std::string& fqdn, const std::string& plugin,
                     std::optional<std::string>* replaced = nullptr,
                     const std::string& client_start_time = "");
  // The current session id of (fqdn, plugin).
  std::optional<std::string> Get(const std::string& fqdn, const std::string& plugin) const;
  // Whether `session_id` is the current session of (fqdn, plugin).
  bool IsCurrent(const std::string& fqdn, const std::string& plugin,
                 const std::optional<std::string>& session_id) const;
  // Forgets every session of the host; returns the plugins that had one.
  std::vector<std::string> DropAll(const std::string& fqdn);
  // Drops the sessions opened by any agent instance but the one started at
  // `client_start_time`: a new agent's first GET may arrive after its first
  // session requests, and those sessions are its own.
  std::vector<std::string> DropAllBut(const std::string& fqdn, const std::string& client_start_time);

  // Hosts whose last contact is older than `timeout` and that were still
  // reachable: they are marked unreachable and returned.
  std::vector<std::string> ExpireSilent(WallTime now, std::chrono::microseconds timeout);

  // A DATA message on the current session of (fqdn, plugin) arrived.
  void CountData(const std::string& fqdn, const std::string& plugin, WallTime now);
  // Every known host, by fqdn.
  std::vector<HostSessionStats> Stats() const;

  std::optional<WallTime> LastContact(const std::string& fqdn) const;
  std::optional<std::string> ClientStartTime(const std::string& fqdn) const;

 private:
  struct HostState {
    std::optional<std::string> boot_time;
    std::optional<std::string> client_start_time;
    std::optional<WallTime> last_contact;
    bool reachable = true;
    std::map<std::string, std::string> sessions;  // plugin -> id
    std::map<std::string, std::string> opened_by;  // plugin -> client_start_time
    struct Counts {
      int64_t data = 0;
      std::optional<WallTime> last_data;
    };
    std::map<std::string, Counts> counts;  // plugin -> of its current session
    int64_t times_unreachable = 0;
  };

  mutable std::mutex mu_;
  std::map<std::string, HostState> hosts_;
};

}  // namespace cs::manager
