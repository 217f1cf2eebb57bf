// LustreJobs: the manager's commands, built as JobRunner steps with the
// action and argument names of the agent's action plugins (reference §4,
// the original simulator's fake_server.py signatures):
//   host setup after registration (packages, ntp, lnet, corosync2,
//   pacemaker, fencing; the worker profile stops after lnet),
//   filesystem creation (format_target, register_target,
//   configure_target_ha on primary and secondary, start_target for the MGT,
//   then each MDT and OST), and target start/stop/failover/failback.
// Targets are "target" records; where one runs (active_host) is written
// only by HostReports from the agents' resource_locations.
#pragma once

#include <string>

#include "manager/host_reports.h"
#include "manager/job_runner.h"
#include "manager/manager_store.h"

namespace cs::manager {

class LustreJobs {
 public:
  LustreJobs(ManagerStore& store, HostReports& reports, JobRunner& jobs)
      : store_(store), reports_(reports), jobs_(jobs) {}

  // Starts the setup command of a new host; returns its id.
  Result<int64_t> SetUpHost(const HostRecord& host);

  // {"name", "mgt": {"host", "device"}, "mdts": [...], "osts": [...]} where
  // host is an fqdn, a nodename or a unique prefix, and device a path or
  // the index in the host's reported device paths (sorted). Records the
  // filesystem and its targets and starts the creation command; returns
  // {"filesystem": ..., "command_id": ...}.
  Result<Json> CreateFilesystem(const Json& request);

  // verb: start, stop, failover, failback. Returns the command id.
  Result<int64_t> TargetAction(int64_t target_id, const std::string& verb);

  // Sets (or, with a null value, clears) a conf param of a filesystem
  // ("testfs.llite.max_cached_mb", "testfs-OST0000.ost.sync_journal")
  // through the host the agents report running its MGS, as the real
  // manager's set_conf_param jobs did. Returns the command id.
  Result<int64_t> SetConfParam(int64_t filesystem_id, const std::string& key, const Json& value);

  // Any agent action on one host, as a one-step command (for operators and
  // tests: the step records the action's result or exception).
  Result<int64_t> HostAction(int64_t host_id, const std::string& action, const Json& args);

 private:
  struct Placement {
    std::string primary, primary_path;
    std::string secondary, secondary_path;  // "" when no other host sees it
  };
  Result<std::string> ResolveHost(const std::string& name);
  Result<Placement> Place(const Json& spec);
  Status CheckDevicesFree(const std::vector<Placement>& places);
  void AddTargetSteps(CommandSpec& command, int64_t target_id, const Json& target);

  ManagerStore& store_;
  HostReports& reports_;
  JobRunner& jobs_;
};

}  // namespace cs::manager
