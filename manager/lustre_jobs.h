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

#include <mutex>
#include <set>
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

  // configure_fencing's agents for a host, as IML's ConfigureHostFencingStep
  // builds them: one per PDU outlet assigned to the host, {agent, login,
  // password, plug, ipaddr, ipport} from the outlet's device and its type.
  Json FenceAgents(int64_t host_id);

  // After outlets were (re)assigned: configures fencing again on each
  // managed host among `host_ids` (IML's reconfigure_fencing); a host still
  // in setup is configured again when its setup succeeds, so an assignment
  // made while its configure_fencing step ran is not lost.
  void OutletsChanged(const std::set<int64_t>& host_ids);

 private:
  struct Placement {
    std::string primary, primary_path;
    std::string secondary, secondary_path;  // "" when no other host sees it
  };
  Result<std::string> ResolveHost(const std::string& name);
  Result<Placement> Place(const Json& spec);
  Status CheckDevicesFree(const std::vector<Placement>& places);
  void AddTargetSteps(CommandSpec& command, int64_t target_id, const Json& target);
  Result<int64_t> ConfigureFencing(const HostRecord& host);
  void FinishSetUp(const std::string& fqdn, const std::string& profile, const std::string& state);

  ManagerStore& store_;
  HostReports& reports_;
  JobRunner& jobs_;
  std::mutex fencing_mu_;                  // guards refence_after_setup_; taken alone
  std::set<std::string> refence_after_setup_;  // fqdns whose outlets changed during setup
};

}  // namespace cs::manager
