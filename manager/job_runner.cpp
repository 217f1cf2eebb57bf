#include "manager/job_runner.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "manager/rerun_safety.h"
#include "manager/secure_ids.h"
#include "util/clock.h"

namespace cs::manager {

namespace {

constexpr const char* kHostRemoved = "the host was removed (ForceRemoveHostJob)";

// A copy of an action's arguments with every "password" value masked.
Json WithoutPasswords(Json args) {
  if (args.is_object()) {
    for (auto& [key, value] : args.items()) value = key == "password" ? Json("********") : WithoutPasswords(value);
  } else if (args.is_array()) {
    for (Json& value : args) value = WithoutPasswords(value);
  }
  return args;
}
std::string NowText() { return FormatAgentTime(SystemClock().Now()); }

// Waits for the thread writing (`writing` held), then writes every queued
// record: for a caller that reads its command back at once.
void WriteQueuedNow(std::mutex& writing, std::mutex& mu, std::map<int64_t, Json>& unsaved, ManagerStore& store) {
  std::lock_guard<std::mutex> writer(writing);
  std::map<int64_t, Json> batch;
  {
    std::lock_guard<std::mutex> lock(mu);
    batch.swap(unsaved);
  }
  if (!batch.empty()) (void)store.PutRecords("command", batch);
}
}  // namespace

struct JobRunner::Running {
  explicit Running(boost::asio::io_context& io) : timer(io) {}
  int64_t id = 0;
  CommandSpec spec;
  Json record;          // what the store holds
  size_t step = 0;      // index of the current step
  std::string action_id;  // "" while waiting for a session
  int sent_again = 0;     // times the current step was sent again on a new session
  boost::asio::steady_timer timer;
  uint64_t timer_generation = 0;
  std::string indexed_action, indexed_fqdn;  // where ReindexLocked filed it
};

Result<Json> UnwrapAgentResult(const Json& result) {
  if (result.is_object() && result.contains("wrapper_version")) {
    if (result.contains("error")) {
      return Status::FailedPrecondition(result["error"].is_string()
                                            ? result["error"].get<std::string>()
                                            : result["error"].dump());
    }
    return result.value("result", Json());
  }
  return result;
}

JobRunner::JobRunner(boost::asio::io_context& io, ManagerStore& store, SendFn send, WithdrawFn withdraw,
                     std::chrono::milliseconds step_timeout, std::chrono::milliseconds session_wait)
    : io_(io),
      store_(store),
      send_(std::move(send)),
      withdraw_(std::move(withdraw)),
      step_timeout_(step_timeout),
      session_wait_(session_wait) {}

JobRunner::~JobRunner() {
  Stop();
  WriteQueuedNow(write_mu_, mu_, unsaved_, store_);  // a writer still at work finishes first
}

void JobRunner::WriteUnsaved() {
  for (;;) {
    std::unique_lock<std::mutex> writing(write_mu_, std::try_to_lock);
    if (!writing.owns_lock()) return;  // the writer looks again before it stops
    for (;;) {
      std::map<int64_t, Json> batch;
      {
        std::lock_guard<std::mutex> lock(mu_);
        batch.swap(unsaved_);
      }
      if (batch.empty()) break;
      // A failed write only loses progress display; the commands go on.
      (void)store_.PutRecords("command", batch);
    }
    writing.unlock();
    // A record queued after the last look, by a thread that found
    // write_mu_ taken, is this thread's to write.
    std::lock_guard<std::mutex> lock(mu_);
    if (unsaved_.empty()) return;
  }
}

void JobRunner::RunDeferred() {
  WriteUnsaved();  // a command's end is stored before its on_finish runs
  std::vector<std::function<void()>> later;
  {
    std::lock_guard<std::mutex> lock(mu_);
    later.swap(deferred_);
  }
  for (auto& f : later) f();
}

void JobRunner::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  for (auto& [id, run] : running_) run->timer.cancel();
}

