// RestApi: the small JSON API under /api/ that cluster-sim's `register
// --username/--password`, `--create_pdu_entries` and the `manager` CLI
// commands use; shaped after IML's tastypie API (objects lists,
// resource_uri, session login with a CSRF token):
//   GET/POST/DELETE  session/                 login (GET sets csrftoken + sessionid)
//   GET              server_profile/[name/]
//   GET/POST         registration_token/       DELETE or PATCH {"cancelled": true} on id/
//   GET              host/[id/]
//   GET/POST         power_control_type/
//   GET/POST         power_control_device/     (creates outlets 1..max_outlets)
//   GET/PATCH        power_control_device_outlet/id/  ({"host": uri})
//   GET/POST         filesystem/               (POST starts a creation command)
//   GET              target/[id/]              POST target/id/{start,stop,failover,failback}/
//   GET              command/[id/]             DELETE command/id/ cancels
//   GET              session_stats/            (cluster-sim's own, not IML's)
//   GET              copytool/                 HSM copytools and their activity
//                    per host: its agent's current sessions, DATA counts
//                    and last DATA times, and how often it went unreachable
// Every list pages as tastypie did (manager/list_page.h): `limit` (default
// 20, 0 for all), `offset`, and meta.total_count/previous/next.
//   GET              log/                      journal lines (manager/log_store.h)
//   GET              system_status/            queues in IML's shape (manager/system_status.h)
//   GET              volume/[id/]              volumes the hosts report (manager/volumes.h)
//   storage_resource/, storage_resource_class/ (manager/storage_resources.h)
//   POST             command/ {"message", "jobs": [{"class_name": "ForceRemoveHostJob",
//                    "args": {"host_id"}}]}: forgets hosts; the command is complete at once
// Commands carry IML's complete/errored/cancelled beside our "state".
// Every call but GET session/ needs a logged-in session, and unsafe methods
// need the X-CSRFToken header to match the csrftoken cookie.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "fakes/json_helpers.h"
#include "manager/manager_store.h"
#include "manager/rest_path.h"
#include "manager/users.h"
#include "net/https_server.h"
#include "util/clock.h"

namespace cs::manager {

class RestApi {
 public:
  struct Hooks {
    // POST filesystem/: returns {"filesystem": {...}, "command": {...}}.
    std::function<Result<Json>(const Json& request)> create_filesystem;
    // POST target/<id>/<verb>/: returns the command id.
    std::function<Result<int64_t>(int64_t target_id, const std::string& verb)> target_action;
    std::function<Result<int64_t>(int64_t filesystem_id, const std::string& key, const Json& value)>
        set_conf_param;
    std::function<Result<int64_t>(int64_t host_id, const std::string& action, const Json& args)> host_action;
    std::function<Status(int64_t command_id)> cancel_command;
    // GET session_stats/: one object per host the agent protocol knows.
    std::function<std::vector<Json>()> session_stats;
    // GET copytool/: one object per copytool the manager heard of.
    std::function<std::vector<Json>()> list_copytools;
    // GET log/?limit=&offset=&fqdn=&message__contains=: a page of journal lines.
    std::function<Result<Json>(const net::QueryParams& query)> list_logs;
    // After PATCH power_control_device_outlet/: the hosts the outlet left
    // and joined (their fencing is configured again).
    std::function<void(const std::set<int64_t>& host_ids)> outlets_changed;

    // GET system_status/ (manager/system_status.h).
    std::function<Json()> system_status;
    // GET volume/: every volume (manager/volumes.h).
    std::function<std::vector<Json>()> list_volumes;
    // POST command/ {"jobs": [{"class_name": "ForceRemoveHostJob", "args": {"host_id"}}]}.
    std::function<Status(int64_t host_id)> remove_host;
  };

  RestApi(ManagerStore& store, const Users& users, const Clock& clock, Hooks hooks);

  // `path` is the request path below /api/, e.g. "host/3/" (no leading '/').
  void Handle(const net::Request& request, const std::string& path, net::Respond respond);

  // The profiles this manager offers.
  static const std::vector<Json>& ServerProfiles();

 private:
  struct WebSession {
    std::string csrf;
    std::string username;  // "" until logged in
  };
  net::Response Dispatch(const net::Request& request, const std::vector<std::string>& parts);
  net::Response Session(const net::Request& request);
  net::Response Tokens(const net::Request& request, const std::vector<std::string>& parts);
  net::Response Hosts(const net::Request& request, const std::vector<std::string>& parts);
  net::Response PowerTypes(const net::Request& request, const std::vector<std::string>& parts);
  net::Response PowerDevices(const net::Request& request, const std::vector<std::string>& parts);
  net::Response Outlets(const net::Request& request, const std::vector<std::string>& parts);
  net::Response Records(const net::Request& request, const std::string& kind,
                        const std::vector<std::string>& parts);
  net::Response Filesystems(const net::Request& request, const std::vector<std::string>& parts);
  net::Response Targets(const net::Request& request, const std::vector<std::string>& parts);
  net::Response Commands(const net::Request& request, const std::vector<std::string>& parts);
  net::Response SubmitJobs(const net::Request& request);
  net::Response Volumes(const net::Request& request, const std::vector<std::string>& parts);

  ManagerStore& store_;
  const Users& users_;
  const Clock& clock_;
  Hooks hooks_;
  std::mutex mu_;
  std::map<std::string, WebSession> sessions_;  // by sessionid cookie
};

// Cookie header value -> name -> value.
std::map<std::string, std::string> ParseCookies(const std::string& header);

}  // namespace cs::manager
