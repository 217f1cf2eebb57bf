// JobRunner: the manager's commands. A command is a list of steps run one
// after another; a step is one agent action, sent as
//   {"type": "ACTION_START", "id", "action", "args"}
// DATA on the host's `action_runner` session and finished by the matching
// ACTION_COMPLETE (result, or exception = failure). A step also fails when
// the action times out (default 5 min), when the host opens no
// action_runner session in time (default 1 h: a registered simulator may
// be started much later), or when the host's session ends with none to
// follow (the host went silent or is removed); a failed step fails the
// command and the remaining steps are skipped. Cancelling a command sends
// ACTION_CANCEL for the running step. Every change is written to the store
// as a "command" record, so the REST API and the CLI show progress.
//
// A session that is re-created (the agent asked for it again, or a new
// agent instance started) does not fail the step sent on the old one: the
// step is sent again, with a new action id, on the new session, when its
// ACTION_START was still queued for the host (never read, so never run) or
// when its action is safe to run twice (manager/rerun_safety.h). A step
// that went out and is not safe to run twice fails ("may have run"); so
// does one whose session was re-created kMaxSendsAgain times.
//
// Writes leave the lock: a change to a command is made in memory under
// mu_, which only queues the record (`unsaved_`); the thread that made it
// writes what is queued once it has let mu_ go, so an agent's message or a
// timer never waits on mu_ for another's SQLite write. One thread writes at
// a time (write_mu_, taken with try_lock): a thread that finds it taken
// leaves its record to the writer, which looks again before it stops, and
// writes every queued record in one transaction, latest version only.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "fakes/json_helpers.h"
#include "manager/agent_sessions.h"
#include "manager/manager_store.h"
#include "manager/rate_window.h"
#include "manager/rx_queues.h"
#include "util/status.h"

namespace boost::asio {
class io_context;
}

namespace cs::manager {

struct StepSpec {
  std::string fqdn;
  std::string action;
  // The action's arguments, built when the step starts so that they can use
  // what earlier steps returned (kept in the command's context).
  std::function<Json(const Json& context)> args;
  // Optional: reads the (unwrapped) result into the context or the store.
  // A non-ok Status fails the step.
  std::function<Status(const Json& result, Json& context)> on_result;
};

struct CommandSpec {
  std::string message;  // "Set up host test000.localdomain"
  std::vector<StepSpec> steps;
  Json context = Json::object();
  // Optional: called once when the command ends (succeeded or not).
  std::function<void(const std::string& state)> on_finish;
};

class JobRunner {
 public:
  // Sends a DATA body on the host's action_runner session; false when the
  // host has no such session now (the step then waits for one).
  using SendFn = std::function<bool(const std::string& fqdn, const Json& body)>;
  // Takes the ACTION_START of `action_id` out of the host's queue; true
  // when it was still there (never read by the agent). None: every sent
  // step counts as read.
  using WithdrawFn = std::function<bool(const std::string& fqdn, const std::string& action_id)>;

  // How often one step is sent again after its session was re-created
  // before it fails: an agent that keeps re-creating it is broken.
  static constexpr int kMaxSendsAgain = 10;

  JobRunner(boost::asio::io_context& io, ManagerStore& store, SendFn send, WithdrawFn withdraw,
            std::chrono::milliseconds step_timeout,
            std::chrono::milliseconds session_wait = std::chrono::hours(1));
  ~JobRunner();  // Stop()s
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Records and starts a command; returns its id.
  Result<int64_t> Submit(CommandSpec spec);
  // Cancels a pending or running command.
  Status Cancel(int64_t id);

  // From the agent endpoints: a DATA body on an action_runner session.
  void OnActionRunnerData(const std::string& fqdn, const Json& body);
  // A session for `fqdn` was created (steps waiting for it are sent) or is
  // gone (steps sent on it are sent again or fail: see the top).
  void OnSessionCreated(const std::string& fqdn, const std::string& plugin);
  void OnSessionGone(const std::string& fqdn, const std::string& plugin, SessionEnd why);
  // The host was removed (ForceRemoveHostJob): a step running or waiting on
  // it fails now (a running action is cancelled on the agent first), and a
  // later step that reaches it fails at once instead of waiting an hour
  // for a session. A host registered again under the name is served again
  // (a step checks the store, so the setup of a re-registration runs).
  void OnHostRemoved(const std::string& fqdn);

  // Marks commands left running by a previous manager process as failed.
  void FailInterrupted();
  // Stops timers; running commands stay as they are in memory.
  void Stop();

  // The commands as a queue (system_status/'s "job_scheduler"): running
  // now, submitted (published) and ended (acked), with recent rates.
  QueueFigures QueueFiguresNow();

  struct Running;

 private:
  // The Running is taken by value: ending a command erases it from
  // running_, which must not free it under the caller.
  void StartStepLocked(std::shared_ptr<Running> run);
  void TrySendLocked(std::shared_ptr<Running> run);
  // Why the running step, whose session was re-created, must not be sent
  // again ("" when it may: it was never read, or it is safe to run twice).
  std::string SendAgainRefusalLocked(Running& run);
  // Puts the running step back to waiting for a session; `now`: send it at
  // once if the host has one.
  void SendAgainLocked(std::shared_ptr<Running> run, bool now);
  void FinishStepLocked(std::shared_ptr<Running> run, bool ok, const Json& result,
                        const std::string& error);
  void EndCommandLocked(std::shared_ptr<Running> run, const std::string& state);
  // Queues the command's record for WriteUnsaved.
  void SaveLocked(const Running& run);
  // Writes the queued records, unless another thread is writing (it then
  // writes them). Call without mu_.
  void WriteUnsaved();
  // Writes the queued records, then runs the callbacks queued while mu_
  // was held; call without mu_.
  void RunDeferred();
  void ArmTimerLocked(std::shared_ptr<Running> run, std::chrono::milliseconds after);
  // Keeps by_action_ and by_host_ in step with the command's current step
  // (or drops it from them once it has ended).
  void ReindexLocked(Running& run);
  std::vector<std::shared_ptr<Running>> OnHostLocked(const std::string& fqdn);

  boost::asio::io_context& io_;
  ManagerStore& store_;
  SendFn send_;
  WithdrawFn withdraw_;
  const std::chrono::milliseconds step_timeout_;
  const std::chrono::milliseconds session_wait_;
  std::mutex mu_;
  bool stopped_ = false;
  std::map<int64_t, std::shared_ptr<Running>> running_;
  // Indexes of running_, so that an agent's message costs a lookup, not a
  // scan of every running command: the command waiting for an action id,
  // and the commands whose current step is on a host.
  std::unordered_map<std::string, int64_t> by_action_;
  std::unordered_map<std::string, std::set<int64_t>> by_host_;
  std::set<std::string> removed_hosts_;
  uint64_t submitted_ = 0, ended_ = 0;
  RateWindow submit_window_, end_window_;
  // Callbacks to run after mu_ is released (on_finish).
  std::vector<std::function<void()>> deferred_;
  // Under mu_: command records changed and not yet written, by id.
  std::map<int64_t, Json> unsaved_;
  // Held by the one thread writing unsaved_ records (never with mu_ held
  // while waiting: taken with try_lock, or by ~JobRunner).
  std::mutex write_mu_;
};

// The value inside an agent_rpc wrapper ({"wrapper_version": 1, "result":
// v} -> v), or the bare value for actions that answer bare. An "error"
// wrapper is reported as a failure.
Result<Json> UnwrapAgentResult(const Json& result);

}  // namespace cs::manager