void JobRunner::ReindexLocked(Running& run) {
  if (!run.indexed_action.empty()) by_action_.erase(run.indexed_action);
  if (!run.indexed_fqdn.empty()) {
    auto it = by_host_.find(run.indexed_fqdn);
    if (it != by_host_.end()) {
      it->second.erase(run.id);
      if (it->second.empty()) by_host_.erase(it);
    }
  }
  run.indexed_action.clear();
  run.indexed_fqdn.clear();
  if (!running_.count(run.id) || run.step >= run.spec.steps.size()) return;
  run.indexed_fqdn = run.spec.steps[run.step].fqdn;
  by_host_[run.indexed_fqdn].insert(run.id);
  if (!run.action_id.empty()) {
    run.indexed_action = run.action_id;
    by_action_[run.action_id] = run.id;
  }
}

std::vector<std::shared_ptr<JobRunner::Running>> JobRunner::OnHostLocked(const std::string& fqdn) {
  std::vector<std::shared_ptr<Running>> out;
  auto it = by_host_.find(fqdn);
  if (it == by_host_.end()) return out;
  for (int64_t id : it->second) out.push_back(running_.at(id));
  return out;
}

void JobRunner::SaveLocked(const Running& run) { unsaved_[run.id] = run.record; }

QueueFigures JobRunner::QueueFiguresNow() {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = RateWindow::Clock::now();
  return QueueFigures{"job_scheduler", running_.size(), submitted_, ended_, submit_window_.Rate(now),
                      end_window_.Rate(now)};
}

Result<int64_t> JobRunner::Submit(CommandSpec spec) {
  Json record = {{"message", spec.message},
                 {"state", "pending"},
                 {"created_at", NowText()},
                 {"finished_at", nullptr},
                 {"errors", Json::array()},
                 {"steps", Json::array()}};
  for (const StepSpec& s : spec.steps) {
    record["steps"].push_back({{"fqdn", s.fqdn},
                               {"action", s.action},
                               {"args", nullptr},
                               {"state", "pending"},
                               {"result", nullptr},
                               {"exception", nullptr},
                               {"started_at", nullptr},
                               {"finished_at", nullptr}});
  }
  Result<int64_t> id = store_.InsertRecord("command", record);
  if (!id.ok()) return id.status();
  auto run = std::make_shared<Running>(io_);
  run->id = *id;
  run->spec = std::move(spec);
  run->record = std::move(record);
  run->record["id"] = *id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_[run->id] = run;
    ++submitted_;
    submit_window_.Add(1, RateWindow::Clock::now());
    run->record["state"] = "running";
    StartStepLocked(run);
  }
  RunDeferred();
  return *id;
}

void JobRunner::StartStepLocked(std::shared_ptr<Running> run) {
  if (run->step >= run->spec.steps.size()) {
    EndCommandLocked(run, "succeeded");
    return;
  }
  Json& step = run->record["steps"][run->step];
  step["state"] = "waiting";
  step["started_at"] = NowText();
  run->action_id.clear();
  run->sent_again = 0;
  ReindexLocked(*run);
  const std::string& fqdn = run->spec.steps[run->step].fqdn;
  if (removed_hosts_.count(fqdn)) {
    if (!store_.HostByFqdn(fqdn)) {
      FinishStepLocked(run, false, nullptr, kHostRemoved);
      return;
    }
    removed_hosts_.erase(fqdn);  // registered again since
  }
  ArmTimerLocked(run, session_wait_);
  TrySendLocked(run);
}

void JobRunner::TrySendLocked(std::shared_ptr<Running> run) {
  if (stopped_ || !run->action_id.empty()) return;
  const StepSpec& spec = run->spec.steps[run->step];
  Json& step = run->record["steps"][run->step];
  Json args = spec.args ? spec.args(run->spec.context) : Json::object();
  const std::string action_id = RandomUuid();
  Json body = {{"type", "ACTION_START"}, {"id", action_id}, {"action", spec.action}, {"args", args}};
  if (!send_(spec.fqdn, body)) {
    SaveLocked(*run);  // still waiting for the host's action_runner session
    return;
  }
  run->action_id = action_id;
  ReindexLocked(*run);
  ArmTimerLocked(run, step_timeout_);  // the action's own time starts now
  step["args"] = WithoutPasswords(args);  // command views never show configure_fencing's
  step["state"] = "running";
  step["action_id"] = action_id;
  SaveLocked(*run);
}

void JobRunner::ArmTimerLocked(std::shared_ptr<Running> run, std::chrono::milliseconds after) {
  const uint64_t generation = ++run->timer_generation;
  run->timer.expires_after(after);
  run->timer.async_wait([this, weak = std::weak_ptr<Running>(run), generation, after](
                            const boost::system::error_code& ec) {
    if (ec) return;
    auto r = weak.lock();
    if (!r) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopped_ || r->timer_generation != generation || !running_.count(r->id)) return;
      FinishStepLocked(r, false, nullptr,
                       "timed out after " + std::to_string(after.count()) + " ms" +
                           (r->action_id.empty() ? " waiting for the host's action_runner session"
                                                 : ""));
    }
    RunDeferred();
  });
}

void JobRunner::FinishStepLocked(std::shared_ptr<Running> run, bool ok, const Json& result,
                                 const std::string& error) {
  ++run->timer_generation;
  run->timer.cancel();
  Json& step = run->record["steps"][run->step];
  step["finished_at"] = NowText();
  step["result"] = result;
  if (ok) {
    const StepSpec& spec = run->spec.steps[run->step];
    Result<Json> value = UnwrapAgentResult(result);
    Status s = value.status();
    if (s.ok() && spec.on_result) s = spec.on_result(*value, run->spec.context);
    if (!s.ok()) {
      ok = false;
      step["exception"] = s.message();
    }
  } else {
    step["exception"] = error;
  }
  step["state"] = ok ? "succeeded" : "failed";
  if (!ok) {
    run->record["errors"].push_back(run->spec.steps[run->step].action + " on " +
                                    run->spec.steps[run->step].fqdn + ": " +
                                    step["exception"].get<std::string>());
    for (size_t i = run->step + 1; i < run->spec.steps.size(); ++i) {
      run->record["steps"][i]["state"] = "skipped";
    }
    EndCommandLocked(run, "failed");
    return;
  }
  ++run->step;
  StartStepLocked(run);
}

void JobRunner::EndCommandLocked(std::shared_ptr<Running> run, const std::string& state) {
  ++run->timer_generation;
  run->timer.cancel();
  run->record["state"] = state;
  run->record["finished_at"] = NowText();
  SaveLocked(*run);
  ++ended_;
  end_window_.Add(1, RateWindow::Clock::now());
  running_.erase(run->id);
  ReindexLocked(*run);
  if (run->spec.on_finish) {
    deferred_.push_back([f = run->spec.on_finish, state] { f(state); });
  }
}

void JobRunner::OnActionRunnerData(const std::string& fqdn, const Json& body) {
  if (!body.is_object() || body.value("type", "") != "ACTION_COMPLETE" ||
      !body.value("id", Json()).is_string()) {
    return;
  }
  const std::string id = body["id"].get<std::string>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = by_action_.find(id);
    if (found != by_action_.end()) {
      std::shared_ptr<Running> run = running_.at(found->second);
      if (run->spec.steps[run->step].fqdn == fqdn) {
        const Json exception = body.value("exception", Json());
        if (!exception.is_null()) {
          FinishStepLocked(run, false, body.value("result", Json()),
                           exception.is_string() ? exception.get<std::string>() : exception.dump());
        } else {
          FinishStepLocked(run, true, body.value("result", Json()), "");
        }
      }
    }
  }
  RunDeferred();
}

void JobRunner::OnSessionCreated(const std::string& fqdn, const std::string& plugin) {
  if (plugin != "action_runner") return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    removed_hosts_.erase(fqdn);  // registered again
    for (auto& run : OnHostLocked(fqdn)) {
      if (run->action_id.empty()) TrySendLocked(run);
    }
  }
  WriteUnsaved();
}

void JobRunner::OnSessionGone(const std::string& fqdn, const std::string& plugin, SessionEnd why) {
  if (plugin != "action_runner") return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // A copy: FinishStepLocked and SendAgainLocked change the index.
    for (auto& run : OnHostLocked(fqdn)) {
      if (run->action_id.empty()) continue;  // still waiting: the next session serves it
      const std::string refusal =
          why == SessionEnd::kEnded ? "the host's action_runner session ended" : SendAgainRefusalLocked(*run);
      if (!refusal.empty()) {
        FinishStepLocked(run, false, nullptr, refusal);
        continue;
      }
      // A replacing session's SESSION_CREATE_RESPONSE is queued after this
      // call, and OnSessionCreated sends the step behind it; a new agent
      // instance's sessions, opened before its first GET, exist already.
      SendAgainLocked(run, why == SessionEnd::kAgentRestarted);
    }
  }
  RunDeferred();
}

std::string JobRunner::SendAgainRefusalLocked(Running& run) {
  const StepSpec& spec = run.spec.steps[run.step];
  // Taken out of the queue whatever is decided: the old session's
  // ACTION_START must not reach the agent now.
  const bool never_read = withdraw_ && withdraw_(spec.fqdn, run.action_id);
  if (run.sent_again >= kMaxSendsAgain) {
    return "the host's action_runner session was re-created " + std::to_string(run.sent_again + 1) +
           " times while the step ran";
  }
  if (never_read || SafeToRunAgain(spec.action)) return "";
  return "the host's action_runner session was re-created after " + spec.action +
         " was sent: it may have run, and it is not safe to run twice";
}

void JobRunner::SendAgainLocked(std::shared_ptr<Running> run, bool now) {
  Json& step = run->record["steps"][run->step];
  step["state"] = "waiting";
  step["action_id"] = nullptr;
  step["sent_again"] = ++run->sent_again;
  run->action_id.clear();
  ReindexLocked(*run);
  ArmTimerLocked(run, session_wait_);
  SaveLocked(*run);
  if (now) TrySendLocked(run);
}

void JobRunner::OnHostRemoved(const std::string& fqdn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    removed_hosts_.insert(fqdn);
    // A copy: FinishStepLocked changes the index.
    for (auto& run : OnHostLocked(fqdn)) {
      if (!run->action_id.empty()) {
        send_(fqdn, Json{{"type", "ACTION_CANCEL"}, {"id", run->action_id}, {"action", nullptr}, {"args", nullptr}});
      }
      FinishStepLocked(run, false, nullptr, kHostRemoved);
    }
  }
  // The removal's answer says what became of the host's commands.
  WriteQueuedNow(write_mu_, mu_, unsaved_, store_);
  RunDeferred();
}

Status JobRunner::Cancel(int64_t id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(id);
    if (it == running_.end()) {
      return store_.GetRecord("command", id) ? Status::FailedPrecondition("command " + std::to_string(id) + " has finished")
                                             : Status::NotFound("no command " + std::to_string(id));
    }
    std::shared_ptr<Running> run = it->second;
    const StepSpec& spec = run->spec.steps[run->step];
    if (!run->action_id.empty()) {
      send_(spec.fqdn, Json{{"type", "ACTION_CANCEL"}, {"id", run->action_id},
                            {"action", nullptr}, {"args", nullptr}});
    }
    Json& step = run->record["steps"][run->step];
    step["state"] = "cancelled";
    step["finished_at"] = NowText();
    for (size_t i = run->step + 1; i < run->spec.steps.size(); ++i) {
      run->record["steps"][i]["state"] = "skipped";
    }
    EndCommandLocked(run, "cancelled");
  }
  // DELETE api/command/<id>/ answers with the command as stored.
  WriteQueuedNow(write_mu_, mu_, unsaved_, store_);
  RunDeferred();
  return Status::Ok();
}

void JobRunner::FailInterrupted() {
  for (Json& record : store_.ListRecords("command")) {
    const std::string state = record.value("state", "");
    if (state != "pending" && state != "running") continue;
    record["state"] = "failed";
    record["finished_at"] = NowText();
    record["errors"].push_back("the manager stopped while the command ran");
    (void)store_.PutRecord("command", record.value("id", int64_t{0}), record);
  }
}

}  // namespace cs::manager
